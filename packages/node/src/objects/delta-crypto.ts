/**
 * Sealing and opening object deltas (DESIGN sections 5 and 7, K3, K6).
 *
 * A delta's payload is sealed with AES-256-GCM under
 *   deriveDeltaKey(TDK[tenEpoch], tenant, deltaId)
 * with a fresh random 16-byte deltaId and 12-byte nonce per delta, and the
 * canonical header encoding (the metadata package's `writeDeltaHeader`, the
 * very bytes Raft stores) as AAD. So every header field — version, algorithm,
 * epoch, tenant, deltaId, keyTag, op, tombstone, chunk refs, payload size,
 * client id, seq, nonce — is bound to the payload: changing any one of them
 * makes the payload fail to open. A one-key-per-delta scheme also means a
 * nonce can never repeat under a key.
 *
 * Tombstones: a delete carries no name, attributes or data, so its payload is
 * EMPTY — zero bytes, no GCM tag, payloadSize 0. Nothing needs hiding, the
 * entry stays small, and compaction (which never holds keys) treats it like
 * any header. The cost: a tombstone header is not bound by a tag, so its
 * integrity rests on the metadata Raft group alone (mTLS between nodes; only
 * nodes, which hold keys anyway, can append entries). Its keyTag is an HMAC,
 * so a tombstone reveals which object it deletes to nobody without the TIK.
 */
import { randomBytes } from 'node:crypto';
import { BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, AeadIds, DELTA_ID_BYTES, aes256GcmOpen, aes256GcmSeal, computeKeyTag, deriveDeltaKey, deriveKeyTagKey, zeroize } from '@tessera/crypto';
import type { KeyMaterial } from '@tessera/crypto';
import { METADATA_LIMITS, writeDeltaHeader } from '../metadata/fields.js';
import type { DeltaHeader } from '../metadata/types.js';
import { OBJECT_LIMITS, decodeObjectPayload, deltaChunkRefs, encodeObjectPayload, type ObjectPayload } from './payload.js';
import { nameProblem } from './text.js';

/** Version of the delta header format written by this code. */
export const DELTA_FORMAT_VERSION = 1;

export interface DeltaDraft {
  readonly tenant: string;
  readonly tenEpoch: number;
  /** 32 bytes: `objectKeyTag(TIK, name)`. */
  readonly keyTag: Buffer;
  readonly op: 'put' | 'delete';
  /** Must be `op === 'delete'`. */
  readonly tombstone: boolean;
  /** For a put, each distinct chunk id of the payload once, in order (`deltaChunkRefs`); empty for a delete. */
  readonly chunkRefs: readonly Buffer[];
  readonly clientId: number;
  readonly seq: number;
}

/** The draft fields common to every delta of a session request. */
export type DeltaBase = Omit<DeltaDraft, 'op' | 'tombstone' | 'chunkRefs'>;

function encodeHeader(header: DeltaHeader): Buffer {
  return writeDeltaHeader(new BinaryWriter(160 + header.chunkRefs.length * METADATA_LIMITS.chunkIdBytes), header).finish();
}

function badDelta(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CRYPTO_BAD_ENVELOPE, message);
}

/**
 * Builds the header (format version 1, AES-256-GCM, fresh deltaId and nonce)
 * and seals `plaintext` under the delta key with the encoded header as AAD.
 * payloadSize is the ciphertext length (plaintext + 16-byte tag). A delete
 * takes an empty plaintext and yields an empty payload with payloadSize 0; a
 * put needs a non-empty one. INVALID_ARGUMENT for a header the metadata group
 * would refuse or an entry over 1 MiB.
 */
export function sealDelta(draft: DeltaDraft, plaintext: Uint8Array, tdk: KeyMaterial): { header: DeltaHeader; payload: Buffer } {
  const deleting = draft.op === 'delete';
  if (deleting && plaintext.byteLength !== 0) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a tombstone has an empty payload');
  if (!deleting && plaintext.byteLength === 0) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a put delta needs a payload');
  const payloadSize = deleting ? 0 : plaintext.byteLength + AEAD_TAG_BYTES;
  if (payloadSize > METADATA_LIMITS.deltaEntryBytes) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a delta entry is at most 1 MiB');
  const header: DeltaHeader = {
    formatVersion: DELTA_FORMAT_VERSION,
    algId: AeadIds.AES_256_GCM,
    tenEpoch: draft.tenEpoch,
    tenant: draft.tenant,
    deltaId: randomBytes(DELTA_ID_BYTES),
    keyTag: draft.keyTag,
    op: draft.op,
    tombstone: draft.tombstone,
    chunkRefs: [...draft.chunkRefs],
    payloadSize,
    clientId: draft.clientId,
    seq: draft.seq,
    nonce: randomBytes(AEAD_NONCE_BYTES),
  };
  const aad = encodeHeader(header); // also checks the header's shape, as the metadata group will
  if (aad.byteLength + payloadSize > METADATA_LIMITS.deltaEntryBytes) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a delta entry is at most 1 MiB');
  if (deleting) return { header, payload: Buffer.alloc(0) };
  const key = deriveDeltaKey({ alg: header.algId, tenEpoch: header.tenEpoch, tenant: header.tenant, tdk, deltaId: header.deltaId });
  try {
    return { header, payload: aes256GcmSeal(key, header.nonce, plaintext, aad) };
  } finally {
    key.destroy();
  }
}

/**
 * Opens a stored delta's payload with TDK[header.tenEpoch]. The tag is checked
 * before any plaintext is released. Every failure is a CRYPTO_* TesseraError:
 * UNKNOWN_VERSION / UNKNOWN_ALGORITHM for a header this code cannot read,
 * BAD_ENVELOPE for a header or payload of the wrong shape, AUTH_FAILED for a
 * wrong key or any changed byte. A tombstone opens to an empty buffer.
 */
export function openDelta(header: DeltaHeader, payload: Uint8Array, tdk: KeyMaterial): Buffer {
  if (header.formatVersion !== DELTA_FORMAT_VERSION) throw new TesseraError(ErrorCodes.CRYPTO_UNKNOWN_VERSION, 'unknown delta format version');
  if (header.algId !== AeadIds.AES_256_GCM) throw new TesseraError(ErrorCodes.CRYPTO_UNKNOWN_ALGORITHM, 'unknown delta algorithm');
  if (payload.byteLength !== header.payloadSize) throw badDelta('delta payload size does not match its header');
  let aad: Buffer;
  try {
    aad = encodeHeader(header);
  } catch {
    throw badDelta('malformed delta header');
  }
  if (header.tombstone) {
    if (payload.byteLength !== 0) throw badDelta('a tombstone has an empty payload');
    return Buffer.alloc(0);
  }
  if (payload.byteLength <= AEAD_TAG_BYTES) throw new TesseraError(ErrorCodes.CRYPTO_AUTH_FAILED, 'authentication failed');
  const key = deriveDeltaKey({ alg: header.algId, tenEpoch: header.tenEpoch, tenant: header.tenant, tdk, deltaId: header.deltaId });
  try {
    return aes256GcmOpen(key, header.nonce, payload, aad);
  } finally {
    key.destroy();
  }
}

/** keyTag = HMAC-SHA256(HKDF(TIK, "tessera/v1/key-tag"), UTF-8(name)); INVALID_ARGUMENT for a name objects may not have. */
export function objectKeyTag(tik: KeyMaterial, name: string): Buffer {
  const problem = nameProblem(name, OBJECT_LIMITS.nameBytes);
  if (problem !== undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, problem);
  const keyTagKey = deriveKeyTagKey(tik);
  try {
    return computeKeyTag(keyTagKey, name);
  } finally {
    keyTagKey.destroy();
  }
}

/** Seals a put of `object`: encodes the payload and takes the header's chunk refs from it, so the two always agree. */
export function sealObjectPut(base: DeltaBase, object: ObjectPayload, tdk: KeyMaterial): { header: DeltaHeader; payload: Buffer } {
  return sealDelta({ ...base, op: 'put', tombstone: false, chunkRefs: deltaChunkRefs(object) }, encodeObjectPayload(object), tdk);
}

/** Builds a delete (tombstone) delta: empty payload, no chunk refs. */
export function sealTombstone(base: DeltaBase, tdk: KeyMaterial): { header: DeltaHeader; payload: Buffer } {
  return sealDelta({ ...base, op: 'delete', tombstone: true, chunkRefs: [] }, new Uint8Array(0), tdk);
}

/**
 * Opens and decodes a put delta, and checks that the header's chunk refs are
 * the payload's (a writer bug otherwise: the refs decide what GC keeps).
 * CRYPTO_BAD_ENVELOPE for a tombstone or a disagreement; CODEC_* if the
 * authenticated plaintext is not a payload.
 */
export function openObjectPut(header: DeltaHeader, payload: Uint8Array, tdk: KeyMaterial): ObjectPayload {
  if (header.tombstone) throw badDelta('a tombstone has no object payload');
  const plaintext = openDelta(header, payload, tdk);
  let object: ObjectPayload;
  try {
    object = decodeObjectPayload(plaintext); // copies what it keeps
  } finally {
    zeroize(plaintext);
  }
  const refs = deltaChunkRefs(object);
  if (refs.length !== header.chunkRefs.length || refs.some((id, i) => !id.equals(header.chunkRefs[i] ?? Buffer.alloc(0)))) {
    throw badDelta('delta payload and header disagree on chunks');
  }
  return object;
}
