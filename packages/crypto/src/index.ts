/**
 * @tessera/crypto — AES-256-GCM envelopes, HKDF derivations, context-bound key
 * wrap and key material (DESIGN section 5). See README.md for the API map, the
 * exact formulas and encodings, and the threat notes.
 */
export { KEY_BYTES, KeyMaterial } from './keys.js';
export { DEFAULT_KEY_CACHE_ENTRIES, DEFAULT_KEY_TTL_MS, KeyCache } from './key-cache.js';
export type { Destroyable, KeyCacheOptions } from './key-cache.js';
export { constantTimeEqual } from './compare.js';
export { zeroize } from './bytes.js';

export {
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  AES_256_GCM,
  CHACHA20_POLY1305,
  aes256GcmOpen,
  aes256GcmSeal,
  aesGcmDecryptRaw,
  aesGcmEncryptRaw,
} from './aead.js';
export type { AeadAlgorithm } from './aead.js';
export { AeadIds, getAead, isAeadRegistered, registerAead } from './registry.js';

export { HKDF_MAX_OUTPUT_BYTES, hkdfExpand, hkdfExtract, hkdfSha256 } from './hkdf.js';
export { HMAC_MIN_TAG_BYTES, HMAC_SHA256_BYTES, hmacSha256, verifyHmac } from './hmac.js';

export { KEYWRAP_MAX_INPUT_BYTES, aesKwUnwrap, aesKwWrap, aesKwpUnwrap, aesKwpWrap } from './keywrap.js';
export { WRAP_FORMAT_VERSION, WrapPurposes, unwrapKey, wrapKey } from './wrap.js';
export type { WrapContext, WrapPurpose } from './wrap.js';

export {
  DELTA_ID_BYTES,
  DerivationLabels,
  HKDF_SALT,
  computeKeyTag,
  deltaKeyInfo,
  deriveChunkIdKey,
  deriveDeltaKey,
  deriveIsolatedChunkDek,
  deriveKeyTagKey,
  deriveSharedChunkDek,
  isolatedChunkDekInfo,
  sharedChunkDekInfo,
} from './derive.js';
export type { DeltaKeyInput, IsolatedChunkDekInput, SharedChunkDekInput } from './derive.js';

export { ChunkKeys } from './chunk-keys.js';
export type { ChunkPolicy, IsolatedChunkKeysInput, SharedChunkKeysInput } from './chunk-keys.js';
export { ComputedChunkId, computeChunkId } from './chunk-id.js';
export {
  ENVELOPE_FIXED_HEADER_BYTES,
  ENVELOPE_HEADER_TAIL_BYTES,
  ENVELOPE_MAGIC,
  ENVELOPE_VERSION,
  MAX_CHUNK_PLAINTEXT_BYTES,
  PolicyCodes,
  encodeEnvelopeHeader,
  encodeEnvelopeHeaderPrefix,
  parseEnvelopeHeader,
} from './envelope-header.js';
export type { EnvelopeHeader, EnvelopeHeaderFields, EnvelopeHeaderPrefixFields } from './envelope-header.js';
export { openChunk, sealChunk, sealChunkParts, sealedLength } from './envelope.js';
export type { ChunkKeysSource, SealChunkParams, SealedChunk, SealedChunkParts } from './envelope.js';
