/**
 * Sealing and opening chunk envelopes (envelope v1, K6).
 *
 * seal: chunk id (computed here, or a ComputedChunkId from computeChunkId for
 *       this very plaintext and key set) → random 96-bit nonce → header → DEK =
 *       HKDF-Expand(PRK, info) → AEAD with the header as AAD, written straight
 *       into the envelope buffer after the header.
 * open: parse the header (bounded, typed errors) → check the keys are the ones
 *       it names → DEK → verify the tag (no plaintext before that) → recompute
 *       the chunk id from the plaintext and compare in constant time (key
 *       commitment: a ciphertext that also decrypts under some other key cannot
 *       pass as this chunk) → plaintext.
 */
import { ErrorCodes } from '@tessera/common';
import type { ChunkId } from '@tessera/common';
import { zeroize } from './bytes.js';
import { idComputedFor } from './chunk-id.js';
import type { ComputedChunkId } from './chunk-id.js';
import type { ChunkKeys } from './chunk-keys.js';
import { constantTimeEqual } from './compare.js';
import { AEAD_NONCE_BYTES } from './aead.js';
import {
  ENVELOPE_HEADER_TAIL_BYTES,
  MAX_CHUNK_PLAINTEXT_BYTES,
  encodeEnvelopeHeaderPrefix,
  parseEnvelopeHeader,
  writeEnvelopeHeaderTail,
} from './envelope-header.js';
import type { EnvelopeHeader } from './envelope-header.js';
import { cryptoError, invalidArgument } from './fail.js';
import { writeRandomNonce } from './nonce.js';
import { AeadIds, getAead } from './registry.js';

export interface SealChunkParams {
  readonly keys: ChunkKeys;
  readonly plaintext: Uint8Array;
  /**
   * The id from `computeChunkId(keys, plaintext)` for this same plaintext
   * buffer, when the caller already computed it (for the dedup lookup).
   * Omitted: the id is computed here. Any other value is refused.
   */
  readonly chunkId?: ComputedChunkId;
  /** Algorithm id; default AES-256-GCM. */
  readonly alg?: number;
  /**
   * A caller-owned buffer to build the envelope in: at least
   * `sealedLength(keys, plaintext.length)` bytes, not overlapping the
   * plaintext. The returned envelope is a view of it. A storage pipeline that
   * recycles its envelope buffers spares the page faults of fresh memory for
   * every chunk (the bench shows the difference). Default: a new buffer.
   */
  readonly output?: Buffer;
}

export interface SealedChunk {
  readonly chunkId: ChunkId;
  readonly envelope: Buffer;
}

/** Header prefixes (magic … tenant) by key set and algorithm: public bytes, encoded once. */
const headerPrefixes = new WeakMap<ChunkKeys, Map<number, Buffer>>();

function headerPrefixFor(keys: ChunkKeys, alg: number): Buffer {
  let byAlg = headerPrefixes.get(keys);
  if (byAlg === undefined) {
    byAlg = new Map();
    headerPrefixes.set(keys, byAlg);
  }
  let prefix = byAlg.get(alg);
  if (prefix === undefined) {
    prefix = encodeEnvelopeHeaderPrefix({ alg, sysEpoch: keys.sysEpoch, tenEpoch: keys.tenEpoch, policy: keys.policy, tenant: keys.tenant });
    byAlg.set(alg, prefix);
  }
  return prefix;
}

/** Bytes of the envelope that sealing `plaintextLength` bytes with `keys` produces. */
export function sealedLength(keys: ChunkKeys, plaintextLength: number, alg: number = AeadIds.AES_256_GCM): number {
  return headerPrefixFor(keys, alg).length + ENVELOPE_HEADER_TAIL_BYTES + plaintextLength + getAead(alg).tagLength;
}

/** Seals one chunk under a fresh random nonce. The node computes the id; no caller-supplied id is ever trusted. */
export function sealChunk(params: SealChunkParams): SealedChunk {
  return seal(params, writeRandomNonce);
}

/**
 * @internal The seal with a given nonce, for fixed test vectors of the whole
 * envelope. Not exported from the package: production nonces are random.
 */
export function sealWithNonce(params: SealChunkParams, nonce: Uint8Array): SealedChunk {
  if (nonce.byteLength !== AEAD_NONCE_BYTES) throw invalidArgument(`nonce must be ${AEAD_NONCE_BYTES} bytes`);
  return seal(params, (out, offset) => out.set(nonce, offset));
}

function overlaps(a: Uint8Array, b: Uint8Array): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** What sealing needs before the AEAD runs: the id, algorithm and a header buffer with the nonce written in. */
interface SealPlan {
  readonly chunkId: ChunkId;
  readonly alg: number;
  readonly headerLength: number;
  readonly tagLength: number;
}

function planSeal(params: SealChunkParams): SealPlan & { readonly prefix: Buffer } {
  const { keys, plaintext } = params;
  keys.assertAlive();
  if (plaintext.byteLength > MAX_CHUNK_PLAINTEXT_BYTES) throw invalidArgument('chunk too large');
  const alg = params.alg ?? AeadIds.AES_256_GCM;
  const aead = getAead(alg);
  let chunkId: ChunkId;
  if (params.chunkId === undefined) {
    chunkId = keys.chunkIdOf(plaintext);
  } else {
    const known = idComputedFor(params.chunkId, keys, plaintext);
    if (known === undefined) throw invalidArgument('chunk id was not computed from this plaintext with these keys');
    chunkId = known;
  }
  const prefix = headerPrefixFor(keys, alg);
  return { chunkId, alg, prefix, headerLength: prefix.length + ENVELOPE_HEADER_TAIL_BYTES, tagLength: aead.tagLength };
}

/** Writes the whole header (cached prefix, then chunk id ‖ length ‖ nonce) at the start of `out`; returns the nonce view. */
function writeHeader(out: Buffer, plan: SealPlan & { readonly prefix: Buffer }, length: number, writeNonce: (out: Buffer, offset: number) => void): Buffer {
  plan.prefix.copy(out, 0);
  const nonceOffset = plan.headerLength - AEAD_NONCE_BYTES;
  writeNonce(out, nonceOffset);
  const nonce = out.subarray(nonceOffset, plan.headerLength);
  writeEnvelopeHeaderTail(out, plan.prefix.length, plan.chunkId, length, nonce);
  return nonce;
}

function seal(params: SealChunkParams, writeNonce: (out: Buffer, offset: number) => void): SealedChunk {
  const { keys, plaintext } = params;
  const plan = planSeal(params);
  const length = plaintext.byteLength;
  const total = plan.headerLength + length + plan.tagLength;
  let envelope: Buffer;
  if (params.output === undefined) {
    envelope = Buffer.allocUnsafe(total);
  } else {
    if (params.output.length < total) throw invalidArgument('output buffer too small');
    if (overlaps(params.output, plaintext)) throw invalidArgument('output buffer overlaps the plaintext');
    envelope = params.output.subarray(0, total);
  }
  // The header is also the AAD.
  const nonce = writeHeader(envelope, plan, length, writeNonce);
  const header = envelope.subarray(0, plan.headerLength);
  const aead = getAead(plan.alg);
  keys.withDek(plan.alg, plan.chunkId, (dek) => aead.sealInto(dek, nonce, header, plaintext, envelope, plan.headerLength));
  return { chunkId: plan.chunkId, envelope };
}

/** An envelope as three parts whose concatenation is exactly what `sealChunk` returns. */
export interface SealedChunkParts {
  readonly chunkId: ChunkId;
  /** header ‖ ciphertext ‖ tag, in order: write or erasure-code them as one byte string. */
  readonly parts: readonly [header: Buffer, ciphertext: Buffer, tag: Buffer];
  /** Total envelope bytes (sum of the parts). */
  readonly length: number;
}

/**
 * `sealChunk` without building one contiguous envelope: the header, and the
 * ciphertext and tag as the cipher returned them. node:crypto cannot encrypt
 * into a caller's buffer, so a contiguous envelope costs one more allocation
 * and copy of the whole chunk; a data path that erasure-codes the envelope
 * (which copies it into the stripe anyway) skips both by gathering the parts.
 */
export function sealChunkParts(params: Omit<SealChunkParams, 'output'>): SealedChunkParts {
  return sealParts(params, writeRandomNonce);
}

/** @internal `sealChunkParts` with a given nonce, for tests. */
export function sealPartsWithNonce(params: Omit<SealChunkParams, 'output'>, nonce: Uint8Array): SealedChunkParts {
  if (nonce.byteLength !== AEAD_NONCE_BYTES) throw invalidArgument(`nonce must be ${AEAD_NONCE_BYTES} bytes`);
  return sealParts(params, (out, offset) => out.set(nonce, offset));
}

function sealParts(params: Omit<SealChunkParams, 'output'>, writeNonce: (out: Buffer, offset: number) => void): SealedChunkParts {
  const { keys, plaintext } = params;
  const plan = planSeal(params);
  const header = Buffer.allocUnsafe(plan.headerLength);
  const nonce = writeHeader(header, plan, plaintext.byteLength, writeNonce);
  const aead = getAead(plan.alg);
  const { ciphertext, tag } = keys.withDek(plan.alg, plan.chunkId, (dek) => aead.seal(dek, nonce, header, plaintext));
  return { chunkId: plan.chunkId, parts: [header, ciphertext, tag], length: header.length + ciphertext.length + tag.length };
}

/** Keys for an envelope: a fixed set, or a lookup by the parsed header (fetch by epoch and tenant). */
export type ChunkKeysSource = ChunkKeys | ((header: EnvelopeHeader) => ChunkKeys);

/**
 * Opens an envelope and returns its plaintext, or throws a TesseraError:
 * CRYPTO_BAD_ENVELOPE / CRYPTO_UNKNOWN_VERSION / CRYPTO_UNKNOWN_ALGORITHM for a
 * malformed header, CRYPTO_KEY_MISMATCH when the keys are not those the header
 * names, CRYPTO_AUTH_FAILED when the tag does not verify, and
 * CRYPTO_CHUNK_ID_MISMATCH when the plaintext does not hash to the header's id.
 */
export function openChunk(envelope: Uint8Array, source: ChunkKeysSource): Buffer {
  const header = parseEnvelopeHeader(envelope);
  const keys = typeof source === 'function' ? source(header) : source;
  if (keys.policy !== header.policy || keys.sysEpoch !== header.sysEpoch || keys.tenEpoch !== header.tenEpoch || keys.tenant !== header.tenant) {
    throw cryptoError(ErrorCodes.CRYPTO_KEY_MISMATCH, 'keys do not match the envelope');
  }
  const aead = getAead(header.alg);
  const aad = envelope.subarray(0, header.headerLength);
  const bodyEnd = header.headerLength + header.plaintextLength;
  const ciphertext = envelope.subarray(header.headerLength, bodyEnd);
  const tag = envelope.subarray(bodyEnd, bodyEnd + aead.tagLength);
  const plaintext = keys.withDek(header.alg, header.chunkId, (dek) => aead.open(dek, header.nonce, aad, ciphertext, tag));
  let committed = false;
  try {
    committed = constantTimeEqual(keys.chunkIdOf(plaintext), header.chunkId);
  } finally {
    if (!committed) zeroize(plaintext);
  }
  if (!committed) throw cryptoError(ErrorCodes.CRYPTO_CHUNK_ID_MISMATCH, 'chunk id does not match its contents');
  return plaintext;
}
