/**
 * Keys and values of a device's shard index (a LevelDB inside the device
 * folder). Everything here can be rebuilt by scanning the extent files; the
 * index only makes lookups and restarts fast.
 *
 *   's' ‖ shardKey(49)              → ShardLocation   live shards
 *   'g' ‖ shardKey(49) ‖ extent u32 → ''              "ghosts": extents holding a
 *        dead put of that key (needed to decide whether a tombstone may be dropped)
 *   'e' ‖ extent u32                → ExtentMeta      per-extent state, indexed tail, live bytes
 *   'm' ‖ name                      → metadata        index marker, scrub progress
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { SHARD_KEY_BYTES } from './shard-key.js';

const SHARD = 0x73;
const GHOST = 0x67;
const EXTENT = 0x65;
const META = 0x6d;

export const INDEX_FORMAT_VERSION = 1;

export function shardEntryKey(key: Buffer): Buffer {
  return Buffer.concat([Buffer.of(SHARD), key]);
}

/** The whole range of live shard entries. */
export const SHARD_RANGE = { gte: Buffer.of(SHARD), lt: Buffer.of(SHARD + 1) } as const;

export function shardKeyOfEntry(entryKey: Buffer): Buffer {
  if (entryKey.length !== 1 + SHARD_KEY_BYTES || entryKey[0] !== SHARD) throw corrupt('shard entry key');
  return entryKey.subarray(1);
}

export function ghostEntryKey(key: Buffer, extentId: number): Buffer {
  const out = Buffer.allocUnsafe(1 + SHARD_KEY_BYTES + 4);
  out[0] = GHOST;
  key.copy(out, 1);
  out.writeUInt32BE(extentId, 1 + SHARD_KEY_BYTES);
  return out;
}

/** Every ghost entry of one shard key. */
export function ghostRange(key: Buffer): { gte: Buffer; lt: Buffer } {
  return { gte: ghostEntryKey(key, 0), lt: Buffer.concat([Buffer.of(GHOST), key, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff])]) };
}

export function ghostExtentOf(entryKey: Buffer): number {
  if (entryKey.length !== 1 + SHARD_KEY_BYTES + 4 || entryKey[0] !== GHOST) throw corrupt('ghost entry key');
  return entryKey.readUInt32BE(1 + SHARD_KEY_BYTES);
}

export function extentEntryKey(extentId: number): Buffer {
  const out = Buffer.allocUnsafe(5);
  out[0] = EXTENT;
  out.writeUInt32BE(extentId, 1);
  return out;
}

export const EXTENT_RANGE = { gte: Buffer.of(EXTENT), lt: Buffer.of(EXTENT + 1) } as const;

export function extentIdOfEntry(entryKey: Buffer): number {
  if (entryKey.length !== 5 || entryKey[0] !== EXTENT) throw corrupt('extent entry key');
  return entryKey.readUInt32BE(1);
}

export function metaKey(name: 'marker' | 'scrub'): Buffer {
  return Buffer.concat([Buffer.of(META), Buffer.from(name, 'latin1')]);
}

export interface ShardLocation {
  readonly extentId: number;
  readonly offset: number;
  readonly payloadLength: number;
  readonly sysEpoch: number;
  readonly gatewayTime: number;
}

export function encodeLocation(loc: ShardLocation): Buffer {
  return new BinaryWriter(28).u32(loc.extentId).u64(loc.offset).u32(loc.payloadLength).u32(loc.sysEpoch).u64(loc.gatewayTime).finish();
}

export function decodeLocation(bytes: Uint8Array): ShardLocation {
  return decodeStrict('shard location', bytes, (r) => ({
    extentId: r.u32(),
    offset: r.u64Number(),
    payloadLength: r.u32(),
    sysEpoch: r.u32(),
    gatewayTime: r.u64Number(),
  }));
}

export type ExtentState = 'active' | 'sealed' | 'retired';
const STATE_CODE: Record<ExtentState, number> = { active: 1, sealed: 2, retired: 3 };
const STATE_OF: Record<number, ExtentState> = { 1: 'active', 2: 'sealed', 3: 'retired' };

export interface ExtentMeta {
  readonly state: ExtentState;
  /** Every record in [header end, tail) is reflected in the index. */
  readonly tail: number;
  /** Bytes of live shard records (the rest of the file is dead, padding or header). */
  readonly liveBytes: number;
  readonly liveRecords: number;
}

export function encodeExtentMeta(meta: ExtentMeta): Buffer {
  return new BinaryWriter(24).u8(STATE_CODE[meta.state]).u64(meta.tail).u64(meta.liveBytes).u32(meta.liveRecords).finish();
}

export function decodeExtentMeta(bytes: Uint8Array): ExtentMeta {
  return decodeStrict('extent meta', bytes, (r) => {
    const state = STATE_OF[r.u8()];
    if (state === undefined) throw corrupt('extent state');
    return { state, tail: r.u64Number(), liveBytes: r.u64Number(), liveRecords: r.u32() };
  });
}

export interface IndexMarker {
  readonly version: number;
  readonly deviceUuid: Uint8Array;
}

export function encodeIndexMarker(marker: IndexMarker): Buffer {
  return new BinaryWriter(17).u8(marker.version).fixed(marker.deviceUuid, 16).finish();
}

export function decodeIndexMarker(bytes: Uint8Array): IndexMarker {
  return decodeStrict('index marker', bytes, (r) => ({ version: r.u8(), deviceUuid: Buffer.from(r.fixed(16)) }));
}

export interface ScrubProgress {
  /** Completed passes over the whole device. */
  readonly passes: number;
  /** Where the current pass resumes. */
  readonly cursorExtent: number;
  readonly cursorOffset: number;
  /** Bytes scanned in the current pass. */
  readonly passBytes: number;
  readonly totalBytesScanned: number;
  readonly errorsFound: number;
  readonly lastRunStartedAt: number;
  readonly lastRunFinishedAt: number;
  readonly lastPassCompletedAt: number;
}

export const EMPTY_SCRUB_PROGRESS: ScrubProgress = {
  passes: 0,
  cursorExtent: 0,
  cursorOffset: 0,
  passBytes: 0,
  totalBytesScanned: 0,
  errorsFound: 0,
  lastRunStartedAt: 0,
  lastRunFinishedAt: 0,
  lastPassCompletedAt: 0,
};

export function encodeScrubProgress(p: ScrubProgress): Buffer {
  return new BinaryWriter(80)
    .u8(1)
    .u32(p.passes)
    .u32(p.cursorExtent)
    .u64(p.cursorOffset)
    .u64(p.passBytes)
    .u64(p.totalBytesScanned)
    .u64(p.errorsFound)
    .u64(p.lastRunStartedAt)
    .u64(p.lastRunFinishedAt)
    .u64(p.lastPassCompletedAt)
    .finish();
}

export function decodeScrubProgress(bytes: Uint8Array): ScrubProgress {
  return decodeStrict('scrub progress', bytes, (r) => {
    if (r.u8() !== 1) throw corrupt('scrub progress version');
    return {
      passes: r.u32(),
      cursorExtent: r.u32(),
      cursorOffset: r.u64Number(),
      passBytes: r.u64Number(),
      totalBytesScanned: r.u64Number(),
      errorsFound: r.u64Number(),
      lastRunStartedAt: r.u64Number(),
      lastRunFinishedAt: r.u64Number(),
      lastPassCompletedAt: r.u64Number(),
    };
  });
}

function decodeStrict<T>(what: string, bytes: Uint8Array, read: (reader: BinaryReader) => T): T {
  try {
    const reader = new BinaryReader(bytes);
    const value = read(reader);
    reader.end();
    return value;
  } catch (err) {
    if (err instanceof TesseraError && err.code === ErrorCodes.STORAGE_IO) throw err;
    throw corrupt(what, err);
  }
}

/** A damaged index entry: the caller rebuilds the index from the extents. */
function corrupt(what: string, cause?: unknown): TesseraError {
  return new TesseraError(ErrorCodes.STORAGE_IO, `shard index ${what} is damaged`, cause === undefined ? {} : { cause });
}
