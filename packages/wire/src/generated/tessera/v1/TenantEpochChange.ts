// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A tenant started a new epoch.
 */
export interface TenantEpochChange {
  /**
   * Tenant id.
   */
  'tenant'?: (string);
  /**
   * The new current tenant epoch.
   */
  'epoch'?: (number | string | Long);
}

/**
 * A tenant started a new epoch.
 */
export interface TenantEpochChange__Output {
  /**
   * Tenant id.
   */
  'tenant': (string);
  /**
   * The new current tenant epoch.
   */
  'epoch': (string);
}
