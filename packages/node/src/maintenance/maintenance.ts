/**
 * The node's maintenance (issue #8), started by the node process:
 *
 *  - on the metadata leader: the placement scrub (placement-scrub.ts), the
 *    repair queue it and evacuation feed (repair-queue.ts, repairer.ts,
 *    evacuation.ts), and re-encryption after a system-epoch rotation
 *    (reencrypt.ts), each rate-limited and re-checked every turn, so a new
 *    leader simply takes over (a pass restarts there); and the down-out of
 *    storage nodes unreachable for `downOutAfterMs` (down-out.ts);
 *  - on every node: the device scrub (device-scrub.ts) and the report of
 *    locally failed devices (device-health.ts).
 *
 * A chunk is never repaired and re-encrypted at the same time. Every loop
 * survives errors (logged at debug, retried next turn) and stops on stop().
 */
import type { Logger } from '@tessera/common';
import type { ShardIo, ShardStore } from '@tessera/storage';
import type { ChunkPipeline } from '../data/pipeline/index.js';
import type { NodeKeys } from '../data/node-keys.js';
import type { MetadataProposer } from '../data/proposer.js';
import type { MetadataMachine } from '../metadata/machine.js';
import { reportFailedDevices } from './device-health.js';
import { decideDownOut, UnreachableSince, type DownOutHeld } from './down-out.js';
import { DeviceScrubber, type DeviceScrubStatus } from './device-scrub.js';
import { Evacuator, type EvacuationStatus } from './evacuation.js';
import { PlacementScrub, type PlacementScrubProgress, type PresenceIo } from './placement-scrub.js';
import { Reencrypter, type ReencryptIo, type ReencryptProgress } from './reencrypt.js';
import { RepairQueue, type RepairHistoryEntry } from './repair-queue.js';
import { repairOne } from './repairer.js';
import { PLACEMENT_SCRUB_CHUNKS_PER_SEC, type MaintenanceSettings } from './settings.js';
import { NodeLiveness } from './topology.js';

const TURN_MS = 250;
const EVACUATION_EVERY_MS = 2_000;
const DEVICE_HEALTH_EVERY_MS = 1_000;

export type MaintenanceIo = ShardIo & PresenceIo & ReencryptIo;

export interface MaintenanceDeps {
  readonly nodeId: string;
  readonly machine: MetadataMachine;
  readonly proposer: Pick<MetadataProposer, 'propose' | 'isLeader'>;
  /** Linearizable read barrier (the leader's applied state is current after it). */
  readonly readBarrier: () => Promise<void>;
  readonly io: MaintenanceIo;
  readonly store: ShardStore;
  readonly pool: string;
  readonly settings: MaintenanceSettings;
  readonly clock: () => number;
  readonly logger: Logger;
  /** Re-encryption needs the node's keys and pipeline (absent without a key manager). */
  readonly keys?: Pick<NodeKeys, 'currentSystemEpoch' | 'readKeySet'>;
  readonly pipeline?: Pick<ChunkPipeline, 'open' | 'seal'>;
  /**
   * Down-out needs the profile (a pool must keep minNodesFor(k, m) nodes)
   * and the leader's Raft view of each member (absent: no down-out).
   */
  readonly downOut?: {
    readonly profile: { readonly k: number; readonly m: number };
    /** Members the leader heard from within the last election timeout (`recentActive`); empty on followers. */
    readonly raftProgress: () => ReadonlyMap<string, { readonly recentActive: boolean }>;
  };
}

export interface RepairStatus {
  readonly queued: number;
  readonly running: number;
  /** Finished repairs by `reason/outcome`. */
  readonly counts: Readonly<Record<string, number>>;
  readonly history: readonly RepairHistoryEntry[];
}

export interface MaintenanceStatus {
  readonly leader: boolean;
  readonly placementScrub: PlacementScrubProgress & { readonly passes: number };
  readonly repairs: RepairStatus;
  readonly evacuations: readonly EvacuationStatus[];
  readonly reencryption: ReencryptProgress | undefined;
  readonly deviceScrub: DeviceScrubStatus;
}

export class Maintenance {
  readonly queue: RepairQueue;
  readonly placementScrub: PlacementScrub;
  readonly evacuator: Evacuator;
  readonly reencrypter: Reencrypter | undefined;
  readonly deviceScrubber: DeviceScrubber;
  readonly liveness: NodeLiveness;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly abort = new AbortController();
  private readonly loops: Array<Promise<void>> = [];
  private stopped = false;
  private lastScrubTurn = 0;
  private lastEvacuation = 0;
  private reencryptTokens = 0;
  private lastReencryptTurn = 0;
  /** Whether a device scrub round runs now, and how to cut its rest short (Admin StartScrub). */
  private deviceScrubBusy = false;
  private wakeDeviceScrub: (() => void) | undefined;
  private readonly unreachable = new UnreachableSince();
  /** Nodes downed out by this process as leader (metric), and held ones already logged. */
  private nodesDownedOut = 0;
  private readonly heldLogged = new Set<string>();

  constructor(private readonly deps: MaintenanceDeps) {
    this.liveness = new NodeLiveness(deps.nodeId, deps.clock);
    const busy = (chunkId: Uint8Array): boolean => this.reencrypter?.holds(chunkId) === true;
    this.queue = new RepairQueue(
      (task) => repairOne({ machine: deps.machine, proposer: deps.proposer, readBarrier: deps.readBarrier, io: deps.io, liveness: this.liveness, pool: deps.pool, clock: deps.clock, logger: deps.logger, busy }, task),
      { concurrency: deps.settings.repairConcurrency, clock: deps.clock, onDone: (task, report) => this.placementScrub.repairDone(task, report.outcome === 'ok') },
    );
    this.placementScrub = new PlacementScrub({
      machine: deps.machine,
      io: deps.io,
      queue: this.queue,
      liveness: this.liveness,
      pool: deps.pool,
      clock: deps.clock,
      logger: deps.logger,
      intervalMs: deps.settings.placementScrubIntervalMs,
      systemEpoch: () => deps.keys?.currentSystemEpoch(),
    });
    this.evacuator = new Evacuator({ machine: deps.machine, queue: this.queue, logger: deps.logger });
    this.reencrypter =
      deps.keys !== undefined && deps.pipeline !== undefined
        ? new Reencrypter({
            machine: deps.machine,
            proposer: deps.proposer,
            readBarrier: deps.readBarrier,
            io: deps.io,
            keys: deps.keys,
            pipeline: deps.pipeline,
            liveness: this.liveness,
            pool: deps.pool,
            clock: deps.clock,
            logger: deps.logger,
            busy: (chunkId) => this.queue.has(chunkId),
            needsRepair: (record) => void this.placementScrub.check(record).catch(() => undefined),
          })
        : undefined;
    this.deviceScrubber = new DeviceScrubber({ store: deps.store, bytesPerSec: deps.settings.scrubBytesPerSec, logger: deps.logger });
  }

  start(): void {
    this.every(TURN_MS, () => this.leaderTurn());
    if (this.reencrypter !== undefined && this.deps.settings.reencryptChunksPerSec > 0) this.every(TURN_MS, () => this.reencryptTurn());
    this.every(DEVICE_HEALTH_EVERY_MS, () => reportFailedDevices({ nodeId: this.deps.nodeId, store: this.deps.store, machine: this.deps.machine, proposer: this.deps.proposer, clock: this.deps.clock, logger: this.deps.logger }).then(() => undefined));
    if (this.deps.settings.scrubBytesPerSec > 0) this.loops.push(this.deviceScrubLoop());
    // On its own timer: a long placement-scrub turn must not leave gaps in the reachability samples.
    if (this.deps.downOut !== undefined && this.deps.settings.downOutAfterMs > 0) this.every(TURN_MS, () => this.downOutTurn());
  }

  /** Storage nodes this process marked down (their devices failed) while leading. */
  downOutCount(): number {
    return this.nodesDownedOut;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.splice(0)) clearInterval(t);
    this.abort.abort();
    this.queue.stop();
    await Promise.all(this.loops.splice(0));
    await this.queue.idle();
  }

  status(): MaintenanceStatus {
    return {
      leader: this.deps.proposer.isLeader(),
      placementScrub: { ...this.placementScrub.progress(), passes: this.placementScrub.passesCompleted() },
      repairs: { queued: this.queue.length, running: this.queue.active, counts: Object.fromEntries(this.queue.counters()), history: this.queue.history() },
      evacuations: this.evacuator.status(),
      reencryption: this.reencrypter?.progress(),
      deviceScrub: this.deviceScrubber.status(),
    };
  }

  /** Admin StartScrub: a placement scrub pass now (it runs on the leader's turns); false when one runs already. */
  startPlacementScrub(): boolean {
    return this.placementScrub.startNow();
  }

  /** Admin StartScrub: ends the device scrub's rest so a round starts now. */
  startDeviceScrub(): 'started' | 'running' | 'disabled' {
    const state = this.deviceScrubState();
    if (state !== 'resting') return state;
    this.wakeDeviceScrub?.();
    return 'started';
  }

  deviceScrubState(): 'disabled' | 'running' | 'resting' {
    if (this.deps.settings.scrubBytesPerSec <= 0 || this.stopped) return 'disabled';
    return this.deviceScrubBusy ? 'running' : 'resting';
  }

  /** Placement scrub (budgeted by the time since the last turn) and evacuation; leader only. */
  async leaderTurn(): Promise<void> {
    if (!this.deps.proposer.isLeader()) {
      this.lastScrubTurn = 0;
      this.placementScrub.resign();
      return;
    }
    this.placementScrub.lead();
    await this.deps.readBarrier();
    const now = this.deps.clock();
    if (now - this.lastEvacuation >= EVACUATION_EVERY_MS) {
      this.lastEvacuation = now;
      this.evacuator.turn();
    }
    const elapsed = this.lastScrubTurn === 0 ? TURN_MS : Math.min(now - this.lastScrubTurn, 4 * TURN_MS);
    this.lastScrubTurn = now;
    await this.placementScrub.turn(Math.max(1, Math.floor((PLACEMENT_SCRUB_CHUNKS_PER_SEC * elapsed) / 1000)));
  }

  /**
   * Samples the leader's Raft view of every storage node and marks the
   * devices of those silent for `downOutAfterMs` failed (down-out.ts), through
   * the same validated metadata command as Admin SetDeviceState; leader only.
   */
  async downOutTurn(): Promise<void> {
    const downOut = this.deps.downOut;
    if (downOut === undefined || !this.deps.proposer.isLeader()) {
      this.unreachable.reset();
      this.heldLogged.clear();
      return;
    }
    const { machine, nodeId: leaderId } = this.deps;
    const progress = downOut.raftProgress();
    const devices = machine.devices();
    const now = this.deps.clock();
    this.unreachable.observe(now, new Set([...machine.nodes().map((n) => n.nodeId), ...devices.map((d) => d.nodeId)]), (id) => id === leaderId || progress.get(id)?.recentActive === true);
    const input = { leaderId, afterMs: this.deps.settings.downOutAfterMs, k: downOut.profile.k, m: downOut.profile.m, unreachableSince: (id: string) => this.unreachable.get(id) };
    const sampled = decideDownOut({ ...input, now, devices });
    if (sampled.downOut.length === 0) {
      this.logHeld(sampled.held);
      return;
    }
    // Decide again on the current committed table before proposing anything.
    await this.deps.readBarrier();
    const decision = decideDownOut({ ...input, now, devices: machine.devices() });
    this.logHeld(decision.held);
    for (const node of decision.downOut) {
      let failed = 0;
      for (const deviceId of node.deviceIds) {
        const result = await this.deps.proposer.propose({ op: 'setDeviceState', timeMs: this.deps.clock(), nodeId: node.nodeId, deviceId, state: 'failed' });
        if (result.kind === 'error') this.deps.logger.warn('down-out: could not mark a device failed', { peerNode: node.nodeId, device: deviceId, errorCode: result.code });
        else failed++;
      }
      if (failed === 0) continue;
      this.nodesDownedOut++;
      this.heldLogged.delete(node.nodeId);
      this.deps.logger.info('node down-out: unreachable from the metadata leader too long, its devices are marked failed and their shards rebuilt elsewhere', {
        peerNode: node.nodeId,
        devices: node.deviceIds.join(','),
        unreachableMs: node.unreachableMs,
      });
    }
  }

  /** Logs each held node once (until it is downed out or leadership changes). */
  private logHeld(held: readonly DownOutHeld[]): void {
    for (const h of held) {
      if (this.heldLogged.has(h.nodeId)) continue;
      this.heldLogged.add(h.nodeId);
      this.deps.logger.warn('node unreachable past the down-out interval but kept: its pool would be left with too few nodes', { peerNode: h.nodeId, pool: h.pool, nodesLeft: h.nodesLeft, nodesNeeded: h.nodesNeeded });
    }
  }

  /** Re-encryption at `reencryptChunksPerSec` (a token bucket holding at most one second's worth); leader only. */
  async reencryptTurn(): Promise<void> {
    const rate = this.deps.settings.reencryptChunksPerSec;
    const now = this.deps.clock();
    const elapsed = this.lastReencryptTurn === 0 ? TURN_MS : now - this.lastReencryptTurn;
    this.lastReencryptTurn = now;
    if (this.reencrypter === undefined || !this.deps.proposer.isLeader()) {
      this.reencryptTokens = 0;
      return;
    }
    this.reencryptTokens = Math.min(Math.max(1, rate), this.reencryptTokens + (rate * elapsed) / 1000);
    const budget = Math.floor(this.reencryptTokens);
    if (budget < 1) return;
    await this.deps.readBarrier();
    const attempted = await this.reencrypter.turn(budget);
    this.reencryptTokens -= attempted;
  }

  private every(ms: number, fn: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      fn()
        .catch((err: unknown) => this.deps.logger.debug('maintenance turn deferred', { errorCode: (err as { code?: string }).code ?? 'UNKNOWN' }))
        .finally(() => (busy = false));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private async deviceScrubLoop(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      this.deviceScrubBusy = true;
      try {
        await this.deviceScrubber.round(signal);
      } catch (err) {
        this.deps.logger.debug('device scrub round failed', { errorCode: (err as { code?: string }).code ?? 'UNKNOWN' });
      } finally {
        this.deviceScrubBusy = false;
      }
      await rest(Math.max(1_000, this.deps.settings.placementScrubIntervalMs), signal, (wake) => (this.wakeDeviceScrub = wake));
      this.wakeDeviceScrub = undefined;
    }
  }
}

/** Waits `ms`, or until aborted, or until the function handed to `onWake` is called. */
function rest(ms: number, signal: AbortSignal, onWake?: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref();
    onWake?.(done);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
