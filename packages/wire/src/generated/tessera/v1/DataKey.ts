// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A tenant data key.
 */
export interface DataKey {
  /**
   * Tenant id.
   */
  'tenant'?: (string);
  /**
   * Tenant epoch of this key.
   */
  'tenantEpoch'?: (number | string | Long);
  /**
   * SECRET: the 32-byte TDK.
   */
  'key'?: (Buffer | Uint8Array | string);
  /**
   * How long the node may keep it, from fetch (ms).
   */
  'ttlMs'?: (number | string | Long);
}

/**
 * A tenant data key.
 */
export interface DataKey__Output {
  /**
   * Tenant id.
   */
  'tenant': (string);
  /**
   * Tenant epoch of this key.
   */
  'tenantEpoch': (string);
  /**
   * SECRET: the 32-byte TDK.
   */
  'key': (Buffer);
  /**
   * How long the node may keep it, from fetch (ms).
   */
  'ttlMs': (string);
}
