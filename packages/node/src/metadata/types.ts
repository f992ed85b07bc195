/**
 * Value types of the metadata Raft group (DESIGN sections 6 and 7): the
 * node/device table, chunk records, tenants and object deltas. Pure data.
 */

/**
 * Device lifecycle states. A local copy of @tessera/storage's DEVICE_STATES
 * and transition table (packages/node does not depend on @tessera/storage
 * yet); keep the two in step until it does.
 */
export const DEVICE_STATES = ['healthy', 'degraded', 'evacuating', 'failed', 'removed'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

const DEVICE_TRANSITIONS: Readonly<Record<DeviceState, readonly DeviceState[]>> = {
  healthy: ['degraded', 'evacuating', 'failed'],
  degraded: ['healthy', 'evacuating', 'failed'],
  evacuating: ['healthy', 'failed', 'removed'],
  failed: ['removed'],
  removed: [],
};

/** Same rule as @tessera/storage: setting the current state again is allowed (a no-op). */
export function canDeviceTransition(from: DeviceState, to: DeviceState): boolean {
  return from === to || DEVICE_TRANSITIONS[from].includes(to);
}

export const TENANT_POLICIES = ['shared', 'isolated'] as const;
export type TenantPolicy = (typeof TENANT_POLICIES)[number];
/** The key manager's tenant states, plus `disabled` (DisableTenant, before a scheduled shred). */
export const TENANT_STATES = ['active', 'disabled', 'shred-pending-approval', 'shred-scheduled', 'shredded'] as const;
export type TenantState = (typeof TENANT_STATES)[number];

/**
 * Whether a tenant's data may be read and written: while active, and while a
 * cluster admin's shred request waits for a tenant admin's approval (a request
 * alone must not cut a tenant off). Disabled, scheduled for shred or
 * shredded tenants are refused.
 */
export function tenantServesData(state: TenantState): boolean {
  return state === 'active' || state === 'shred-pending-approval';
}

export const DELTA_OPS = ['put', 'delete'] as const;
export type DeltaOp = (typeof DELTA_OPS)[number];

export interface NodeRecord {
  readonly nodeId: string;
  /** host:port of its peer port. */
  readonly address: string;
}

export interface DeviceRecord {
  readonly nodeId: string;
  readonly deviceId: string;
  readonly pool: string;
  readonly capacityBytes: number;
  readonly state: DeviceState;
}

/** One shard of a chunk: on which (node, device), and which shard of the stripe. */
export interface PlacementSlot {
  readonly nodeId: string;
  readonly deviceId: string;
  readonly shardIndex: number;
}

export interface ChunkCommit {
  readonly chunkId: Buffer;
  /** Plaintext bytes of the chunk (what quotas count). */
  readonly size: number;
  readonly k: number;
  readonly m: number;
  /** The placement actually written, one slot per shard. */
  readonly slots: readonly PlacementSlot[];
  readonly writeId: Buffer;
  readonly sysEpoch: number;
  readonly tenEpoch: number;
  readonly gatewayTimeMs: number;
}

/**
 * Chunk lifecycle (DESIGN section 6): `live → deleting → gone`. A `deleting`
 * record is one GC condemned (ChunkDelete): nothing may reference it any more
 * and nodes delete its shards; `gone` is the record's absence (ChunkGone).
 */
export const CHUNK_STATES = ['live', 'deleting'] as const;
export type ChunkState = (typeof CHUNK_STATES)[number];

/**
 * A (writeId, slots) a chunk record no longer reads from, after repair or
 * re-encryption committed a new placement. Its shards stay on their devices
 * until `dropRetired`, at least gcGrace after `retiredAtMs`, so a read that
 * started on the old placement can finish (or notice and re-read).
 */
export interface RetiredPlacement {
  readonly writeId: Buffer;
  /** Only the slots that were replaced (all of them when the writeId changed). */
  readonly slots: readonly PlacementSlot[];
  /** Leader timestamp of the entry that retired it. */
  readonly retiredAtMs: number;
}

export interface ChunkRecord extends ChunkCommit {
  readonly state: ChunkState;
  /** Leader timestamp of the entry that committed it (a new upload over a deleting record: of that commit). */
  readonly committedAtMs: number;
  /** Leader timestamp of the ChunkDelete that condemned it; 0 while live. */
  readonly deletingAtMs: number;
  /** Oldest first; at most MAX_RETIRED_PER_CHUNK. */
  readonly retired: readonly RetiredPlacement[];
}

export interface TenantRecord {
  readonly id: string;
  readonly policy: TenantPolicy;
  readonly caCertPem: string;
  /** The tenant CA's CRL (PEM), as registered with the key manager. */
  readonly caCrlPem: string;
  readonly state: TenantState;
  /** Logical bytes the tenant may reference; 0: unlimited. */
  readonly quotaBytes: number;
  /**
   * Key references (DESIGN section 5: wrapped keys live only in the key
   * manager): the tenant's current epoch, whose TDK seals new deltas and
   * isolated chunks, and its current KEK version, as the key manager
   * reported them. 0 before the tenant's keys exist.
   */
  readonly keyEpoch: number;
  readonly kekVersion: number;
}

/** The cleartext, authenticated part of a delta, fixed by the gateway (it is the payload's AAD). */
export interface DeltaHeader {
  readonly formatVersion: number;
  readonly algId: number;
  readonly tenEpoch: number;
  readonly tenant: string;
  /** 16 random bytes. */
  readonly deltaId: Buffer;
  /** 32 bytes: HMAC of the object name under the tenant's index key. */
  readonly keyTag: Buffer;
  readonly op: DeltaOp;
  readonly tombstone: boolean;
  readonly chunkRefs: readonly Buffer[];
  readonly payloadSize: number;
  readonly clientId: number;
  readonly seq: number;
  /** 12 bytes. */
  readonly nonce: Buffer;
}

/** A delta as the state machine keeps it: header, the part it assigned, and the opaque payload. */
export interface StoredDelta {
  readonly header: DeltaHeader;
  /** Per-tenant sequence assigned at apply. */
  readonly sequence: number;
  readonly leaderTimeMs: number;
  readonly payload: Buffer;
}

/** Session part of a client request (DESIGN section 4). */
export interface SessionRef {
  readonly clientId: number;
  readonly seq: number;
  readonly ackedThrough: number;
}
