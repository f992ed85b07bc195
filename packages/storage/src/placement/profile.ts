/**
 * Which erasure profiles a pool can protect, and what a fully redundant
 * chunk survives there (for `cluster status`).
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { perNodeCap } from './plan.js';
import { placeableDevices, poolUsage, type Topology } from './topology.js';

/** Nodes a pool must span for k+m: ceil((k+m)/m), so that m shards per node cover the stripe. */
export function minNodesFor(k: number, m: number): number {
  return Math.ceil((k + m) / m);
}

/**
 * Accepts the profile for the pool or throws POOL_PROFILE_REJECTED. A chunk's
 * profile never changes, so this is checked when a pool's profile is set.
 */
export function acceptProfile(topology: Topology, pool: string, k: number, m: number): void {
  if (!Number.isInteger(k) || !Number.isInteger(m) || k < 1 || m < 1 || k + m > 255) {
    throw new TesseraError(ErrorCodes.POOL_PROFILE_REJECTED, 'profile must satisfy 1 <= k, 1 <= m, k + m <= 255');
  }
  const nodes = poolUsage(topology, pool).nodes;
  const needed = minNodesFor(k, m);
  if (nodes < needed) {
    throw new TesseraError(ErrorCodes.POOL_PROFILE_REJECTED, `profile ${k}+${m} needs a pool spanning at least ${needed} nodes; this one spans ${nodes}`);
  }
}

export interface Survivability {
  readonly k: number;
  readonly m: number;
  /** Whether k+m shards fit on placeable devices with at most m per node. */
  readonly fullRedundancy: boolean;
  /** Whether a chunk can be placed at all (k+m placeable devices). */
  readonly placeable: boolean;
  /** Any this many device failures lose nothing. */
  readonly deviceFailures: number;
  /** Any this many node failures lose nothing (worst case over placements). */
  readonly nodeFailures: number;
  /** For people, e.g. "can lose 1 node or 2 devices". */
  readonly summary: string;
}

/**
 * What a chunk placed now survives. With full redundancy a node holds at
 * most min(m, its placeable devices) shards; the worst case for x lost nodes
 * is the x nodes able to hold the most, and x is survivable while those hold
 * at most m shards together. Without full redundancy the same holds for the
 * smallest per-node cap that still fits the stripe (what placement does when
 * it relaxes).
 */
export function survivability(topology: Topology, pool: string, k: number, m: number): Survivability {
  const perNode = new Map<string, number>();
  for (const d of placeableDevices(topology, pool)) perNode.set(d.nodeId, (perNode.get(d.nodeId) ?? 0) + 1);
  const counts = [...perNode.values()];
  const total = counts.reduce((a, b) => a + b, 0);
  const n = k + m;
  if (total < n) {
    return {
      k,
      m,
      fullRedundancy: false,
      placeable: false,
      deviceFailures: 0,
      nodeFailures: 0,
      summary: `cannot place ${k}+${m}: ${total} healthy device${total === 1 ? '' : 's'} for ${n} shards`,
    };
  }
  const fits = (cap: number): boolean => counts.reduce((sum, c) => sum + Math.min(cap, c), 0) >= n;
  let cap = perNodeCap(m);
  const fullRedundancy = fits(cap);
  while (!fits(cap)) cap++;
  const worst = counts.map((c) => Math.min(cap, c)).sort((a, b) => b - a);
  let nodeFailures = 0;
  let lost = 0;
  for (const held of worst) {
    if (lost + held > m) break;
    lost += held;
    nodeFailures++;
  }
  const plural = (x: number, word: string): string => `${x} ${word}${x === 1 ? '' : 's'}`;
  const summary = `can lose ${plural(nodeFailures, 'node')} or ${plural(m, 'device')}${fullRedundancy ? '' : ' (under-protected: too few nodes for at most m shards per node)'}`;
  return { k, m, fullRedundancy, placeable: true, deviceFailures: m, nodeFailures, summary };
}
