/**
 * How service handlers report failures: a gRPC status chosen by what the
 * caller should do, the stable Tessera error code in the trailing metadata
 * (`tessera-error-code`), and, for "not the leader", the leader's id when
 * known (`tessera-leader`) so a client can go there directly. Messages are
 * the TesseraError's caller-safe message; anything else is a generic
 * "internal error" (O1).
 *
 *   RAFT_NOT_LEADER, RAFT_STOPPED, RAFT_STORAGE,
 *   retriable RAFT_REJECTED                                → UNAVAILABLE (retry elsewhere / later)
 *   RAFT_UNKNOWN_OUTCOME                                   → ABORTED (indeterminate; retry only through a session)
 *   RAFT_TIMEOUT                                           → DEADLINE_EXCEEDED
 *   INVALID_ARGUMENT, CODEC_*, WIRE_BAD_U64                → INVALID_ARGUMENT
 *   RAFT_REJECTED (final), RAFT_SESSION_*                  → FAILED_PRECONDITION
 *   NOT_FOUND                                              → NOT_FOUND
 *   anything else                                          → INTERNAL
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorCodes, toTesseraError, type ErrorCode } from '@tessera/common';
import { NotLeaderError } from '@tessera/raft';

export const ERROR_CODE_METADATA = 'tessera-error-code';
export const LEADER_METADATA = 'tessera-leader';

function statusFor(code: ErrorCode, retriable: boolean): grpc.status {
  switch (code) {
    case ErrorCodes.RAFT_NOT_LEADER:
    case ErrorCodes.RAFT_STOPPED:
    case ErrorCodes.RAFT_STORAGE:
      return grpc.status.UNAVAILABLE;
    case ErrorCodes.RAFT_REJECTED:
      return retriable ? grpc.status.UNAVAILABLE : grpc.status.FAILED_PRECONDITION;
    case ErrorCodes.RAFT_UNKNOWN_OUTCOME:
      return grpc.status.ABORTED;
    case ErrorCodes.RAFT_TIMEOUT:
      return grpc.status.DEADLINE_EXCEEDED;
    case ErrorCodes.RAFT_SESSION_EXPIRED:
    case ErrorCodes.RAFT_SESSION_STALE:
      return grpc.status.FAILED_PRECONDITION;
    case ErrorCodes.NOT_FOUND:
      return grpc.status.NOT_FOUND;
    case ErrorCodes.INVALID_ARGUMENT:
    case ErrorCodes.CODEC_TRUNCATED:
    case ErrorCodes.CODEC_TRAILING_BYTES:
    case ErrorCodes.CODEC_FIELD_TOO_LONG:
    case ErrorCodes.CODEC_VALUE_OUT_OF_RANGE:
    case ErrorCodes.CODEC_BAD_MAGIC:
    case ErrorCodes.WIRE_BAD_U64:
      return grpc.status.INVALID_ARGUMENT;
    default:
      return grpc.status.INTERNAL;
  }
}

/** The status object a handler passes to its callback (or emits) for `err`. */
export function toStatus(err: unknown): Partial<grpc.StatusObject> {
  const e = toTesseraError(err);
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_CODE_METADATA, e.code);
  if (err instanceof NotLeaderError && err.leader !== undefined) metadata.set(LEADER_METADATA, err.leader);
  const code = statusFor(e.code, e.retriable);
  return { code, details: code === grpc.status.INTERNAL ? 'internal error' : e.message, metadata };
}

/** Adapts an async handler to a unary gRPC callback. */
export function unary<Req, Res>(handler: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request, call).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toStatus(err)),
    );
  };
}
