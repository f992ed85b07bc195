// Original file: proto/tessera/v1/admin.proto

import type { TenantCompaction as _tessera_v1_TenantCompaction, TenantCompaction__Output as _tessera_v1_TenantCompaction__Output } from '../../tessera/v1/TenantCompaction.js';

/**
 * Compaction as the metadata leader sees it.
 */
export interface CompactionStatus {
  /**
   * The last compaction of each tenant, by tenant id.
   */
  'last'?: (_tessera_v1_TenantCompaction)[];
  /**
   * Tenants with superseded deltas or expired tombstones now.
   */
  'pendingTenants'?: (number);
}

/**
 * Compaction as the metadata leader sees it.
 */
export interface CompactionStatus__Output {
  /**
   * The last compaction of each tenant, by tenant id.
   */
  'last': (_tessera_v1_TenantCompaction__Output)[];
  /**
   * Tenants with superseded deltas or expired tombstones now.
   */
  'pendingTenants': (number);
}
