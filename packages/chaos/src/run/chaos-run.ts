/**
 * A whole `npm run chaos` run: a fresh cluster in `<out>/cluster` (every
 * process's log in `<out>/cluster/logs`), one tenant, one scenario driven by
 * a seeded schedule of the chosen nemeses for the given duration, the final
 * checks, then every process stopped and the disks scanned for the run's
 * plaintext marker. Writes `<out>/summary.txt` and `summary.json`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ChaosCluster } from '../cluster/chaos-cluster.js';
import { runMarker, scanDisksForMarker } from '../checks/disk-scan.js';
import { seededSchedule } from '../nemesis/schedule.js';
import { formatScenario, runScenario, type ScenarioResult, type WorkloadShape } from './scenario.js';

export interface ChaosRunOptions {
  readonly families: readonly string[];
  readonly durationS: number;
  readonly seed: number;
  readonly out: string;
  readonly nodes?: number;
  readonly workload?: WorkloadShape;
  /** TESSERA_MUTATE for every process (to prove the suite catches a planted bug). */
  readonly mutate?: string;
  readonly log?: (line: string) => void;
}

export interface ChaosRunResult {
  readonly passed: boolean;
  readonly scenario?: ScenarioResult;
  readonly markerHits: number;
  readonly error?: string;
  readonly summary: string;
}

export async function runChaos(options: ChaosRunOptions): Promise<ChaosRunResult> {
  const log = options.log ?? (() => undefined);
  await mkdir(options.out, { recursive: true });
  const crashSim = options.families.includes('powerloss');
  const env: Record<string, string> = { ...(crashSim ? { TESSERA_CRASHSIM: '1' } : {}), ...(options.mutate !== undefined ? { TESSERA_MUTATE: options.mutate } : {}) };
  const marker = runMarker(options.seed);
  const spares = options.families.includes('membership') ? 1 : 0;
  let cluster: ChaosCluster | undefined;
  let scenario: ScenarioResult | undefined;
  let markerHits = 0;
  let error: string | undefined;
  const started = performance.now();
  try {
    // With disk faults in the mix, maintenance runs during the run as an operator would run it (a scrub
    // pass every 2 min): faults accumulating for half an hour with no repair would take more than m shards
    // of some stripes, beyond what any erasure code survives. Without disk faults the default 1 h interval
    // stays, so the final checks see a lost acknowledged shard before anything repairs it (D1).
    const nodeArgs = options.families.includes('disk') ? ['--placement-scrub-interval-ms', '120000'] : [];
    cluster = await ChaosCluster.start({ root: path.join(options.out, 'cluster'), nodes: options.nodes ?? 3, spares, env, seed: options.seed, log, nodeArgs });
    const tenant = await cluster.addTenant('chaos', 'shared');
    scenario = await runScenario({
      name: 'run',
      cluster,
      tenant,
      runDir: options.out,
      seed: options.seed,
      marker,
      steps: seededSchedule({ seed: options.seed, families: options.families, durationMs: options.durationS * 1_000, spares }),
      ...(options.workload !== undefined ? { workload: options.workload } : {}),
      crashSim,
      log,
    });
    await cluster.stopAll();
    const hits = await scanDisksForMarker(cluster, marker);
    markerHits = hits.length;
    if (hits.length > 0) await writeFile(path.join(options.out, 'marker-hits.txt'), hits.map((h) => `${h.where} ${h.encoding} @${h.offset ?? '?'}`).join('\n'));
  } catch (err) {
    error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } finally {
    await cluster?.shutdown().catch(() => undefined);
  }
  const passed = error === undefined && scenario?.passed === true && markerHits === 0;
  const lines = [
    `chaos run: ${passed ? 'PASSED' : 'FAILED'} in ${((performance.now() - started) / 1_000).toFixed(1)} s (nemeses ${options.families.join(',')}, duration ${options.durationS} s, seed ${options.seed}${options.mutate !== undefined ? `, TESSERA_MUTATE=${options.mutate}` : ''})`,
    ...(scenario !== undefined ? [formatScenario(scenario).trimEnd()] : []),
    `plaintext marker on disk: ${markerHits === 0 ? (scenario !== undefined ? 'none found' : 'not scanned') : `${markerHits} hit(s), see marker-hits.txt`}`,
    ...(error !== undefined ? [`run error: ${error}`] : []),
    `run folder: ${options.out} (history.jsonl, faults.jsonl and summary per scenario in run/; process logs in cluster/logs)`,
  ];
  const summary = `${lines.join('\n')}\n`;
  await writeFile(path.join(options.out, 'summary.txt'), summary);
  await writeFile(path.join(options.out, 'summary.json'), `${JSON.stringify({ passed, options: { ...options, log: undefined }, markerHits, error, scenario: scenario?.name }, null, 2)}\n`);
  return { passed, ...(scenario !== undefined ? { scenario } : {}), markerHits, ...(error !== undefined ? { error } : {}), summary };
}
