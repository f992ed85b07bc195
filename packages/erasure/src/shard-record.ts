/**
 * A checksummed shard record: what a device stores and a reader verifies
 * before trusting a shard (DESIGN invariant D2).
 *
 *   offset  size  field
 *        0     4  magic "TSHR"
 *        4     1  version (1)
 *        5     1  k
 *        6     1  m
 *        7     1  shardIndex (0..k+m-1; < k is a data shard)
 *        8     4  payload length, big-endian, <= maxPayload
 *       12     n  payload
 *     12+n     4  CRC-32C, big-endian, of bytes 0 .. 12+n-1 (header and payload)
 *
 * The CRC covers the header too, so a flipped shard index or profile is caught
 * like a flipped payload byte. The decoder checks the CRC before interpreting
 * any field beyond the framing (magic, version, length).
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { crc32c } from './crc32c.js';
import { checkParams } from './params.js';

export const SHARD_RECORD_MAGIC: Uint8Array = Uint8Array.from([0x54, 0x53, 0x48, 0x52]); // "TSHR"
export const SHARD_RECORD_VERSION = 1;
const HEADER_BYTES = 12;
const CRC_BYTES = 4;
/** Bytes a record adds to its payload. */
export const SHARD_RECORD_OVERHEAD = HEADER_BYTES + CRC_BYTES;
/** Default payload bound: a 4 MiB chunk with k = 1, sealed, with room to spare. */
export const DEFAULT_MAX_SHARD_PAYLOAD = 16 * 1024 * 1024;

export interface ShardRecord {
  readonly k: number;
  readonly m: number;
  readonly shardIndex: number;
  /** From `decodeShardRecord`: a view into the decoded input, not a copy. */
  readonly payload: Uint8Array;
}

export interface ShardRecordOptions {
  /** Largest payload accepted, in bytes (default DEFAULT_MAX_SHARD_PAYLOAD). */
  readonly maxPayload?: number;
}

function maxPayloadOf(options: ShardRecordOptions): number {
  const max = options.maxPayload ?? DEFAULT_MAX_SHARD_PAYLOAD;
  if (!Number.isSafeInteger(max) || max < 0 || max > 0xffff_ffff) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'maxPayload must be a u32');
  }
  return max;
}

function checkIndex(k: number, m: number, shardIndex: number): void {
  checkParams(k, m);
  if (!Number.isInteger(shardIndex) || shardIndex < 0 || shardIndex >= k + m) {
    throw new TesseraError(ErrorCodes.ERASURE_BAD_PARAMS, 'shard index outside the profile');
  }
}

export function encodeShardRecord(record: ShardRecord, options: ShardRecordOptions = {}): Buffer {
  const max = maxPayloadOf(options);
  checkIndex(record.k, record.m, record.shardIndex);
  if (record.payload.length > max) {
    throw new TesseraError(ErrorCodes.CODEC_FIELD_TOO_LONG, `shard payload longer than ${max} bytes`);
  }
  const writer = new BinaryWriter(SHARD_RECORD_OVERHEAD + record.payload.length)
    .raw(SHARD_RECORD_MAGIC)
    .u8(SHARD_RECORD_VERSION)
    .u8(record.k)
    .u8(record.m)
    .u8(record.shardIndex)
    .bytes(record.payload, 4, max);
  const body = writer.finish();
  const out = Buffer.allocUnsafeSlow(body.length + CRC_BYTES);
  out.set(body, 0);
  out.writeUInt32BE(crc32c(body), body.length);
  return out;
}

/** Parses and verifies one record that spans `bytes` exactly; throws TesseraError only. */
export function decodeShardRecord(bytes: Uint8Array, options: ShardRecordOptions = {}): ShardRecord {
  const max = maxPayloadOf(options);
  const reader = new BinaryReader(bytes);
  reader.expectMagic(SHARD_RECORD_MAGIC);
  const version = reader.u8();
  if (version !== SHARD_RECORD_VERSION) {
    throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'unsupported shard record version');
  }
  const k = reader.u8();
  const m = reader.u8();
  const shardIndex = reader.u8();
  const payload = reader.bytes(4, max);
  const covered = reader.offset;
  const stored = reader.u32();
  reader.end();
  if (crc32c(bytes.subarray(0, covered)) !== stored) {
    throw new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, 'shard record checksum mismatch');
  }
  checkIndex(k, m, shardIndex);
  return { k, m, shardIndex, payload };
}
