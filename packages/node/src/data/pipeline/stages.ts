/**
 * The CPU stages of the data path, as plain synchronous functions on a
 * ChunkKeys: identify (chunk id), seal (envelope + Reed-Solomon) and open
 * (decode + envelope + id check). The worker threads and the inline mode run
 * exactly these, so both give the same results.
 *
 * Every input is checked against a fixed bound before any work, and every
 * failure is a TesseraError with a fixed message (no key bytes, no plaintext).
 */
import { CHUNK_ID_BYTES, ErrorCodes, TesseraError } from '@tessera/common';
import {
  AEAD_TAG_BYTES,
  ENVELOPE_FIXED_HEADER_BYTES,
  MAX_CHUNK_PLAINTEXT_BYTES,
  computeChunkId,
  constantTimeEqual,
  openChunk,
  parseEnvelopeHeader,
  sealChunkParts,
} from '@tessera/crypto';
import type { ChunkKeys } from '@tessera/crypto';
import { checkParams, decode, encodeInto, shardSizeFor, stripeBytes } from '@tessera/erasure';
import type { MaybeShard } from '@tessera/erasure';

/** Longest tenant id an envelope header can name (DESIGN section 5). */
const MAX_TENANT_BYTES = 63;
/** Upper bound on one sealed envelope: the largest header, the largest plaintext, the tag. */
export const MAX_ENVELOPE_BYTES = ENVELOPE_FIXED_HEADER_BYTES + MAX_TENANT_BYTES + MAX_CHUNK_PLAINTEXT_BYTES + AEAD_TAG_BYTES;
/** An envelope's bytes beyond its plaintext, at most: the largest header and the tag. */
export const MAX_ENVELOPE_OVERHEAD_BYTES = ENVELOPE_FIXED_HEADER_BYTES + MAX_TENANT_BYTES + AEAD_TAG_BYTES;

/** A sealed, erasure-coded chunk as one buffer: shard i is bytes [i·shardLength, (i+1)·shardLength). */
export interface SealedStripeBytes {
  readonly chunkId: Buffer;
  readonly envelopeLength: number;
  readonly shardLength: number;
  /** (k + m) · shardLength bytes in a buffer of its own (transferable between threads). */
  readonly stripe: Buffer;
}

export function checkPlaintext(plaintext: Uint8Array): void {
  if (!(plaintext instanceof Uint8Array)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'plaintext must be a Uint8Array');
  if (plaintext.byteLength > MAX_CHUNK_PLAINTEXT_BYTES) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'chunk too large');
}

export function checkChunkIdArgument(chunkId: Uint8Array): void {
  if (!(chunkId instanceof Uint8Array) || chunkId.byteLength !== CHUNK_ID_BYTES) {
    throw new TesseraError(ErrorCodes.INVALID_CHUNK_ID, `chunk id must be ${CHUNK_ID_BYTES} bytes`);
  }
}

/**
 * Checks a stripe read before any decoding: the profile, one slot per shard,
 * a bounded envelope length, at least k shards present, and every present
 * shard exactly the length the envelope length implies. Returns that length.
 */
export function checkStripeRead(shards: readonly MaybeShard[], k: number, m: number, envelopeLength: number): number {
  checkParams(k, m);
  if (!Array.isArray(shards) || shards.length !== k + m) {
    throw new TesseraError(ErrorCodes.ERASURE_BAD_PARAMS, 'expected one slot per shard (k + m)');
  }
  if (!Number.isSafeInteger(envelopeLength) || envelopeLength < 1 || envelopeLength > MAX_ENVELOPE_BYTES) {
    throw new TesseraError(ErrorCodes.CRYPTO_BAD_ENVELOPE, 'malformed envelope');
  }
  const shardLength = shardSizeFor(envelopeLength, k);
  let present = 0;
  for (const shard of shards) {
    if (shard === undefined || shard === null) continue;
    if (!(shard instanceof Uint8Array)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'shards must be Uint8Array');
    if (shard.byteLength !== shardLength) {
      throw new TesseraError(ErrorCodes.ERASURE_SHARD_SIZE_MISMATCH, 'shard length does not match the envelope length');
    }
    present++;
  }
  if (present < k) throw new TesseraError(ErrorCodes.ERASURE_TOO_FEW_SHARDS, `need at least ${k} shards, have ${present}`);
  return shardLength;
}

/** The chunk id of `plaintext` under the key set's policy. */
export function identifyChunk(keys: ChunkKeys, plaintext: Uint8Array): Buffer {
  checkPlaintext(plaintext);
  return Buffer.from(keys.chunkIdOf(plaintext));
}

/**
 * Seals `plaintext` and erasure-codes the envelope into k + m shards under
 * the chunk id computed here (a node never seals under an id it did not
 * compute: DESIGN section 5). With `expectedId` (an id the caller computed
 * earlier, for its dedup check), refuses when the two differ; without it the
 * id is computed only once, here, and returned.
 */
export function sealStripe(keys: ChunkKeys, plaintext: Uint8Array, expectedId: Uint8Array | undefined, k: number, m: number, into?: ArrayBuffer): SealedStripeBytes {
  checkPlaintext(plaintext);
  if (expectedId !== undefined) checkChunkIdArgument(expectedId);
  checkParams(k, m);
  const computed = computeChunkId(keys, plaintext);
  const chunkId = computed.id;
  if (expectedId !== undefined && !constantTimeEqual(chunkId, expectedId)) {
    throw new TesseraError(ErrorCodes.CRYPTO_CHUNK_ID_MISMATCH, 'chunk id does not match the plaintext');
  }
  // The parts (header, ciphertext, tag) are gathered straight into the stripe:
  // no contiguous envelope is ever built. The stripe starts an ArrayBuffer of
  // its own (never Node's shared pool), so it can be transferred: `into` when
  // it is large enough (a released stripe's memory), else a fresh one.
  const sealed = sealChunkParts({ keys, plaintext, chunkId: computed });
  const length = stripeBytes(sealed.length, k, m);
  const stripe = into !== undefined && into.byteLength >= length ? Buffer.from(into, 0, length) : Buffer.allocUnsafeSlow(length);
  const encoded = encodeInto(sealed.parts, k, m, stripe);
  return { chunkId, envelopeLength: sealed.length, shardLength: encoded.shardSize, stripe };
}

/**
 * Rebuilds the envelope (decoding only when a data shard is missing), checks
 * it names `expectedId`, and opens it: the header must match the key set,
 * the tag must verify, and the plaintext must hash to the header's id (which
 * openChunk recomputes and compares in constant time). Since the header's id
 * was just compared to `expectedId`, a returned plaintext hashes to
 * `expectedId`. Throws before any plaintext exists on every failure.
 */
export function openStripe(keys: ChunkKeys, shards: readonly MaybeShard[], k: number, m: number, envelopeLength: number, expectedId: Uint8Array): Buffer {
  checkChunkIdArgument(expectedId);
  const shardLength = checkStripeRead(shards, k, m, envelopeLength);
  const envelope = contiguousDataPrefix(shards, k, shardLength, envelopeLength) ?? decode(shards, k, m, envelopeLength);
  const header = parseEnvelopeHeader(envelope);
  if (!constantTimeEqual(header.chunkId, expectedId)) {
    throw new TesseraError(ErrorCodes.CRYPTO_CHUNK_ID_MISMATCH, 'chunk id does not match the envelope');
  }
  return openChunk(envelope, keys);
}

/**
 * The envelope as a view, without copying, when the k data shards are all
 * present and lie back to back in one buffer (a stripe as sealed, or as the
 * pipeline packs it for a worker); undefined otherwise.
 */
function contiguousDataPrefix(shards: readonly MaybeShard[], k: number, shardLength: number, envelopeLength: number): Buffer | undefined {
  const first = shards[0];
  if (first === undefined || first === null) return undefined;
  for (let i = 1; i < k; i++) {
    const shard = shards[i];
    if (shard === undefined || shard === null || shard.buffer !== first.buffer || shard.byteOffset !== first.byteOffset + i * shardLength) {
      return undefined;
    }
  }
  return Buffer.from(first.buffer, first.byteOffset, envelopeLength);
}
