/**
 * The identity of one stored shard: (chunk id, writeId, shard index).
 *
 * The writeId is part of the key, not an attribute: two writes of the same
 * chunk (a retry after a failed commit, a re-encryption, a repair that rewrote
 * the stripe) produce different records that must never be mixed, and a reader
 * always names the writeId it found in the committed chunk record.
 */
import { CHUNK_ID_BYTES, ErrorCodes, TesseraError } from '@tessera/common';

export const WRITE_ID_BYTES = 16;
/** chunkId ‖ writeId ‖ shardIndex */
export const SHARD_KEY_BYTES = CHUNK_ID_BYTES + WRITE_ID_BYTES + 1;
/** Shard indexes fit one byte (k + m ≤ 255, as in @tessera/erasure). */
export const MAX_SHARD_INDEX = 254;

export interface ShardKey {
  readonly chunkId: Uint8Array;
  readonly writeId: Uint8Array;
  readonly shardIndex: number;
}

export function checkShardKey(key: ShardKey): void {
  if (key.chunkId.length !== CHUNK_ID_BYTES) {
    throw new TesseraError(ErrorCodes.INVALID_CHUNK_ID, `chunk id must be ${CHUNK_ID_BYTES} bytes`);
  }
  if (key.writeId.length !== WRITE_ID_BYTES) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `writeId must be ${WRITE_ID_BYTES} bytes`);
  }
  if (!Number.isInteger(key.shardIndex) || key.shardIndex < 0 || key.shardIndex > MAX_SHARD_INDEX) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `shard index must be 0..${MAX_SHARD_INDEX}`);
  }
}

/** The 49-byte canonical form used in index keys and maps. */
export function shardKeyBytes(key: ShardKey): Buffer {
  checkShardKey(key);
  const out = Buffer.allocUnsafe(SHARD_KEY_BYTES);
  out.set(key.chunkId, 0);
  out.set(key.writeId, CHUNK_ID_BYTES);
  out[SHARD_KEY_BYTES - 1] = key.shardIndex;
  return out;
}

export function shardKeyFromBytes(bytes: Uint8Array): ShardKey {
  if (bytes.length !== SHARD_KEY_BYTES) {
    throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'shard key must be 49 bytes');
  }
  const shardIndex = bytes[SHARD_KEY_BYTES - 1]!;
  if (shardIndex > MAX_SHARD_INDEX) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'shard index out of range');
  const copy = Buffer.from(bytes);
  return {
    chunkId: copy.subarray(0, CHUNK_ID_BYTES),
    writeId: copy.subarray(CHUNK_ID_BYTES, CHUNK_ID_BYTES + WRITE_ID_BYTES),
    shardIndex,
  };
}

/** Hex of the 49-byte key: a map key and a log field (chunk ids and writeIds are public identifiers). */
export function shardKeyHex(key: ShardKey): string {
  return shardKeyBytes(key).toString('hex');
}

export function sameShardKey(a: ShardKey, b: ShardKey): boolean {
  return a.shardIndex === b.shardIndex && Buffer.compare(a.chunkId, b.chunkId) === 0 && Buffer.compare(a.writeId, b.writeId) === 0;
}
