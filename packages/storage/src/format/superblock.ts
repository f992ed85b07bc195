/**
 * The device superblock: the small file that makes a folder a Tessera device
 * and says whose it is. Canonical binary (DESIGN section 5: no JSON in
 * anything checksummed):
 *
 *   magic "TSXD", u16 format version, 16-byte device uuid (random, set when
 *   formatted), device id, node id and class (u8-length strings), u64
 *   capacity bytes, u64 formatted-at ms, then a CRC-32C of all of it.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { crc32c } from '@tessera/erasure';

export const SUPERBLOCK_MAGIC: Buffer = Buffer.from('TSXD', 'latin1');
export const SUPERBLOCK_FORMAT_VERSION = 1;
/** Generous bound on the file: three short strings and a few integers. */
export const MAX_SUPERBLOCK_BYTES = 1024;

/** Device ids: what operators type (`tessera device …`) and what placement slots name. */
export const DEVICE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const DEVICE_CLASS_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}$/;

export interface Superblock {
  readonly formatVersion: number;
  readonly deviceUuid: Uint8Array;
  readonly deviceId: string;
  readonly nodeId: string;
  readonly deviceClass: string;
  readonly capacityBytes: number;
  readonly formattedAt: number;
}

export function checkDeviceIdentity(deviceId: string, nodeId: string, deviceClass: string, capacityBytes: number): void {
  if (!DEVICE_ID_PATTERN.test(deviceId)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'device id must match [a-z0-9][a-z0-9._-]{0,62}');
  if (!NODE_ID_PATTERN.test(nodeId)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'node id must match [A-Za-z0-9][A-Za-z0-9._:-]{0,127}');
  if (!DEVICE_CLASS_PATTERN.test(deviceClass)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'device class must match [a-z0-9][a-z0-9._-]{0,31}');
  if (!Number.isSafeInteger(capacityBytes) || capacityBytes <= 0) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'device capacity must be a positive integer');
  }
}

export function encodeSuperblock(sb: Superblock): Buffer {
  checkDeviceIdentity(sb.deviceId, sb.nodeId, sb.deviceClass, sb.capacityBytes);
  if (sb.deviceUuid.length !== 16) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'device uuid must be 16 bytes');
  const body = new BinaryWriter(256)
    .raw(SUPERBLOCK_MAGIC)
    .u16(sb.formatVersion)
    .fixed(sb.deviceUuid, 16)
    .string(sb.deviceId, 1)
    .string(sb.nodeId, 1)
    .string(sb.deviceClass, 1)
    .u64(sb.capacityBytes)
    .u64(sb.formattedAt)
    .finish();
  const out = Buffer.allocUnsafe(body.length + 4);
  body.copy(out, 0);
  out.writeUInt32BE(crc32c(body), body.length);
  return out;
}

/**
 * Decodes a superblock. Throws TesseraError only: DEVICE_FOREIGN_FORMAT for
 * anything that is not a readable superblock of a known version (wrong magic,
 * damage, unknown version) — the caller refuses the folder unless forced.
 */
export function decodeSuperblock(bytes: Uint8Array): Superblock {
  const foreign = (why: string): TesseraError => new TesseraError(ErrorCodes.DEVICE_FOREIGN_FORMAT, `device superblock ${why}`);
  if (bytes.length > MAX_SUPERBLOCK_BYTES) throw foreign('too large');
  if (bytes.length < SUPERBLOCK_MAGIC.length + 6) throw foreign('truncated');
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.compare(SUPERBLOCK_MAGIC, 0, 4, 0, 4) !== 0) throw foreign('has an unknown format');
  const body = view.subarray(0, view.length - 4);
  if (crc32c(body) !== view.readUInt32BE(view.length - 4)) throw foreign('is damaged');
  try {
    const reader = new BinaryReader(body);
    reader.expectMagic(SUPERBLOCK_MAGIC);
    const formatVersion = reader.u16();
    if (formatVersion !== SUPERBLOCK_FORMAT_VERSION) throw foreign('has an unsupported format version');
    const deviceUuid = Buffer.from(reader.fixed(16));
    const deviceId = reader.string(1);
    const nodeId = reader.string(1);
    const deviceClass = reader.string(1);
    const capacityBytes = reader.u64Number();
    const formattedAt = reader.u64Number();
    reader.end();
    checkDeviceIdentity(deviceId, nodeId, deviceClass, capacityBytes);
    return { formatVersion, deviceUuid, deviceId, nodeId, deviceClass, capacityBytes, formattedAt };
  } catch (err) {
    if (err instanceof TesseraError && err.code === ErrorCodes.DEVICE_FOREIGN_FORMAT) throw err;
    throw new TesseraError(ErrorCodes.DEVICE_FOREIGN_FORMAT, 'device superblock is malformed', { cause: err });
  }
}
