/**
 * How service handlers report failures, and how clients read them back: a
 * gRPC status chosen by what the caller should do, the stable Tessera error
 * code in the trailing metadata (`tessera-error-code`), and, for "not the
 * leader", the leader's id when known (`tessera-leader`) so a client can go
 * there directly. Messages are the TesseraError's caller-safe message;
 * anything else is a generic "internal error" (O1).
 *
 *   RAFT_NOT_LEADER, RAFT_STOPPED, RAFT_STORAGE,
 *   retriable RAFT_REJECTED, KM_UNAVAILABLE,
 *   KM_PROVIDER_UNAVAILABLE, CRYPTO_KEY_DESTROYED,
 *   the data path's INSUFFICIENT_DEVICES, CHUNK_GONE,
 *   CHUNK_UNRECOVERABLE, TRANSPORT_PEER_UNREACHABLE         → UNAVAILABLE (retry elsewhere / later)
 *   RAFT_UNKNOWN_OUTCOME                                   → ABORTED (indeterminate; retry only through a session)
 *   RAFT_TIMEOUT                                           → DEADLINE_EXCEEDED
 *   INVALID_ARGUMENT, INVALID_TENANT_ID, CODEC_*,
 *   WIRE_BAD_U64                                           → INVALID_ARGUMENT
 *   RAFT_REJECTED (final), RAFT_SESSION_*, KEK_DESTROYED,
 *   KM_CONFLICT, KM_BAD_STATE, KM_TENANT_SHREDDED,
 *   KM_NOT_INITIALIZED, KM_PROVIDER_CONFIG,
 *   ACCESS_BAD_STATE, DEVICE_BAD_TRANSITION,
 *   NODE_HOLDS_SHARDS, TOO_FEW_VOTERS                      → FAILED_PRECONDITION
 *   NOT_FOUND, KM_TENANT_NOT_FOUND, KM_KEY_NOT_FOUND,
 *   AUDIT_UNKNOWN_CHAIN                                    → NOT_FOUND
 *   KM_TENANT_EXISTS                                       → ALREADY_EXISTS
 *   KM_FORBIDDEN, KM_NODE_NOT_ALLOWED                      → PERMISSION_DENIED
 *   anything else                                          → INTERNAL
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError, toTesseraError, type ErrorCode } from '@tessera/common';
import { NotLeaderError, type NodeId } from '@tessera/raft';

export const ERROR_CODE_METADATA = 'tessera-error-code';
export const LEADER_METADATA = 'tessera-leader';

const BY_CODE: ReadonlyMap<ErrorCode, grpc.status> = new Map<ErrorCode, grpc.status>([
  [ErrorCodes.RAFT_NOT_LEADER, grpc.status.UNAVAILABLE],
  [ErrorCodes.RAFT_STOPPED, grpc.status.UNAVAILABLE],
  [ErrorCodes.RAFT_STORAGE, grpc.status.UNAVAILABLE],
  [ErrorCodes.KM_UNAVAILABLE, grpc.status.UNAVAILABLE],
  [ErrorCodes.KM_PROVIDER_UNAVAILABLE, grpc.status.UNAVAILABLE],
  [ErrorCodes.RAFT_UNKNOWN_OUTCOME, grpc.status.ABORTED],
  [ErrorCodes.RAFT_TIMEOUT, grpc.status.DEADLINE_EXCEEDED],
  [ErrorCodes.RAFT_SESSION_EXPIRED, grpc.status.FAILED_PRECONDITION],
  [ErrorCodes.RAFT_SESSION_STALE, grpc.status.FAILED_PRECONDITION],
  [ErrorCodes.KEK_DESTROYED, grpc.status.FAILED_PRECONDITION],
  [ErrorCodes.KM_CONFLICT, grpc.status.FAILED_PRECONDITION],
  [ErrorCodes.KM_BAD_STATE, grpc.status.FAILED_PRECONDITION],
  [ErrorCodes.KM_TENANT_SHREDDED, grpc.status.FAILED_PRECONDITION],
  [ErrorCodes.KM_NOT_INITIALIZED, grpc.status.FAILED_PRECONDITION],
  [ErrorCodes.KM_PROVIDER_CONFIG, grpc.status.FAILED_PRECONDITION],
  [ErrorCodes.NOT_FOUND, grpc.status.NOT_FOUND],
  [ErrorCodes.KM_TENANT_NOT_FOUND, grpc.status.NOT_FOUND],
  [ErrorCodes.KM_KEY_NOT_FOUND, grpc.status.NOT_FOUND],
  [ErrorCodes.AUDIT_UNKNOWN_CHAIN, grpc.status.NOT_FOUND],
  [ErrorCodes.KM_TENANT_EXISTS, grpc.status.ALREADY_EXISTS],
  [ErrorCodes.KM_FORBIDDEN, grpc.status.PERMISSION_DENIED],
  [ErrorCodes.KM_NODE_NOT_ALLOWED, grpc.status.PERMISSION_DENIED],
  [ErrorCodes.INVALID_ARGUMENT, grpc.status.INVALID_ARGUMENT],
  [ErrorCodes.INVALID_TENANT_ID, grpc.status.INVALID_ARGUMENT],
  [ErrorCodes.CODEC_TRUNCATED, grpc.status.INVALID_ARGUMENT],
  [ErrorCodes.CODEC_TRAILING_BYTES, grpc.status.INVALID_ARGUMENT],
  [ErrorCodes.CODEC_FIELD_TOO_LONG, grpc.status.INVALID_ARGUMENT],
  [ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, grpc.status.INVALID_ARGUMENT],
  [ErrorCodes.CODEC_BAD_MAGIC, grpc.status.INVALID_ARGUMENT],
  [ErrorCodes.WIRE_BAD_U64, grpc.status.INVALID_ARGUMENT],
  // The data path (DESIGN section 6).
  [ErrorCodes.INSUFFICIENT_DEVICES, grpc.status.UNAVAILABLE],
  [ErrorCodes.CHUNK_GONE, grpc.status.UNAVAILABLE],
  [ErrorCodes.CHUNK_UNRECOVERABLE, grpc.status.UNAVAILABLE],
  [ErrorCodes.TRANSPORT_PEER_UNREACHABLE, grpc.status.UNAVAILABLE],
  // A key the node's TTL cache wiped while a request still held it (fail closed, K5): the retry
  // fetches it again, and after a crypto-shred the key manager refuses that fetch instead. The
  // 30-minute chaos run saw 4 of 95,036 operations fail this way.
  [ErrorCodes.CRYPTO_KEY_DESTROYED, grpc.status.UNAVAILABLE],
  [ErrorCodes.QUOTA_EXCEEDED, grpc.status.RESOURCE_EXHAUSTED],
  [ErrorCodes.TENANT_NOT_ACTIVE, grpc.status.FAILED_PRECONDITION],
  [ErrorCodes.UNKNOWN_DEVICE, grpc.status.NOT_FOUND],
  [ErrorCodes.CHECKSUM_MISMATCH, grpc.status.DATA_LOSS],
  [ErrorCodes.TRANSPORT_PERMISSION_DENIED, grpc.status.PERMISSION_DENIED],
  [ErrorCodes.EPOCH_RETIRED, grpc.status.FAILED_PRECONDITION],
  // Access grants (issue #9): the request or grant is not in a state that allows the action.
  [ErrorCodes.ACCESS_BAD_STATE, grpc.status.FAILED_PRECONDITION],
  // Admin SetDeviceState (issue #9): the device lifecycle forbids the change.
  [ErrorCodes.DEVICE_BAD_TRANSITION, grpc.status.FAILED_PRECONDITION],
  // Admin RemoveMember (issue #9): the membership safety rules refuse it unless forced.
  [ErrorCodes.NODE_HOLDS_SHARDS, grpc.status.FAILED_PRECONDITION],
  [ErrorCodes.TOO_FEW_VOTERS, grpc.status.FAILED_PRECONDITION],
  // Admin AddDevice (issue #9): the folder or id is refused; the folder holds something else.
  [ErrorCodes.DEVICE_PATH_REFUSED, grpc.status.INVALID_ARGUMENT],
  [ErrorCodes.DEVICE_EXISTS, grpc.status.ALREADY_EXISTS],
  [ErrorCodes.DEVICE_FOREIGN_FORMAT, grpc.status.FAILED_PRECONDITION],
  [ErrorCodes.DEVICE_WRONG_OWNER, grpc.status.FAILED_PRECONDITION],
]);

function statusFor(code: ErrorCode, retriable: boolean): grpc.status {
  if (code === ErrorCodes.RAFT_REJECTED) return retriable ? grpc.status.UNAVAILABLE : grpc.status.FAILED_PRECONDITION;
  // A retriable refusal nobody mapped is still one the caller may retry: never INTERNAL.
  return BY_CODE.get(code) ?? (retriable ? grpc.status.UNAVAILABLE : grpc.status.INTERNAL);
}

/** The status object a handler passes to its callback (or emits) for `err`. */
export function toStatus(err: unknown): Partial<grpc.StatusObject> {
  const f = failureFields(err);
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_CODE_METADATA, f.code);
  if (f.leader !== '') metadata.set(LEADER_METADATA, f.leader);
  return { code: f.status, details: f.message, metadata };
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

/**
 * A code a peer sent, if it is one of ours. An own-property check: `in`
 * would also accept the prototype's names (`valueOf`, `constructor`), which
 * a fuzzer found.
 */
function knownCode(code: string): ErrorCode | undefined {
  return Object.hasOwn(ErrorCodes, code) ? (code as ErrorCode) : undefined;
}

/**
 * What a failure tells the caller: the status, Tessera code, caller-safe
 * message and leader hint. `toStatus` sends them as a call's status and
 * trailing metadata; streams that answer many requests and must not end on
 * one refusal carry them inside a reply message.
 */
export interface FailureFields {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** The leader's id, or '' when unknown or not a "not the leader" refusal. */
  readonly leader: string;
}

export function failureFields(err: unknown): FailureFields {
  const e = toTesseraError(err);
  const status = statusFor(e.code, e.retriable);
  return {
    status,
    code: e.code,
    message: status === grpc.status.INTERNAL ? 'internal error' : e.message,
    leader: err instanceof NotLeaderError && err.leader !== undefined ? err.leader : '',
  };
}

/** The client side of `failureFields`: the same RpcFailure the unary call would have given. */
export function failureFromFields(f: FailureFields): RpcFailure {
  const status = Number.isInteger(f.status) && f.status > 0 && f.status <= 16 ? (f.status as grpc.status) : grpc.status.INTERNAL;
  const code = knownCode(f.code) ?? ErrorCodes.INTERNAL;
  return new RpcFailure(status, code, f.message || 'call failed', f.leader !== '' ? f.leader : undefined);
}

/** A failed call as a client sees it: the gRPC status, the Tessera code and message, the leader hint. */
export class RpcFailure extends TesseraError {
  constructor(
    readonly status: grpc.status,
    code: ErrorCode,
    message: string,
    readonly leader: NodeId | undefined,
  ) {
    super(code, message, { retriable: status === grpc.status.UNAVAILABLE });
  }
}

/** Reads a server's failure back into a TesseraError (the code from metadata when it names a known one). */
export function rpcFailure(err: grpc.ServiceError): RpcFailure {
  const metaCode = err.metadata?.get(ERROR_CODE_METADATA)[0];
  const leader = err.metadata?.get(LEADER_METADATA)[0];
  const known = typeof metaCode === 'string' ? knownCode(metaCode) : undefined;
  const fallback =
    err.code === grpc.status.UNAVAILABLE
      ? ErrorCodes.TRANSPORT_PEER_UNREACHABLE
      : err.code === grpc.status.PERMISSION_DENIED
        ? ErrorCodes.TRANSPORT_PERMISSION_DENIED
        : err.code === grpc.status.UNAUTHENTICATED
          ? ErrorCodes.TRANSPORT_UNAUTHENTICATED
          : ErrorCodes.INTERNAL;
  return new RpcFailure(err.code, known ?? fallback, err.details || 'call failed', typeof leader === 'string' && leader !== '' ? leader : undefined);
}
