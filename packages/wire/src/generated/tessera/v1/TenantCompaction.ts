// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The last compaction committed for one tenant (as applied on the answering
 * node since it started).
 */
export interface TenantCompaction {
  /**
   * Tenant id.
   */
  'tenant'?: (string);
  /**
   * Log index at which the compaction committed.
   */
  'index'?: (number | string | Long);
  /**
   * Leader timestamp of that entry (ms).
   */
  'timeMs'?: (number | string | Long);
  /**
   * Delta headers dropped.
   */
  'dropped'?: (number | string | Long);
  /**
   * Chunk references released (GC reclaims unreferenced chunks after gcGrace).
   */
  'released'?: (number | string | Long);
}

/**
 * The last compaction committed for one tenant (as applied on the answering
 * node since it started).
 */
export interface TenantCompaction__Output {
  /**
   * Tenant id.
   */
  'tenant': (string);
  /**
   * Log index at which the compaction committed.
   */
  'index': (string);
  /**
   * Leader timestamp of that entry (ms).
   */
  'timeMs': (string);
  /**
   * Delta headers dropped.
   */
  'dropped': (string);
  /**
   * Chunk references released (GC reclaims unreferenced chunks after gcGrace).
   */
  'released': (string);
}
