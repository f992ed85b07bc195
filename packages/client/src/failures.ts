/**
 * What a failed attempt means for the next one: whether the server surely
 * did nothing (the client may send the request again, even a write), may
 * have acted (only a session write with the same seq, or an idempotent
 * request, may be sent again), or failed for good; and whether the next
 * attempt should go to another node.
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError, type ErrorCode } from '@tessera/common';
import type { RpcFailure } from '@tessera/transport';

export type AttemptOutcome = 'not-done' | 'maybe-done' | 'final';

export interface FailureVerdict {
  readonly outcome: AttemptOutcome;
  /** Try another node next (this one is not the leader, or unreachable). */
  readonly move: boolean;
}

/** Refusals that name a state of the cluster the server will leave by itself (and that it did not act on). */
const NOT_DONE_ELSEWHERE: ReadonlySet<ErrorCode> = new Set([ErrorCodes.RAFT_NOT_LEADER, ErrorCodes.RAFT_STOPPED, ErrorCodes.RAFT_STORAGE, ErrorCodes.KM_UNAVAILABLE, ErrorCodes.KM_PROVIDER_UNAVAILABLE]);
/** Refusals every node would give right now: wait, then try the same node. */
const NOT_DONE_HERE: ReadonlySet<ErrorCode> = new Set([ErrorCodes.INSUFFICIENT_DEVICES]);

/**
 * Definite refusals that arrive as UNAVAILABLE but that repeating the same
 * request cannot cure: a PutObject naming a chunk collected meanwhile needs
 * the chunk uploaded again (the caller retries the whole put).
 */
const FINAL_THOUGH_UNAVAILABLE: ReadonlySet<ErrorCode> = new Set([ErrorCodes.CHUNK_GONE]);

export function judge(f: RpcFailure): FailureVerdict {
  if (FINAL_THOUGH_UNAVAILABLE.has(f.code)) return { outcome: 'final', move: false };
  if (NOT_DONE_HERE.has(f.code)) return { outcome: 'not-done', move: false };
  if (f.status === grpc.status.UNAVAILABLE && (NOT_DONE_ELSEWHERE.has(f.code) || f.code === ErrorCodes.RAFT_REJECTED)) return { outcome: 'not-done', move: true };
  switch (f.status) {
    case grpc.status.UNAVAILABLE:
    case grpc.status.DEADLINE_EXCEEDED:
    case grpc.status.ABORTED:
    case grpc.status.CANCELLED:
    // grpc-js ends a call with INTERNAL or UNKNOWN when the stream itself
    // broke (a reset HTTP/2 stream, a protocol error), and a handler's
    // unexpected failure ends the same way: neither says the server did
    // nothing. A chaos run (asymmetric cut) saw a put reported as failed
    // that had been applied.
    case grpc.status.INTERNAL:
    case grpc.status.UNKNOWN:
      return { outcome: 'maybe-done', move: true };
    default:
      return { outcome: 'final', move: false };
  }
}

/**
 * A write that may or may not have been applied: the client gave up before
 * it could learn which. Reading the object tells.
 */
export function outcomeUnknown(what: string, cause: unknown): TesseraError {
  return new TesseraError(ErrorCodes.RAFT_UNKNOWN_OUTCOME, `the outcome of ${what} is unknown: it may or may not have been applied`, { cause });
}
