/**
 * The format of one key file in a keyring folder:
 *
 *   "TKEY" ‖ u8 format 1 ‖ u8 kind (1 root, 2 KEK, 3 audit seed) ‖ u8-len tenant ‖ u32 version ‖ 32 key ‖ 8 check
 *
 * check = the first 8 bytes of SHA-256 over everything before it: a damaged
 * or truncated file is refused instead of producing a wrong key. The key
 * bytes are raw (this is one of the exempt files of K1, mode 0600, outside
 * every data dir). Names: `root-v<N>.key`, `audit-v<N>.key`, `kek-<tenant>-v<N>.key`.
 */
import { createHash } from 'node:crypto';
import { ErrorCodes, isValidTenantId } from '@tessera/common';
import { kmError } from '../../errors.js';

export const KeyFileKinds = { ROOT: 1, KEK: 2, AUDIT: 3 } as const;
export type KeyFileKind = (typeof KeyFileKinds)[keyof typeof KeyFileKinds];

const MAGIC = Buffer.from('TKEY', 'ascii');
const FORMAT = 1;
const KEY_BYTES = 32;
const CHECK_BYTES = 8;
export const MAX_KEY_FILE_BYTES = 4 + 1 + 1 + 1 + 63 + 4 + KEY_BYTES + CHECK_BYTES;

export interface KeyFileHeader {
  readonly kind: KeyFileKind;
  readonly tenant: string;
  readonly version: number;
}

const KEK_NAME = /^kek-([a-z0-9-]{1,63})-v([1-9][0-9]{0,9})\.key$/;

export function keyFileName(header: KeyFileHeader): string {
  switch (header.kind) {
    case KeyFileKinds.ROOT:
      return `root-v${header.version}.key`;
    case KeyFileKinds.AUDIT:
      return `audit-v${header.version}.key`;
    case KeyFileKinds.KEK:
      return `kek-${header.tenant}-v${header.version}.key`;
  }
}

/** The (tenant, version) of a KEK file name, or undefined for any other name. */
export function parseKekFileName(name: string): { tenant: string; version: number } | undefined {
  const m = KEK_NAME.exec(name);
  if (m === null) return undefined;
  const version = Number(m[2]);
  return isValidTenantId(m[1]) && version <= 0xffff_ffff ? { tenant: m[1], version } : undefined;
}

/** Encodes into a fresh non-pooled buffer the caller must wipe after writing it. */
export function encodeKeyFile(header: KeyFileHeader, key: Uint8Array): Buffer {
  if (key.byteLength !== KEY_BYTES) throw kmError(ErrorCodes.CRYPTO_BAD_KEY, 'key files hold 32-byte keys');
  const tenant = Buffer.from(header.tenant, 'ascii');
  const body = Buffer.alloc(4 + 1 + 1 + 1 + tenant.length + 4 + KEY_BYTES + CHECK_BYTES);
  let at = MAGIC.copy(body, 0);
  at = body.writeUInt8(FORMAT, at);
  at = body.writeUInt8(header.kind, at);
  at = body.writeUInt8(tenant.length, at);
  at += tenant.copy(body, at);
  at = body.writeUInt32BE(header.version, at);
  body.set(key, at);
  at += KEY_BYTES;
  createHash('sha256').update(body.subarray(0, at)).digest().copy(body, at, 0, CHECK_BYTES);
  return body;
}

/**
 * Checks a file's bytes against the header it must have and returns a copy
 * of the key in a fresh buffer (the caller wipes both).
 */
export function decodeKeyFile(bytes: Buffer, expected: KeyFileHeader): Buffer {
  const corrupt = (): Error => kmError(ErrorCodes.KM_PROVIDER_CONFIG, 'key file is damaged or not the expected key');
  const tenant = Buffer.from(expected.tenant, 'ascii');
  const length = 4 + 1 + 1 + 1 + tenant.length + 4 + KEY_BYTES + CHECK_BYTES;
  if (bytes.length !== length || !bytes.subarray(0, 4).equals(MAGIC)) throw corrupt();
  const checkAt = length - CHECK_BYTES;
  const check = createHash('sha256').update(bytes.subarray(0, checkAt)).digest().subarray(0, CHECK_BYTES);
  if (!check.equals(bytes.subarray(checkAt))) throw corrupt();
  if (bytes[4] !== FORMAT || bytes[5] !== expected.kind || bytes[6] !== tenant.length) throw corrupt();
  if (!bytes.subarray(7, 7 + tenant.length).equals(tenant) || bytes.readUInt32BE(7 + tenant.length) !== expected.version) throw corrupt();
  const keyAt = 7 + tenant.length + 4;
  const key = Buffer.alloc(KEY_BYTES);
  bytes.copy(key, 0, keyAt, keyAt + KEY_BYTES);
  return key;
}
