/**
 * `RaftCore`: the public, pure Raft state machine (etcd's RawNode).
 *
 * Inputs: `tick()`, `step(message)`, `propose`, `proposeConfChange`,
 * `readIndex`, `transferLeader`, `report*`. Output: `ready()`, whose work the
 * driver does before calling `advance(ready)` (see the loop in types.ts).
 * Between `ready()` and `advance()` the driver may keep stepping and ticking
 * (while it persists), but must not call `ready()` again.
 */
import { corruptEntryError, invariantError, isCorrupt, type CorruptEntryError } from '../errors.js';
import {
  EntryType,
  type ConfChange,
  type ConfState,
  type HardState,
  type Message,
  type NodeId,
  type ProposalOutcome,
  type RaftConfig,
  type Ready,
  type RequestOutcome,
  type SoftState,
  type StateRole,
} from '../types.js';
import type { ProgressState } from './progress.js';
import { Raft } from './raft.js';

export interface ProgressStatus {
  readonly match: number;
  readonly next: number;
  readonly state: ProgressState;
  readonly isLearner: boolean;
  readonly recentActive: boolean;
  readonly inflight: number;
}

export interface RaftStatus {
  readonly id: NodeId;
  readonly term: number;
  readonly vote: NodeId;
  readonly commit: number;
  readonly applied: number;
  readonly lead: NodeId;
  readonly role: StateRole;
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly confState: ConfState;
  /**
   * Set while this replica is repairing a corrupt log: it neither votes nor
   * leads, applies nothing until a snapshot arrives, and its `confState` may
   * be stale. The driver must not create snapshots meanwhile.
   */
  readonly corrupt: boolean;
  readonly leadTransferee: NodeId;
  /**
   * Leader only: an entry of its own term is committed, so its commit index is
   * authoritative (ReadIndex and membership changes are served from then on).
   */
  readonly leaderCommitted: boolean;
  readonly uncommittedSize: number;
  /** The leader's view of each member (empty unless leader). */
  readonly progress: ReadonlyMap<NodeId, ProgressStatus>;
}

export interface ProposeConfChangeOptions {
  /** Allow a change that leaves exactly two voters, or a direct addVoter. */
  readonly force?: boolean;
}

function sameHard(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit && (a.repairUntil ?? 0) === (b.repairUntil ?? 0);
}

function sameSoft(a: SoftState, b: SoftState): boolean {
  return a.lead === b.lead && a.role === b.role;
}

export class RaftCore {
  private readonly raft: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;
  private outstanding: Ready | undefined;

  constructor(config: RaftConfig) {
    this.raft = new Raft(config);
    this.prevSoft = this.raft.softState();
    this.prevHard = this.raft.hardState();
  }

  get id(): NodeId {
    return this.raft.id;
  }

  /** Runs `fn`; a corrupt entry found while doing so puts the replica into repair mode. */
  private guard<T>(fn: () => T, onCorrupt: T): T {
    try {
      return fn();
    } catch (err) {
      if (!isCorrupt(err)) throw err;
      this.raft.enterCorrupt(err as CorruptEntryError);
      return onCorrupt;
    }
  }

  /** Deferred mode (ADR 0024): a commit advance has not yet been sent to the followers. */
  commitBroadcastOwed(): boolean {
    return this.raft.commitBroadcastOwed && this.raft.role === 'leader';
  }

  /** Deferred mode (ADR 0024): sends the owed commit broadcast, if still owed. */
  flushCommitBroadcast(): void {
    this.guard(() => this.raft.flushCommitBroadcast(), undefined);
  }

  /** Advances logical time by one tick (heartbeats, election timeouts, CheckQuorum). */
  tick(): void {
    this.guard(() => this.raft.tick(), undefined);
  }

  /** Feeds a message from a peer (already checked by the driver against group/cluster/incarnation). */
  step(m: Message): void {
    if (m.to !== this.raft.id) return;
    this.guard(() => this.raft.step(m), undefined);
  }

  /** Starts an election now (tests and operators; subject to PreVote and eligibility). */
  campaign(): void {
    this.guard(() => {
      this.raft.electionElapsed = 0;
      this.raft.hup(false);
    }, undefined);
  }

  propose(data: Uint8Array): ProposalOutcome {
    return this.proposeMany([data]);
  }

  /** Proposes several entries at once; on success they occupy `index`, `index + 1`, ... */
  proposeMany(datas: readonly Uint8Array[]): ProposalOutcome {
    if (datas.length === 0) throw invariantError('empty proposal batch');
    return this.guard(() => this.raft.propose(datas), { kind: 'rejected', reason: 'corrupt' });
  }

  proposeConfChange(cc: ConfChange, options: ProposeConfChangeOptions = {}): ProposalOutcome {
    return this.guard(() => this.raft.proposeConfChange(cc, options.force ?? false), {
      kind: 'rejected',
      reason: 'corrupt',
    });
  }

  /**
   * Requests a linearizable read. The result arrives as a `ReadState` with the
   * same `ctx` (which must be unique per request); serve it once applied >= its index.
   */
  readIndex(ctx: Uint8Array): RequestOutcome {
    return this.guard(() => this.raft.readIndex(ctx), { kind: 'rejected', reason: 'corrupt' });
  }

  /** Asks the leader to hand leadership to `to` (forwarded if this node is a follower). */
  transferLeader(to: NodeId): RequestOutcome {
    return this.guard(() => this.raft.transferLeader(to), { kind: 'rejected', reason: 'corrupt' });
  }

  /** The transport could not deliver to `id` (its queue was full or the link is down). */
  reportUnreachable(id: NodeId): void {
    this.raft.reportUnreachable(id);
  }

  /** Outcome of sending a snapshot to `id` (the transport's chunked transfer finished or failed). */
  reportSnapshot(id: NodeId, ok: boolean): void {
    this.raft.reportSnapshot(id, ok);
  }

  /** The driver found a corrupt entry or snapshot itself (e.g. a startup scan). */
  reportCorruption(index: number): void {
    this.raft.enterCorrupt(corruptEntryError(index));
  }

  confState(): ConfState {
    return this.raft.confState;
  }

  status(): RaftStatus {
    const r = this.raft;
    const progress = new Map<NodeId, ProgressStatus>();
    if (r.role === 'leader') {
      for (const [id, pr] of r.progress) {
        progress.set(id, {
          match: pr.match,
          next: pr.next,
          state: pr.state,
          isLearner: pr.isLearner,
          recentActive: pr.recentActive,
          inflight: pr.inflights.count(),
        });
      }
    }
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      commit: r.log.committed,
      applied: r.log.applied,
      lead: r.lead,
      role: r.role,
      firstIndex: r.log.firstIndex(),
      lastIndex: r.log.lastIndex(),
      confState: r.confState,
      corrupt: r.corrupt !== undefined,
      leadTransferee: r.leadTransferee,
      leaderCommitted: r.role === 'leader' && this.guard(() => r.committedEntryInCurrentTerm(), false),
      uncommittedSize: r.uncommittedSize,
      progress,
    };
  }

  hasReady(): boolean {
    if (this.outstanding !== undefined) return false;
    const r = this.raft;
    if (r.needsBroadcast && r.role === 'leader') return true;
    if (!sameSoft(r.softState(), this.prevSoft)) return true;
    if (!sameHard(r.hardState(), this.prevHard)) return true;
    if (r.msgs.length > 0 || r.msgsParallel.length > 0 || r.readStates.length > 0) return true;
    if (r.log.unstable.nextEntries().length > 0 || r.log.unstable.nextSnapshot() !== undefined) return true;
    return r.corrupt?.awaitingSnapshot !== true && r.log.hasNextCommittedEntries();
  }

  /** Everything the driver must do now. Call `advance(ready)` when done. */
  ready(): Ready {
    if (this.outstanding !== undefined) throw invariantError('ready() called before advance() of the previous Ready');
    const r = this.raft;
    this.guard(() => r.flushBroadcast(), undefined);
    let committedEntries = this.guard(() => r.log.nextCommittedEntries(), []);
    // A replica waiting for a snapshot applies nothing from its untrusted log.
    if (r.corrupt?.awaitingSnapshot) committedEntries = [];
    const entries = r.log.unstable.nextEntries();
    const snapshot = r.log.unstable.nextSnapshot();
    const soft = r.softState();
    const hard = r.hardState();
    const rd: Ready = {
      ...(sameSoft(soft, this.prevSoft) ? {} : { softState: soft }),
      ...(sameHard(hard, this.prevHard) ? {} : { hardState: hard }),
      entries,
      ...(snapshot !== undefined ? { snapshot } : {}),
      messages: r.msgs,
      parallelMessages: r.msgsParallel,
      committedEntries,
      readStates: r.readStates,
      mustSync:
        entries.length > 0 ||
        snapshot !== undefined ||
        hard.term !== this.prevHard.term ||
        hard.vote !== this.prevHard.vote ||
        (hard.repairUntil ?? 0) !== (this.prevHard.repairUntil ?? 0),
    };
    r.msgs = [];
    r.msgsParallel = [];
    r.readStates = [];
    r.log.unstable.acceptInProgress();
    this.prevSoft = soft;
    this.prevHard = hard;
    this.outstanding = rd;
    return rd;
  }

  /** The driver has persisted, sent and applied `rd`. */
  advance(rd: Ready): void {
    if (rd !== this.outstanding) throw invariantError('advance() of a Ready that is not outstanding');
    this.outstanding = undefined;
    this.guard(() => this.advanceInner(rd), undefined);
  }

  private advanceInner(rd: Ready): void {
    const r = this.raft;
    const log = r.log;
    if (rd.snapshot !== undefined) {
      const idx = rd.snapshot.metadata.index;
      log.unstable.stableSnapTo(idx);
      // The state machine now holds the snapshot (for a corrupt replica this
      // may move `applied` back).
      if (log.unstable.snapshot === undefined) log.applied = idx;
    }
    const lastEntry = rd.entries[rd.entries.length - 1];
    if (lastEntry !== undefined) {
      log.unstable.stableTo(lastEntry.index, lastEntry.term);
      // The leader counts its own log only now, after its fsync (etcd #14370).
      r.stableTo(lastEntry.index, lastEntry.term);
    }
    const lastApplied = rd.committedEntries[rd.committedEntries.length - 1];
    if (lastApplied !== undefined) {
      const pendingSnap = log.unstable.snapshot?.metadata.index ?? 0;
      for (const e of rd.committedEntries) {
        // A snapshot installed meanwhile supersedes these entries' config.
        if (e.type === EntryType.ConfChange && e.index > pendingSnap && e.index > log.applied) {
          r.applyConfChangeEntry(e);
        }
      }
      if (lastApplied.index > log.applied && lastApplied.index <= log.committed) log.appliedTo(lastApplied.index);
      r.reduceUncommittedSize(rd.committedEntries);
    }
  }
}

