/**
 * One simulated replica: a `RaftCore` over a `MemoryRaftStorage` and a
 * hash-chain state machine, run by a miniature driver that follows the Ready
 * contract of types.ts — including the two-phase persist (write now, sync
 * later) that lets a crash land between a write and its fsync, and lets
 * messages be stepped while a Ready is being persisted.
 */
import { RaftCore } from '../core/core.js';
import { isCorrupt } from '../errors.js';
import { MemoryRaftStorage } from '../storage/memory.js';
import type { Entry, Message, MutationName, NodeId, RaftConfig, ReadState, Ready, Snapshot } from '../types.js';
import type { SimRng } from './rng.js';
import { ChainStateMachine, decodeSmSnapshot, type SmSnapshot } from './state-machine.js';

export interface NodeSettings {
  readonly electionTick: number;
  readonly heartbeatTick: number;
  readonly maxSizePerMsg: number;
  readonly maxInflightMsgs: number;
  readonly maxInflightBytes: number;
  readonly maxUncommittedEntriesSize: number;
  /** ADR 0024: the simulation flushes an owed commit broadcast on the next tick. */
  readonly deferCommitBroadcast?: boolean;
  readonly mutations: ReadonlySet<MutationName>;
}

/** What the node reports back to the simulation while processing a Ready. */
export interface NodeHooks {
  send(m: Message): void;
  applied(node: SimNode, e: Entry, prevIndex: number): void;
  restored(node: SimNode, s: Snapshot, sm: SmSnapshot): void;
  readState(node: SimNode, rs: ReadState): void;
  ready(node: SimNode, rd: Ready): void;
}

export class SimNode {
  core: RaftCore | undefined;
  readonly sm = new ChainStateMachine();
  /** A Ready written but not yet synced/sent/applied/advanced. */
  private persisting: Ready | undefined;
  /** Durable applied state (applied index and digest persist atomically with each apply). */
  private durableSm: SmSnapshot;

  constructor(
    readonly id: NodeId,
    readonly storage: MemoryRaftStorage,
    private readonly settings: NodeSettings,
    private readonly rng: SimRng,
  ) {
    const snap = storage.snapshot();
    this.sm.restore({ index: snap.metadata.index, digest: decodeSmSnapshot(snap.data).digest });
    this.durableSm = this.sm.snapshot();
  }

  get alive(): boolean {
    return this.core !== undefined;
  }

  start(): void {
    // The state machine restarts from its durable image; if the log holds a
    // newer snapshot (installed but not yet restored when we crashed), restore it.
    this.sm.restore(this.durableSm);
    const snap = this.storage.snapshot();
    if (snap.metadata.index > this.sm.index) {
      const sm = decodeSmSnapshot(snap.data);
      this.sm.restore({ index: snap.metadata.index, digest: sm.digest });
      this.durableSm = this.sm.snapshot();
    }
    const config: RaftConfig = {
      id: this.id,
      storage: this.storage,
      applied: this.sm.index,
      electionTick: this.settings.electionTick,
      heartbeatTick: this.settings.heartbeatTick,
      maxSizePerMsg: this.settings.maxSizePerMsg,
      maxInflightMsgs: this.settings.maxInflightMsgs,
      maxInflightBytes: this.settings.maxInflightBytes,
      maxUncommittedEntriesSize: this.settings.maxUncommittedEntriesSize,
      deferCommitBroadcast: this.settings.deferCommitBroadcast ?? false,
      random: (bound) => this.rng.below(bound),
      mutations: this.settings.mutations,
    };
    this.core = new RaftCore(config);
    this.persisting = undefined;
  }

  /** Power loss: un-synced writes and all volatile state vanish. */
  crash(): void {
    this.storage.crash();
    this.core = undefined;
    this.persisting = undefined;
  }

  isPersisting(): boolean {
    return this.persisting !== undefined;
  }

  /**
   * Takes a Ready (if any) and writes it. With `split`, stops after the
   * un-synced write: `finish` must be called later (a crash in between loses
   * the write, as a power failure would).
   */
  processReady(hooks: NodeHooks, split: boolean): boolean {
    const core = this.core;
    if (core === undefined || this.persisting !== undefined || !core.hasReady()) return false;
    const rd = core.ready();
    hooks.ready(this, rd);
    // A leader's own appends may go out while it persists.
    for (const m of rd.parallelMessages) hooks.send(m);
    this.storage.write({
      entries: rd.entries,
      ...(rd.hardState !== undefined ? { hardState: rd.hardState } : {}),
      ...(rd.snapshot !== undefined ? { snapshot: rd.snapshot } : {}),
    });
    this.persisting = rd;
    if (!split) this.finish(hooks);
    return true;
  }

  /** Completes a Ready: fsync, then send, apply and advance. */
  finish(hooks: NodeHooks): void {
    const rd = this.persisting;
    const core = this.core;
    if (rd === undefined || core === undefined) return;
    this.persisting = undefined;
    // A commit-only change is written but not synced (as etcd does).
    if (rd.mustSync) this.storage.sync();
    if (rd.snapshot !== undefined) {
      const sm = decodeSmSnapshot(rd.snapshot.data);
      this.sm.restore({ index: rd.snapshot.metadata.index, digest: sm.digest });
      this.durableSm = this.sm.snapshot();
      hooks.restored(this, rd.snapshot, sm);
    }
    for (const m of rd.messages) hooks.send(m);
    for (const e of rd.committedEntries) {
      const prev = this.sm.index;
      this.sm.apply(e);
      hooks.applied(this, e, prev);
    }
    this.durableSm = this.sm.snapshot();
    for (const rs of rd.readStates) hooks.readState(this, rs);
    core.advance(rd);
  }

  /** The state machine's snapshot at its applied index, recorded in storage; then compacts. */
  snapshotAndCompact(keep: number): boolean {
    const core = this.core;
    if (core === undefined || this.persisting !== undefined) return false;
    // A replica repairing a corrupt log may not even know its configuration
    // (the conf change may be in the corrupt entry): it snapshots nothing.
    if (core.status().corrupt) return false;
    const applied = this.sm.index;
    if (applied <= this.storage.snapshot().metadata.index) return false;
    if (applied > this.storage.lastIndex()) return false;
    const data = new TextEncoder().encode(JSON.stringify(this.sm.snapshot()));
    try {
      this.storage.createSnapshot(applied, core.confState(), data);
      this.storage.compact(Math.max(this.storage.firstIndex() - 1, applied - keep));
    } catch (err) {
      // The driver found a corrupt entry: the core goes into repair mode.
      if (!isCorrupt(err)) throw err;
      core.reportCorruption(applied);
      return false;
    }
    return true;
  }
}
