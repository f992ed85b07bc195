/**
 * The wrap context (purpose ‖ tenant ‖ epoch ‖ kekVersion) of DESIGN section
 * 5, encoded for providers that wrap inside a token with AES-GCM: there it
 * is the AAD, and the GCM tag checks every field on unwrap. The layout is
 * the one @tessera/crypto puts in front of the key inside AES-KWP:
 *
 *   u8 format 1 ‖ u8-len purpose ‖ u8-len tenant ‖ u64 epoch ‖ u32 kekVersion
 *
 * `checkContextForKey` binds a context to the key that wraps it: system keys
 * (master, dedup) only under the root key, tenant keys (TDK, TIK) only under
 * that tenant's KEK, and the context's kekVersion must be the wrapping key's
 * version, so a blob cannot be presented under another version.
 */
import { BinaryWriter, ErrorCodes, isValidTenantId, type TesseraError } from '@tessera/common';
import { WRAP_FORMAT_VERSION, WrapPurposes, type WrapContext } from '@tessera/crypto';
import { kmError } from './errors.js';
import { ROOT_KEY_ID, kekTenant, type KeyRef } from './key-ref.js';

const SYSTEM_PURPOSES: ReadonlySet<string> = new Set([WrapPurposes.SYSTEM_MASTER, WrapPurposes.DEDUP]);
const TENANT_PURPOSES: ReadonlySet<string> = new Set([WrapPurposes.TDK, WrapPurposes.TIK]);

function badContext(): TesseraError {
  return kmError(ErrorCodes.CRYPTO_WRAP_FAILED, 'wrap context does not fit the wrapping key');
}

export function checkContextForKey(ref: KeyRef, context: WrapContext): void {
  if (context.kekVersion !== ref.version) throw badContext();
  if (!Number.isSafeInteger(context.epoch) || context.epoch < 0) throw badContext();
  if (ref.keyId === ROOT_KEY_ID) {
    if (!SYSTEM_PURPOSES.has(context.purpose) || (context.tenant ?? '') !== '') throw badContext();
    return;
  }
  const tenant = kekTenant(ref);
  if (tenant === undefined || !TENANT_PURPOSES.has(context.purpose) || context.tenant !== tenant) throw badContext();
}

export function encodeWrapAad(context: WrapContext): Buffer {
  const tenant = context.tenant ?? '';
  if (tenant !== '' && !isValidTenantId(tenant)) throw badContext();
  return new BinaryWriter(64).u8(WRAP_FORMAT_VERSION).string(context.purpose, 1).string(tenant, 1).u64(context.epoch).u32(context.kekVersion).finish();
}
