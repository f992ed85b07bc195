/**
 * References to keys that live in a root provider. A reference names the
 * provider kind, the key's id inside it and a version, never key bytes:
 * that is all the key manager's Raft state holds about a KEK (DESIGN section
 * 5), and it is what maps onto an external KMS (docs/adr/0006).
 *
 *   root key      keyId "root",          version = root key version (1)
 *   audit key     keyId "audit",         version 1
 *   tenant KEK    keyId "kek/<tenant>",  version 1, 2, ... (one object per version)
 *
 * Encoding: u8-len provider ‖ u8-len keyId ‖ u32 version.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, isValidTenantId } from '@tessera/common';
import { kmError } from './errors.js';

export interface KeyRef {
  /** Provider kind: `file`, `pkcs11` (an external KMS would add its own). */
  readonly provider: string;
  readonly keyId: string;
  readonly version: number;
}

export const ROOT_KEY_ID = 'root';
export const AUDIT_KEY_ID = 'audit';
const KEK_PREFIX = 'kek/';
const PROVIDER_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
const KEY_ID_PATTERN = /^[a-z0-9][a-z0-9/_.-]{0,127}$/;
export const MAX_KEY_VERSION = 0xffff_ffff;

export function kekKeyId(tenant: string): string {
  if (!isValidTenantId(tenant)) throw kmError(ErrorCodes.INVALID_TENANT_ID, 'tenant id must be 1-63 characters of [a-z0-9-]');
  return KEK_PREFIX + tenant;
}

/** The tenant of a KEK reference, or undefined when the reference is not a KEK. */
export function kekTenant(ref: KeyRef): string | undefined {
  if (!ref.keyId.startsWith(KEK_PREFIX)) return undefined;
  const tenant = ref.keyId.slice(KEK_PREFIX.length);
  return isValidTenantId(tenant) ? tenant : undefined;
}

export function checkKeyRef(ref: KeyRef): void {
  if (!PROVIDER_PATTERN.test(ref.provider) || !KEY_ID_PATTERN.test(ref.keyId)) {
    throw kmError(ErrorCodes.INVALID_ARGUMENT, 'malformed key reference');
  }
  if (!Number.isInteger(ref.version) || ref.version < 1 || ref.version > MAX_KEY_VERSION) {
    throw kmError(ErrorCodes.INVALID_ARGUMENT, 'key versions are u32 values from 1');
  }
}

export function sameKeyRef(a: KeyRef, b: KeyRef): boolean {
  return a.provider === b.provider && a.keyId === b.keyId && a.version === b.version;
}

/** A short display form, `pkcs11:kek/acme#3`: names, never bytes. */
export function formatKeyRef(ref: KeyRef): string {
  return `${ref.provider}:${ref.keyId}#${ref.version}`;
}

export function writeKeyRef(w: BinaryWriter, ref: KeyRef): BinaryWriter {
  checkKeyRef(ref);
  return w.string(ref.provider, 1, 32).string(ref.keyId, 1, 128).u32(ref.version);
}

export function readKeyRef(r: BinaryReader): KeyRef {
  const ref = { provider: r.string(1, 32), keyId: r.string(1, 128), version: r.u32() };
  checkKeyRef(ref);
  return ref;
}
