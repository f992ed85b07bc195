/**
 * The leader's bounded repair queue: at most `concurrency` repairs run at
 * once, a chunk is queued at most once (a second request merges into the
 * waiting one), and nothing beyond `limit` waits (the scrub finds the rest
 * on its next pass). Keeps counters by (reason, outcome) and the last
 * REPAIR_HISTORY repairs for operators.
 */
import type { Slot } from '@tessera/storage';
import type { PlacementSlot } from '../metadata/types.js';
import { REPAIR_HISTORY, REPAIR_QUEUE_LIMIT } from './settings.js';

export const REPAIR_REASONS = ['missing', 'corrupt', 'device', 'evacuate', 'under-protected'] as const;
export type RepairReason = (typeof REPAIR_REASONS)[number];

/** ok: new placement committed; nothing: every shard was fine; stale: the record changed meanwhile; the rest failed. */
export const REPAIR_OUTCOMES = ['ok', 'nothing', 'stale', 'unrecoverable', 'no-device', 'failed'] as const;
export type RepairOutcome = (typeof REPAIR_OUTCOMES)[number];

export interface RepairTask {
  readonly chunkId: Buffer;
  /** The committed writeId the task was judged against. */
  readonly writeId: Buffer;
  /** The committed slots the task was judged against: a repair of a record that moved since is stale. */
  readonly judged: readonly PlacementSlot[];
  readonly reason: RepairReason;
  /** Shards known missing or damaged (not read; rebuilt). */
  readonly knownBad: readonly number[];
  /** Slots to move off even if they read fine. */
  readonly vacate: readonly Slot[];
}

export interface RepairReport {
  readonly outcome: RepairOutcome;
  readonly moved: ReadonlyArray<{ readonly shardIndex: number; readonly from: Slot; readonly to: Slot; readonly rebuilt: boolean }>;
}

export interface RepairHistoryEntry {
  /** First 16 hex digits of the chunk id (never the whole id in logs or status). */
  readonly chunk: string;
  readonly reason: RepairReason;
  readonly outcome: RepairOutcome;
  readonly moved: ReadonlyArray<{ readonly shardIndex: number; readonly from: string; readonly to: string; readonly rebuilt: boolean }>;
  readonly atMs: number;
  readonly durationMs: number;
}

/** Most urgent first: a lost shard before a move off a working device. */
const URGENCY: Readonly<Record<RepairReason, number>> = { missing: 0, corrupt: 0, device: 1, evacuate: 2, 'under-protected': 3 };

export class RepairQueue {
  private readonly waiting = new Map<string, RepairTask>();
  private readonly running = new Set<string>();
  private readonly counts = new Map<string, number>();
  private readonly recent: RepairHistoryEntry[] = [];
  private readonly idleWaiters: Array<() => void> = [];
  private stopped = false;
  /** Shards moved by committed repairs. */
  shardsMoved = 0;

  constructor(
    private readonly run: (task: RepairTask) => Promise<RepairReport>,
    private readonly options: {
      readonly concurrency: number;
      readonly limit?: number;
      readonly clock?: () => number;
      readonly onDone?: (task: RepairTask, report: RepairReport) => void;
    },
  ) {}

  /** Queues a repair; false when the queue is full (the chunk is found again later). */
  enqueue(task: RepairTask): boolean {
    if (this.stopped) return false;
    const hex = task.chunkId.toString('hex');
    const queued = this.waiting.get(hex);
    if (queued !== undefined) {
      this.waiting.set(hex, merge(queued, task));
      return true;
    }
    // A running repair re-reads the record; the scrub will see what it left.
    if (this.running.has(hex)) return true;
    if (this.waiting.size >= (this.options.limit ?? REPAIR_QUEUE_LIMIT)) return false;
    this.waiting.set(hex, task);
    this.pump();
    return true;
  }

  /** Queued or running. */
  has(chunkId: Uint8Array): boolean {
    const hex = Buffer.from(chunkId).toString('hex');
    return this.waiting.has(hex) || this.running.has(hex);
  }

  get length(): number {
    return this.waiting.size;
  }

  get active(): number {
    return this.running.size;
  }

  /** Repairs finished, by `${reason}/${outcome}`. */
  counters(): ReadonlyMap<string, number> {
    return this.counts;
  }

  count(reason: RepairReason, outcome: RepairOutcome): number {
    return this.counts.get(`${reason}/${outcome}`) ?? 0;
  }

  /** The last repairs, oldest first. */
  history(): readonly RepairHistoryEntry[] {
    return [...this.recent];
  }

  /** Resolves once nothing waits and nothing runs. */
  idle(): Promise<void> {
    if (this.waiting.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops what waits; running repairs finish. */
  stop(): void {
    this.stopped = true;
    this.waiting.clear();
    this.settleIdle();
  }

  private pump(): void {
    while (this.running.size < Math.max(1, this.options.concurrency) && this.waiting.size > 0) {
      const next = this.mostUrgent();
      const hex = next.chunkId.toString('hex');
      this.waiting.delete(hex);
      this.running.add(hex);
      void this.runOne(hex, next);
    }
  }

  private mostUrgent(): RepairTask {
    let best: RepairTask | undefined;
    for (const task of this.waiting.values()) if (best === undefined || URGENCY[task.reason] < URGENCY[best.reason]) best = task;
    return best!;
  }

  private async runOne(hex: string, task: RepairTask): Promise<void> {
    const clock = this.options.clock ?? Date.now;
    const started = clock();
    let report: RepairReport;
    try {
      report = await this.run(task);
    } catch {
      report = { outcome: 'failed', moved: [] };
    }
    if (report.outcome === 'ok') this.shardsMoved += report.moved.length;
    const key = `${task.reason}/${report.outcome}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.recent.push({
      chunk: hex.slice(0, 16),
      reason: task.reason,
      outcome: report.outcome,
      moved: report.moved.map((m) => ({ shardIndex: m.shardIndex, from: `${m.from.nodeId}/${m.from.deviceId}`, to: `${m.to.nodeId}/${m.to.deviceId}`, rebuilt: m.rebuilt })),
      atMs: started,
      durationMs: clock() - started,
    });
    if (this.recent.length > REPAIR_HISTORY) this.recent.splice(0, this.recent.length - REPAIR_HISTORY);
    this.running.delete(hex);
    this.options.onDone?.(task, report);
    if (!this.stopped) this.pump();
    this.settleIdle();
  }

  private settleIdle(): void {
    if (this.waiting.size > 0 || this.running.size > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function merge(a: RepairTask, b: RepairTask): RepairTask {
  // Judged against another placement: only the later judgement holds.
  if (!a.writeId.equals(b.writeId) || !samePlacement(a.judged, b.judged)) return b;
  const vacate = [...a.vacate];
  for (const s of b.vacate) if (!vacate.some((v) => v.nodeId === s.nodeId && v.deviceId === s.deviceId)) vacate.push(s);
  return {
    ...a,
    reason: URGENCY[b.reason] < URGENCY[a.reason] ? b.reason : a.reason,
    knownBad: [...new Set([...a.knownBad, ...b.knownBad])].sort((x, y) => x - y),
    vacate,
  };
}

/** Same slots for the same shard indexes (order aside). */
export function samePlacement(a: readonly PlacementSlot[], b: readonly PlacementSlot[]): boolean {
  return a.length === b.length && a.every((s) => b.some((t) => t.shardIndex === s.shardIndex && t.nodeId === s.nodeId && t.deviceId === s.deviceId));
}
