// Original file: proto/tessera/v1/fabric.proto


/**
 * Identifies a stored shard record.
 */
export interface ShardKey {
  /**
   * Chunk id: 32 bytes.
   */
  'chunkId'?: (Buffer | Uint8Array | string);
  /**
   * Write id of the chunk record this shard belongs to: 16 bytes.
   */
  'writeId'?: (Buffer | Uint8Array | string);
  /**
   * Index of the shard in the erasure-coded stripe (0 .. k+m-1).
   */
  'shardIndex'?: (number);
}

/**
 * Identifies a stored shard record.
 */
export interface ShardKey__Output {
  /**
   * Chunk id: 32 bytes.
   */
  'chunkId': (Buffer);
  /**
   * Write id of the chunk record this shard belongs to: 16 bytes.
   */
  'writeId': (Buffer);
  /**
   * Index of the shard in the erasure-coded stripe (0 .. k+m-1).
   */
  'shardIndex': (number);
}
