/**
 * The cluster placement scrub (leader only; issue #8): walks the committed
 * chunk table in passes, with a cursor that survives turns (so a pass goes on
 * where it stopped, at PLACEMENT_SCRUB_CHUNKS_PER_SEC), asks every slot's
 * node whether it holds its shard (HasShard: index only), judges the record
 * (slot-check.ts) and queues a repair for each record with a bad slot. A
 * pass starts `placementScrubIntervalMs` after the previous one finished,
 * the first one `placementScrubIntervalMs` after the node became leader (a
 * failover does not start a cluster-wide scan at once; `StartScrub` does).
 * A node that stops leading forgets its passes: a deposed leader's last pass
 * is stale (the nodes it could not reach answer the new leader), so its
 * gauges read zero rather than count slots twice.
 *
 * The walk follows the (sysEpoch, chunk id) index of live records: a record
 * re-encrypted during a pass may be seen twice or not at all in that pass;
 * the next pass sees it.
 */
import { ErrorCodes, TesseraError, type Logger } from '@tessera/common';
import type { ShardKey, Slot } from '@tessera/storage';
import type { ShardPresence } from '../fabric/peer-client.js';
import type { MetadataMachine } from '../metadata/machine.js';
import type { EpochCursor } from '../metadata/queries.js';
import type { ChunkRecord } from '../metadata/types.js';
import type { RepairQueue, RepairReason, RepairTask } from './repair-queue.js';
import { judgeSlots, type SlotObservation, type SlotVerdict } from './slot-check.js';
import { clusterTopology, spreadableNodes, type NodeLiveness } from './topology.js';

export interface PresenceIo {
  hasShard(slot: Slot, key: ShardKey): Promise<ShardPresence>;
}

export interface PlacementScrubProgress {
  /** Live records checked in this pass (the last one when none runs). */
  readonly scanned: number;
  /** Live records when the pass started. */
  readonly total: number;
  /** Slots found without their shard. */
  readonly missing: number;
  /** Slots whose record length disagrees with the stripe's. */
  readonly corrupt: number;
  /** Slots on a device that is evacuating, failed, removed or unknown. */
  readonly badDevice: number;
  /** Slots whose node did not answer. */
  readonly unreachable: number;
  /** Records with more than m shards on one node. */
  readonly underProtected: number;
  /** Repairs this pass queued that committed a new placement. */
  readonly repaired: number;
  /** Repairs queued by this pass. */
  readonly queued: number;
  /** Wall-clock ms; 0 before the first pass. */
  readonly startedAt: number;
  /** Wall-clock ms when the pass finished; 0 while it runs. */
  readonly finishedAt: number;
}

export interface PlacementScrubDeps {
  readonly machine: MetadataMachine;
  readonly io: PresenceIo;
  readonly queue: RepairQueue;
  readonly liveness: NodeLiveness;
  readonly pool: string;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly intervalMs: number;
  /** The newest system epoch known (bounds the epochs counted for `total`). */
  readonly systemEpoch: () => number | undefined;
}

const EMPTY: PlacementScrubProgress = { scanned: 0, total: 0, missing: 0, corrupt: 0, badDevice: 0, unreachable: 0, underProtected: 0, repaired: 0, queued: 0, startedAt: 0, finishedAt: 0 };
/** Records checked at once (their slots in parallel). */
const PARALLEL = 8;

export class PlacementScrub {
  private current: PlacementScrubProgress = EMPTY;
  private last: PlacementScrubProgress | undefined;
  private cursor: EpochCursor | undefined;
  private running = false;
  private passes = 0;
  /** When this node (last) became leader; undefined while it does not lead. */
  private leaderSince: number | undefined;
  /** Chunks (hex) this pass queued, to count their repairs. */
  private readonly queuedByPass = new Set<string>();

  constructor(private readonly deps: PlacementScrubDeps) {}

  /** The pass under way, or the last finished one. */
  progress(): PlacementScrubProgress {
    return this.running ? this.current : (this.last ?? this.current);
  }

  /** The last finished pass (undefined before the first finishes). */
  lastPass(): PlacementScrubProgress | undefined {
    return this.last;
  }

  passesCompleted(): number {
    return this.passes;
  }

  isRunning(): boolean {
    return this.running;
  }

  /** An operator's `scrub start` (Admin StartScrub): begins a pass now whatever the interval; false when one runs already. */
  startNow(): boolean {
    if (this.running) return false;
    this.start();
    return true;
  }

  /** Called by the repair queue when a repair finished. */
  repairDone(task: RepairTask, committed: boolean): void {
    const hex = task.chunkId.toString('hex');
    if (!committed || !this.queuedByPass.delete(hex)) return;
    this.current = { ...this.current, repaired: this.current.repaired + 1 };
    if (!this.running && this.last !== undefined) this.last = { ...this.last, repaired: this.last.repaired + 1 };
  }

  /** Called on every leader turn: remembers when leadership began. */
  lead(): void {
    this.leaderSince ??= this.deps.clock();
  }

  /** Called when the node no longer leads: drops the pass under way and the last one (both stale now). */
  resign(): void {
    if (this.leaderSince === undefined) return;
    this.leaderSince = undefined;
    this.running = false;
    this.cursor = undefined;
    this.last = undefined;
    this.current = EMPTY;
    this.queuedByPass.clear();
  }

  /** Checks up to `budget` records; starts a pass when it is due. Returns how many were checked. */
  async turn(budget: number): Promise<number> {
    const { machine, clock } = this.deps;
    this.lead();
    if (!this.running) {
      const due = (this.last === undefined ? this.leaderSince! : this.last.finishedAt) + this.deps.intervalMs;
      if (clock() < due) return 0;
      this.start();
    }
    let checked = 0;
    while (checked < budget) {
      const page = machine.chunksInEpochBelow(Number.MAX_SAFE_INTEGER, Math.min(PARALLEL, budget - checked), this.cursor);
      if (page.length === 0) {
        this.finish();
        return checked;
      }
      await Promise.all(page.map((record) => this.check(record)));
      const lastRecord = page[page.length - 1]!;
      this.cursor = { epoch: lastRecord.sysEpoch, chunkId: lastRecord.chunkId };
      checked += page.length;
      this.current = { ...this.current, scanned: this.current.scanned + page.length };
    }
    return checked;
  }

  /** Checks one record now (also used by tests). */
  async check(record: ChunkRecord): Promise<SlotVerdict> {
    const { machine, liveness, pool } = this.deps;
    const slots = [...record.slots].sort((a, b) => a.shardIndex - b.shardIndex);
    const observations = await Promise.all(slots.map((slot) => this.observe(slot, { chunkId: record.chunkId, writeId: record.writeId, shardIndex: slot.shardIndex })));
    const states = new Map(machine.devices().map((d) => [`${d.nodeId}\u0000${d.deviceId}`, d.state]));
    const verdict = judgeSlots(record, observations, (s) => states.get(`${s.nodeId}\u0000${s.deviceId}`), spreadableNodes(clusterTopology(machine, liveness), pool));
    this.count(verdict);
    if (verdict.bad.length > 0) this.queueRepair(record, verdict);
    return verdict;
  }

  private async observe(slot: Slot, key: ShardKey): Promise<SlotObservation> {
    try {
      const presence = await this.deps.io.hasShard(slot, key);
      return presence.present ? { kind: 'present', length: presence.length } : { kind: 'absent' };
    } catch (err) {
      const code = err instanceof TesseraError ? err.code : undefined;
      if (code === ErrorCodes.DEVICE_UNAVAILABLE || code === ErrorCodes.UNKNOWN_DEVICE) return { kind: 'device-unavailable' };
      if (code === ErrorCodes.TRANSPORT_PEER_UNREACHABLE) this.deps.liveness.markDown(slot.nodeId);
      return { kind: 'unreachable' };
    }
  }

  private count(verdict: SlotVerdict): void {
    const c = this.current;
    const n = (problem: string): number => verdict.bad.filter((b) => b.problem === problem).length;
    this.current = {
      ...c,
      missing: c.missing + n('missing'),
      corrupt: c.corrupt + n('corrupt'),
      badDevice: c.badDevice + n('device') + n('evacuating'),
      unreachable: c.unreachable + verdict.unknown,
      underProtected: c.underProtected + (verdict.underProtected ? 1 : 0),
    };
  }

  private queueRepair(record: ChunkRecord, verdict: SlotVerdict): void {
    const slotOf = (shardIndex: number): Slot => {
      const s = record.slots.find((x) => x.shardIndex === shardIndex)!;
      return { nodeId: s.nodeId, deviceId: s.deviceId };
    };
    const knownBad = verdict.bad.filter((b) => b.problem === 'missing' || b.problem === 'corrupt').map((b) => b.shardIndex);
    const vacate = verdict.bad.filter((b) => b.problem === 'device' || b.problem === 'evacuating' || b.problem === 'crowded').map((b) => slotOf(b.shardIndex));
    const task: RepairTask = { chunkId: record.chunkId, writeId: record.writeId, judged: record.slots, reason: reasonOf(verdict), knownBad, vacate };
    if (this.deps.queue.enqueue(task)) {
      this.queuedByPass.add(record.chunkId.toString('hex'));
      this.current = { ...this.current, queued: this.current.queued + 1 };
    }
  }

  private start(): void {
    let total = 0;
    const top = Math.max(this.deps.systemEpoch() ?? 1, this.deps.machine.minDecryptEpoch()) + 1;
    for (let e = 0; e <= top; e++) total += this.deps.machine.chunksInEpoch(e);
    this.cursor = undefined;
    this.queuedByPass.clear();
    this.current = { ...EMPTY, total, startedAt: this.deps.clock() };
    this.running = true;
  }

  private finish(): void {
    this.current = { ...this.current, finishedAt: this.deps.clock() };
    this.last = this.current;
    this.running = false;
    this.passes++;
    const p = this.current;
    const fields = { scanned: p.scanned, missing: p.missing, corrupt: p.corrupt, badDevice: p.badDevice, unreachable: p.unreachable, underProtected: p.underProtected, queued: p.queued };
    // A clean pass is routine (debug); one that found something is worth a line.
    if (p.missing + p.corrupt + p.badDevice + p.unreachable + p.underProtected > 0) this.deps.logger.info('placement scrub pass finished', fields);
    else this.deps.logger.debug('placement scrub pass finished', fields);
  }
}

function reasonOf(verdict: SlotVerdict): RepairReason {
  const problems = new Set(verdict.bad.map((b) => b.problem));
  if (problems.has('missing')) return 'missing';
  if (problems.has('corrupt')) return 'corrupt';
  if (problems.has('device')) return 'device';
  if (problems.has('evacuating')) return 'evacuate';
  return 'under-protected';
}
