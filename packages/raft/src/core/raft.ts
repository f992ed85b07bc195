/**
 * The Raft protocol state machine (etcd-io/raft's raft.go, single-server
 * membership only). Pure: time is `tick()`, randomness is the injected RNG,
 * output is queued messages that `RaftCore.ready()` hands to the driver.
 *
 * Package-internal: the public face is `RaftCore` (core/core.ts).
 */
import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';
import { decodeConfChange, encodeConfChange } from '../codec/confchange.js';
import { entriesSize, payloadSize } from '../entry.js';
import { CorruptEntryError, invariantError, isCompacted, isCorrupt } from '../errors.js';
import { envMutations } from '../mutate.js';
import {
  EntryType,
  MessageType,
  NONE,
  RejectReason,
  StateRole,
  type ConfChange,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type MutationName,
  type NodeId,
  type ProposalOutcome,
  type RaftConfig,
  type RaftLogger,
  type RandomInt,
  type ReadState,
  type RequestOutcome,
  type Snapshot,
  type SoftState,
} from '../types.js';
import { applyConfChange, validateConfChange } from './confchange.js';
import { Inflights } from './inflights.js';
import { RaftLog } from './log.js';
import { Progress } from './progress.js';
import { committedIndex, hasQuorum, voteResult } from './quorum.js';
import { ReadOnly } from './readonly.js';
import { DEFAULTS, validateConfig } from './config.js';
import { msg, voteRespType } from './message.js';


const EMPTY = new Uint8Array(0);

/** Corruption state (DESIGN §4): see `enterCorrupt`. */
export interface CorruptState {
  /** The log's last index when corruption was found: voting resumes once reached again. */
  readonly untilIndex: number;
  /** No snapshot installed yet: appends are refused with `requestSnapshot`. */
  awaitingSnapshot: boolean;
}

const NOOP_LOGGER: RaftLogger = { debug() {}, info() {}, warn() {} };

export class Raft {
  readonly id: NodeId;
  term = 0;
  vote: NodeId = NONE;
  lead: NodeId = NONE;
  role: StateRole = StateRole.Follower;
  readonly log: RaftLog;

  confState: ConfState = { voters: [], learners: [] };
  readonly progress = new Map<NodeId, Progress>();
  private votes = new Map<NodeId, boolean>();

  /** Messages to send after the Ready holding them is persisted. */
  msgs: Message[] = [];
  /** Leader messages that may go out in parallel with persisting. */
  msgsParallel: Message[] = [];
  readStates: ReadState[] = [];

  readonly checkQuorum: boolean;
  readonly preVote: boolean;
  /** ADR 0024: a commit advance alone does not send appends; see `broadcastsCommitNow`. */
  readonly deferCommitBroadcast: boolean;
  readonly electionTimeout: number;
  readonly heartbeatTimeout: number;
  private randomizedElectionTimeout = 0;
  electionElapsed = 0;
  private heartbeatElapsed = 0;

  readonly maxMsgSize: number;
  readonly maxInflightMsgs: number;
  readonly maxInflightBytes: number;
  readonly maxUncommittedSize: number;
  uncommittedSize = 0;

  leadTransferee: NodeId = NONE;
  /** Index of the latest conf change appended by this leader (or lastIndex at election). */
  pendingConfIndex = 0;
  private readOnly = new ReadOnly();
  private pendingReadIndexMessages: Message[] = [];
  /** Proposals appended since the last broadcast (appends go out once per Ready). */
  needsBroadcast = false;
  /** The commit index moved without a broadcast (deferred mode): the driver owes one. */
  commitBroadcastOwed = false;

  corrupt: CorruptState | undefined;

  private readonly random: RandomInt;
  readonly logger: RaftLogger;
  readonly mutations: ReadonlySet<MutationName>;

  constructor(config: RaftConfig) {
    validateConfig(config);
    this.id = config.id;
    this.electionTimeout = config.electionTick;
    this.heartbeatTimeout = config.heartbeatTick;
    this.checkQuorum = config.checkQuorum ?? true;
    this.preVote = config.preVote ?? true;
    this.deferCommitBroadcast = config.deferCommitBroadcast ?? false;
    this.maxMsgSize = config.maxSizePerMsg ?? DEFAULTS.maxSizePerMsg;
    this.maxInflightMsgs = config.maxInflightMsgs ?? DEFAULTS.maxInflightMsgs;
    this.maxInflightBytes = config.maxInflightBytes ?? DEFAULTS.maxInflightBytes;
    this.maxUncommittedSize = config.maxUncommittedEntriesSize ?? DEFAULTS.maxUncommittedEntriesSize;
    this.random = config.random;
    this.logger = config.logger ?? NOOP_LOGGER;
    this.mutations = config.mutations ?? envMutations();
    this.log = new RaftLog(config.storage, config.maxCommittedSizePerReady ?? DEFAULTS.maxCommittedSizePerReady);

    const { hardState, confState } = config.storage.initialState();
    this.loadState(hardState);
    const applied = config.applied ?? 0;
    if (applied > 0) {
      if (applied < this.log.applied || applied > this.log.lastIndex()) {
        throw new TesseraError(ErrorCodes.RAFT_BAD_CONFIG, 'applied index outside the stored log');
      }
      // The commit index need not be synced on its own, so the state machine
      // (which only ever applied committed entries) may be ahead of it.
      if (applied > this.log.committed) this.log.committed = applied;
    }
    this.setConfState(confState);
    try {
      this.replayConfChanges(Math.max(applied, this.log.applied));
    } catch (err) {
      if (!isCorrupt(err)) throw err;
      this.enterCorrupt(err as TesseraError);
    }
    if (applied > this.log.applied) this.log.appliedTo(applied);
    this.becomeFollower(this.term, NONE);
    this.maybeLeaveCorrupt();
  }

  private loadState(hs: HardState): void {
    if (hs.term === 0 && hs.vote === NONE && hs.commit === 0) return;
    if (hs.commit > this.log.lastIndex()) {
      throw new TesseraError(ErrorCodes.RAFT_BAD_CONFIG, 'stored commit index beyond the stored log');
    }
    // A commit-only change is not synced, so the stored commit may lag the
    // snapshot (everything in a snapshot is committed).
    this.log.committed = Math.max(hs.commit, this.log.committed);
    this.term = hs.term;
    this.vote = hs.vote;
    if (hs.repairUntil !== undefined && hs.repairUntil > 0) {
      // Still repairing a corrupt log from before the restart. The log itself
      // is checked again as it is read; until it reaches `repairUntil` this
      // replica neither votes nor campaigns.
      this.corrupt = { untilIndex: hs.repairUntil, awaitingSnapshot: false };
    }
  }

  /**
   * The storage's conf state is as of its snapshot; conf changes between the
   * snapshot and `applied` were applied before the restart but are not handed
   * out again, so re-apply their effect here.
   */
  private replayConfChanges(applied: number): void {
    let lo = this.log.storage.snapshot().metadata.index + 1;
    lo = Math.max(lo, this.log.firstIndex());
    while (lo <= applied) {
      const ents = this.log.slice(lo, applied + 1, this.maxMsgSize);
      for (const e of ents) {
        if (e.type === EntryType.ConfChange) this.setConfState(applyConfChange(this.confState, decodeConfChange(e.data)));
      }
      const last = ents[ents.length - 1];
      if (last === undefined) break;
      lo = last.index + 1;
    }
  }

  // ---------------------------------------------------------------- accessors

  softState(): SoftState {
    return { lead: this.lead, role: this.role };
  }

  hardState(): HardState {
    // Planted bug: the vote never reaches the HardState, so a restart forgets it.
    const vote = this.mutations.has('skip-vote-persist') ? NONE : this.vote;
    const hs: HardState = { term: this.term, vote, commit: this.log.committed };
    return this.corrupt === undefined ? hs : { ...hs, repairUntil: this.corrupt.untilIndex };
  }

  isVoter(id: NodeId): boolean {
    return this.confState.voters.includes(id);
  }

  /** May this node campaign: a voter, healthy, with no snapshot pending. */
  promotable(): boolean {
    return this.isVoter(this.id) && this.corrupt === undefined && !this.log.hasNextOrInProgressSnapshot();
  }

  private voters(): readonly NodeId[] {
    return this.confState.voters;
  }

  // ---------------------------------------------------------------- sending

  private send(message: Message): void {
    // Forwarded requests keep their origin so the leader answers it directly.
    const m = message.from === NONE ? { ...message, from: this.id } : message;
    if (m.to === this.id) throw invariantError('message to self');
    const parallel =
      this.role === StateRole.Leader &&
      m.term === this.term &&
      (m.type === MessageType.App || m.type === MessageType.Heartbeat || m.type === MessageType.Snap);
    if (parallel) {
      this.msgsParallel.push(m);
    } else if (
      this.mutations.has('skip-vote-persist') &&
      (m.type === MessageType.VoteResp || m.type === MessageType.Vote) &&
      !m.reject
    ) {
      this.msgsParallel.push(m);
    } else {
      this.msgs.push(m);
    }
  }

  /** Sends an append (or a snapshot) to `to` if its progress allows. */
  sendAppend(to: NodeId): void {
    this.maybeSendAppend(to, true);
  }

  /**
   * Returns true if a message was sent. With `sendIfEmpty` false, nothing is
   * sent when there are no new entries (used to fill the pipeline).
   */
  private maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.progress.get(to);
    if (pr === undefined || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.termOrUndefined(prevIndex);
    if (prevTerm === undefined) return this.maybeSendSnapshot(to, pr);
    let ents: Entry[] = [];
    // A full window in replicate state sends only an empty append: if every
    // message in the window was lost, its ack or rejection clears the window.
    if (pr.state !== 'replicate' || !pr.inflights.full()) {
      try {
        ents = this.log.entries(pr.next, this.maxMsgSize);
      } catch (err) {
        if (isCompacted(err)) return this.maybeSendSnapshot(to, pr);
        throw err;
      }
    }
    if (ents.length === 0 && !sendIfEmpty) return false;
    this.send(
      msg({
        type: MessageType.App,
        to,
        term: this.term,
        index: prevIndex,
        logTerm: prevTerm,
        entries: ents,
        commit: this.log.committed,
      }),
    );
    pr.sentEntries(ents.length, entriesSize(ents));
    return true;
  }

  private maybeSendSnapshot(to: NodeId, pr: Progress): boolean {
    if (!pr.recentActive) return false;
    let snapshot: Snapshot;
    try {
      snapshot = this.log.snapshot();
    } catch (err) {
      if (isTesseraError(err, ErrorCodes.RAFT_SNAPSHOT_UNAVAILABLE)) return false;
      throw err;
    }
    if (snapshot.metadata.index === 0) return false;
    pr.becomeSnapshot(snapshot.metadata.index);
    this.send(msg({ type: MessageType.Snap, to, term: this.term, snapshot }));
    return true;
  }

  private sendHeartbeat(to: NodeId, ctx: Uint8Array | undefined): void {
    const pr = this.progress.get(to);
    if (pr === undefined) return;
    // Never tell a follower to commit beyond what it is known to hold.
    const commit = Math.min(pr.match, this.log.committed);
    this.send(msg({ type: MessageType.Heartbeat, to, term: this.term, commit, ...(ctx ? { context: ctx } : {}) }));
  }

  bcastAppend(): void {
    // Every follower that can take an append hears the current commit index.
    this.commitBroadcastOwed = false;
    for (const id of this.progress.keys()) if (id !== this.id) this.sendAppend(id);
  }

  private bcastHeartbeat(ctx?: Uint8Array): void {
    const c = ctx ?? this.readOnly.lastPendingRequestCtx();
    for (const id of this.progress.keys()) if (id !== this.id) this.sendHeartbeat(id, c);
  }

  // ---------------------------------------------------------------- roles

  private reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.abortLeaderTransfer();
    this.votes = new Map();
    const last = this.log.lastIndex();
    for (const [id, pr] of this.progress) {
      const fresh = this.newProgress(last + 1, pr.isLearner);
      if (id === this.id) fresh.match = this.log.stableLastIndex();
      this.progress.set(id, fresh);
    }
    this.pendingConfIndex = 0;
    this.uncommittedSize = 0;
    this.readOnly = new ReadOnly();
    this.pendingReadIndexMessages = [];
    this.needsBroadcast = false;
    this.commitBroadcastOwed = false;
  }

  private newProgress(next: number, isLearner: boolean): Progress {
    return new Progress(next, new Inflights(this.maxInflightMsgs, this.maxInflightBytes), isLearner);
  }

  private resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = this.electionTimeout + this.random(this.electionTimeout);
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.role = StateRole.Follower;
  }

  private becomePreCandidate(): void {
    if (this.role === StateRole.Leader) throw invariantError('leader cannot become pre-candidate');
    // PreVote does not change term or vote: a partitioned node cannot disrupt.
    this.votes = new Map();
    this.lead = NONE;
    this.role = StateRole.PreCandidate;
  }

  private becomeCandidate(): void {
    if (this.role === StateRole.Leader) throw invariantError('leader cannot become candidate');
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = StateRole.Candidate;
  }

  private becomeLeader(): void {
    if (this.role === StateRole.Follower) throw invariantError('follower cannot become leader');
    this.reset(this.term);
    this.lead = this.id;
    this.role = StateRole.Leader;
    const self = this.progress.get(this.id);
    if (self !== undefined) {
      self.becomeReplicate();
      self.match = this.log.stableLastIndex();
      self.next = this.log.lastIndex() + 1;
      self.recentActive = true;
    }
    // A conf change may sit uncommitted in the log: allow no new one until
    // everything up to here is applied.
    this.pendingConfIndex = this.log.lastIndex();
    // The no-op: commits the previous terms' entries (Figure 8) and lets
    // ReadIndex start once it is committed.
    this.appendEntries([{ term: 0, index: 0, type: EntryType.Normal, data: EMPTY }]);
    this.logger.info('raft became leader', { id: this.id, term: this.term });
  }

  // ---------------------------------------------------------------- elections

  hup(transfer: boolean): void {
    if (this.role === StateRole.Leader) return;
    if (!this.promotable()) return;
    if (this.hasUnappliedConfChanges()) {
      this.logger.debug('raft not campaigning: unapplied conf change', { id: this.id });
      return;
    }
    if (this.preVote && !transfer) this.campaign(MessageType.PreVote, false);
    else this.campaign(MessageType.Vote, transfer);
  }

  private hasUnappliedConfChanges(): boolean {
    if (this.log.applied >= this.log.committed) return false;
    let lo = this.log.applied + 1;
    const hi = this.log.committed + 1;
    while (lo < hi) {
      const ents = this.log.slice(lo, hi, this.maxMsgSize);
      for (const e of ents) if (e.type === EntryType.ConfChange) return true;
      const last = ents[ents.length - 1];
      if (last === undefined) break;
      lo = last.index + 1;
    }
    return false;
  }

  private campaign(type: MessageType, transfer: boolean): void {
    let term: number;
    if (type === MessageType.PreVote) {
      this.becomePreCandidate();
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      term = this.term;
    }
    if (this.poll(this.id, true) === 'won') {
      // Single voter: won at once.
      if (type === MessageType.PreVote) this.campaign(MessageType.Vote, transfer);
      else this.becomeLeader();
      return;
    }
    const lastIndex = this.log.lastIndex();
    const lastTerm = this.log.lastTerm();
    for (const id of this.voters()) {
      if (id === this.id) continue;
      this.send(
        msg({ type, to: id, term, index: lastIndex, logTerm: lastTerm, ...(transfer ? { transfer: true } : {}) }),
      );
    }
  }

  private poll(id: NodeId, granted: boolean): 'won' | 'lost' | 'pending' {
    if (!this.votes.has(id)) this.votes.set(id, granted);
    return voteResult(this.voters(), this.votes);
  }

  /** Election restriction (§5.4.1): compare (lastTerm, lastIndex) lexicographically. */
  private isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.log.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.log.lastIndex());
  }

  // ---------------------------------------------------------------- tick

  tick(): void {
    if (this.role === StateRole.Leader) this.tickHeartbeat();
    else this.tickElection();
  }

  private pastElectionTimeout(): boolean {
    return this.electionElapsed >= this.randomizedElectionTimeout;
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.pastElectionTimeout()) {
      this.electionElapsed = 0;
      this.hup(false);
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0;
      if (this.checkQuorum && !this.quorumActive()) {
        this.logger.warn('raft leader lost quorum; stepping down', { id: this.id, term: this.term });
        this.becomeFollower(this.term, NONE);
        return;
      }
      if (this.leadTransferee !== NONE) this.abortLeaderTransfer();
    }
    if (this.role !== StateRole.Leader) return;
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0;
      this.bcastHeartbeat();
    }
  }

  /** CheckQuorum: were a majority of voters heard from during the last election timeout? */
  private quorumActive(): boolean {
    const ok = hasQuorum(this.voters(), (id) => id === this.id || (this.progress.get(id)?.recentActive ?? false));
    for (const [id, pr] of this.progress) if (id !== this.id) pr.recentActive = false;
    return ok;
  }

  // ---------------------------------------------------------------- step

  step(m: Message): void {
    if (m.term > 0 && m.term > this.term) {
      if (m.type === MessageType.Vote || m.type === MessageType.PreVote) {
        const inLease = this.checkQuorum && this.lead !== NONE && this.electionElapsed < this.electionTimeout;
        if (!m.transfer && inLease) {
          // We heard from a leader recently: a disruptive (e.g. rejoining or
          // removed) node must not depose it.
          return;
        }
      }
      if (m.type === MessageType.PreVote) {
        // Never change term in response to a PreVote.
      } else if (m.type === MessageType.PreVoteResp && !m.reject) {
        // The pre-candidate bumps its own term when it wins the pre-election.
      } else if (m.type === MessageType.App || m.type === MessageType.Heartbeat || m.type === MessageType.Snap) {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term > 0 && m.term < this.term) {
      if ((this.checkQuorum || this.preVote) && (m.type === MessageType.Heartbeat || m.type === MessageType.App)) {
        // Tell a stale leader about the new term so it steps down (a node that
        // never bumps its term because of PreVote would otherwise be ignored).
        this.send(msg({ type: MessageType.AppResp, to: m.from, term: this.term }));
      } else if (m.type === MessageType.PreVote) {
        this.send(msg({ type: MessageType.PreVoteResp, to: m.from, term: this.term, reject: true }));
      }
      return;
    }

    if (m.type === MessageType.Vote || m.type === MessageType.PreVote) {
      this.handleVoteRequest(m);
      return;
    }
    switch (this.role) {
      case StateRole.Leader:
        this.stepLeader(m);
        break;
      case StateRole.Candidate:
      case StateRole.PreCandidate:
        this.stepCandidate(m);
        break;
      case StateRole.Follower:
        this.stepFollower(m);
        break;
    }
  }

  private handleVoteRequest(m: Message): void {
    const canVote =
      this.vote === m.from ||
      (this.vote === NONE && this.lead === NONE) ||
      (m.type === MessageType.PreVote && m.term > this.term);
    // A replica repairing a corrupt log never votes. Membership is NOT
    // checked here (as in etcd): a learner may have been promoted, or a
    // candidate added, by a change this node has not applied yet, and
    // refusing could deadlock elections. Safety does not depend on it: a
    // candidate counts only the voters of its own configuration, so a
    // learner's vote never counts; a removed node cannot disrupt because
    // PreVote plus the leader lease (CheckQuorum) ignore it while a leader is
    // alive, and its log lacks its own removal, which a majority holds.
    const eligible = this.corrupt === undefined;
    if (canVote && eligible && this.isUpToDate(m.index, m.logTerm)) {
      // Grant with the request's term (for PreVote: the future term).
      this.send(msg({ type: voteRespType(m.type), to: m.from, term: m.term }));
      if (m.type === MessageType.Vote) {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send(msg({ type: voteRespType(m.type), to: m.from, term: this.term, reject: true }));
    }
  }

  private stepCandidate(m: Message): void {
    const myResp = this.role === StateRole.PreCandidate ? MessageType.PreVoteResp : MessageType.VoteResp;
    switch (m.type) {
      case MessageType.App:
        this.becomeFollower(m.term, m.from);
        this.handleAppendEntries(m);
        return;
      case MessageType.Heartbeat:
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return;
      case MessageType.Snap:
        this.becomeFollower(m.term, m.from);
        this.handleSnapshot(m);
        return;
      case myResp: {
        if (!this.isVoter(m.from)) return;
        const result = this.poll(m.from, !m.reject);
        if (result === 'won') {
          if (this.role === StateRole.PreCandidate) this.campaign(MessageType.Vote, false);
          else {
            this.becomeLeader();
            this.bcastAppend();
          }
        } else if (result === 'lost') {
          this.becomeFollower(this.term, NONE);
        }
        return;
      }
      default:
        // TimeoutNow, forwarded requests: no leader to act on them.
        return;
    }
  }

  private stepFollower(m: Message): void {
    switch (m.type) {
      case MessageType.App:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppendEntries(m);
        return;
      case MessageType.Heartbeat:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        return;
      case MessageType.Snap:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleSnapshot(m);
        return;
      case MessageType.TransferLeader:
      case MessageType.ReadIndex:
        if (this.lead === NONE) return;
        this.send({ ...m, to: this.lead });
        return;
      case MessageType.TimeoutNow:
        this.logger.info('raft received TimeoutNow; campaigning', { id: this.id, term: this.term });
        this.hup(true);
        return;
      case MessageType.ReadIndexResp:
        if (!m.reject) this.readStates.push({ index: m.index, requestCtx: m.context ?? EMPTY });
        return;
      default:
        return;
    }
  }

  // ---------------------------------------------------------------- follower handlers

  private handleAppendEntries(m: Message): void {
    if (this.corrupt?.awaitingSnapshot) {
      this.send(
        msg({ type: MessageType.AppResp, to: m.from, term: this.term, index: m.index, reject: true, requestSnapshot: true }),
      );
      return;
    }
    const plant = this.mutations.has('truncate-committed');
    if (m.index < this.log.committed && !plant) {
      // Everything up to our commit is already known to match: ack it.
      this.send(msg({ type: MessageType.AppResp, to: m.from, term: this.term, index: this.log.committed }));
      return;
    }
    const lastNew = this.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries, plant);
    if (lastNew !== undefined) {
      this.send(msg({ type: MessageType.AppResp, to: m.from, term: this.term, index: lastNew }));
      this.maybeLeaveCorrupt();
      return;
    }
    // Reject, with a hint for fast backtracking: the last index at which our
    // term is <= the leader's term at m.index. The leader can skip every index
    // in between whose term cannot match.
    const hint = this.log.findConflictByTerm(Math.min(m.index, this.log.lastIndex()), m.logTerm);
    this.send(
      msg({
        type: MessageType.AppResp,
        to: m.from,
        term: this.term,
        index: m.index,
        reject: true,
        rejectHint: hint.index,
        logTerm: hint.term,
        ...(this.corrupt !== undefined ? { requestSnapshot: true } : {}),
      }),
    );
  }

  private handleHeartbeat(m: Message): void {
    const awaiting = this.corrupt?.awaitingSnapshot === true;
    if (!awaiting) this.log.commitTo(Math.min(m.commit, this.log.lastIndex()));
    // A replica waiting for a snapshot says so here too: a leader that
    // believes it is caught up would otherwise never send it an append to refuse.
    this.send(
      msg({
        type: MessageType.HeartbeatResp,
        to: m.from,
        term: this.term,
        ...(m.context ? { context: m.context } : {}),
        ...(awaiting ? { requestSnapshot: true } : {}),
      }),
    );
  }

  private handleSnapshot(m: Message): void {
    const s = m.snapshot;
    if (s === undefined) return;
    if (this.restore(s)) {
      this.send(msg({ type: MessageType.AppResp, to: m.from, term: this.term, index: this.log.lastIndex() }));
    } else {
      this.send(msg({ type: MessageType.AppResp, to: m.from, term: this.term, index: this.log.committed }));
    }
  }

  /** Installs `s` if it carries news. Returns whether the log was replaced. */
  private restore(s: Snapshot): boolean {
    const { index, term } = s.metadata;
    if (this.corrupt?.awaitingSnapshot) {
      // The local log cannot be trusted: replace all of it, even if older than
      // our commit index (the commit index goes back with it).
      this.installSnapshot(s);
      this.corrupt.awaitingSnapshot = false;
      this.maybeLeaveCorrupt();
      return true;
    }
    if (index <= this.log.committed) return false; // stale snapshot
    if (this.log.matchTerm(index, term)) {
      // Our log already has the snapshot's last entry: keep the entries after
      // it, just fast-forward the commit index.
      this.log.commitTo(index);
      return false;
    }
    this.installSnapshot(s);
    return true;
  }

  private installSnapshot(s: Snapshot): void {
    this.log.restore(s);
    this.setConfState(s.metadata.confState);
    this.logger.info('raft installed snapshot', { id: this.id, index: s.metadata.index, term: s.metadata.term });
  }

  // ---------------------------------------------------------------- leader

  private stepLeader(m: Message): void {
    switch (m.type) {
      case MessageType.ReadIndex:
        this.leaderReadIndex(m);
        return;
      case MessageType.TransferLeader:
        this.leaderTransfer(m.transferee ?? m.from);
        return;
      default:
        break;
    }
    const pr = this.progress.get(m.from);
    if (pr === undefined) return;
    switch (m.type) {
      case MessageType.AppResp:
        pr.recentActive = true;
        if (m.reject) this.handleAppendRejection(m, pr);
        else this.handleAppendSuccess(m, pr);
        return;
      case MessageType.HeartbeatResp:
        this.handleHeartbeatResponse(m, pr);
        return;
      default:
        return;
    }
  }

  private handleAppendRejection(m: Message, pr: Progress): void {
    if (m.requestSnapshot) {
      this.handleSnapshotRequest(m.from, pr);
      return;
    }
    let nextProbe = m.rejectHint;
    if (m.logTerm > 0) nextProbe = this.log.findConflictByTerm(m.rejectHint, m.logTerm).index;
    if (pr.maybeDecrTo(m.index, nextProbe)) {
      if (pr.state === 'replicate') pr.becomeProbe();
      this.sendAppend(m.from);
    }
  }

  /** The follower found a corrupt entry: it no longer holds what it acked. */
  private handleSnapshotRequest(from: NodeId, pr: Progress): void {
    this.logger.warn('raft follower reports a corrupt log; sending a snapshot', { id: this.id, follower: from });
    pr.resetMatch();
    pr.recentActive = true;
    this.maybeSendSnapshot(from, pr);
  }

  private handleAppendSuccess(m: Message, pr: Progress): void {
    const oldPaused = pr.isPaused();
    if (!(pr.maybeUpdate(m.index) || (pr.match === m.index && pr.state === 'probe'))) return;
    if (pr.state === 'probe') pr.becomeReplicate();
    else if (pr.state === 'snapshot' && pr.match + 1 >= this.log.firstIndex()) {
      pr.becomeProbe();
      pr.becomeReplicate();
    } else if (pr.state === 'replicate') pr.inflights.freeLE(m.index);

    const committed = this.maybeCommit();
    if (committed && this.broadcastsCommitNow()) this.bcastAppend();
    else {
      if (committed) this.commitBroadcastOwed = true;
      if (oldPaused) this.sendAppend(m.from);
    }
    // Fill the pipeline.
    while (this.maybeSendAppend(m.from, false)) {
      /* keep sending */
    }
    if (m.from === this.leadTransferee && pr.match === this.log.lastIndex()) this.sendTimeoutNow(m.from);
  }

  private handleHeartbeatResponse(m: Message, pr: Progress): void {
    pr.recentActive = true;
    if (m.requestSnapshot && pr.state !== 'snapshot') this.handleSnapshotRequest(m.from, pr);
    pr.msgAppFlowPaused = false;
    if (pr.match < this.log.lastIndex() || pr.state === 'probe') this.sendAppend(m.from);
    if (m.context === undefined || m.context.byteLength === 0) return;
    const acks = this.readOnly.recvAck(m.from, m.context);
    if (acks === undefined || !hasQuorum(this.voters(), (id) => acks.has(id))) return;
    for (const rs of this.readOnly.advance(m.context)) this.respondToReadIndex(rs.req, rs.index);
  }

  /** Advances commit if a majority of voters (the leader only after its fsync) hold an entry of this term. */
  maybeCommit(): boolean {
    const mci = committedIndex(this.voters(), (id) => this.progress.get(id)?.match ?? 0);
    const before = this.log.committed;
    // Planted bug: counting replicas of an old-term entry commits it (Figure 8).
    const committed = this.log.maybeCommit(mci, this.term, this.mutations.has('commit-old-term'));
    if (committed && before < this.log.committed && this.role === StateRole.Leader) {
      this.onLeaderCommit();
    }
    return committed;
  }

  private onLeaderCommit(): void {
    if (this.pendingReadIndexMessages.length > 0 && this.committedEntryInCurrentTerm()) {
      const pending = this.pendingReadIndexMessages;
      this.pendingReadIndexMessages = [];
      for (const m of pending) this.leaderReadIndex(m);
    }
  }

  committedEntryInCurrentTerm(): boolean {
    return this.log.termOrUndefined(this.log.committed) === this.term;
  }

  private sendTimeoutNow(to: NodeId): void {
    this.send(msg({ type: MessageType.TimeoutNow, to, term: this.term }));
  }

  abortLeaderTransfer(): void {
    this.leadTransferee = NONE;
  }

  // ---------------------------------------------------------------- proposals

  /** Appends entries (assigning term and index) if the uncommitted budget allows. */
  private appendEntries(ents: readonly Entry[]): { index: number; term: number } | undefined {
    if (!this.increaseUncommittedSize(ents)) return undefined;
    const last = this.log.lastIndex();
    const stamped = ents.map((e, i) => ({ ...e, term: this.term, index: last + 1 + i }));
    this.log.append(stamped);
    this.needsBroadcast = true;
    return { index: last + 1, term: this.term };
  }

  private increaseUncommittedSize(ents: readonly Entry[]): boolean {
    let s = 0;
    for (const e of ents) s += payloadSize(e);
    // Always admit the first entry (even if large) so progress is possible.
    if (this.uncommittedSize > 0 && s > 0 && this.maxUncommittedSize > 0 && this.uncommittedSize + s > this.maxUncommittedSize) {
      return false;
    }
    this.uncommittedSize += s;
    return true;
  }

  reduceUncommittedSize(ents: readonly Entry[]): void {
    if (this.role !== StateRole.Leader) return;
    let s = 0;
    for (const e of ents) s += payloadSize(e);
    this.uncommittedSize = Math.max(0, this.uncommittedSize - s);
  }

  private refuseUnlessLeader(): ProposalOutcome | undefined {
    if (this.corrupt !== undefined) return { kind: 'rejected', reason: RejectReason.Corrupt };
    if (this.role !== StateRole.Leader) return { kind: 'notLeader', leader: this.lead };
    if (!this.progress.has(this.id)) return { kind: 'rejected', reason: RejectReason.NotMember };
    if (this.leadTransferee !== NONE) return { kind: 'rejected', reason: RejectReason.TransferInProgress };
    return undefined;
  }

  propose(datas: readonly Uint8Array[]): ProposalOutcome {
    const refused = this.refuseUnlessLeader();
    if (refused !== undefined) return refused;
    const appended = this.appendEntries(datas.map((data) => ({ term: 0, index: 0, type: EntryType.Normal, data })));
    if (appended === undefined) return { kind: 'rejected', reason: RejectReason.UncommittedSizeLimit };
    return { kind: 'appended', ...appended };
  }

  proposeConfChange(cc: ConfChange, force: boolean): ProposalOutcome {
    const refused = this.refuseUnlessLeader();
    if (refused !== undefined) return refused;
    if (this.pendingConfIndex > this.log.applied) return { kind: 'rejected', reason: RejectReason.ConfChangeInFlight };
    // Ongaro's fix for single-server changes: only after an entry of this term committed.
    if (!this.committedEntryInCurrentTerm()) return { kind: 'rejected', reason: RejectReason.LeaderNotReady };
    const invalid = validateConfChange(this.confState, cc, { force });
    if (invalid !== undefined) return { kind: 'rejected', reason: invalid };
    const appended = this.appendEntries([{ term: 0, index: 0, type: EntryType.ConfChange, data: encodeConfChange(cc) }]);
    if (appended === undefined) return { kind: 'rejected', reason: RejectReason.UncommittedSizeLimit };
    this.pendingConfIndex = appended.index;
    return { kind: 'appended', ...appended };
  }

  // ---------------------------------------------------------------- reads

  readIndex(ctx: Uint8Array): RequestOutcome {
    // A corrupt replica does not apply, so it could never serve the read.
    if (this.corrupt !== undefined) return { kind: 'rejected', reason: RejectReason.Corrupt };
    const m = msg({ type: MessageType.ReadIndex, from: this.id, to: this.id, context: ctx });
    if (this.role === StateRole.Leader) {
      this.leaderReadIndex(m);
      return { kind: 'accepted' };
    }
    if (this.lead === NONE) return { kind: 'notLeader', leader: NONE };
    // Follower reads go through the leader's read index.
    this.send({ ...m, to: this.lead });
    return { kind: 'accepted' };
  }

  private leaderReadIndex(m: Message): void {
    if (!this.committedEntryInCurrentTerm()) {
      // A new leader does not know the commit index until its no-op commits.
      this.pendingReadIndexMessages.push(m);
      return;
    }
    if (this.voters().length === 1 && this.isVoter(this.id)) {
      this.respondToReadIndex(m, this.log.committed);
      return;
    }
    // Record the commit index first, then confirm leadership with a heartbeat round.
    this.readOnly.addRequest(this.log.committed, m);
    const acks = this.readOnly.recvAck(this.id, m.context);
    if (acks !== undefined && hasQuorum(this.voters(), (id) => acks.has(id))) {
      for (const rs of this.readOnly.advance(m.context)) this.respondToReadIndex(rs.req, rs.index);
      return;
    }
    this.bcastHeartbeat(m.context);
  }

  private respondToReadIndex(req: Message, index: number): void {
    if (req.from === NONE || req.from === this.id) {
      this.readStates.push({ index, requestCtx: req.context ?? EMPTY });
      return;
    }
    this.send(
      msg({
        type: MessageType.ReadIndexResp,
        to: req.from,
        term: this.term,
        index,
        ...(req.context ? { context: req.context } : {}),
      }),
    );
  }

  // ---------------------------------------------------------------- transfer

  transferLeader(to: NodeId): RequestOutcome {
    if (this.role === StateRole.Leader) {
      if (!this.isVoter(to) || to === this.id) return { kind: 'rejected', reason: RejectReason.InvalidTransferTarget };
      this.leaderTransfer(to);
      return { kind: 'accepted' };
    }
    if (this.lead === NONE) return { kind: 'notLeader', leader: NONE };
    this.send(msg({ type: MessageType.TransferLeader, from: this.id, to: this.lead, transferee: to }));
    return { kind: 'accepted' };
  }

  private leaderTransfer(to: NodeId): void {
    const pr = this.progress.get(to);
    if (pr === undefined || pr.isLearner || to === this.id || !this.isVoter(to)) return;
    if (this.leadTransferee !== NONE) {
      if (this.leadTransferee === to) return;
      this.abortLeaderTransfer();
    }
    // Abort if the target has not taken over within an election timeout.
    this.electionElapsed = 0;
    this.leadTransferee = to;
    if (pr.match === this.log.lastIndex()) this.sendTimeoutNow(to);
    else this.sendAppend(to);
  }

  // ---------------------------------------------------------------- membership

  /** Replaces the configuration and the progress set to match it. */
  setConfState(cs: ConfState): void {
    this.confState = cs;
    const wanted = new Map<NodeId, boolean>();
    for (const id of cs.voters) wanted.set(id, false);
    for (const id of cs.learners) wanted.set(id, true);
    for (const id of [...this.progress.keys()]) if (!wanted.has(id)) this.progress.delete(id);
    const last = this.log.lastIndex();
    for (const [id, isLearner] of wanted) {
      const pr = this.progress.get(id);
      if (pr === undefined) {
        const fresh = this.newProgress(last + 1, isLearner);
        // A new member is assumed active so the leader may send it a snapshot.
        fresh.recentActive = true;
        if (id === this.id) fresh.match = this.log.stableLastIndex();
        this.progress.set(id, fresh);
      } else {
        pr.isLearner = isLearner;
      }
    }
  }

  /** Applies a committed conf-change entry's effect (called when it is applied). */
  applyConfChangeEntry(e: Entry): void {
    const cc = decodeConfChange(e.data);
    this.setConfState(applyConfChange(this.confState, cc));
    if (this.role !== StateRole.Leader) return;
    if (!this.isVoter(this.id)) {
      // A removed (or demoted) leader steps down; the rest elect a new one.
      this.logger.info('raft leader removed from the configuration; stepping down', { id: this.id });
      this.becomeFollower(this.term, NONE);
      return;
    }
    if (this.leadTransferee !== NONE && !this.isVoter(this.leadTransferee)) this.abortLeaderTransfer();
    // The quorum changed: the commit index may move.
    if (this.maybeCommit()) this.bcastAppend();
    else this.needsBroadcast = true;
  }

  // ---------------------------------------------------------------- corruption

  /**
   * DESIGN §4: a replica that finds a corrupt entry keeps its HardState, stops
   * voting and campaigning, asks the leader for a snapshot (by refusing
   * appends with `requestSnapshot`), and votes again only once its log reaches
   * its pre-corruption last index. It never truncates on its own.
   */
  enterCorrupt(err: TesseraError): void {
    const untilIndex = Math.max(this.log.lastIndex(), this.corrupt?.untilIndex ?? 0);
    this.corrupt = { untilIndex, awaitingSnapshot: true };
    this.logger.warn('raft found a corrupt log entry; refusing to vote or lead until repaired', {
      id: this.id,
      index: err instanceof CorruptEntryError ? err.index : undefined,
      untilIndex,
    });
    if (this.role !== StateRole.Follower) this.becomeFollower(this.term, NONE);
  }

  maybeLeaveCorrupt(): void {
    const c = this.corrupt;
    if (c === undefined || c.awaitingSnapshot) return;
    if (this.log.lastIndex() >= c.untilIndex) {
      this.corrupt = undefined;
      this.logger.info('raft log repaired; voting again', { id: this.id, lastIndex: this.log.lastIndex() });
    }
  }

  // ---------------------------------------------------------------- local reports

  reportUnreachable(id: NodeId): void {
    const pr = this.progress.get(id);
    if (this.role !== StateRole.Leader || pr === undefined) return;
    if (pr.state === 'replicate') pr.becomeProbe();
  }

  reportSnapshot(id: NodeId, ok: boolean): void {
    const pr = this.progress.get(id);
    if (this.role !== StateRole.Leader || pr === undefined || pr.state !== 'snapshot') return;
    if (!ok) pr.pendingSnapshot = 0;
    pr.becomeProbe();
    // Wait for a heartbeat response before probing again.
    pr.msgAppFlowPaused = true;
  }

  /** Sends the appends of proposals made since the last Ready (one broadcast per Ready). */
  flushBroadcast(): void {
    if (!this.needsBroadcast) return;
    this.needsBroadcast = false;
    if (this.role === StateRole.Leader) this.bcastAppend();
  }

  /** Self-acknowledgement of entries now durable (called from advance). */
  stableTo(index: number, term: number): void {
    if (this.role !== StateRole.Leader) return;
    const pr = this.progress.get(this.id);
    if (pr === undefined || !this.log.matchTerm(index, term)) return;
    if (!(pr.maybeUpdate(index) && this.maybeCommit())) return;
    if (this.broadcastsCommitNow()) this.bcastAppend();
    else this.commitBroadcastOwed = true;
  }

  /**
   * Whether a commit advance is broadcast at once (etcd's behaviour, the
   * default) or left to the next append (ADR 0024). A pending configuration
   * change is always broadcast at once, as raft-rs does with
   * `skip_bcast_commit`: followers should apply a membership change promptly.
   */
  private broadcastsCommitNow(): boolean {
    return !this.deferCommitBroadcast || this.pendingConfIndex > this.log.applied;
  }

  /**
   * The driver's deferred broadcast (ADR 0024): followers learn the commit
   * index now unless an append since the advance already told them.
   */
  flushCommitBroadcast(): void {
    // Proposals' appends go out with the next Ready and carry the commit index.
    if (!this.commitBroadcastOwed || this.needsBroadcast) return;
    this.commitBroadcastOwed = false;
    if (this.role === StateRole.Leader) this.bcastAppend();
  }
}
