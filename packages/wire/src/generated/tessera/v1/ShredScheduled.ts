// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A crypto-shred was scheduled.
 */
export interface ShredScheduled {
  /**
   * Tenant id.
   */
  'tenant'?: (string);
  /**
   * When it executes (leader time, ms).
   */
  'executeAtMs'?: (number | string | Long);
}

/**
 * A crypto-shred was scheduled.
 */
export interface ShredScheduled__Output {
  /**
   * Tenant id.
   */
  'tenant': (string);
  /**
   * When it executes (leader time, ms).
   */
  'executeAtMs': (string);
}
