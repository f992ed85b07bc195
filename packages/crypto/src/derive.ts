/**
 * Key derivations of DESIGN section 5, exactly as written there:
 *
 *   chunk id   shared:   HMAC-SHA256(dedupKey, plaintext)
 *              isolated: HMAC-SHA256(HKDF(TIK, "tessera/v1/chunk-id"), plaintext)
 *   chunk DEK  shared:   HKDF-SHA256(ikm = master[sysEpoch],
 *                                    info = "tessera/v1/chunk-dek" ‖ alg ‖ sysEpoch ‖ chunkId)
 *              isolated: HKDF-SHA256(ikm = master[sysEpoch] ‖ TDK[tenEpoch],
 *                                    info = "tessera/v1/chunk-dek-isolated" ‖ alg ‖ sysEpoch ‖ tenEpoch ‖ tenant ‖ chunkId)
 *   delta key  HKDF-SHA256(ikm = TDK[tenEpoch], info = "tessera/v1/delta" ‖ alg ‖ tenEpoch ‖ tenant ‖ deltaId)
 *   keyTag     HMAC-SHA256(HKDF(TIK, "tessera/v1/key-tag"), object name)
 *
 * Encodings: the label is its ASCII bytes with no prefix or terminator; alg is
 * u16 BE; epochs are u64 BE; tenant is a u8 length then its ASCII bytes; chunk
 * id is 32 bytes; deltaId is 16 bytes; the object name is its UTF-8 bytes.
 * HKDF(K, label) means HKDF-SHA256(ikm = K, info = label). Every HKDF uses the
 * fixed salt HKDF_SALT and outputs 32 bytes.
 *
 * Why the unprefixed label is unambiguous: within one derivation the label is
 * a constant and every other field is fixed-width or length-prefixed, so the
 * info bytes determine the fields. Across derivations the labels differ, and
 * where one label is a prefix of another ("chunk-dek" of "chunk-dek-isolated")
 * the two infos also differ in length and use different input keys.
 */
import { BinaryWriter, CHUNK_ID_BYTES, isValidTenantId } from '@tessera/common';
import type { ChunkId } from '@tessera/common';
import { zeroize } from './bytes.js';
import { invalidArgument } from './fail.js';
import { hkdfExpand, hkdfExtract } from './hkdf.js';
import { hmacSha256 } from './hmac.js';
import { KEY_BYTES, KeyMaterial } from './keys.js';

/** The fixed HKDF salt of protocol version 1 (a public label, not a secret). */
export const HKDF_SALT: Buffer = Buffer.from('tessera/v1/hkdf-salt', 'ascii');

export const DerivationLabels = {
  CHUNK_ID: 'tessera/v1/chunk-id',
  CHUNK_DEK: 'tessera/v1/chunk-dek',
  CHUNK_DEK_ISOLATED: 'tessera/v1/chunk-dek-isolated',
  DELTA: 'tessera/v1/delta',
  KEY_TAG: 'tessera/v1/key-tag',
} as const;

export const DELTA_ID_BYTES = 16;

const LABEL_BYTES = {
  chunkId: Buffer.from(DerivationLabels.CHUNK_ID, 'ascii'),
  chunkDek: Buffer.from(DerivationLabels.CHUNK_DEK, 'ascii'),
  chunkDekIsolated: Buffer.from(DerivationLabels.CHUNK_DEK_ISOLATED, 'ascii'),
  delta: Buffer.from(DerivationLabels.DELTA, 'ascii'),
  keyTag: Buffer.from(DerivationLabels.KEY_TAG, 'ascii'),
} as const;

// ---------------------------------------------------------------- checks

export function checkAlg(alg: number): void {
  if (!Number.isInteger(alg) || alg < 1 || alg > 0xffff) throw invalidArgument('algorithm id must be a u16 greater than 0');
}

export function checkEpoch(epoch: number): void {
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw invalidArgument('epoch must be a non-negative safe integer');
}

export function checkTenant(tenant: string): void {
  if (!isValidTenantId(tenant)) throw invalidArgument('tenant id must be 1-63 characters of [a-z0-9-]');
}

export function checkChunkId(chunkId: Uint8Array): void {
  if (chunkId.byteLength !== CHUNK_ID_BYTES) throw invalidArgument(`chunk id must be ${CHUNK_ID_BYTES} bytes`);
}

// ---------------------------------------------------------------- info encodings

/** info = "tessera/v1/chunk-dek" ‖ alg u16 ‖ sysEpoch u64 ‖ chunkId[32] */
export function sharedChunkDekInfo(alg: number, sysEpoch: number, chunkId: Uint8Array): Buffer {
  checkChunkId(chunkId);
  return Buffer.concat([sharedChunkDekInfoPrefix(alg, sysEpoch), chunkId]);
}

/** info = "tessera/v1/chunk-dek-isolated" ‖ alg u16 ‖ sysEpoch u64 ‖ tenEpoch u64 ‖ u8 len ‖ tenant ‖ chunkId[32] */
export function isolatedChunkDekInfo(alg: number, sysEpoch: number, tenEpoch: number, tenant: string, chunkId: Uint8Array): Buffer {
  checkChunkId(chunkId);
  return Buffer.concat([isolatedChunkDekInfoPrefix(alg, sysEpoch, tenEpoch, tenant), chunkId]);
}

/**
 * The chunk DEK infos end with the chunk id, so everything before it is fixed
 * for a key set and algorithm: ChunkKeys encodes these prefixes once and
 * appends each chunk's id.
 */
export function sharedChunkDekInfoPrefix(alg: number, sysEpoch: number): Buffer {
  checkAlg(alg);
  checkEpoch(sysEpoch);
  return new BinaryWriter(64).raw(LABEL_BYTES.chunkDek).u16(alg).u64(sysEpoch).finish();
}

export function isolatedChunkDekInfoPrefix(alg: number, sysEpoch: number, tenEpoch: number, tenant: string): Buffer {
  checkAlg(alg);
  checkEpoch(sysEpoch);
  checkEpoch(tenEpoch);
  checkTenant(tenant);
  return new BinaryWriter(128).raw(LABEL_BYTES.chunkDekIsolated).u16(alg).u64(sysEpoch).u64(tenEpoch).string(tenant, 1).finish();
}

/** info = "tessera/v1/delta" ‖ alg u16 ‖ tenEpoch u64 ‖ u8 len ‖ tenant ‖ deltaId[16] */
export function deltaKeyInfo(alg: number, tenEpoch: number, tenant: string, deltaId: Uint8Array): Buffer {
  checkAlg(alg);
  checkEpoch(tenEpoch);
  checkTenant(tenant);
  if (deltaId.byteLength !== DELTA_ID_BYTES) throw invalidArgument(`deltaId must be ${DELTA_ID_BYTES} bytes`);
  return new BinaryWriter(128).raw(LABEL_BYTES.delta).u16(alg).u64(tenEpoch).string(tenant, 1).fixed(deltaId, DELTA_ID_BYTES).finish();
}

// ---------------------------------------------------------------- HKDF halves

/** PRK = HKDF-Extract(HKDF_SALT, ikm) */
export function extractPrk(ikm: Uint8Array): Buffer {
  return hkdfExtract(HKDF_SALT, ikm);
}

/** PRK for the isolated DEK: ikm = master ‖ TDK (assembled in a private buffer that is wiped). */
export function extractIsolatedPrk(master: KeyMaterial, tdk: KeyMaterial): Buffer {
  const ikm = Buffer.alloc(2 * KEY_BYTES);
  try {
    ikm.set(master.expose(), 0);
    ikm.set(tdk.expose(), KEY_BYTES);
    return extractPrk(ikm);
  } finally {
    zeroize(ikm);
  }
}

/** 32 bytes of HKDF-Expand(prk, info) adopted into KeyMaterial. */
function expandToKey(prk: Uint8Array, info: Uint8Array): KeyMaterial {
  const okm = hkdfExpand(prk, info, KEY_BYTES);
  try {
    return KeyMaterial.fromBytes(okm);
  } finally {
    zeroize(okm);
  }
}

function hkdfToKey(ikm: KeyMaterial, info: Uint8Array): KeyMaterial {
  const prk = extractPrk(ikm.expose());
  try {
    return expandToKey(prk, info);
  } finally {
    zeroize(prk);
  }
}

// ---------------------------------------------------------------- derivations

/** HKDF(TIK, "tessera/v1/chunk-id"): the HMAC key for isolated chunk ids. */
export function deriveChunkIdKey(tik: KeyMaterial): KeyMaterial {
  return hkdfToKey(tik, LABEL_BYTES.chunkId);
}

/** HKDF(TIK, "tessera/v1/key-tag"): the HMAC key for keyTags. */
export function deriveKeyTagKey(tik: KeyMaterial): KeyMaterial {
  return hkdfToKey(tik, LABEL_BYTES.keyTag);
}

/** HMAC-SHA256(idKey, plaintext): idKey is the dedup key (shared) or deriveChunkIdKey(TIK) (isolated). */
export function chunkIdWithKey(idKey: KeyMaterial, plaintext: Uint8Array): ChunkId {
  return hmacSha256(idKey, plaintext) as ChunkId;
}

/** keyTag = HMAC-SHA256(keyTagKey, UTF-8(object name)). */
export function computeKeyTag(keyTagKey: KeyMaterial, objectName: string | Uint8Array): Buffer {
  const name = typeof objectName === 'string' ? Buffer.from(objectName, 'utf8') : objectName;
  return hmacSha256(keyTagKey, name);
}

export interface SharedChunkDekInput {
  readonly alg: number;
  readonly sysEpoch: number;
  readonly master: KeyMaterial;
  readonly chunkId: Uint8Array;
}

export interface IsolatedChunkDekInput extends SharedChunkDekInput {
  readonly tenEpoch: number;
  readonly tenant: string;
  readonly tdk: KeyMaterial;
}

/** The shared-policy chunk DEK. */
export function deriveSharedChunkDek(input: SharedChunkDekInput): KeyMaterial {
  return hkdfToKey(input.master, sharedChunkDekInfo(input.alg, input.sysEpoch, input.chunkId));
}

/** The isolated-policy chunk DEK. */
export function deriveIsolatedChunkDek(input: IsolatedChunkDekInput): KeyMaterial {
  const info = isolatedChunkDekInfo(input.alg, input.sysEpoch, input.tenEpoch, input.tenant, input.chunkId);
  const prk = extractIsolatedPrk(input.master, input.tdk);
  try {
    return expandToKey(prk, info);
  } finally {
    zeroize(prk);
  }
}

export interface DeltaKeyInput {
  readonly alg: number;
  readonly tenEpoch: number;
  readonly tenant: string;
  readonly tdk: KeyMaterial;
  readonly deltaId: Uint8Array;
}

/** The key that seals one delta payload. */
export function deriveDeltaKey(input: DeltaKeyInput): KeyMaterial {
  return hkdfToKey(input.tdk, deltaKeyInfo(input.alg, input.tenEpoch, input.tenant, input.deltaId));
}
