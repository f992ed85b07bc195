/**
 * Canonical binary forms of the metadata value types, shared by the command
 * codec and the snapshot image. Every reader bounds what it reads and
 * rejects values the writer would refuse, so each value has one encoding.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError, isValidTenantId } from '@tessera/common';
import {
  DELTA_OPS,
  DEVICE_STATES,
  TENANT_POLICIES,
  TENANT_STATES,
  type ChunkCommit,
  type DeltaHeader,
  type DeviceRecord,
  type NodeRecord,
  type PlacementSlot,
  type SessionRef,
  type TenantRecord,
} from './types.js';

export const METADATA_LIMITS = {
  /** Node ids, device ids, pool names and addresses: printable ASCII. */
  nameBytes: 255,
  caCertPemBytes: 64 * 1024,
  /** A delta entry, header and payload together (DESIGN section 7). */
  deltaEntryBytes: 1024 * 1024,
  chunksPerObject: 10_000,
  /** Largest chunk a record may describe. */
  chunkBytes: 64 * 1024 * 1024,
  maxShards: 255,
  chunkIdBytes: 32,
  writeIdBytes: 16,
  deltaIdBytes: 16,
  keyTagBytes: 32,
  nonceBytes: 12,
} as const;

const NAME_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function bad(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, message);
}

export function writeName(w: BinaryWriter, value: string, what: string): BinaryWriter {
  if (!NAME_PATTERN.test(value)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `${what} must be 1-255 printable ASCII characters`);
  return w.string(value, 1, METADATA_LIMITS.nameBytes);
}

export function readName(r: BinaryReader, what: string): string {
  const value = r.string(1, METADATA_LIMITS.nameBytes);
  if (!NAME_PATTERN.test(value)) throw bad(`${what} must be printable ASCII`);
  return value;
}

export function writeTenant(w: BinaryWriter, tenant: string): BinaryWriter {
  if (!isValidTenantId(tenant)) throw new TesseraError(ErrorCodes.INVALID_TENANT_ID, 'tenant id must be 1-63 characters of [a-z0-9-]');
  return w.string(tenant, 1, 63);
}

export function readTenant(r: BinaryReader): string {
  const tenant = r.string(1, 63);
  if (!isValidTenantId(tenant)) throw bad('invalid tenant id');
  return tenant;
}

/** An enum member as its index in `values`. */
export function writeEnum<T extends string>(w: BinaryWriter, values: readonly T[], value: T): BinaryWriter {
  const code = values.indexOf(value);
  if (code < 0) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'unknown enum value');
  return w.u8(code);
}

export function readEnum<T extends string>(r: BinaryReader, values: readonly T[], what: string): T {
  const value = values[r.u8()];
  if (value === undefined) throw bad(`unknown ${what}`);
  return value;
}

export function readBool(r: BinaryReader): boolean {
  const v = r.u8();
  if (v > 1) throw bad('boolean must be 0 or 1');
  return v === 1;
}

/** A count of items each at least `minBytes` long, checked against the input before anything is allocated. */
export function readCount(r: BinaryReader, minBytes: number, max: number, prefix: 2 | 4 = 4): number {
  const count = prefix === 2 ? r.u16() : r.u32();
  if (count > max) throw bad('too many items');
  if (count * minBytes > r.remaining) throw new TesseraError(ErrorCodes.CODEC_TRUNCATED, 'input truncated');
  return count;
}

export function writeSession(w: BinaryWriter, s: SessionRef): BinaryWriter {
  return w.u64(s.clientId).u64(s.seq).u64(s.ackedThrough);
}

export function readSession(r: BinaryReader): SessionRef {
  const clientId = r.u64Number();
  const seq = r.u64Number();
  const ackedThrough = r.u64Number();
  if (clientId < 1 || seq < 1 || ackedThrough >= seq) throw bad('invalid session reference');
  return { clientId, seq, ackedThrough };
}

export function writeNode(w: BinaryWriter, n: NodeRecord): BinaryWriter {
  return writeName(writeName(w, n.nodeId, 'node id'), n.address, 'node address');
}

export function readNode(r: BinaryReader): NodeRecord {
  return { nodeId: readName(r, 'node id'), address: readName(r, 'node address') };
}

export function writeDevice(w: BinaryWriter, d: DeviceRecord): BinaryWriter {
  writeName(writeName(writeName(w, d.nodeId, 'node id'), d.deviceId, 'device id'), d.pool, 'pool');
  return writeEnum(w.u64(d.capacityBytes), DEVICE_STATES, d.state);
}

export function readDevice(r: BinaryReader): DeviceRecord {
  return { nodeId: readName(r, 'node id'), deviceId: readName(r, 'device id'), pool: readName(r, 'pool'), capacityBytes: r.u64Number(), state: readEnum(r, DEVICE_STATES, 'device state') };
}

export function writeTenantRecord(w: BinaryWriter, t: TenantRecord): BinaryWriter {
  writeEnum(writeTenant(w, t.id), TENANT_POLICIES, t.policy);
  w.string(t.caCertPem, 4, METADATA_LIMITS.caCertPemBytes);
  w.string(t.caCrlPem, 4, METADATA_LIMITS.caCertPemBytes);
  return writeEnum(w, TENANT_STATES, t.state).u64(t.quotaBytes).u64(t.keyEpoch).u64(t.kekVersion);
}

export function readTenantRecord(r: BinaryReader): TenantRecord {
  return {
    id: readTenant(r),
    policy: readEnum(r, TENANT_POLICIES, 'tenant policy'),
    caCertPem: r.string(4, METADATA_LIMITS.caCertPemBytes),
    caCrlPem: r.string(4, METADATA_LIMITS.caCertPemBytes),
    state: readEnum(r, TENANT_STATES, 'tenant state'),
    quotaBytes: r.u64Number(),
    keyEpoch: r.u64Number(),
    kekVersion: r.u64Number(),
  };
}

function checkSlots(k: number, m: number, slots: readonly PlacementSlot[]): void {
  if (k < 1 || m < 0 || k + m > METADATA_LIMITS.maxShards) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'profile must satisfy 1 <= k, 0 <= m, k + m <= 255');
  if (slots.length !== k + m) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a chunk needs exactly k + m placement slots');
  const seen = new Set<number>();
  for (const s of slots) {
    if (!Number.isInteger(s.shardIndex) || s.shardIndex < 0 || s.shardIndex >= k + m || seen.has(s.shardIndex)) {
      throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'placement shard indices must cover 0..k+m-1 once each');
    }
    seen.add(s.shardIndex);
  }
}

/** A list of 1..255 slots with distinct shard indices (coverage is checked against the record at apply). */
export function writeSlotList(w: BinaryWriter, slots: readonly PlacementSlot[]): BinaryWriter {
  if (slots.length < 1 || slots.length > METADATA_LIMITS.maxShards || new Set(slots.map((s) => s.shardIndex)).size !== slots.length) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a slot list has 1..255 slots with distinct shard indices');
  }
  w.u16(slots.length);
  for (const s of slots) writeName(writeName(w, s.nodeId, 'node id'), s.deviceId, 'device id').u8(s.shardIndex);
  return w;
}

export function readSlotList(r: BinaryReader): PlacementSlot[] {
  const count = readCount(r, 5, METADATA_LIMITS.maxShards, 2);
  const slots: PlacementSlot[] = [];
  for (let i = 0; i < count; i++) slots.push({ nodeId: readName(r, 'node id'), deviceId: readName(r, 'device id'), shardIndex: r.u8() });
  if (count < 1 || new Set(slots.map((s) => s.shardIndex)).size !== count) throw bad('a slot list has 1..255 slots with distinct shard indices');
  return slots;
}

export function writeChunkCommit(w: BinaryWriter, c: ChunkCommit): BinaryWriter {
  checkSlots(c.k, c.m, c.slots);
  if (c.size > METADATA_LIMITS.chunkBytes) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'chunk too large');
  w.fixed(c.chunkId, METADATA_LIMITS.chunkIdBytes).u64(c.size).u8(c.k).u8(c.m).u16(c.slots.length);
  for (const s of c.slots) writeName(writeName(w, s.nodeId, 'node id'), s.deviceId, 'device id').u8(s.shardIndex);
  return w.fixed(c.writeId, METADATA_LIMITS.writeIdBytes).u64(c.sysEpoch).u64(c.tenEpoch).u64(c.gatewayTimeMs);
}

export function readChunkCommit(r: BinaryReader): ChunkCommit {
  const chunkId = Buffer.from(r.fixed(METADATA_LIMITS.chunkIdBytes));
  const size = r.u64Number();
  if (size > METADATA_LIMITS.chunkBytes) throw bad('chunk too large');
  const k = r.u8();
  const m = r.u8();
  const count = readCount(r, 5, METADATA_LIMITS.maxShards, 2);
  const slots: PlacementSlot[] = [];
  for (let i = 0; i < count; i++) slots.push({ nodeId: readName(r, 'node id'), deviceId: readName(r, 'device id'), shardIndex: r.u8() });
  try {
    checkSlots(k, m, slots);
  } catch (err) {
    throw bad(err instanceof Error ? err.message : 'bad placement');
  }
  return { chunkId, size, k, m, slots, writeId: Buffer.from(r.fixed(METADATA_LIMITS.writeIdBytes)), sysEpoch: r.u64Number(), tenEpoch: r.u64Number(), gatewayTimeMs: r.u64Number() };
}

function checkHeaderShape(h: DeltaHeader): string | undefined {
  if (h.op === 'put' && h.tombstone) return 'a put delta is not a tombstone';
  if (h.op === 'delete' && (!h.tombstone || h.chunkRefs.length > 0)) return 'a delete delta is a tombstone without chunks';
  if (h.chunkRefs.length > METADATA_LIMITS.chunksPerObject) return 'too many chunks in one object';
  if (h.clientId < 1 || h.seq < 1) return 'delta client id and seq must be positive';
  const seen = new Set<string>();
  for (const c of h.chunkRefs) {
    const hex = c.toString('hex');
    if (seen.has(hex)) return 'a chunk is listed twice';
    seen.add(hex);
  }
  return undefined;
}

export function writeDeltaHeader(w: BinaryWriter, h: DeltaHeader): BinaryWriter {
  const problem = checkHeaderShape(h);
  if (problem !== undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, problem);
  w.u8(h.formatVersion).u16(h.algId).u64(h.tenEpoch);
  writeTenant(w, h.tenant).fixed(h.deltaId, METADATA_LIMITS.deltaIdBytes).fixed(h.keyTag, METADATA_LIMITS.keyTagBytes);
  writeEnum(w, DELTA_OPS, h.op).u8(h.tombstone ? 1 : 0).u16(h.chunkRefs.length);
  for (const c of h.chunkRefs) w.fixed(c, METADATA_LIMITS.chunkIdBytes);
  return w.u32(h.payloadSize).u64(h.clientId).u64(h.seq).fixed(h.nonce, METADATA_LIMITS.nonceBytes);
}

export function readDeltaHeader(r: BinaryReader): DeltaHeader {
  const formatVersion = r.u8();
  const algId = r.u16();
  const tenEpoch = r.u64Number();
  const tenant = readTenant(r);
  const deltaId = Buffer.from(r.fixed(METADATA_LIMITS.deltaIdBytes));
  const keyTag = Buffer.from(r.fixed(METADATA_LIMITS.keyTagBytes));
  const op = readEnum(r, DELTA_OPS, 'delta op');
  const tombstone = readBool(r);
  const count = readCount(r, METADATA_LIMITS.chunkIdBytes, METADATA_LIMITS.chunksPerObject, 2);
  const chunkRefs: Buffer[] = [];
  for (let i = 0; i < count; i++) chunkRefs.push(Buffer.from(r.fixed(METADATA_LIMITS.chunkIdBytes)));
  const header: DeltaHeader = {
    formatVersion,
    algId,
    tenEpoch,
    tenant,
    deltaId,
    keyTag,
    op,
    tombstone,
    chunkRefs,
    payloadSize: r.u32(),
    clientId: r.u64Number(),
    seq: r.u64Number(),
    nonce: Buffer.from(r.fixed(METADATA_LIMITS.nonceBytes)),
  };
  const problem = checkHeaderShape(header);
  if (problem !== undefined) throw bad(problem);
  return header;
}
