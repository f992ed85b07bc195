/**
 * Chunk ids that a node computed itself (DESIGN section 5: a node never trusts
 * a client-supplied chunk id).
 *
 * The data path needs the id before it seals (to look up dedup and
 * references), so `computeChunkId` returns a ComputedChunkId that remembers
 * which key set and which plaintext buffer it was computed from. It can only
 * be made here. `sealChunk` accepts only such a value, for that same key set
 * and buffer, so an id parsed from a request cannot reach an envelope; without
 * one, `sealChunk` computes the id itself. (Changing the buffer's contents
 * between the two calls is a caller bug the seal cannot see; the envelope then
 * fails to open with CRYPTO_CHUNK_ID_MISMATCH, because open recomputes the id.)
 */
import { chunkIdToHex } from '@tessera/common';
import type { ChunkId } from '@tessera/common';
import type { ChunkKeys } from './chunk-keys.js';
import { invalidArgument } from './fail.js';

interface Provenance {
  readonly id: ChunkId;
  readonly keys: ChunkKeys;
  readonly plaintext: Uint8Array;
}

const provenance = new WeakMap<ComputedChunkId, Provenance>();
// Assigned by ComputedChunkId's static block, the one place that can reach its private constructor.
let mintToken: (origin: Provenance) => ComputedChunkId;

export class ComputedChunkId {
  private constructor() {}

  /** Only computeChunkId can make one (a static block reaches the private constructor). */
  static {
    mintToken = (origin: Provenance): ComputedChunkId => {
      const token = new ComputedChunkId();
      provenance.set(token, origin);
      return token;
    };
  }

  /** A copy of the 32-byte id (the token keeps its own, so the caller cannot change what gets sealed). */
  get id(): ChunkId {
    return Buffer.from(originOf(this).id) as ChunkId;
  }

  toHex(): string {
    return chunkIdToHex(originOf(this).id);
  }

  toString(): string {
    return this.toHex();
  }
}


function originOf(token: ComputedChunkId): Provenance {
  const origin = provenance.get(token);
  // Only reachable through Object.create tricks: every constructed token is registered.
  if (origin === undefined) throw invalidArgument('not a computed chunk id');
  return origin;
}

/** The chunk id of `plaintext` under `keys` (HMAC-SHA256 with the policy's id key). */
export function computeChunkId(keys: ChunkKeys, plaintext: Uint8Array): ComputedChunkId {
  return mintToken({ id: keys.chunkIdOf(plaintext), keys, plaintext });
}

/**
 * The id inside `token` if it was computed by `computeChunkId(keys, plaintext)`
 * for exactly these objects; undefined otherwise.
 */
export function idComputedFor(token: ComputedChunkId, keys: ChunkKeys, plaintext: Uint8Array): ChunkId | undefined {
  const origin = provenance.get(token);
  return origin !== undefined && origin.keys === keys && origin.plaintext === plaintext ? origin.id : undefined;
}
