/**
 * `RaftNode`: the driver that runs the pure core against real storage, a
 * transport, a state machine and timers (DESIGN section 4).
 *
 * One loop owns the core. Inputs (ticks, received messages, proposals, reads,
 * peer reports) are queued and drained between Readies, so the core is never
 * touched while a Ready is being persisted; whatever arrives during an fsync
 * lands in the next Ready — that is the group commit: one synced batch per
 * Ready, however many proposals it carries.
 *
 * Per Ready, in order (the persistence rule, etcd's):
 *   1. send `parallelMessages` (the leader's appends go out while it writes;
 *      the core counts the leader's own entries only in `advance`, i.e. after
 *      its fsync);
 *   2. persist snapshot + entries + hard state as one batch (synced when
 *      `mustSync`; a hard state that only moved the commit index waits for
 *      the next batch); restore the state machine from a received snapshot;
 *   3. only now send `messages` (votes, acks: never before they are durable);
 *   4. apply committed entries (skipping any the state machine already has):
 *      those below the first entry the Ready writes are durable already and
 *      are applied while step 2's write is in flight; the rest after it;
 *   5. hand read states to waiting readers; 6. `advance`; then settle
 *      reads and configuration changes (data proposals are answered as soon
 *      as applied) and take a snapshot if the log has grown enough.
 * A storage failure stops the node: it sends nothing more and acknowledges
 * nothing that needed the failed write (results of entries committed and
 * applied before it are final and may already be answered).
 */
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ErrorCodes, TesseraError, toTesseraError } from '@tessera/common';
import { RaftCore as PureRaftCore } from '../core/core.js';
import type { LevelRaftStorage } from '../storage/level.js';
import type { RaftEnvelope, Transport } from '../transport/types.js';
import {
  MessageType,
  StateRole,
  type ConfChange,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
  type ProposalOutcome,
  type RaftConfig,
  type RaftLogger,
  type RandomInt,
  type Ready,
  type RequestOutcome,
  type SoftState,
} from '../types.js';
import type { ConfChangeOptions, RaftCorePort, RaftCoreFactory } from './core-port.js';
import { NotLeaderError, RejectedError, UnknownOutcomeError, stoppedError, timeoutError, type UnknownCause } from './errors.js';
import type { StateMachine } from './state-machine.js';
import { trace, tracing } from './trace.js';

/** Message types accepted from a sender this replica has not yet seen added (see `accept`). */
const ADMITTED_FROM_UNKNOWN_MEMBER: ReadonlySet<MessageType> = new Set<MessageType>([
  MessageType.App,
  MessageType.Heartbeat,
  MessageType.Snap,
]);

export interface RaftNodeOptions<Result> {
  readonly group: number;
  readonly storage: LevelRaftStorage;
  readonly transport: Transport;
  readonly stateMachine: StateMachine<Result>;
  /** Default: the package's pure core. */
  readonly createCore?: RaftCoreFactory;
  /** Milliseconds per tick. Default 100 (DESIGN section 4). */
  readonly tickMs?: number;
  /** Default 10 ticks (randomised up to twice that by the core). */
  readonly electionTick?: number;
  /** Default 1 tick. */
  readonly heartbeatTick?: number;
  /** Take a snapshot once this many entries were applied since the last one. Default 10,000. */
  readonly snapshotEntries?: number;
  /** Entries kept below a new snapshot so a slightly slow follower needs no snapshot. Default 1,000. */
  readonly retainEntries?: number;
  /** A proposal without a result after this long rejects with Unknown. Default 30 s. */
  readonly proposalTimeoutMs?: number;
  /** A read without an answer after this long rejects with RAFT_TIMEOUT. Default 10 s. */
  readonly readTimeoutMs?: number;
  /**
   * ADR 0024: when the commit index moves, followers learn it from the next
   * append, or from an append sent this many milliseconds later if none
   * followed. Default 5; 0 broadcasts at once (etcd's behaviour).
   */
  readonly commitBroadcastDelayMs?: number;
  readonly random?: RandomInt;
  readonly logger?: RaftLogger;
  /** Further core settings (message and in-flight budgets, ...). */
  readonly coreConfig?: Partial<Omit<RaftConfig, 'id' | 'storage' | 'applied' | 'random' | 'electionTick' | 'heartbeatTick'>>;
}

export interface RaftNodeStats {
  readies: number;
  /** Batches written with `sync: true`. */
  syncedBatches: number;
  /** Entries persisted through Readies (entries per fsync = this / syncedBatches). */
  entriesPersisted: number;
  entriesApplied: number;
  messagesSent: number;
  /** Messages the transport refused (queue full, peer down): reported unreachable. */
  messagesDropped: number;
  /** Received messages refused for a wrong cluster id, incarnation id or membership. */
  messagesRefused: number;
  snapshotsCreated: number;
  snapshotsInstalled: number;
  /** Times this replica learnt of a new leader (a different, known one). */
  leaderChanges: number;
  /** This node's proposals (data and configuration) by how they ended. */
  proposalsApplied: number;
  /** Refused before append: not the leader. */
  proposalsNotLeader: number;
  /** Refused before append by the core (e.g. a pending configuration change, budgets). */
  proposalsRejected: number;
  /** Appended but ended without a result (leader change, timeout, overwritten, stop). */
  proposalsUnknown: number;
}

/**
 * Timing hooks for metrics (`observe`). Called on the driver's loop: keep
 * them cheap (a histogram observation), never throwing.
 */
export interface RaftNodeObserver {
  /** A Ready persisted with `sync: true`: seconds the synced write took. */
  readonly onSync?: (seconds: number) => void;
  /** One of this node's proposals applied here: seconds from `propose` to its result. */
  readonly onCommit?: (seconds: number) => void;
}

export interface RaftNodeStatus {
  readonly id: NodeId;
  readonly role: StateRole;
  /** The leader's id, or '' when unknown. */
  readonly lead: NodeId;
  readonly term: number;
  readonly commit: number;
  readonly applied: number;
  readonly confState: ConfState;
}

/**
 * Entries deleted per compaction batch: compaction runs a chunk per loop turn
 * between Readies, so deleting thousands of keys never stalls commits for long.
 */
const COMPACTION_CHUNK = 1_000;

/** ADR 0024: how long a commit advance may wait for an append to carry it. */
const DEFAULT_COMMIT_BROADCAST_DELAY_MS = 5;

/** At most this many ticks are delivered at once after the loop was busy (a long fsync). */
const MAX_PENDING_TICKS = 3;

interface PendingProposal<Result> {
  readonly index: number;
  readonly term: number;
  readonly confChange: boolean;
  /** performance.now() when `propose` was called (commit latency). */
  readonly startedAt: number;
  readonly resolve: (value: Result | ConfState) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** What `apply` hands back: when to settle the proposals it applied. */
interface AppliedBatch {
  /** Settles data proposals (final once applied). */
  readonly answerNow: () => void;
  /** Settles everything not settled yet (configuration changes: after `advance`). */
  readonly afterAdvance: () => void;
  /** Ends everything not settled yet Unknown (the Ready's write failed). */
  readonly fail: () => void;
}

interface ReadWaiter {
  readonly resolve: (index: number) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
  /** Answered, refused or timed out. */
  done: boolean;
}

/** One ReadIndex request to the core, shared by every read waiting when it was issued. */
interface PendingRead {
  readonly waiters: ReadWaiter[];
  /** Set once the core answered with a read index. */
  index?: number;
}

type Input =
  | { readonly kind: 'message'; readonly envelope: RaftEnvelope }
  | { readonly kind: 'propose'; readonly data: Uint8Array; readonly settle: Settle<unknown>; readonly startedAt: number }
  | { readonly kind: 'confChange'; readonly change: ConfChange; readonly options: ConfChangeOptions; readonly settle: Settle<ConfState>; readonly startedAt: number }
  | { readonly kind: 'read'; readonly settle: Settle<number> }
  | { readonly kind: 'transfer'; readonly to: NodeId; readonly settle: Settle<void> }
  | { readonly kind: 'unreachable'; readonly to: NodeId }
  | { readonly kind: 'snapshotStatus'; readonly to: NodeId; readonly ok: boolean };

interface Settle<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (err: Error) => void;
}

export class RaftNode<Result = unknown> {
  readonly id: NodeId;
  readonly group: number;
  readonly stats: RaftNodeStats = {
    readies: 0,
    syncedBatches: 0,
    entriesPersisted: 0,
    entriesApplied: 0,
    messagesSent: 0,
    messagesDropped: 0,
    messagesRefused: 0,
    snapshotsCreated: 0,
    snapshotsInstalled: 0,
    leaderChanges: 0,
    proposalsApplied: 0,
    proposalsNotLeader: 0,
    proposalsRejected: 0,
    proposalsUnknown: 0,
  };

  private readonly storage: LevelRaftStorage;
  private readonly transport: Transport;
  private readonly sm: StateMachine<Result>;
  private readonly core: RaftCorePort;
  private readonly snapshotEntries: number;
  private readonly retainEntries: number;
  private readonly proposalTimeoutMs: number;
  private readonly readTimeoutMs: number;
  private readonly electionTimeoutMs: number;
  private readonly commitBroadcastDelayMs: number;
  /** Armed while the core owes the followers a commit broadcast (ADR 0024). */
  private commitBroadcastTimer: NodeJS.Timeout | undefined;
  private commitBroadcastDue = false;
  private readonly logger: RaftLogger | undefined;

  private inbox: Input[] = [];
  private ticksPending = 0;
  private wakeup: (() => void) | undefined;
  private readonly ticker: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly loop: Promise<void>;
  private stopping = false;
  private failure: TesseraError | undefined;

  /** The cluster id in use ('' until a joining member hears its leader). */
  private clusterId: string;
  private soft: SoftState = { lead: '', role: StateRole.Follower };
  private hard: HardState;
  private applied: number;
  private readonly proposals = new Map<number, PendingProposal<Result>>();
  private readonly reads = new Map<string, PendingRead>();
  /** Reads that arrived while a ReadIndex round was still unanswered: they share the next round. */
  private waitingReads: ReadWaiter[] = [];
  /** The ctx (hex) of the round awaiting its read index, if any. */
  private readInFlight: string | undefined;
  /** Ticks the round in flight has waited; after `readRetryTicks` the next round goes anyway (its messages may be lost). */
  private readInFlightTicks = 0;
  private readonly readRetryTicks: number;
  private readonly transfers: Array<{ to: NodeId; settle: Settle<void>; timer: NodeJS.Timeout }> = [];
  private readonly observers = new Set<RaftNodeObserver>();
  /** The latest hard state that only moved the commit index, not yet written (see `persist`). */
  private unsavedHardState: HardState | undefined;
  /** Compact the log up to here, a chunk at a time (set when a snapshot is taken). */
  private compactTarget = 0;
  private readSeq = 0n;
  private readonly readPrefix = randomInt(0x7fff_ffff);

  private constructor(options: RaftNodeOptions<Result>, applied: number) {
    this.storage = options.storage;
    this.transport = options.transport;
    this.sm = options.stateMachine;
    this.group = options.group;
    this.id = options.storage.identity().nodeId;
    this.clusterId = options.storage.identity().clusterId;
    const tickMs = options.tickMs ?? 100;
    const electionTick = options.electionTick ?? 10;
    this.snapshotEntries = options.snapshotEntries ?? 10_000;
    this.retainEntries = options.retainEntries ?? 1_000;
    this.proposalTimeoutMs = options.proposalTimeoutMs ?? 30_000;
    this.readTimeoutMs = options.readTimeoutMs ?? 10_000;
    this.readRetryTicks = electionTick;
    this.electionTimeoutMs = tickMs * electionTick * 2;
    this.commitBroadcastDelayMs = options.commitBroadcastDelayMs ?? DEFAULT_COMMIT_BROADCAST_DELAY_MS;
    this.logger = options.logger;
    this.applied = applied;
    this.hard = this.storage.initialState().hardState;
    const createCore = options.createCore ?? ((config: RaftConfig) => new PureRaftCore(config));
    this.core = createCore({
      deferCommitBroadcast: this.commitBroadcastDelayMs > 0,
      ...options.coreConfig,
      id: this.id,
      electionTick,
      heartbeatTick: options.heartbeatTick ?? 1,
      storage: this.storage,
      applied,
      random: options.random ?? ((bound: number) => randomInt(bound)),
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
    });
    // Records that failed their checksum when the store was loaded: the core
    // stops voting and asks for a snapshot (DESIGN section 4).
    const corrupt = this.storage.corruptIndexes()[0];
    if (corrupt !== undefined) this.core.reportCorruption(corrupt);
    this.unsubscribe = this.transport.subscribe(this.group, (envelope) => this.enqueue({ kind: 'message', envelope }));
    this.ticker = setInterval(() => {
      this.ticksPending = Math.min(this.ticksPending + 1, MAX_PENDING_TICKS);
      this.wake();
    }, tickMs);
    this.ticker.unref();
    this.loop = this.run();
  }

  /**
   * Starts a node: brings the state machine up to the store's snapshot when it
   * is behind it (a fresh member, or an apply lost in a crash after the log was
   * compacted), then starts the core at the state machine's applied index.
   */
  static async start<Result>(options: RaftNodeOptions<Result>): Promise<RaftNode<Result>> {
    const { storage, stateMachine } = options;
    if (storage.identity().nodeId !== options.transport.localId) {
      throw new TesseraError(ErrorCodes.RAFT_BAD_CONFIG, 'transport and storage belong to different node ids');
    }
    // Only a state machine behind the snapshot needs (and verifies) its data.
    if (stateMachine.appliedIndex() < storage.snapshotMetadata().index) await stateMachine.restore(storage.snapshot());
    const applied = stateMachine.appliedIndex();
    if (applied > storage.lastIndex()) {
      throw new TesseraError(ErrorCodes.RAFT_STORAGE, 'state machine is ahead of the raft log');
    }
    // The commit index is saved without a sync when it alone moved, so a crash
    // can leave it below what the state machine applied; entries are only
    // applied once committed, so raising it is safe.
    const hs = storage.initialState().hardState;
    if (applied > hs.commit) await storage.save({ hardState: { ...hs, commit: applied }, entries: [] });
    return new RaftNode(options, applied);
  }

  // ----- public API -----

  /**
   * Proposes `data`. Resolves with the state machine's result once applied
   * here. Rejects with NotLeaderError / RejectedError only when nothing was
   * appended; with UnknownOutcomeError (RAFT_UNKNOWN_OUTCOME) for anything
   * after append that is not a result — leader change, stop, timeout: the
   * entry may still commit.
   */
  propose(data: Uint8Array): Promise<Result> {
    if (tracing) trace('propose', { node: this.id });
    return new Promise<Result>((resolve, reject) => {
      this.enqueue({ kind: 'propose', data: Uint8Array.from(data), settle: { resolve: resolve as (v: unknown) => void, reject }, startedAt: performance.now() });
    });
  }

  /** Proposes a membership change; resolves with the configuration once it is applied. */
  proposeConfChange(change: ConfChange, options: ConfChangeOptions = {}): Promise<ConfState> {
    return new Promise<ConfState>((resolve, reject) => {
      if ((change.type === 'addLearner' || change.type === 'addVoter') && (change.incarnationId === undefined || change.address === undefined)) {
        reject(new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'adding a member needs its incarnation id and address'));
        return;
      }
      this.enqueue({ kind: 'confChange', change, options, settle: { resolve, reject }, startedAt: performance.now() });
    });
  }

  /**
   * A linearizable read barrier: resolves with the read index once this
   * node's state machine has applied at least that far; read local state
   * after it resolves. Rejects with NotLeaderError when leadership is lost
   * meanwhile, RAFT_TIMEOUT when no answer comes.
   */
  readIndex(): Promise<number> {
    return new Promise<number>((resolve, reject) => this.enqueue({ kind: 'read', settle: { resolve, reject } }));
  }

  /** Asks the leader to hand leadership to `to`; resolves when this node sees `to` lead. */
  transferLeader(to: NodeId): Promise<void> {
    return new Promise<void>((resolve, reject) => this.enqueue({ kind: 'transfer', to, settle: { resolve, reject } }));
  }

  /** Adds timing hooks (metrics); returns a function that removes them. */
  observe(observer: RaftNodeObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** A metrics hook that throws must not stop consensus. */
  private notify(call: (observer: RaftNodeObserver) => void): void {
    for (const o of this.observers) {
      try {
        call(o);
      } catch {
        // ignored: observers are best-effort instrumentation
      }
    }
  }

  status(): RaftNodeStatus {
    return { id: this.id, role: this.soft.role, lead: this.soft.lead, term: this.hard.term, commit: this.hard.commit, applied: this.applied, confState: this.core.confState() };
  }

  /** Why the node stopped on its own (storage failure), if it did. */
  get failed(): TesseraError | undefined {
    return this.failure;
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /**
   * Stops the loop after the Ready in progress (if any) completes. Queued
   * requests reject with RAFT_STOPPED (nothing was appended); appended
   * proposals reject with Unknown.
   */
  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.wake();
    }
    await this.loop;
  }

  // ----- the loop -----

  private enqueue(input: Input): void {
    if (this.stopping) {
      if ('settle' in input) input.settle.reject(this.failure ?? stoppedError());
      return;
    }
    this.inbox.push(input);
    this.wake();
  }

  private wake(): void {
    const wake = this.wakeup;
    this.wakeup = undefined;
    wake?.();
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopping) {
        if (this.inbox.length === 0 && this.ticksPending === 0 && !this.commitBroadcastDue && !this.core.hasReady() && !this.compactionPending()) {
          await new Promise<void>((resolve) => {
            this.wakeup = resolve;
          });
          continue;
        }
        this.drainInputs();
        if (this.core.hasReady()) {
          const rd = this.core.ready();
          const settled = await this.handleReady(rd);
          this.core.advance(rd);
          for (const settle of settled) settle();
          if (tracing) trace('advanced', { node: this.id });
          await this.maybeSnapshot();
        }
        this.scheduleCommitBroadcast();
        await this.compactStep();
      }
    } catch (err) {
      this.failure = toTesseraError(err);
      this.logger?.warn('raft node stopped on error', { code: this.failure.code });
      this.stopping = true;
    } finally {
      clearTimeout(this.commitBroadcastTimer);
      await this.saveCommitOnStop();
      this.shutDown();
    }
  }

  private drainInputs(): void {
    const ticks = this.ticksPending;
    this.ticksPending = 0;
    for (let i = 0; i < ticks; i++) this.core.tick();
    if (ticks > 0) this.retryReadRound(ticks);
    const inputs = this.inbox;
    this.inbox = [];
    let batch: Array<Extract<Input, { kind: 'propose' }>> = [];
    for (const input of inputs) {
      if (input.kind === 'propose') {
        batch.push(input);
        continue;
      }
      if (batch.length > 0) this.proposeBatch(batch);
      batch = [];
      this.handleInput(input);
    }
    if (batch.length > 0) this.proposeBatch(batch);
    this.startReadRound();
    // After the proposals: their appends, if any, carry the commit index instead.
    if (this.commitBroadcastDue) {
      this.commitBroadcastDue = false;
      this.core.flushCommitBroadcast();
    }
  }

  /**
   * ADR 0024: arms the timer while a commit broadcast is owed and disarms it
   * once an append has carried the commit index (the common case under load:
   * the next proposal's append goes out well before the timer fires).
   */
  private scheduleCommitBroadcast(): void {
    if (!this.core.commitBroadcastOwed()) {
      if (this.commitBroadcastTimer !== undefined) {
        clearTimeout(this.commitBroadcastTimer);
        this.commitBroadcastTimer = undefined;
      }
      return;
    }
    if (this.commitBroadcastTimer !== undefined) return;
    this.commitBroadcastTimer = setTimeout(() => {
      this.commitBroadcastTimer = undefined;
      this.commitBroadcastDue = true;
      this.wake();
    }, this.commitBroadcastDelayMs);
  }

  /** Consecutive proposals go to the core together: one append, consecutive indexes. */
  private proposeBatch(batch: ReadonlyArray<Extract<Input, { kind: 'propose' }>>): void {
    const outcome = this.core.proposeMany(batch.map((p) => p.data));
    batch.forEach((p, i) => {
      const settle = p.settle as Settle<Result | ConfState>;
      if (outcome.kind !== 'appended') this.track(outcome, false, settle, p.startedAt);
      else this.track({ kind: 'appended', index: outcome.index + i, term: outcome.term }, false, settle, p.startedAt);
    });
  }

  private handleInput(input: Input): void {
    switch (input.kind) {
      case 'message':
        if (tracing) trace('step', { node: this.id, from: input.envelope.message.from, type: input.envelope.message.type, n: input.envelope.message.entries.length, index: input.envelope.message.index });
        if (this.accept(input.envelope)) this.core.step(input.envelope.message);
        else this.stats.messagesRefused++;
        return;
      case 'propose':
        this.proposeBatch([input]);
        return;
      case 'confChange':
        this.track(this.core.proposeConfChange(input.change, input.options), true, input.settle as Settle<Result | ConfState>, input.startedAt);
        return;
      case 'read':
        this.startRead(input.settle);
        return;
      case 'transfer':
        this.startTransfer(input.to, input.settle);
        return;
      case 'unreachable':
        this.core.reportUnreachable(input.to);
        return;
      case 'snapshotStatus':
        this.core.reportSnapshot(input.to, input.ok);
        return;
    }
  }

  private track(outcome: ProposalOutcome, confChange: boolean, settle: Settle<Result | ConfState>, startedAt: number): void {
    if (outcome.kind === 'notLeader') {
      this.stats.proposalsNotLeader++;
      settle.reject(new NotLeaderError(outcome.leader === '' ? undefined : outcome.leader));
      return;
    }
    if (outcome.kind === 'rejected') {
      this.stats.proposalsRejected++;
      settle.reject(new RejectedError(outcome.reason));
      return;
    }
    const { index, term } = outcome;
    // The index can only come round again if our earlier entry there was
    // truncated by another leader's log.
    this.failProposal(index, 'overwritten');
    const timer = setTimeout(() => this.failProposal(index, 'timeout'), this.proposalTimeoutMs);
    timer.unref();
    this.proposals.set(index, { index, term, confChange, startedAt, resolve: settle.resolve, reject: settle.reject, timer });
  }

  private failProposal(index: number, why: UnknownCause): void {
    const p = this.proposals.get(index);
    if (p === undefined) return;
    this.proposals.delete(index);
    clearTimeout(p.timer);
    this.stats.proposalsUnknown++;
    p.reject(new UnknownOutcomeError(why, index));
  }

  private failAllProposals(why: UnknownCause, upTo = Number.POSITIVE_INFINITY): void {
    for (const index of [...this.proposals.keys()]) if (index <= upTo) this.failProposal(index, why);
  }

  /**
   * Reads are batched as etcd's server batches them: one ReadIndex round (one
   * heartbeat to the quorum) at a time, shared by every read that arrived
   * before it was issued. A read arriving while a round is unanswered waits
   * for the next round — joining the current one could return an index from
   * before a write that completed before the read began.
   */
  private startRead(settle: Settle<number>): void {
    const waiter: ReadWaiter = {
      resolve: settle.resolve,
      reject: settle.reject,
      done: false,
      timer: setTimeout(() => {
        if (waiter.done) return;
        waiter.done = true;
        settle.reject(timeoutError('read index'));
      }, this.readTimeoutMs),
    };
    waiter.timer.unref();
    // The round starts once this drain of the inbox is over (drainInputs), with every read it brought.
    this.waitingReads.push(waiter);
  }

  /** Issues one ReadIndex for every waiting read, unless a round is still unanswered. */
  private startReadRound(): void {
    if (this.readInFlight !== undefined || this.waitingReads.length === 0) return;
    const waiters = this.waitingReads.filter((w) => !w.done);
    this.waitingReads = [];
    if (waiters.length === 0) return;
    const ctx = Buffer.alloc(12);
    ctx.writeUInt32BE(this.readPrefix, 0);
    ctx.writeBigUInt64BE(this.readSeq++, 4);
    const outcome: RequestOutcome = this.core.readIndex(ctx);
    if (outcome.kind !== 'accepted') {
      const err = outcome.kind === 'notLeader' ? new NotLeaderError(outcome.leader === '' ? undefined : outcome.leader) : new RejectedError(outcome.reason);
      for (const w of waiters) finishRead(w, (x) => x.reject(err));
      return;
    }
    const key = ctx.toString('hex');
    this.reads.set(key, { waiters });
    this.readInFlight = key;
    this.readInFlightTicks = 0;
  }

  /**
   * A round unanswered for an election timeout (its request or answer lost, a
   * leader that cannot serve reads yet) stops holding the next one back; it
   * stays registered, so a late answer still settles its own reads.
   */
  private retryReadRound(ticks: number): void {
    if (this.readInFlight === undefined) return;
    this.readInFlightTicks += ticks;
    if (this.readInFlightTicks < this.readRetryTicks) return;
    const stale = this.reads.get(this.readInFlight);
    if (stale !== undefined && stale.waiters.every((w) => w.done)) this.reads.delete(this.readInFlight);
    this.readInFlight = undefined;
    this.startReadRound();
  }

  private startTransfer(to: NodeId, settle: Settle<void>): void {
    const outcome = this.core.transferLeader(to);
    if (outcome.kind === 'notLeader') return settle.reject(new NotLeaderError(outcome.leader === '' ? undefined : outcome.leader));
    if (outcome.kind === 'rejected') return settle.reject(new RejectedError(outcome.reason));
    if (this.soft.lead === to) return settle.resolve();
    const entry = {
      to,
      settle,
      timer: setTimeout(() => {
        const i = this.transfers.indexOf(entry);
        if (i >= 0) this.transfers.splice(i, 1);
        settle.reject(timeoutError('leader transfer'));
      }, this.electionTimeoutMs * 2),
    };
    entry.timer.unref();
    this.transfers.push(entry);
  }

  /**
   * Returns the settlements to run after `advance`: configuration changes and
   * reads (they need the core to have moved on); data proposals are answered
   * as soon as their entries are applied.
   */
  private async handleReady(rd: Ready): Promise<Array<() => void>> {
    this.stats.readies++;
    if (tracing) {
      trace('ready', {
        node: this.id,
        entries: rd.entries.length,
        committed: rd.committedEntries.length,
        msgs: rd.messages.length,
        parallel: rd.parallelMessages.length,
        hard: rd.hardState !== undefined,
        sync: rd.mustSync,
        inbox: this.inbox.length,
      });
    }
    if (rd.softState !== undefined) this.onSoftState(rd.softState);
    this.send(rd.parallelMessages);
    // Committed entries this Ready does not rewrite are durable here already
    // (the log below the first entry it writes is unchanged), so they are
    // applied while the Ready is written — etcd applies in parallel with its
    // WAL write too. A leader's committed entries are always of this kind (it
    // counts itself only after its fsync), so its write of new proposals
    // never delays the answers to older ones. The rest (a follower's entries
    // that arrive already committed) and everything after a snapshot wait.
    const firstWritten = rd.snapshot !== undefined ? 0 : (rd.entries[0]?.index ?? Number.POSITIVE_INFINITY);
    const split = rd.committedEntries.findIndex((e) => e.index >= firstWritten);
    const durable = split < 0 ? rd.committedEntries : rd.committedEntries.slice(0, split);
    const afterWrite = split < 0 ? [] : rd.committedEntries.slice(split);
    const writes = this.writes(rd);
    const persisting = this.persist(rd);
    // When there is a write, it is handed to LevelDB first (a few microtasks)
    // and the apply runs on this thread while the disk works.
    const startApply = (): Promise<AppliedBatch> => this.apply(durable);
    let writeFailed = false;
    const applying = (durable.length > 0 && writes ? new Promise<void>((resolve) => setImmediate(resolve)).then(startApply) : startApply()).then((batch) => {
      // Committed and applied: the answer is final, whatever this Ready's own
      // write does — so it need not wait for that fsync (a leader under load
      // always has the next proposals' write in flight).
      if (!writeFailed) batch.answerNow();
      return batch;
    });
    // Awaited below; marked handled now so a failing apply during a long fsync
    // is not reported as an unhandled rejection meanwhile.
    applying.catch(() => undefined);
    try {
      await persisting;
    } catch (err) {
      // The node stops: proposals not answered yet end Unknown.
      writeFailed = true;
      const early = await applying.catch(() => undefined);
      early?.fail();
      this.failAllProposals('storageFailure');
      throw err;
    }
    if (rd.hardState !== undefined) this.hard = rd.hardState;
    if (rd.snapshot !== undefined) {
      await this.sm.restore(rd.snapshot);
      this.applied = rd.snapshot.metadata.index;
      this.stats.snapshotsInstalled++;
      this.failAllProposals('snapshot', this.applied);
    }
    this.send(rd.messages);
    const early = await applying;
    const late = await this.apply(afterWrite);
    late.answerNow();
    for (const rs of rd.readStates) {
      const key = Buffer.from(rs.requestCtx).toString('hex');
      const read = this.reads.get(key);
      if (read !== undefined) read.index = rs.index;
      if (key === this.readInFlight) this.readInFlight = undefined;
    }
    return [early.afterAdvance, late.afterAdvance, () => this.settleReads()];
  }

  /**
   * Writes the Ready's snapshot, entries and hard state as one batch (synced
   * when it must be). A Ready that only moves the commit index writes nothing:
   * its hard state goes with the next batch (or at stop). The commit index
   * needs no durability (etcd writes it unsynced too): after a restart the
   * driver raises it to what the state machine applied and the leader sends
   * the rest — and an unsynced write per commit cost every replica a LevelDB
   * round trip between a commit and its answer.
   */
  private async persist(rd: Ready): Promise<void> {
    if (!this.writes(rd)) {
      if (rd.hardState !== undefined) this.unsavedHardState = rd.hardState;
      return;
    }
    const hardState = rd.hardState ?? this.unsavedHardState;
    this.unsavedHardState = undefined;
    const sync = rd.mustSync;
    const started = performance.now();
    await this.storage.save(
      { entries: rd.entries, ...(hardState !== undefined ? { hardState } : {}), ...(rd.snapshot !== undefined ? { snapshot: rd.snapshot } : {}) },
      { sync },
    );
    if (sync) {
      this.stats.syncedBatches++;
      const seconds = (performance.now() - started) / 1000;
      this.notify((o) => o.onSync?.(seconds));
    }
    this.stats.entriesPersisted += rd.entries.length;
    if (tracing) trace('saved', { node: this.id, sync });
  }

  private onSoftState(soft: SoftState): void {
    const wasLeader = this.soft.role === StateRole.Leader;
    const leadChanged = soft.lead !== this.soft.lead;
    this.soft = soft;
    if (leadChanged && soft.lead !== '') this.stats.leaderChanges++;
    if (wasLeader && soft.role !== StateRole.Leader) this.failAllProposals('leaderChange');
    if (leadChanged) {
      // A read index from a former leader might be stale: the caller retries.
      this.failReads(new NotLeaderError(soft.lead === '' ? undefined : soft.lead));
      for (const t of this.transfers.splice(0)) {
        if (soft.lead === t.to) {
          clearTimeout(t.timer);
          t.settle.resolve();
        } else this.transfers.push(t);
      }
    }
  }

  /** Does `persist` write this Ready (anything but a hard state that only moved the commit index)? */
  private writes(rd: Ready): boolean {
    return rd.snapshot !== undefined || rd.entries.length > 0 || rd.mustSync;
  }

  /**
   * Applies `entries` (skipping any the state machine already has) and
   * prepares the answers to this node's proposals among them. `answerNow`
   * settles data proposals (their result is final once applied: the entry is
   * committed); configuration changes settle in `afterAdvance`, once the core
   * has taken the new configuration. `fail` ends whatever was not answered
   * Unknown (the Ready's write failed).
   */
  private async apply(entries: readonly Entry[]): Promise<AppliedBatch> {
    const taken: Array<{ readonly p: PendingProposal<Result>; readonly settle: () => void; done: boolean; readonly counted: 'applied' | 'unknown' }> = [];
    const run = (which: (t: (typeof taken)[number]) => boolean): void => {
      for (const t of taken) {
        if (t.done || !which(t)) continue;
        t.done = true;
        t.settle();
      }
    };
    const batch: AppliedBatch = {
      answerNow: () => run((t) => !t.p.confChange),
      afterAdvance: () => run(() => true),
      fail: () => {
        for (const t of taken) {
          if (t.done) continue;
          t.done = true;
          if (t.counted === 'applied') {
            this.stats.proposalsApplied--;
            this.stats.proposalsUnknown++;
          }
          t.p.reject(new UnknownOutcomeError('storageFailure', t.p.index));
        }
      },
    };
    const fresh = entries.filter((e) => e.index > this.sm.appliedIndex());
    if (fresh.length === 0) return batch;
    if (tracing) trace('apply', { node: this.id, n: fresh.length });
    const results = await this.sm.apply(fresh);
    if (tracing) trace('applied', { node: this.id, n: fresh.length });
    this.applied = this.sm.appliedIndex();
    this.stats.entriesApplied += fresh.length;
    fresh.forEach((entry, i) => {
      const p = this.proposals.get(entry.index);
      if (p === undefined) return;
      this.proposals.delete(entry.index);
      clearTimeout(p.timer);
      if (entry.term !== p.term) {
        // Another leader's entry took the index: ours was lost (but we say
        // Unknown, as promised for everything after append).
        this.stats.proposalsUnknown++;
        taken.push({ p, settle: () => p.reject(new UnknownOutcomeError('overwritten', entry.index)), done: false, counted: 'unknown' });
        return;
      }
      this.stats.proposalsApplied++;
      const seconds = (performance.now() - p.startedAt) / 1000;
      this.notify((o) => o.onCommit?.(seconds));
      const result = results[i] as Result;
      const settle = p.confChange ? () => p.resolve(this.core.confState()) : () => p.resolve(result);
      taken.push({ p, settle, done: false, counted: 'applied' });
    });
    return batch;
  }

  private settleReads(): void {
    for (const [key, read] of this.reads) {
      const index = read.index;
      // Rounds whose every read timed out are dropped (an abandoned round may never be answered).
      if (key !== this.readInFlight && read.waiters.every((w) => w.done)) {
        this.reads.delete(key);
        continue;
      }
      if (index === undefined || index > this.applied) continue;
      this.reads.delete(key);
      for (const w of read.waiters) finishRead(w, (x) => x.resolve(index));
    }
    // After advance: the core may take the next round now (the last one answered, or was dropped).
    this.startReadRound();
  }

  /** Refuses every read, issued or waiting, with `err`. */
  private failReads(err: Error): void {
    for (const read of this.reads.values()) for (const w of read.waiters) finishRead(w, (x) => x.reject(err));
    this.reads.clear();
    for (const w of this.waitingReads) finishRead(w, (x) => x.reject(err));
    this.waitingReads = [];
    this.readInFlight = undefined;
  }

  private send(messages: readonly Message[]): void {
    const clusterId = this.clusterId;
    const fromIncarnation = this.storage.identity().incarnationId;
    for (const message of messages) {
      if (tracing) trace('send', { node: this.id, to: message.to, type: message.type, n: message.entries.length, commit: message.commit, index: message.index });
      const ok = this.transport.send({ group: this.group, clusterId, fromIncarnation, message });
      this.stats.messagesSent++;
      // Reports go through the inbox: the core is not stepped between ready() and advance().
      if (!ok) {
        this.stats.messagesDropped++;
        this.inbox.push({ kind: 'unreachable', to: message.to });
      }
      if (message.type === MessageType.Snap) this.inbox.push({ kind: 'snapshotStatus', to: message.to, ok });
    }
  }

  /**
   * DESIGN section 2: refuse a message from another cluster, from an earlier
   * incarnation of a member, or from a node outside the configuration. A
   * joining member (no configuration yet) accepts its cluster's leader and
   * records the cluster id the first time it hears one.
   */
  private accept(envelope: RaftEnvelope): boolean {
    const message = envelope.message;
    if (envelope.group !== this.group || message.to !== this.id) return false;
    if (this.clusterId === '') {
      // Only a leader's traffic teaches a joining member its cluster id.
      const fromLeader = message.type === MessageType.App || message.type === MessageType.Heartbeat || message.type === MessageType.Snap;
      if (envelope.clusterId === '' || !fromLeader) return false;
      this.clusterId = envelope.clusterId;
      // Persisted through the store's write queue, ahead of the next Ready's batch.
      void this.storage.adoptClusterId(envelope.clusterId).catch(() => undefined);
    } else if (envelope.clusterId !== this.clusterId) {
      return false;
    }
    const conf = this.core.confState();
    if (conf.voters.length === 0 && conf.learners.length === 0) return true;
    if (!conf.voters.includes(message.from) && !conf.learners.includes(message.from)) {
      // A sender outside the configuration this replica has applied is either
      // removed (refused for good: ids are never reused) or a member added by
      // entries this replica has not applied yet — e.g. a new member that
      // learned only an old snapshot. Refusing the latter would stall it
      // forever, so a leader's traffic (append, heartbeat, snapshot) from an
      // id never seen removed is accepted (docs/adr/0007-raft-peer-admission.md).
      if (conf.removed?.includes(message.from) === true) return false;
      return ADMITTED_FROM_UNKNOWN_MEMBER.has(message.type);
    }
    const member = conf.members?.find((m) => m.id === message.from);
    return member === undefined || member.incarnationId === envelope.fromIncarnation;
  }

  private async maybeSnapshot(): Promise<void> {
    // A replica repairing a corrupt log may hold a stale configuration and a
    // state machine behind what it once acknowledged: it snapshots nothing
    // until the repair is over (found by the simulator).
    if ((this.hard.repairUntil ?? 0) > 0) return;
    const last = this.storage.snapshotMetadata().index;
    if (this.applied - last < this.snapshotEntries) return;
    const data = await this.sm.snapshot();
    await this.storage.createSnapshot(this.applied, this.core.confState(), data);
    this.stats.snapshotsCreated++;
    this.compactTarget = Math.max(this.compactTarget, this.applied - this.retainEntries);
  }

  private compactionPending(): boolean {
    return this.compactTarget >= this.storage.firstIndex();
  }

  /** One chunk of the compaction the last snapshot allowed. */
  private async compactStep(): Promise<void> {
    if (!this.compactionPending()) return;
    const to = Math.min(this.compactTarget, this.storage.firstIndex() - 1 + COMPACTION_CHUNK, this.storage.snapshotMetadata().index);
    if (to < this.storage.firstIndex()) {
      this.compactTarget = 0; // nothing the snapshot allows: never spin
      return;
    }
    await this.storage.compact(to, { sync: false });
  }

  /** A clean stop keeps the latest commit index (best effort: a restart works without it). */
  private async saveCommitOnStop(): Promise<void> {
    const hardState = this.unsavedHardState;
    this.unsavedHardState = undefined;
    if (hardState === undefined || this.failure !== undefined) return;
    await this.storage.save({ entries: [], hardState }, { sync: false }).catch(() => undefined);
  }

  private shutDown(): void {
    clearInterval(this.ticker);
    this.unsubscribe();
    this.failAllProposals(this.failure !== undefined ? 'storageFailure' : 'stopped');
    const err = this.failure ?? stoppedError();
    for (const input of this.inbox) if ('settle' in input) input.settle.reject(err);
    this.inbox = [];
    this.failReads(err);
    for (const t of this.transfers.splice(0)) {
      clearTimeout(t.timer);
      t.settle.reject(err);
    }
  }
}

/** Settles a read once: later answers (a timeout after the result, say) are ignored. */
function finishRead(waiter: ReadWaiter, settle: (w: ReadWaiter) => void): void {
  if (waiter.done) return;
  waiter.done = true;
  clearTimeout(waiter.timer);
  settle(waiter);
}
