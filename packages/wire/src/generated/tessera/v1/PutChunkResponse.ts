// Original file: proto/tessera/v1/data.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Reply to PutChunk.
 */
export interface PutChunkResponse {
  /**
   * Chunk id computed by the node from the received bytes (32 bytes).
   */
  'chunkId'?: (Buffer | Uint8Array | string);
  /**
   * Plaintext length of the chunk.
   */
  'size'?: (number | string | Long);
}

/**
 * Reply to PutChunk.
 */
export interface PutChunkResponse__Output {
  /**
   * Chunk id computed by the node from the received bytes (32 bytes).
   */
  'chunkId': (Buffer);
  /**
   * Plaintext length of the chunk.
   */
  'size': (string);
}
