/**
 * DESIGN K1 after a chaos run: no encoding of the run's plaintext marker
 * (present in every object written) in any file under the cluster's data
 * dirs and logs, nor in any LevelDB record. Run with every process stopped
 * (LevelDB takes a lock, and a live process could still be writing).
 */
import { findLevelDbDirs, scanFilesForCanary, scanLevelDbForCanary, type CanaryHit } from '@tessera/launcher';
import type { ChaosCluster } from '../cluster/chaos-cluster.js';

export async function scanDisksForMarker(cluster: ChaosCluster, marker: string): Promise<CanaryHit[]> {
  const needle = Buffer.from(marker, 'utf8');
  const roots = [...cluster.dataDirs(), cluster.logsDir];
  const fileHits = await scanFilesForCanary(roots, needle);
  const dbHits = await scanLevelDbForCanary(await findLevelDbDirs(cluster.dataDirs()), needle);
  return [...fileHits, ...dbHits];
}

/** A fresh marker for a run: letters and digits only (no `|`, which the value format uses). */
export function runMarker(seed: number): string {
  const random = Math.floor(Math.random() * 2 ** 32).toString(36);
  return `TSRCANARY${(seed >>> 0).toString(36)}X${random}`;
}
