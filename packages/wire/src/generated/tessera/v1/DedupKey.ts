// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The cluster dedup key.
 */
export interface DedupKey {
  /**
   * SECRET: the 32-byte cluster dedup key (never rotated).
   */
  'key'?: (Buffer | Uint8Array | string);
  /**
   * How long the node may keep it, from fetch (ms).
   */
  'ttlMs'?: (number | string | Long);
}

/**
 * The cluster dedup key.
 */
export interface DedupKey__Output {
  /**
   * SECRET: the 32-byte cluster dedup key (never rotated).
   */
  'key': (Buffer);
  /**
   * How long the node may keep it, from fetch (ms).
   */
  'ttlMs': (string);
}
