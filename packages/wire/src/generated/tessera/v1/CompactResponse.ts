// Original file: proto/tessera/v1/admin.proto

import type { TenantCompaction as _tessera_v1_TenantCompaction, TenantCompaction__Output as _tessera_v1_TenantCompaction__Output } from '../../tessera/v1/TenantCompaction.js';

/**
 * Compactions committed by this call.
 */
export interface CompactResponse {
  /**
   * One entry per compacted tenant, by tenant id, as the committed result says.
   */
  'compacted'?: (_tessera_v1_TenantCompaction)[];
  /**
   * Tenants still with something to compact (call again).
   */
  'remaining'?: (number);
}

/**
 * Compactions committed by this call.
 */
export interface CompactResponse__Output {
  /**
   * One entry per compacted tenant, by tenant id, as the committed result says.
   */
  'compacted': (_tessera_v1_TenantCompaction__Output)[];
  /**
   * Tenants still with something to compact (call again).
   */
  'remaining': (number);
}
