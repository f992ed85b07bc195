// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A tenant's usage.
 */
export interface TenantUsageResponse {
  /**
   * Tenant id.
   */
  'tenant'?: (string);
  /**
   * Logical bytes referenced by live objects (what quotas count).
   */
  'logicalBytes'?: (number | string | Long);
  /**
   * Number of live objects.
   */
  'objects'?: (number | string | Long);
  /**
   * Quota in logical bytes; 0 means unlimited.
   */
  'quotaBytes'?: (number | string | Long);
}

/**
 * A tenant's usage.
 */
export interface TenantUsageResponse__Output {
  /**
   * Tenant id.
   */
  'tenant': (string);
  /**
   * Logical bytes referenced by live objects (what quotas count).
   */
  'logicalBytes': (string);
  /**
   * Number of live objects.
   */
  'objects': (string);
  /**
   * Quota in logical bytes; 0 means unlimited.
   */
  'quotaBytes': (string);
}
