// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Sets a tenant's quota.
 */
export interface SetTenantQuotaRequest {
  /**
   * Tenant id (must exist in the metadata group).
   */
  'tenant'?: (string);
  /**
   * Quota in logical bytes; 0 means unlimited.
   */
  'quotaBytes'?: (number | string | Long);
}

/**
 * Sets a tenant's quota.
 */
export interface SetTenantQuotaRequest__Output {
  /**
   * Tenant id (must exist in the metadata group).
   */
  'tenant': (string);
  /**
   * Quota in logical bytes; 0 means unlimited.
   */
  'quotaBytes': (string);
}
