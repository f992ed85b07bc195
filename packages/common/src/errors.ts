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
  // Node-local storage (devices, extents, placement, pools)
  /** Fewer healthy devices than a write needs (k+m distinct): retriable once devices return. */
  INSUFFICIENT_DEVICES: 'INSUFFICIENT_DEVICES',
  /** A device folder holds something that is not a Tessera device of this format. */
  DEVICE_FOREIGN_FORMAT: 'DEVICE_FOREIGN_FORMAT',
  /** A device folder belongs to another node or another device id. */
  DEVICE_WRONG_OWNER: 'DEVICE_WRONG_OWNER',
  /** A device state change the state machine does not allow. */
  DEVICE_BAD_TRANSITION: 'DEVICE_BAD_TRANSITION',
  /** The device's state refuses the operation (failed, removed, or evacuating for writes). */
  DEVICE_UNAVAILABLE: 'DEVICE_UNAVAILABLE',
  /** The device has no room left for this kind of write (new data stops at 97 %). */
  DEVICE_FULL: 'DEVICE_FULL',
  UNKNOWN_DEVICE: 'UNKNOWN_DEVICE',
  /** A pool at or over the critical threshold takes no new placements. */
  POOL_CRITICAL: 'POOL_CRITICAL',
  /** A pool at or over the read-only threshold refuses new data (retriable). */
  POOL_READ_ONLY: 'POOL_READ_ONLY',
  /** A pool at or over the full threshold refuses new data. */
  POOL_FULL: 'POOL_FULL',
  /** An erasure profile the pool cannot protect (it spans too few nodes). */
  POOL_PROFILE_REJECTED: 'POOL_PROFILE_REJECTED',
  /** Fewer than k good shards of a chunk could be read anywhere. */
  CHUNK_UNRECOVERABLE: 'CHUNK_UNRECOVERABLE',
  // Audit trails (hash chains, signed heads)
  AUDIT_CHAIN_BROKEN: 'AUDIT_CHAIN_BROKEN',
  AUDIT_TRUNCATED: 'AUDIT_TRUNCATED',
  AUDIT_HEAD_MISMATCH: 'AUDIT_HEAD_MISMATCH',
  AUDIT_BAD_SIGNATURE: 'AUDIT_BAD_SIGNATURE',
  AUDIT_UNKNOWN_CHAIN: 'AUDIT_UNKNOWN_CHAIN',
  // Key manager (root providers, tenant keys, crypto-shred)
  /** The tenant's KEK no longer exists in the root provider (crypto-shred): its keys are gone for good. */
  KEK_DESTROYED: 'KEK_DESTROYED',
  KM_PROVIDER_UNAVAILABLE: 'KM_PROVIDER_UNAVAILABLE',
  KM_PROVIDER_CONFIG: 'KM_PROVIDER_CONFIG',
  KM_KEYRING_INSECURE: 'KM_KEYRING_INSECURE',
  KM_NOT_INITIALIZED: 'KM_NOT_INITIALIZED',
  KM_KEY_NOT_FOUND: 'KM_KEY_NOT_FOUND',
  KM_TENANT_NOT_FOUND: 'KM_TENANT_NOT_FOUND',
  KM_TENANT_EXISTS: 'KM_TENANT_EXISTS',
  KM_TENANT_SHREDDED: 'KM_TENANT_SHREDDED',
  KM_BAD_STATE: 'KM_BAD_STATE',
  KM_CONFLICT: 'KM_CONFLICT',
  KM_FORBIDDEN: 'KM_FORBIDDEN',
  KM_NODE_NOT_ALLOWED: 'KM_NODE_NOT_ALLOWED',
  KM_BAD_COMMAND: 'KM_BAD_COMMAND',
  /** The key manager could not be reached; cached keys keep working until their TTL. */
  KM_UNAVAILABLE: 'KM_UNAVAILABLE',
  // Process launcher (local clusters, multi-process tests)
  /** A launched process did not reach the awaited state before its deadline. */
  LAUNCHER_TIMEOUT: 'LAUNCHER_TIMEOUT',
  /** A launched process exited (or could not start) when it was expected to run. */
  LAUNCHER_PROCESS_EXITED: 'LAUNCHER_PROCESS_EXITED',
  /** The tessera CLI to launch nodes with was not found (no sources, no build). */
  LAUNCHER_NO_CLI: 'LAUNCHER_NO_CLI',
  // Metadata state machine (chunk records, references, deltas, tenants)
  /** A chunk named by a write is no longer live (deleted by GC meanwhile): retriable by re-uploading it. */
  CHUNK_GONE: 'CHUNK_GONE',
  /** GC or clean-up refused: the chunk record (or retired placement) is still referenced, pending or inside gcGrace. */
  CHUNK_IN_USE: 'CHUNK_IN_USE',
  /** A chunk command names a writeId (or state) the record no longer has: re-read the record. */
  CHUNK_STALE_WRITE_ID: 'CHUNK_STALE_WRITE_ID',
  /** A chunk commit outside its window (gateway time too old or too far ahead of leader time). */
  CHUNK_COMMIT_REJECTED: 'CHUNK_COMMIT_REJECTED',
  /** A chunk sealed under a system epoch below the minimum decrypt epoch. */
  EPOCH_RETIRED: 'EPOCH_RETIRED',
  /** The tenant's quota of logical bytes would be exceeded. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** The tenant exists but is not active (disabled, shred pending or shredded). */
  TENANT_NOT_ACTIVE: 'TENANT_NOT_ACTIVE',
  /** An access request is not pending (approve, deny) or a grant's window has not ended (expiry), or a tenant has too many open requests (issue #9). */
  ACCESS_BAD_STATE: 'ACCESS_BAD_STATE',
  // Chaos suite (histories, linearizability checker)
  /** A recorded history (Jepsen log, EDN or JSONL) is malformed or exceeds a size bound. */
  CHAOS_HISTORY_INVALID: 'CHAOS_HISTORY_INVALID',
  /** A chaos run could not set up, drive or heal its cluster (not a verdict about the system under test). */
  CHAOS_RUN: 'CHAOS_RUN',
  // Tenant SDK (@tessera/client)
  /** An object was replaced while the client was reading it in parts (after a resume): read it again. */
  OBJECT_CHANGED: 'OBJECT_CHANGED',
  // Node data-path CPU stages (worker-thread pipeline)
  /** The chunk pipeline was closed: no new jobs, queued ones are refused. */
  PIPELINE_CLOSED: 'PIPELINE_CLOSED',
  /** A pipeline worker thread died while running the job (it is replaced); retriable. */
  PIPELINE_WORKER_FAILED: 'PIPELINE_WORKER_FAILED',
  // Membership safety (Admin RemoveMember, issue #9)
  /** The node's devices still hold current shards of live chunks: drain it (evacuate, or fail and repair) or force. */
  NODE_HOLDS_SHARDS: 'NODE_HOLDS_SHARDS',
  /** Removing this voter would leave fewer than three voters: force it if that is intended. */
  TOO_FEW_VOTERS: 'TOO_FEW_VOTERS',
  // Metadata audit chains (issue #9)
  /** Too many audit records wait for their proposal: these are counted as lost; retriable. */
  AUDIT_QUEUE_FULL: 'AUDIT_QUEUE_FULL',
  // Admin AddDevice (issue #9)
  /** A device folder refused: not under one of the node's device roots, `..`, a symlink leading out, or a non-empty folder that is no device. */
  DEVICE_PATH_REFUSED: 'DEVICE_PATH_REFUSED',
  /** The device id or its folder is already in use on this node (or the id is in the node/device table). */
  DEVICE_EXISTS: 'DEVICE_EXISTS',
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
