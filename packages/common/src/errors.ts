/**
 * Typed errors with stable codes.
 *
 * `code` is part of the public contract: callers, the CLI and tests branch on
 * it, so a code is never renamed once released. `message` must be safe to show
 * to any caller (no key material, no paths of other tenants, no internal
 * state); the optional `cause` carries internal detail for local logs only and
 * is never serialised by `toWire()`.
 */

export const ErrorCodes = {
  // Generic
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  INTERNAL: 'INTERNAL',
  NOT_FOUND: 'NOT_FOUND',
  // Binary codec
  CODEC_TRUNCATED: 'CODEC_TRUNCATED',
  CODEC_TRAILING_BYTES: 'CODEC_TRAILING_BYTES',
  CODEC_FIELD_TOO_LONG: 'CODEC_FIELD_TOO_LONG',
  CODEC_VALUE_OUT_OF_RANGE: 'CODEC_VALUE_OUT_OF_RANGE',
  CODEC_BAD_MAGIC: 'CODEC_BAD_MAGIC',
  // Ids
  INVALID_CHUNK_ID: 'INVALID_CHUNK_ID',
  INVALID_TENANT_ID: 'INVALID_TENANT_ID',
  // Crypto
  CRYPTO_BAD_KEY: 'CRYPTO_BAD_KEY',
  CRYPTO_BAD_NONCE: 'CRYPTO_BAD_NONCE',
  CRYPTO_AUTH_FAILED: 'CRYPTO_AUTH_FAILED',
  CRYPTO_UNKNOWN_ALGORITHM: 'CRYPTO_UNKNOWN_ALGORITHM',
  CRYPTO_UNKNOWN_VERSION: 'CRYPTO_UNKNOWN_VERSION',
  CRYPTO_BAD_ENVELOPE: 'CRYPTO_BAD_ENVELOPE',
  CRYPTO_CHUNK_ID_MISMATCH: 'CRYPTO_CHUNK_ID_MISMATCH',
  CRYPTO_WRAP_FAILED: 'CRYPTO_WRAP_FAILED',
  CRYPTO_UNWRAP_FAILED: 'CRYPTO_UNWRAP_FAILED',
  CRYPTO_KEY_DESTROYED: 'CRYPTO_KEY_DESTROYED',
  /** The keys given to open an envelope are not the ones its header names (policy, epoch or tenant). */
  CRYPTO_KEY_MISMATCH: 'CRYPTO_KEY_MISMATCH',
  // Erasure coding and checksums
  ERASURE_BAD_PARAMS: 'ERASURE_BAD_PARAMS',
  ERASURE_TOO_FEW_SHARDS: 'ERASURE_TOO_FEW_SHARDS',
  ERASURE_SHARD_SIZE_MISMATCH: 'ERASURE_SHARD_SIZE_MISMATCH',
  CHECKSUM_MISMATCH: 'CHECKSUM_MISMATCH',
  // Consensus
  RAFT_NOT_LEADER: 'RAFT_NOT_LEADER',
  RAFT_REJECTED: 'RAFT_REJECTED',
  RAFT_UNKNOWN_OUTCOME: 'RAFT_UNKNOWN_OUTCOME',
  RAFT_STOPPED: 'RAFT_STOPPED',
  RAFT_CORRUPT_LOG: 'RAFT_CORRUPT_LOG',
  RAFT_STORAGE: 'RAFT_STORAGE',
  RAFT_BAD_CONFIG: 'RAFT_BAD_CONFIG',
  RAFT_LOG_COMPACTED: 'RAFT_LOG_COMPACTED',
  RAFT_LOG_UNAVAILABLE: 'RAFT_LOG_UNAVAILABLE',
  RAFT_SNAPSHOT_UNAVAILABLE: 'RAFT_SNAPSHOT_UNAVAILABLE',
  RAFT_SNAPSHOT_OUT_OF_DATE: 'RAFT_SNAPSHOT_OUT_OF_DATE',
  RAFT_INVARIANT: 'RAFT_INVARIANT',
  RAFT_NOT_BOOTSTRAPPED: 'RAFT_NOT_BOOTSTRAPPED',
  RAFT_WRONG_CLUSTER: 'RAFT_WRONG_CLUSTER',
  RAFT_SESSION_STALE: 'RAFT_SESSION_STALE',
  RAFT_SESSION_EXPIRED: 'RAFT_SESSION_EXPIRED',
  RAFT_TIMEOUT: 'RAFT_TIMEOUT',
  // Durable key-value stores (LevelDB with optional crash simulation)
  STORAGE_IO: 'STORAGE_IO',
  STORAGE_CLOSED: 'STORAGE_CLOSED',
  // Wire (protocol definitions)
  WIRE_PROTO_MISSING: 'WIRE_PROTO_MISSING',
  WIRE_BAD_U64: 'WIRE_BAD_U64',
  // Transport (mTLS, identities, authorization, peer links)
  TRANSPORT_UNAUTHENTICATED: 'TRANSPORT_UNAUTHENTICATED',
  TRANSPORT_PERMISSION_DENIED: 'TRANSPORT_PERMISSION_DENIED',
  TRANSPORT_TLS_MATERIAL: 'TRANSPORT_TLS_MATERIAL',
  TRANSPORT_BIND_REFUSED: 'TRANSPORT_BIND_REFUSED',
  TRANSPORT_PEER_UNREACHABLE: 'TRANSPORT_PEER_UNREACHABLE',
  TRANSPORT_CLOSED: 'TRANSPORT_CLOSED',
  // Certificates (launcher)
  CERT_EXISTS: 'CERT_EXISTS',
  CERT_NOT_FOUND: 'CERT_NOT_FOUND',
  CERT_INVALID: 'CERT_INVALID',
  CERT_WRONG_CA: 'CERT_WRONG_CA',
  CERT_IO: 'CERT_IO',
  // Command line
  CLI_USAGE: 'CLI_USAGE',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface TesseraErrorOptions {
  /** Internal detail for local diagnosis; never sent to a caller. */
  readonly cause?: unknown;
  /** Whether the caller may retry the same request unchanged. */
  readonly retriable?: boolean;
}

/** What may cross a process or trust boundary: code, safe message, retriability. */
export interface WireError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retriable: boolean;
}

export class TesseraError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: TesseraErrorOptions = {}) {
    super(message);
    this.name = 'TesseraError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    if (options.cause !== undefined) {
      // Non-enumerable so that JSON.stringify and structured loggers skip it.
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: false });
    }
  }

  /** The caller-safe projection: never includes `cause` or the stack. */
  toWire(): WireError {
    return { code: this.code, message: this.message, retriable: this.retriable };
  }

  toJSON(): WireError {
    return this.toWire();
  }
}

export function isTesseraError(value: unknown, code?: ErrorCode): value is TesseraError {
  return value instanceof TesseraError && (code === undefined || value.code === code);
}

/**
 * Turns anything thrown into a caller-safe error. Unknown errors become a
 * generic INTERNAL error whose message reveals nothing; the original is kept as
 * `cause` for local logs.
 */
export function toTesseraError(value: unknown): TesseraError {
  if (value instanceof TesseraError) return value;
  return new TesseraError(ErrorCodes.INTERNAL, 'internal error', { cause: value });
}
