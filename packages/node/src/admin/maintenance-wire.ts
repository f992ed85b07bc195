/**
 * The maintenance state as operators see it (Admin MaintenanceStatus,
 * StartScrub, Compact and the redundancy line of ClusterOverview): pure
 * conversions from the leader's Maintenance and the metadata machine's
 * compaction records to wire messages, and the one-word redundancy verdict.
 * Chunk ids appear only as the repair history's 16-hex-digit prefixes.
 */
import { u64String, type CompactionStatus, type DeviceScrubProgress, type EvacuationProgress, type PlacementScrubPass, type PlacementScrubStatus, type ReencryptionProgress, type RepairQueueStatus, type TenantCompaction } from '@tessera/wire';
import type { CompactionRecord } from '../metadata/machine.js';
import type { DeviceScrubStatus } from '../maintenance/device-scrub.js';
import type { EvacuationStatus } from '../maintenance/evacuation.js';
import type { PlacementScrubProgress } from '../maintenance/placement-scrub.js';
import type { ReencryptProgress } from '../maintenance/reencrypt.js';
import type { RepairHistoryEntry } from '../maintenance/repair-queue.js';

export const REDUNDANCY_STATES = ['full', 'degraded', 'repairing', 'unknown'] as const;
export type Redundancy = (typeof REDUNDANCY_STATES)[number];

/** What the admin handlers read of a node's Maintenance (a Maintenance satisfies it structurally). */
export interface MaintenanceControl {
  readonly placementScrub: {
    progress(): PlacementScrubProgress;
    lastPass(): PlacementScrubProgress | undefined;
    passesCompleted(): number;
    isRunning(): boolean;
  };
  readonly queue: {
    readonly length: number;
    readonly active: number;
    readonly shardsMoved: number;
    counters(): ReadonlyMap<string, number>;
    history(): readonly RepairHistoryEntry[];
  };
  readonly evacuator: { status(): readonly EvacuationStatus[] };
  readonly reencrypter: { progress(): ReencryptProgress } | undefined;
  readonly deviceScrubber: { status(): DeviceScrubStatus };
  deviceScrubState(): 'disabled' | 'running' | 'resting';
  startPlacementScrub(): boolean;
  startDeviceScrub(): 'started' | 'running' | 'disabled';
}

/**
 * full: the last finished pass found every slot of every chunk clean (k+m
 * shards, at most m per node) and no repair waits or runs; repairing:
 * repairs wait or run; degraded: the last pass found bad slots or
 * under-protected chunks (a later pass confirms their repair); unknown: no
 * pass finished yet on this leader.
 */
export function redundancyOf(last: PlacementScrubProgress | undefined, queue: { readonly queued: number; readonly running: number }): Redundancy {
  if (queue.queued + queue.running > 0) return 'repairing';
  if (last === undefined) return 'unknown';
  return badSlots(last) + last.underProtected === 0 ? 'full' : 'degraded';
}

export function badSlots(p: PlacementScrubProgress): number {
  return p.missing + p.corrupt + p.badDevice + p.unreachable;
}

export function passToWire(p: PlacementScrubProgress): PlacementScrubPass {
  return {
    scanned: u64String(p.scanned),
    total: u64String(p.total),
    missing: u64String(p.missing),
    corrupt: u64String(p.corrupt),
    badDevice: u64String(p.badDevice),
    unreachable: u64String(p.unreachable),
    underProtected: u64String(p.underProtected),
    queued: u64String(p.queued),
    repaired: u64String(p.repaired),
    startedMs: u64String(p.startedAt),
    finishedMs: u64String(p.finishedAt),
  };
}

export function placementScrubToWire(scrub: MaintenanceControl['placementScrub']): PlacementScrubStatus {
  const running = scrub.isRunning();
  const last = scrub.lastPass();
  return {
    running,
    ...(running ? { current: passToWire(scrub.progress()) } : {}),
    ...(last !== undefined ? { last: passToWire(last) } : {}),
    passes: u64String(scrub.passesCompleted()),
  };
}

export function repairsToWire(queue: MaintenanceControl['queue']): RepairQueueStatus {
  const counts = [...queue.counters()]
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, n]) => {
      const [reason = '', outcome = ''] = key.split('/');
      return { reason, outcome, count: u64String(n) };
    });
  return {
    queued: queue.length,
    running: queue.active,
    counts,
    history: queue.history().map((h) => ({
      chunk: h.chunk,
      reason: h.reason,
      outcome: h.outcome,
      moved: h.moved.map((m) => ({ shardIndex: m.shardIndex, from: m.from, to: m.to, rebuilt: m.rebuilt })),
      atMs: u64String(h.atMs),
      durationMs: u64String(Math.max(0, h.durationMs)),
    })),
    shardsMoved: u64String(queue.shardsMoved),
  };
}

export function evacuationsToWire(list: readonly EvacuationStatus[]): EvacuationProgress[] {
  return list.map((e) => ({ nodeId: e.nodeId, deviceId: e.deviceId, state: e.state, remaining: u64String(e.remaining), done: e.done }));
}

export function reencryptionToWire(progress: ReencryptProgress | undefined): ReencryptionProgress {
  if (progress === undefined) return { available: false, targetEpoch: '0', remaining: [], rewritten: '0', failed: '0', deferred: '0' };
  return {
    available: true,
    targetEpoch: u64String(progress.targetEpoch ?? 0),
    remaining: Object.entries(progress.remaining)
      .map(([epoch, chunks]) => ({ epoch: Number(epoch), chunks }))
      .sort((a, b) => a.epoch - b.epoch)
      .map((e) => ({ epoch: u64String(e.epoch), chunks: u64String(e.chunks) })),
    rewritten: u64String(progress.rewritten),
    failed: u64String(progress.failed),
    deferred: u64String(progress.deferred),
  };
}

export function deviceScrubToWire(nodeId: string, state: 'disabled' | 'running' | 'resting', s: DeviceScrubStatus): DeviceScrubProgress {
  return {
    nodeId,
    state,
    badRecords: u64String(s.badRecords),
    quarantined: u64String(s.quarantined),
    rounds: u64String(s.rounds),
    bytesScanned: u64String(s.bytesScanned),
  };
}

export function compactionToWire(tenant: string, c: CompactionRecord): TenantCompaction {
  return { tenant, index: u64String(c.index), timeMs: u64String(c.leaderTimeMs), dropped: u64String(c.dropped), released: u64String(c.released) };
}

export function compactionStatusToWire(last: ReadonlyMap<string, CompactionRecord>, pendingTenants: number): CompactionStatus {
  const tenants = [...last.keys()].sort();
  return { last: tenants.map((t) => compactionToWire(t, last.get(t)!)), pendingTenants };
}
