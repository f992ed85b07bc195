// Original file: proto/tessera/v1/data.proto

import type { PutChunkHeader as _tessera_v1_PutChunkHeader, PutChunkHeader__Output as _tessera_v1_PutChunkHeader__Output } from '../../tessera/v1/PutChunkHeader.js';

/**
 * One frame of a PutChunk stream.
 */
export interface PutChunkFrame {
  /**
   * First frame, exactly once.
   */
  'header'?: (_tessera_v1_PutChunkHeader | null);
  /**
   * Next plaintext bytes of the chunk, at most 1 MiB per frame.
   */
  'data'?: (Buffer | Uint8Array | string);
  'kind'?: "header"|"data";
}

/**
 * One frame of a PutChunk stream.
 */
export interface PutChunkFrame__Output {
  /**
   * First frame, exactly once.
   */
  'header'?: (_tessera_v1_PutChunkHeader__Output | null);
  /**
   * Next plaintext bytes of the chunk, at most 1 MiB per frame.
   */
  'data'?: (Buffer);
  'kind'?: "header"|"data";
}
