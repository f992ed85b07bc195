/**
 * Client sessions for replicated state machines (Raft dissertation §6.3): a
 * retried request is answered from the recorded reply instead of applied a
 * second time.
 *
 * A client first opens a session (a replicated command); the table hands out
 * the client id, a counter that is never reused — reusing an id after its
 * session expired would let a delayed retry of an old request apply again.
 * Each request then carries (clientId, seq, ackedThrough): `ackedThrough` is
 * the client's low-water mark, "I have the replies of every seq <= this", so
 * the table may forget them, and a request at or below it is stale.
 *
 * Pure and deterministic: time is the leader's timestamp carried in each
 * applied entry (never this replica's clock), forced monotonic so a leader
 * whose clock runs behind cannot un-expire anything; every replica applying
 * the same entries holds the same table and encodes it to the same bytes.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';

export interface SessionLimits {
  /** Open sessions; beyond it the least recently active session is dropped. */
  readonly maxSessions: number;
  /** Replies kept per client; beyond it the lowest seq is forgotten. */
  readonly maxRepliesPerClient: number;
  /** Replies kept across all clients. */
  readonly maxTotalReplies: number;
  /** Reply bytes kept across all clients. */
  readonly maxTotalReplyBytes: number;
  /** Largest single reply. */
  readonly maxReplyBytes: number;
  /** A session idle for longer than this (leader time) expires. */
  readonly sessionTtlMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  maxSessions: 10_000,
  maxRepliesPerClient: 128,
  maxTotalReplies: 100_000,
  maxTotalReplyBytes: 64 * 1024 * 1024,
  maxReplyBytes: 64 * 1024,
  sessionTtlMs: 15 * 60 * 1000,
};

export interface SessionRequest {
  readonly clientId: number;
  /** Positive; unique per request of this client (retries reuse it). */
  readonly seq: number;
  /** Every seq <= ackedThrough has been answered to the client; < seq. */
  readonly ackedThrough: number;
}

export interface SessionOutcome {
  readonly reply: Uint8Array;
  /** True when `reply` was recorded earlier and the request was not applied again. */
  readonly duplicate: boolean;
}

/** One client's state. Exposed read-only for the snapshot codec and tests. */
export interface SessionState {
  readonly clientId: number;
  readonly lastActiveMs: number;
  readonly ackedThrough: number;
  /** Highest seq whose reply was dropped for space: at or below it, an unknown seq has an unknown outcome. */
  readonly evictedThrough: number;
  /** seq -> reply, only for seq > ackedThrough. */
  readonly replies: ReadonlyMap<number, Uint8Array>;
}

interface MutableSession {
  clientId: number;
  lastActiveMs: number;
  ackedThrough: number;
  evictedThrough: number;
  replies: Map<number, Uint8Array>;
}

/** The complete state of a table; what a snapshot stores. */
export interface SessionTableState {
  readonly nowMs: number;
  readonly nextClientId: number;
  /** In order of last activity, least recent first. */
  readonly sessions: readonly SessionState[];
}

export class SessionTable {
  readonly limits: SessionLimits;
  private nowMs = 0;
  private nextClientId = 1;
  /** Insertion order = least recently active first (a touch re-inserts). */
  private readonly sessions = new Map<number, MutableSession>();
  private totalReplies = 0;
  private totalReplyBytes = 0;

  constructor(limits: Partial<SessionLimits> = {}) {
    this.limits = validateLimits({ ...DEFAULT_SESSION_LIMITS, ...limits });
  }

  /** Opens a session and returns its new, never reused, client id. */
  openSession(timestampMs: number): number {
    this.advanceTo(timestampMs);
    const clientId = this.nextClientId++;
    this.sessions.set(clientId, { clientId, lastActiveMs: this.nowMs, ackedThrough: 0, evictedThrough: 0, replies: new Map() });
    while (this.sessions.size > this.limits.maxSessions) this.dropSession(this.sessions.keys().next().value!);
    return clientId;
  }

  /** Ends a session (the client is done); later requests with its id are refused. */
  closeSession(clientId: number, timestampMs: number): void {
    this.advanceTo(timestampMs);
    this.dropSession(clientId);
  }

  /**
   * Applies `request` once: `run` is called only for a request never applied
   * before and must return the reply deterministically (encode failures as
   * replies too, so a retry sees the same answer). Throws RAFT_SESSION_STALE
   * for a seq the client already acknowledged and RAFT_SESSION_EXPIRED when
   * the session is gone or the reply was forgotten for space — in that case
   * the request may have been applied, and the client must treat it as unknown.
   */
  apply(request: SessionRequest, timestampMs: number, run: () => Uint8Array): SessionOutcome {
    validateRequest(request);
    this.advanceTo(timestampMs);
    const session = this.sessions.get(request.clientId);
    if (session === undefined) {
      throw new TesseraError(ErrorCodes.RAFT_SESSION_EXPIRED, 'unknown or expired client session');
    }
    this.touch(session);
    this.acknowledge(session, request.ackedThrough);
    if (request.seq <= session.ackedThrough) {
      throw new TesseraError(ErrorCodes.RAFT_SESSION_STALE, `request ${request.seq} was already acknowledged by the client`);
    }
    const recorded = session.replies.get(request.seq);
    if (recorded !== undefined) return { reply: Uint8Array.from(recorded), duplicate: true };
    if (request.seq <= session.evictedThrough) {
      throw new TesseraError(ErrorCodes.RAFT_SESSION_EXPIRED, `reply to request ${request.seq} is no longer kept; its outcome is unknown`);
    }
    const reply = run();
    if (reply.byteLength > this.limits.maxReplyBytes) {
      throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'session reply exceeds the size limit');
    }
    this.record(session, request.seq, Uint8Array.from(reply));
    return { reply: Uint8Array.from(reply), duplicate: false };
  }

  /** Moves leader time forward (expiring idle sessions); a no-op for a timestamp in the past. */
  advanceTo(timestampMs: number): void {
    if (!Number.isSafeInteger(timestampMs) || timestampMs < 0) {
      throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'session timestamp must be a non-negative integer');
    }
    if (timestampMs > this.nowMs) this.nowMs = timestampMs;
    for (const session of this.sessions.values()) {
      if (this.nowMs - session.lastActiveMs <= this.limits.sessionTtlMs) break;
      this.dropSession(session.clientId);
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  get replyCount(): number {
    return this.totalReplies;
  }

  session(clientId: number): SessionState | undefined {
    return this.sessions.get(clientId);
  }

  /** A deep copy of the state, for snapshots. */
  exportState(): SessionTableState {
    return {
      nowMs: this.nowMs,
      nextClientId: this.nextClientId,
      sessions: [...this.sessions.values()].map((s) => ({
        clientId: s.clientId,
        lastActiveMs: s.lastActiveMs,
        ackedThrough: s.ackedThrough,
        evictedThrough: s.evictedThrough,
        replies: new Map([...s.replies].sort(([a], [b]) => a - b).map(([seq, r]) => [seq, Uint8Array.from(r)])),
      })),
    };
  }

  /**
   * Rebuilds a table from a state (trusted to be consistent: the snapshot
   * decoder validates it first). Limits smaller than the state are enforced
   * by the next insertion, not here, so shrinking a limit cannot brick a node.
   */
  static fromState(state: SessionTableState, limits: Partial<SessionLimits> = {}): SessionTable {
    const table = new SessionTable(limits);
    table.nowMs = state.nowMs;
    table.nextClientId = state.nextClientId;
    for (const s of state.sessions) {
      const replies = new Map<number, Uint8Array>();
      for (const [seq, reply] of s.replies) {
        replies.set(seq, Uint8Array.from(reply));
        table.totalReplies += 1;
        table.totalReplyBytes += reply.byteLength;
      }
      table.sessions.set(s.clientId, { clientId: s.clientId, lastActiveMs: s.lastActiveMs, ackedThrough: s.ackedThrough, evictedThrough: s.evictedThrough, replies });
    }
    return table;
  }

  private touch(session: MutableSession): void {
    session.lastActiveMs = this.nowMs;
    this.sessions.delete(session.clientId);
    this.sessions.set(session.clientId, session);
  }

  private acknowledge(session: MutableSession, ackedThrough: number): void {
    if (ackedThrough <= session.ackedThrough) return;
    session.ackedThrough = ackedThrough;
    for (const [seq, reply] of session.replies) {
      if (seq <= ackedThrough) this.forget(session, seq, reply);
    }
  }

  private record(session: MutableSession, seq: number, reply: Uint8Array): void {
    session.replies.set(seq, reply);
    this.totalReplies += 1;
    this.totalReplyBytes += reply.byteLength;
    while (session.replies.size > this.limits.maxRepliesPerClient) this.evictLowest(session);
    // Global pressure falls on the least recently active clients first.
    for (const victim of this.sessions.values()) {
      while (victim.replies.size > 0 && this.overGlobalLimits()) this.evictLowest(victim);
      if (!this.overGlobalLimits()) break;
    }
  }

  private overGlobalLimits(): boolean {
    return this.totalReplies > this.limits.maxTotalReplies || this.totalReplyBytes > this.limits.maxTotalReplyBytes;
  }

  /** Forgets the lowest-seq reply of `session`, remembering that its outcome is now unknown. */
  private evictLowest(session: MutableSession): void {
    let lowest = Number.POSITIVE_INFINITY;
    for (const seq of session.replies.keys()) if (seq < lowest) lowest = seq;
    const reply = session.replies.get(lowest)!;
    this.forget(session, lowest, reply);
    if (lowest > session.evictedThrough) session.evictedThrough = lowest;
  }

  private forget(session: MutableSession, seq: number, reply: Uint8Array): void {
    session.replies.delete(seq);
    this.totalReplies -= 1;
    this.totalReplyBytes -= reply.byteLength;
  }

  private dropSession(clientId: number): void {
    const session = this.sessions.get(clientId);
    if (session === undefined) return;
    for (const [seq, reply] of session.replies) this.forget(session, seq, reply);
    this.sessions.delete(clientId);
  }
}

function validateRequest(request: SessionRequest): void {
  const { clientId, seq, ackedThrough } = request;
  const ok =
    Number.isSafeInteger(clientId) && clientId >= 1 && Number.isSafeInteger(seq) && seq >= 1 && Number.isSafeInteger(ackedThrough) && ackedThrough >= 0 && ackedThrough < seq;
  if (!ok) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'invalid session request (need clientId >= 1, seq >= 1, 0 <= ackedThrough < seq)');
}

function validateLimits(limits: SessionLimits): SessionLimits {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `session limit ${name} must be a positive integer`);
    }
  }
  return limits;
}
