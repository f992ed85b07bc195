/**
 * How a proposal ends when it does not end with a result. Only the errors
 * raised before anything was appended are definite (NotLeader, Rejected,
 * Stopped-before-append); everything after append is Unknown: the entry may
 * still commit, so a client must treat it as indeterminate (Jepsen `:info`)
 * and retry only through a session, which makes the retry safe.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { NodeId, RejectReason } from '../types.js';

/** Definite: nothing was appended. `leader` is the current leader when known. */
export class NotLeaderError extends TesseraError {
  readonly leader: NodeId | undefined;
  constructor(leader: NodeId | undefined) {
    super(ErrorCodes.RAFT_NOT_LEADER, leader === undefined ? 'not the leader; leader unknown' : `not the leader; leader is ${leader}`, { retriable: true });
    this.leader = leader;
  }
}

/** Definite: the leader refused the request before appending it. */
export class RejectedError extends TesseraError {
  readonly reason: RejectReason;
  constructor(reason: RejectReason) {
    super(ErrorCodes.RAFT_REJECTED, `proposal rejected: ${reason}`, { retriable: reason !== 'invalidConfChange' && reason !== 'twoVoters' && reason !== 'noVoters' && reason !== 'invalidTransferTarget' });
    this.reason = reason;
  }
}

export type UnknownCause = 'leaderChange' | 'stopped' | 'timeout' | 'overwritten' | 'snapshot' | 'storageFailure';

/** Indeterminate: the entry was appended and may or may not commit. */
export class UnknownOutcomeError extends TesseraError {
  readonly why: UnknownCause;
  readonly index: number;
  constructor(why: UnknownCause, index: number) {
    super(ErrorCodes.RAFT_UNKNOWN_OUTCOME, `outcome unknown (${why}); the proposal may still commit`);
    this.why = why;
    this.index = index;
  }
}

export function stoppedError(): TesseraError {
  return new TesseraError(ErrorCodes.RAFT_STOPPED, 'raft node is stopped');
}

export function timeoutError(what: string): TesseraError {
  return new TesseraError(ErrorCodes.RAFT_TIMEOUT, `${what} timed out`, { retriable: true });
}
