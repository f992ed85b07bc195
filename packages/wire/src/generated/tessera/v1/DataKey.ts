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
   * Epoch new writes of this tenant use.
   */
  'currentTenantEpoch'?: (number | string | Long);
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
   * Epoch new writes of this tenant use.
   */
  'currentTenantEpoch': (string);
  /**
   * How long the node may keep it, from fetch (ms).
   */
  'ttlMs': (string);
}
