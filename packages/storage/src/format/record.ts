/**
 * Extent records: the self-describing unit appended to extent files
 * (DESIGN section 6). Every shard write and every delete is one record.
 *
 *   offset  size  field
 *        0     4  magic "TSXR"
 *        4     1  format version (1)
 *        5     1  kind: 1 shard, 2 tombstone
 *        6     1  shard index
 *        7     1  flags (0; reserved)
 *        8    32  chunk id
 *       40    16  writeId
 *       56     4  sysEpoch, u32 BE
 *       60     8  gatewayTime, u64 BE, milliseconds since the epoch
 *       68     4  payload length n, u32 BE (0 for a tombstone)
 *       72     4  header CRC-32C of bytes 0..71
 *       76     n  payload (opaque: a sealed, erasure-coded shard)
 *     76+n     4  record CRC-32C of bytes 0..76+n-1 (header and payload)
 *
 * Why a header CRC as well as the record CRC: it lets a scanner trust the
 * length of a record whose payload is corrupt and step over it, so one flipped
 * byte costs one record, not the rest of the extent; and it lets a scanner
 * that lost its place find the next record by searching for the magic and
 * checking a header CRC, with a false match chance of about 2^-64.
 *
 * The payload is opaque to storage: the record CRC is the only checksum a
 * shard needs here (the erasure package's 12-byte shard framing is not
 * wrapped inside, because a second CRC pass over the same bytes would add cost
 * and no protection).
 */
import { CHUNK_ID_BYTES, ErrorCodes, TesseraError } from '@tessera/common';
import { crc32c } from '@tessera/erasure';
import { checkShardKey, WRITE_ID_BYTES, type ShardKey } from './shard-key.js';

export const RECORD_MAGIC: Buffer = Buffer.from('TSXR', 'latin1');
export const RECORD_VERSION = 1;
export const RECORD_HEADER_BYTES = 76;
export const RECORD_TRAILER_BYTES = 4;
/** Bytes a record adds to its payload. */
export const RECORD_OVERHEAD = RECORD_HEADER_BYTES + RECORD_TRAILER_BYTES;
/** Largest payload a record may carry: a 4 MiB chunk at k = 1, sealed, with room to spare. */
export const MAX_RECORD_PAYLOAD = 16 * 1024 * 1024;

const HEADER_CRC_OFFSET = 72;
const U32 = 0x1_0000_0000;

export type RecordKind = 'shard' | 'tombstone';
const KIND_CODE: Record<RecordKind, number> = { shard: 1, tombstone: 2 };

export interface RecordFields extends ShardKey {
  readonly kind: RecordKind;
  readonly sysEpoch: number;
  /** Gateway wall-clock time of the write (or of the delete, for a tombstone), ms. */
  readonly gatewayTime: number;
}

export interface RecordHeader extends RecordFields {
  readonly payloadLength: number;
  /** Header, payload and trailer. */
  readonly recordLength: number;
}

export function recordLength(payloadLength: number): number {
  return RECORD_OVERHEAD + payloadLength;
}

/** Throws TesseraError when `fields` cannot be written as a record with a payload of `payloadLength` bytes. */
export function checkRecordFields(fields: RecordFields, payloadLength: number): void {
  checkShardKey(fields);
  if (!Number.isInteger(fields.sysEpoch) || fields.sysEpoch < 0 || fields.sysEpoch > 0xffff_ffff) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'sysEpoch must be a u32');
  }
  if (!Number.isSafeInteger(fields.gatewayTime) || fields.gatewayTime < 0) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'gatewayTime must be a non-negative safe integer');
  }
  if (payloadLength > MAX_RECORD_PAYLOAD) {
    throw new TesseraError(ErrorCodes.CODEC_FIELD_TOO_LONG, `shard payload longer than ${MAX_RECORD_PAYLOAD} bytes`);
  }
  if (fields.kind === 'tombstone' && payloadLength !== 0) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a tombstone has no payload');
  }
}

/**
 * Writes the 76-byte header at `target[offset]` and returns the CRC state
 * after it, from which the record CRC continues over the payload.
 */
export function writeRecordHeader(target: Buffer, offset: number, fields: RecordFields, payloadLength: number): number {
  checkRecordFields(fields, payloadLength);
  RECORD_MAGIC.copy(target, offset);
  target[offset + 4] = RECORD_VERSION;
  target[offset + 5] = KIND_CODE[fields.kind];
  target[offset + 6] = fields.shardIndex;
  target[offset + 7] = 0;
  target.set(fields.chunkId, offset + 8);
  target.set(fields.writeId, offset + 40);
  target.writeUInt32BE(fields.sysEpoch, offset + 56);
  target.writeUInt32BE(Math.floor(fields.gatewayTime / U32), offset + 60);
  target.writeUInt32BE(fields.gatewayTime % U32, offset + 64);
  target.writeUInt32BE(payloadLength, offset + 68);
  target.writeUInt32BE(crc32c(target.subarray(offset, offset + HEADER_CRC_OFFSET)), offset + HEADER_CRC_OFFSET);
  return crc32c(target.subarray(offset, offset + RECORD_HEADER_BYTES));
}

/** A record as three buffers for a gathered write: header, the payload itself (no copy), trailer. */
export function recordParts(fields: RecordFields, payload: Uint8Array): [Buffer, Buffer, Buffer] {
  const header = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
  const headerCrc = writeRecordHeader(header, 0, fields, payload.length);
  const trailer = Buffer.allocUnsafe(RECORD_TRAILER_BYTES);
  trailer.writeUInt32BE(crc32c(payload, headerCrc), 0);
  return [header, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), trailer];
}

/** Writes a whole record into `target` at `offset` (a copy, for aligned direct-I/O buffers); returns its length. */
export function writeRecordInto(target: Buffer, offset: number, fields: RecordFields, payload: Uint8Array): number {
  const headerCrc = writeRecordHeader(target, offset, fields, payload.length);
  const payloadAt = offset + RECORD_HEADER_BYTES;
  target.set(payload, payloadAt);
  target.writeUInt32BE(crc32c(payload, headerCrc), payloadAt + payload.length);
  return recordLength(payload.length);
}

/** One record in a single buffer. */
export function encodeRecord(fields: RecordFields, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const out = Buffer.allocUnsafe(recordLength(payload.length));
  writeRecordInto(out, 0, fields, payload);
  return out;
}

export type HeaderProblem = 'short' | 'magic' | 'header-crc' | 'version' | 'kind' | 'flags' | 'length';

export type HeaderParse = { readonly ok: true; readonly header: RecordHeader } | { readonly ok: false; readonly problem: HeaderProblem };

/**
 * Parses the header at `bytes[offset]` without trusting anything the header
 * CRC does not cover. Never throws on bad input.
 */
export function parseRecordHeader(bytes: Uint8Array, offset = 0, maxPayload = MAX_RECORD_PAYLOAD): HeaderParse {
  if (bytes.length - offset < RECORD_HEADER_BYTES) return { ok: false, problem: 'short' };
  const b = Buffer.from(bytes.buffer, bytes.byteOffset + offset, RECORD_HEADER_BYTES);
  if (b.compare(RECORD_MAGIC, 0, 4, 0, 4) !== 0) return { ok: false, problem: 'magic' };
  if (crc32c(b.subarray(0, HEADER_CRC_OFFSET)) !== b.readUInt32BE(HEADER_CRC_OFFSET)) return { ok: false, problem: 'header-crc' };
  if (b[4] !== RECORD_VERSION) return { ok: false, problem: 'version' };
  const kindCode = b[5];
  const kind: RecordKind | undefined = kindCode === 1 ? 'shard' : kindCode === 2 ? 'tombstone' : undefined;
  if (kind === undefined) return { ok: false, problem: 'kind' };
  if (b[7] !== 0) return { ok: false, problem: 'flags' };
  const payloadLength = b.readUInt32BE(68);
  if (payloadLength > maxPayload || (kind === 'tombstone' && payloadLength !== 0)) return { ok: false, problem: 'length' };
  const high = b.readUInt32BE(60);
  if (high >= 0x20_0000) return { ok: false, problem: 'length' }; // gatewayTime beyond 2^53: not ours
  const shardIndex = b[6]!;
  if (shardIndex > 254) return { ok: false, problem: 'kind' };
  return {
    ok: true,
    header: {
      kind,
      shardIndex,
      chunkId: Buffer.from(b.subarray(8, 8 + CHUNK_ID_BYTES)),
      writeId: Buffer.from(b.subarray(40, 40 + WRITE_ID_BYTES)),
      sysEpoch: b.readUInt32BE(56),
      gatewayTime: high * U32 + b.readUInt32BE(64),
      payloadLength,
      recordLength: recordLength(payloadLength),
    },
  };
}

/** Whether the record CRC of a record whose header parsed holds; `bytes[offset..]` must hold the whole record. */
export function recordChecksumOk(bytes: Uint8Array, offset: number, header: RecordHeader): boolean {
  const end = offset + header.recordLength;
  if (bytes.length < end) return false;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return crc32c(view.subarray(offset, end - RECORD_TRAILER_BYTES)) === view.readUInt32BE(end - RECORD_TRAILER_BYTES);
}

export interface DecodedRecord {
  readonly header: RecordHeader;
  /** A view into the decoded input. */
  readonly payload: Buffer;
}

/**
 * Decodes and verifies one record spanning `bytes` exactly. Throws
 * TesseraError only: CHECKSUM_MISMATCH for any damage (torn, flipped,
 * truncated), CODEC_* for a well-checksummed record this version cannot read.
 */
export function decodeRecord(bytes: Uint8Array, maxPayload = MAX_RECORD_PAYLOAD): DecodedRecord {
  const parsed = parseRecordHeader(bytes, 0, maxPayload);
  if (!parsed.ok) {
    if (parsed.problem === 'version') throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'unsupported extent record version');
    throw new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, 'extent record header damaged');
  }
  const { header } = parsed;
  if (bytes.length !== header.recordLength || !recordChecksumOk(bytes, 0, header)) {
    throw new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, 'extent record checksum mismatch');
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { header, payload: view.subarray(RECORD_HEADER_BYTES, RECORD_HEADER_BYTES + header.payloadLength) };
}
