/** Test helpers: shard keys and payloads that can be re-derived from the key alone. */
import { createHash, randomBytes } from 'node:crypto';
import type { ShardKey } from '../../src/format/shard-key.js';

export function randomKey(shardIndex = 0): ShardKey {
  return { chunkId: randomBytes(32), writeId: randomBytes(16), shardIndex };
}

/** A key derived from a number (stable across processes). */
export function keyFromSeed(seed: number, shardIndex = 0, writeSeed = 0): ShardKey {
  const chunkId = createHash('sha256').update(`chunk-${seed}`).digest();
  const writeId = createHash('sha256').update(`write-${seed}-${writeSeed}`).digest().subarray(0, 16);
  return { chunkId, writeId, shardIndex };
}

/** Deterministic bytes for a key: the reader can check them without being told. */
export function payloadFor(key: ShardKey, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let block = createHash('sha256').update(key.chunkId).update(key.writeId).update(Buffer.of(key.shardIndex)).digest();
  for (let at = 0; at < length; at += block.length) {
    block.copy(out, at, 0, Math.min(block.length, length - at));
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

export function hex(key: ShardKey): string {
  return `${Buffer.from(key.chunkId).toString('hex')}:${Buffer.from(key.writeId).toString('hex')}:${key.shardIndex}`;
}
