// CONTRACT shared with the driver/storage engineer
//
// The types the pure Raft core (src/core) exchanges with its storage and its
// driver (RaftNode). Changes here are additive only: renaming or removing a
// field breaks the other half of the package.
//
// Model (etcd-raft): the core is a deterministic state machine driven by
// `tick()` and `step(message)`. It never performs I/O. Everything it wants done
// comes out of `ready()`; the driver does it, then calls `advance(ready)`.
//
// The driver loop, in order, for one Ready `rd`:
//   1. send `rd.parallelMessages` (optional: may also wait until step 3);
//   2. persist `rd.snapshot`, `rd.entries` and `rd.hardState` as ONE atomic,
//      synced batch via `RaftStorageWriter.save` (must be durable before 3
//      when `rd.mustSync`); if `rd.snapshot` is set, restore the state machine
//      from it;
//   3. send `rd.messages` (only now: this is the persistence rule of DESIGN §4);
//   4. apply `rd.committedEntries` in order (conf-change entries included; the
//      core itself applies their membership effect in `advance`), persisting
//      the applied index atomically with the state machine;
//   5. hand `rd.readStates` to waiting readers (serve once applied >= index);
//   6. call `core.advance(rd)`.
// The leader counts its own log toward the commit quorum only in `advance`,
// i.e. after its own fsync (etcd #14370).
//
// Group ids, cluster ids and incarnation ids are NOT message fields: the driver
// wraps each `Message` in its own envelope (`{ group, clusterId,
// fromIncarnation, message }`) and checks it before calling `step`. The core is
// group-agnostic.
//
// Snapshots travel whole inside a `snap` message; splitting the bytes into
// chunks (and resuming) is the transport's job. The driver reports the outcome
// with `reportSnapshot(to, ok)`.

/** A member id. Never reused (DESIGN §2). The empty string means "none". */
export type NodeId = string;

/** `NodeId` meaning "nobody" (no vote cast, no known leader). */
export const NONE: NodeId = '';

export const EntryType = {
  /** Application data, or an empty no-op (the leader's entry on election). */
  Normal: 'normal',
  /** `data` is an encoded `ConfChange` (see `encodeConfChange`). */
  ConfChange: 'confChange',
} as const;
export type EntryType = (typeof EntryType)[keyof typeof EntryType];

export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** What must be durable before any vote or ack goes out. */
export interface HardState {
  readonly term: number;
  /** Whom this node voted for in `term`, or `NONE`. */
  readonly vote: NodeId;
  /** Highest index known committed. Need not be synced on its own. */
  readonly commit: number;
  /**
   * Present (> 0) while this replica repairs a corrupt log (DESIGN §4): the
   * last index its log had when the corruption was found. It must be stored
   * with the rest of the HardState, so that after a restart the replica still
   * refuses to vote or campaign until its log again reaches this index (it
   * may have acknowledged entries it no longer holds). Absent otherwise.
   */
  readonly repairUntil?: number;
}

/** Identity a ConfChange committed for a member (DESIGN §2). */
export interface MemberInfo {
  readonly id: NodeId;
  readonly incarnationId: string;
  readonly address: string;
}

/**
 * A membership configuration. Single-server changes only: there is no joint
 * consensus, so there is no `votersOutgoing`.
 */
export interface ConfState {
  /** Sorted. */
  readonly voters: readonly NodeId[];
  /** Sorted; disjoint from `voters`. Learners never vote and never count. */
  readonly learners: readonly NodeId[];
  /** Identity of members that were added with one; sorted by id. */
  readonly members?: readonly MemberInfo[];
  /** Ids once members and since removed: they can never be added again. Sorted. */
  readonly removed?: readonly NodeId[];
}

export const ConfChangeType = {
  /** Add a new member as a non-voting learner (the normal way to join). */
  AddLearner: 'addLearner',
  /** Promote a learner to voter (after it has caught up). */
  Promote: 'promote',
  /** Add a voter directly (needs `force`; prefer addLearner + promote). */
  AddVoter: 'addVoter',
  /** Remove a voter or learner. A removed leader steps down. */
  RemoveNode: 'removeNode',
} as const;
export type ConfChangeType = (typeof ConfChangeType)[keyof typeof ConfChangeType];

export interface ConfChange {
  readonly type: ConfChangeType;
  readonly nodeId: NodeId;
  /** Required by the driver for addLearner/addVoter; recorded in `ConfState.members`. */
  readonly incarnationId?: string;
  readonly address?: string;
  /** Opaque to the core; carried in the entry. */
  readonly context?: Uint8Array;
}

export interface SnapshotMetadata {
  readonly index: number;
  readonly term: number;
  /** The configuration in effect at `index`. */
  readonly confState: ConfState;
}

export interface Snapshot {
  readonly metadata: SnapshotMetadata;
  /** The state machine's serialised state at `metadata.index` (opaque to the core). */
  readonly data: Uint8Array;
}

export const MessageType = {
  /** AppendEntries: `index`/`logTerm` = previous entry, `entries`, `commit`. */
  App: 'app',
  /** `index` = last index now matching; or `reject` with `rejectHint`/`logTerm`. */
  AppResp: 'appResp',
  /** RequestVote for `term`: `index`/`logTerm` = candidate's last entry. */
  Vote: 'vote',
  VoteResp: 'voteResp',
  /** PreVote for `term` (= candidate's term + 1, not persisted by anyone). */
  PreVote: 'preVote',
  PreVoteResp: 'preVoteResp',
  /** `commit` = min(leader commit, follower match); `context` = ReadIndex round. */
  Heartbeat: 'heartbeat',
  HeartbeatResp: 'heartbeatResp',
  /** InstallSnapshot: the whole `snapshot` (the transport chunks it). */
  Snap: 'snap',
  /** A follower forwards a read to the leader; `context` = request id. */
  ReadIndex: 'readIndex',
  /** `index` = read index for `context`, or `reject` when the leader cannot serve. */
  ReadIndexResp: 'readIndexResp',
  /** Leader transfer: the target campaigns at once, skipping PreVote. */
  TimeoutNow: 'timeoutNow',
  /** A follower forwards `transferLeader(to = from-of-request)` to the leader; `index` unused. */
  TransferLeader: 'transferLeader',
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/**
 * One flat message, as etcd's raftpb.Message. Unused numeric fields are 0,
 * unused arrays empty. Serialising it is the transport's job.
 */
export interface Message {
  readonly type: MessageType;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  /** app: term of entry `index`; vote/preVote: last log term; rejected appResp: the follower's term at `rejectHint`. */
  readonly logTerm: number;
  readonly index: number;
  readonly entries: readonly Entry[];
  readonly commit: number;
  readonly reject: boolean;
  /** rejected appResp: the index the leader should probe next (fast backtracking). */
  readonly rejectHint: number;
  readonly snapshot?: Snapshot;
  /** ReadIndex request id (readIndex, readIndexResp, heartbeat, heartbeatResp). */
  readonly context?: Uint8Array;
  /** vote/preVote sent because of TimeoutNow: receivers ignore their leader lease. */
  readonly transfer?: boolean;
  /** rejected appResp (or heartbeatResp) from a replica that found a corrupt entry: send me a snapshot. */
  readonly requestSnapshot?: boolean;
  /** For the TransferLeader message: the proposed new leader. */
  readonly transferee?: NodeId;
}

export const StateRole = {
  Follower: 'follower',
  PreCandidate: 'preCandidate',
  Candidate: 'candidate',
  Leader: 'leader',
} as const;
export type StateRole = (typeof StateRole)[keyof typeof StateRole];

/** Volatile state, reported when it changes; never persisted. */
export interface SoftState {
  readonly lead: NodeId;
  readonly role: StateRole;
}

/** A ReadIndex result: serve the read `requestCtx` once applied >= `index`. */
export interface ReadState {
  readonly index: number;
  readonly requestCtx: Uint8Array;
}

export interface Ready {
  /** Present when leader or role changed since the last Ready. */
  readonly softState?: SoftState;
  /** Present when term, vote or commit changed; persist in the same batch as `entries`. */
  readonly hardState?: HardState;
  /** Entries to persist (replacing any stored entries from `entries[0].index` on). */
  readonly entries: readonly Entry[];
  /** A snapshot to persist (replacing the whole log) and restore into the state machine. */
  readonly snapshot?: Snapshot;
  /** Send only after this Ready's hardState/entries/snapshot are durable. */
  readonly messages: readonly Message[];
  /**
   * A leader's appends/heartbeats/snapshots of its current term: may be sent
   * before or while persisting (the leader counts itself only in `advance`).
   * Sending them after persisting is also correct.
   */
  readonly parallelMessages: readonly Message[];
  /** Committed entries to apply, in order (already durable in storage or in `entries`). */
  readonly committedEntries: readonly Entry[];
  readonly readStates: readonly ReadState[];
  /** The batch must be written with `sync: true` (term/vote changed, or entries/snapshot present). */
  readonly mustSync: boolean;
}

/** Why a request was refused before anything was appended. */
export const RejectReason = {
  /** A leadership transfer is in progress. */
  TransferInProgress: 'transferInProgress',
  /** Accepting would exceed `maxUncommittedEntriesSize` (leader likely lost quorum). */
  UncommittedSizeLimit: 'uncommittedSizeLimit',
  /** Another membership change is not yet applied. */
  ConfChangeInFlight: 'confChangeInFlight',
  /** The leader has not yet committed an entry of its own term. */
  LeaderNotReady: 'leaderNotReady',
  /** The change is invalid for the current configuration (unknown id, reused id, ...). */
  InvalidConfChange: 'invalidConfChange',
  /** The change would leave exactly two voters; pass `force` to do it anyway. */
  TwoVoters: 'twoVoters',
  /** The change would leave no voter. */
  NoVoters: 'noVoters',
  /** The transfer target is not a voter, is this node, or is unknown. */
  InvalidTransferTarget: 'invalidTransferTarget',
  /** This replica found a corrupt entry and does not serve until repaired. */
  Corrupt: 'corrupt',
  /** This node is not in the configuration (removed, or not yet joined). */
  NotMember: 'notMember',
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

/**
 * Result of `propose`/`proposeConfChange`: `appended` identifies the entry
 * (`index`/`term`); the driver resolves the proposal with the applied value if
 * the entry committed at `index` has that `term`, otherwise with Unknown.
 * `notLeader`/`rejected` are definite: nothing was appended.
 */
export type ProposalOutcome =
  | { readonly kind: 'appended'; readonly index: number; readonly term: number }
  | { readonly kind: 'notLeader'; readonly leader: NodeId }
  | { readonly kind: 'rejected'; readonly reason: RejectReason };

/** Result of `readIndex`/`transferLeader`: `accepted` also covers "forwarded to the leader". */
export type RequestOutcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'notLeader'; readonly leader: NodeId }
  | { readonly kind: 'rejected'; readonly reason: RejectReason };

// ---------------------------------------------------------------------------
// Storage.

export interface InitialState {
  readonly hardState: HardState;
  /**
   * The configuration as of the latest snapshot (or bootstrap). On start the
   * core replays conf-change entries of the log up to `Config.applied` on top
   * of it, so the storage need not track later changes.
   */
  readonly confState: ConfState;
}

/**
 * READ side, used by the core (etcd's `Storage`). Synchronous: a LevelDB
 * implementation keeps the un-compacted log (or at least its index/term and an
 * entry cache) in memory after `open`.
 *
 * Errors are `TesseraError`s: `RAFT_LOG_COMPACTED` for an index below
 * `firstIndex()` (for `term`: below `firstIndex() - 1`), `RAFT_LOG_UNAVAILABLE`
 * above `lastIndex()`, `RAFT_CORRUPT_LOG` when an entry fails its CRC32C,
 * `RAFT_SNAPSHOT_UNAVAILABLE` when `snapshot()` cannot be produced right now.
 * Use the factories in `src/errors.ts`.
 */
export interface RaftLogReader {
  initialState(): InitialState;
  /**
   * Entries [lo, hi). At most `maxSizeBytes` (by `entrySize`) but always at
   * least one entry when lo < hi. Each entry's CRC32C is verified.
   */
  entries(lo: number, hi: number, maxSizeBytes?: number): Entry[];
  /** Term of entry `index`; for `firstIndex() - 1` the snapshot's term; 0 for index 0 of an empty log. */
  term(index: number): number;
  /** Index of the first available entry (= snapshot index + 1). */
  firstIndex(): number;
  /** Index of the last entry (= snapshot index when the log is empty). */
  lastIndex(): number;
  /** The most recent snapshot. */
  snapshot(): Snapshot;
}

/** One Ready's worth of persistence. */
export interface StorageUpdate {
  readonly hardState?: HardState;
  /** Contiguous; replaces every stored entry at or after `entries[0].index`. */
  readonly entries: readonly Entry[];
  /**
   * Replaces the whole log (applied before `entries`), unconditionally: the
   * core emits only snapshots it decided to install, and a replica repairing
   * a corrupt log may install one older than its own.
   */
  readonly snapshot?: Snapshot;
}

export type MaybePromise<T> = T | Promise<T>;

/** WRITE side, used by the driver (and by the simulator). */
export interface RaftStorageWriter {
  /**
   * Persist snapshot (if any), then truncate the suffix from
   * `entries[0].index` and append `entries`, then hardState: one atomic batch,
   * durable (synced) when the call completes.
   */
  save(update: StorageUpdate): MaybePromise<void>;
  /**
   * Record a snapshot the state machine made at `index` (<= applied). Does not
   * compact. Throws `RAFT_SNAPSHOT_OUT_OF_DATE` if `index` <= current snapshot index.
   */
  createSnapshot(index: number, confState: ConfState, data: Uint8Array): MaybePromise<Snapshot>;
  /** Drop entries <= `index` (must be <= the snapshot index). */
  compact(index: number): MaybePromise<void>;
}

export interface RaftStorage extends RaftLogReader, RaftStorageWriter {}

// ---------------------------------------------------------------------------
// Configuration.

/** Returns an integer uniformly in [0, bound). Seeded in tests; crypto in production. */
export type RandomInt = (bound: number) => number;

export interface RaftLogger {
  debug(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  info(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(msg: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Planted bugs (TESSERA_MUTATE) the simulator must catch. */
export type MutationName = 'commit-old-term' | 'skip-vote-persist' | 'truncate-committed';

export interface RaftConfig {
  readonly id: NodeId;
  /** Election timeout is randomised in [electionTick, 2 * electionTick). */
  readonly electionTick: number;
  /** Must be < electionTick. */
  readonly heartbeatTick: number;
  readonly storage: RaftLogReader;
  /** Last index applied by the state machine (persisted by the driver). Default 0. */
  readonly applied?: number;
  /** Default true. */
  readonly checkQuorum?: boolean;
  /** Default true. */
  readonly preVote?: boolean;
  /**
   * Default false (etcd's behaviour: a commit advance is broadcast to the
   * followers at once). True (ADR 0024): the new commit index rides on the
   * next append, and the driver calls `flushCommitBroadcast` after a short
   * delay for the case where no append follows.
   */
  readonly deferCommitBroadcast?: boolean;
  /** Byte budget of the entries in one append message. Default 1 MiB. */
  readonly maxSizePerMsg?: number;
  /** Byte budget of `committedEntries` in one Ready. Default 4 MiB. */
  readonly maxCommittedSizePerReady?: number;
  /** Appends in flight per follower. Default 256. */
  readonly maxInflightMsgs?: number;
  /** Bytes in flight per follower; 0 = unlimited. Default 32 MiB. */
  readonly maxInflightBytes?: number;
  /** Payload bytes a leader may hold uncommitted; 0 = unlimited. Default 64 MiB. */
  readonly maxUncommittedEntriesSize?: number;
  /** Seeded RNG for election timeouts; the core never calls Math.random. */
  readonly random: RandomInt;
  readonly logger?: RaftLogger;
  /** Planted bugs; default: read once from TESSERA_MUTATE (src/mutate.ts). */
  readonly mutations?: ReadonlySet<MutationName>;
}
