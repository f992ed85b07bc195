// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A tenant index key.
 */
export interface IndexKey {
  /**
   * Tenant id.
   */
  'tenant'?: (string);
  /**
   * SECRET: the 32-byte TIK.
   */
  'key'?: (Buffer | Uint8Array | string);
  /**
   * How long the node may keep it, from fetch (ms).
   */
  'ttlMs'?: (number | string | Long);
}

/**
 * A tenant index key.
 */
export interface IndexKey__Output {
  /**
   * Tenant id.
   */
  'tenant': (string);
  /**
   * SECRET: the 32-byte TIK.
   */
  'key': (Buffer);
  /**
   * How long the node may keep it, from fetch (ms).
   */
  'ttlMs': (string);
}
