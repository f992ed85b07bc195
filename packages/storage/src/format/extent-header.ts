/**
 * The first block of every extent file: which device and extent it belongs
 * to and how its records are aligned. It fills one 4 KiB block so that the
 * first record of a direct-I/O extent starts aligned.
 *
 *   offset  size  field
 *        0     4  magic "TSXE"
 *        4     2  format version (1)
 *        6     1  alignment, log2 (0: records back to back; 12: batches start on 4 KiB)
 *        7     1  reserved (0)
 *        8    16  device uuid
 *       24     4  extent id, u32 BE
 *       28     8  created at, u64 BE ms
 *       36     4  CRC-32C of bytes 0..35
 *       40  4056  zero
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { crc32c } from '@tessera/erasure';

export const EXTENT_MAGIC: Buffer = Buffer.from('TSXE', 'latin1');
export const EXTENT_FORMAT_VERSION = 1;
export const EXTENT_HEADER_BYTES = 4096;
export const DIRECT_IO_ALIGNMENT = 4096;
const CRC_OFFSET = 36;
const U32 = 0x1_0000_0000;

export type ExtentAlignment = 1 | typeof DIRECT_IO_ALIGNMENT;

export interface ExtentHeader {
  readonly deviceUuid: Uint8Array;
  readonly extentId: number;
  readonly alignment: ExtentAlignment;
  readonly createdAt: number;
}

export function writeExtentHeader(target: Buffer, header: ExtentHeader): void {
  if (target.length < EXTENT_HEADER_BYTES) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'extent header buffer too small');
  if (header.deviceUuid.length !== 16) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'device uuid must be 16 bytes');
  if (!Number.isInteger(header.extentId) || header.extentId < 1 || header.extentId > 0xffff_ffff) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'extent id must be a positive u32');
  }
  target.fill(0, 0, EXTENT_HEADER_BYTES);
  EXTENT_MAGIC.copy(target, 0);
  target.writeUInt16BE(EXTENT_FORMAT_VERSION, 4);
  target[6] = header.alignment === DIRECT_IO_ALIGNMENT ? 12 : 0;
  target.set(header.deviceUuid, 8);
  target.writeUInt32BE(header.extentId, 24);
  target.writeUInt32BE(Math.floor(header.createdAt / U32), 28);
  target.writeUInt32BE(header.createdAt % U32, 32);
  target.writeUInt32BE(crc32c(target.subarray(0, CRC_OFFSET)), CRC_OFFSET);
}

export function encodeExtentHeader(header: ExtentHeader): Buffer {
  const out = Buffer.alloc(EXTENT_HEADER_BYTES);
  writeExtentHeader(out, header);
  return out;
}

/** Parses an extent header; throws TesseraError (CHECKSUM_MISMATCH for damage, CODEC_* otherwise). */
export function decodeExtentHeader(bytes: Uint8Array): ExtentHeader {
  if (bytes.length < CRC_OFFSET + 4) throw new TesseraError(ErrorCodes.CODEC_TRUNCATED, 'extent header truncated');
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.compare(EXTENT_MAGIC, 0, 4, 0, 4) !== 0) throw new TesseraError(ErrorCodes.CODEC_BAD_MAGIC, 'not an extent file');
  if (crc32c(b.subarray(0, CRC_OFFSET)) !== b.readUInt32BE(CRC_OFFSET)) {
    throw new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, 'extent header checksum mismatch');
  }
  if (b.readUInt16BE(4) !== EXTENT_FORMAT_VERSION) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'unsupported extent format');
  const log2 = b[6];
  if (log2 !== 0 && log2 !== 12) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'unsupported extent alignment');
  const extentId = b.readUInt32BE(24);
  if (extentId === 0) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'extent id 0');
  const high = b.readUInt32BE(28);
  if (high >= 0x20_0000) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'extent time out of range');
  return {
    deviceUuid: Buffer.from(b.subarray(8, 24)),
    extentId,
    alignment: log2 === 12 ? DIRECT_IO_ALIGNMENT : 1,
    createdAt: high * U32 + b.readUInt32BE(32),
  };
}

/** Extent file name: eight hex digits, so names sort in id order. */
export function extentFileName(extentId: number): string {
  return `${extentId.toString(16).padStart(8, '0')}.ext`;
}

export function parseExtentFileName(name: string): number | undefined {
  const match = /^([0-9a-f]{8})\.ext$/.exec(name);
  if (match === null) return undefined;
  const id = Number.parseInt(match[1]!, 16);
  return id > 0 ? id : undefined;
}

export function alignUp(value: number, alignment: number): number {
  return alignment <= 1 ? value : Math.ceil(value / alignment) * alignment;
}
