/**
 * Key layout and record encodings of the LevelDB Raft store.
 *
 * Keys (big-endian, so LevelDB's byte order is index order):
 *   0x01 | group u32 | kind u8       one per-group metadata record
 *   0x02 | group u32 | index u64     one log entry
 * A group's entries form one contiguous key range, which is what lets a
 * truncation or compaction delete "the known key range" inside a batch.
 *
 * Every value starts with a CRC32C of the rest of the record (for an entry,
 * also of its index), so a flipped bit, a torn write or a record copied to
 * the wrong key is detected on read instead of being served.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import type { ConfState, Entry, EntryType, HardState, MemberInfo, NodeId, SnapshotMetadata } from '../types.js';
import { crc32c } from './checksum.js';

const TAG_META = 0x01;
const TAG_ENTRY = 0x02;

export const MetaKind = {
  Identity: 1,
  HardState: 2,
  SnapshotMeta: 3,
  SnapshotData: 4,
  Compacted: 5,
} as const;
export type MetaKind = (typeof MetaKind)[keyof typeof MetaKind];

const MAX_ID_BYTES = 256;
const MAX_ADDRESS_BYTES = 1024;
const MAX_MEMBERS = 4096;

export function checkGroup(group: number): void {
  if (!Number.isInteger(group) || group < 0 || group > 0xffff_ffff) {
    throw new TesseraError(ErrorCodes.RAFT_BAD_CONFIG, 'raft group id must be a u32');
  }
}

export function metaKey(group: number, kind: MetaKind): Buffer {
  const key = Buffer.alloc(6);
  key.writeUInt8(TAG_META, 0);
  key.writeUInt32BE(group, 1);
  key.writeUInt8(kind, 5);
  return key;
}

export function entryKey(group: number, index: number): Buffer {
  const key = Buffer.alloc(13);
  key.writeUInt8(TAG_ENTRY, 0);
  key.writeUInt32BE(group, 1);
  key.writeBigUInt64BE(BigInt(index), 5);
  return key;
}

/** The key just past every entry of `group`. */
export function entryRangeEnd(group: number): Buffer {
  const key = Buffer.alloc(5);
  key.writeUInt8(TAG_ENTRY, 0);
  key.writeUInt32BE(group, 1);
  return Buffer.concat([key, Buffer.alloc(8, 0xff), Buffer.from([0xff])]);
}

export function indexFromEntryKey(key: Uint8Array): number {
  const view = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  const index = view.readBigUInt64BE(5);
  return index > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(index);
}

/** A record whose checksum or structure is wrong. */
export class BadRecordError extends Error {
  constructor(readonly what: string) {
    super(`bad ${what} record`);
  }
}

function seal(body: Buffer, extra?: Buffer): Buffer {
  const crc = extra === undefined ? crc32c(body) : crc32c(body, crc32c(extra));
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32BE(crc, 0);
  body.copy(out, 4);
  return out;
}

function open(record: Uint8Array, what: string, extra?: Buffer): BinaryReader {
  if (record.byteLength < 4) throw new BadRecordError(what);
  const view = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  const body = view.subarray(4);
  const crc = extra === undefined ? crc32c(body) : crc32c(body, crc32c(extra));
  if (crc !== view.readUInt32BE(0)) throw new BadRecordError(what);
  return new BinaryReader(body);
}

/** Runs a decoder, turning any structural failure into a BadRecordError. */
function decoding<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof BadRecordError) throw err;
    throw new BadRecordError(what);
  }
}

// ----- entries -----

const ENTRY_TYPE_CODES: Record<EntryType, number> = { normal: 0, confChange: 1 };

function indexBytes(index: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(index));
  return b;
}

/**
 * CRC32C over index u64 | term u64 | type u8 | data. The index is the key,
 * not stored in the value, but covering it catches a record under the wrong key.
 */
export function entryChecksum(entry: Entry): number {
  const header = Buffer.allocUnsafe(17);
  header.writeBigUInt64BE(BigInt(entry.index), 0);
  header.writeBigUInt64BE(BigInt(entry.term), 8);
  header.writeUInt8(ENTRY_TYPE_CODES[entry.type], 16);
  return crc32c(entry.data, crc32c(header));
}

/** crc u32 | term u64 | type u8 | data. */
export function encodeEntry(entry: Entry, crc: number = entryChecksum(entry)): Buffer {
  const out = Buffer.allocUnsafe(13 + entry.data.byteLength);
  out.writeUInt32BE(crc, 0);
  out.writeBigUInt64BE(BigInt(entry.term), 4);
  out.writeUInt8(ENTRY_TYPE_CODES[entry.type], 12);
  out.set(entry.data, 13);
  return out;
}

export function decodeEntry(index: number, record: Uint8Array): Entry {
  return decoding('entry', () => {
    const r = open(record, 'entry', indexBytes(index));
    const term = r.u64Number();
    const code = r.u8();
    const type: EntryType = code === 0 ? 'normal' : code === 1 ? 'confChange' : fail('entry');
    return { term, index, type, data: Uint8Array.from(r.rest()) };
  });
}

// ----- hard state -----

export function encodeHardState(hs: HardState): Buffer {
  // repairUntil (0 = not repairing) is part of the durable HardState (DESIGN
  // section 4): a repairing replica must still abstain after a restart.
  return seal(new BinaryWriter(40).u64(hs.term).string(hs.vote, 2, MAX_ID_BYTES).u64(hs.commit).u64(hs.repairUntil ?? 0).finish());
}

export function decodeHardState(record: Uint8Array): HardState {
  return decoding('hard state', () => {
    const r = open(record, 'hard state');
    const term = r.u64Number();
    const vote = r.string(2, MAX_ID_BYTES);
    const commit = r.u64Number();
    const repairUntil = r.u64Number();
    r.end();
    return repairUntil > 0 ? { term, vote, commit, repairUntil } : { term, vote, commit };
  });
}

// ----- identity -----

export interface StoreIdentity {
  readonly nodeId: NodeId;
  /** Random, made when this store was first created; a wiped node gets a new one. */
  readonly incarnationId: string;
  /** Random, made by `bootstrap`; '' for a joining member until it learns the cluster's. */
  readonly clusterId: string;
}

export function encodeIdentity(id: StoreIdentity): Buffer {
  return seal(
    new BinaryWriter(96).string(id.nodeId, 2, MAX_ID_BYTES).string(id.incarnationId, 2, MAX_ID_BYTES).string(id.clusterId, 2, MAX_ID_BYTES).finish(),
  );
}

export function decodeIdentity(record: Uint8Array): StoreIdentity {
  return decoding('identity', () => {
    const r = open(record, 'identity');
    const id = { nodeId: r.string(2, MAX_ID_BYTES), incarnationId: r.string(2, MAX_ID_BYTES), clusterId: r.string(2, MAX_ID_BYTES) };
    r.end();
    return id;
  });
}

// ----- compaction point -----

export interface CompactionPoint {
  readonly index: number;
  readonly term: number;
}

export function encodeCompacted(point: CompactionPoint): Buffer {
  return seal(new BinaryWriter(16).u64(point.index).u64(point.term).finish());
}

export function decodeCompacted(record: Uint8Array): CompactionPoint {
  return decoding('compaction', () => {
    const r = open(record, 'compaction');
    const point = { index: r.u64Number(), term: r.u64Number() };
    r.end();
    return point;
  });
}

// ----- snapshot -----

/** Metadata record: also holds the CRC and length of the data record, so a mismatched pair is caught. */
export function encodeSnapshotMeta(meta: SnapshotMetadata, data: Uint8Array): Buffer {
  const w = new BinaryWriter(128).u64(meta.index).u64(meta.term).u32(crc32c(data)).u64(data.byteLength);
  writeConfState(w, meta.confState);
  return seal(w.finish());
}

export interface DecodedSnapshotMeta {
  readonly metadata: SnapshotMetadata;
  readonly dataCrc: number;
  readonly dataLength: number;
}

export function decodeSnapshotMeta(record: Uint8Array): DecodedSnapshotMeta {
  return decoding('snapshot', () => {
    const r = open(record, 'snapshot');
    const index = r.u64Number();
    const term = r.u64Number();
    const dataCrc = r.u32();
    const dataLength = r.u64Number();
    const confState = readConfState(r);
    r.end();
    return { metadata: { index, term, confState }, dataCrc, dataLength };
  });
}

export function snapshotDataMatches(meta: DecodedSnapshotMeta, data: Uint8Array): boolean {
  return data.byteLength === meta.dataLength && crc32c(data) === meta.dataCrc;
}

const HAS_MEMBERS = 1;
const HAS_REMOVED = 2;

function writeIds(w: BinaryWriter, ids: readonly NodeId[]): void {
  if (ids.length > MAX_MEMBERS) throw new TesseraError(ErrorCodes.RAFT_BAD_CONFIG, 'configuration too large');
  w.u32(ids.length);
  for (const id of ids) w.string(id, 2, MAX_ID_BYTES);
}

function readIds(r: BinaryReader): NodeId[] {
  const n = r.u32();
  if (n > MAX_MEMBERS) fail('configuration');
  const ids: NodeId[] = [];
  for (let i = 0; i < n; i++) ids.push(r.string(2, MAX_ID_BYTES));
  return ids;
}

export function writeConfState(w: BinaryWriter, cs: ConfState): void {
  w.u8((cs.members !== undefined ? HAS_MEMBERS : 0) | (cs.removed !== undefined ? HAS_REMOVED : 0));
  writeIds(w, cs.voters);
  writeIds(w, cs.learners);
  if (cs.members !== undefined) {
    if (cs.members.length > MAX_MEMBERS) throw new TesseraError(ErrorCodes.RAFT_BAD_CONFIG, 'configuration too large');
    w.u32(cs.members.length);
    for (const m of cs.members) w.string(m.id, 2, MAX_ID_BYTES).string(m.incarnationId, 2, MAX_ID_BYTES).string(m.address, 2, MAX_ADDRESS_BYTES);
  }
  if (cs.removed !== undefined) writeIds(w, cs.removed);
}

export function readConfState(r: BinaryReader): ConfState {
  const flags = r.u8();
  if ((flags & ~(HAS_MEMBERS | HAS_REMOVED)) !== 0) fail('configuration');
  const voters = readIds(r);
  const learners = readIds(r);
  let members: MemberInfo[] | undefined;
  if ((flags & HAS_MEMBERS) !== 0) {
    const n = r.u32();
    if (n > MAX_MEMBERS) fail('configuration');
    members = [];
    for (let i = 0; i < n; i++) members.push({ id: r.string(2, MAX_ID_BYTES), incarnationId: r.string(2, MAX_ID_BYTES), address: r.string(2, MAX_ADDRESS_BYTES) });
  }
  const removed = (flags & HAS_REMOVED) !== 0 ? readIds(r) : undefined;
  return { voters, learners, ...(members !== undefined ? { members } : {}), ...(removed !== undefined ? { removed } : {}) };
}

function fail(what: string): never {
  throw new BadRecordError(what);
}
