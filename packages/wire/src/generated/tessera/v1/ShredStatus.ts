// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Where a shred stands.
 */
export interface ShredStatus {
  /**
   * Tenant concerned.
   */
  'tenant'?: (string);
  /**
   * True while a shred is scheduled and not cancelled.
   */
  'scheduled'?: (boolean);
  /**
   * True once a tenant admin approved it (always for a tenant admin's own request).
   */
  'approved'?: (boolean);
  /**
   * When it executes (leader timestamp, ms); 0 when not scheduled.
   */
  'executeAtMs'?: (number | string | Long);
}

/**
 * Where a shred stands.
 */
export interface ShredStatus__Output {
  /**
   * Tenant concerned.
   */
  'tenant': (string);
  /**
   * True while a shred is scheduled and not cancelled.
   */
  'scheduled': (boolean);
  /**
   * True once a tenant admin approved it (always for a tenant admin's own request).
   */
  'approved': (boolean);
  /**
   * When it executes (leader timestamp, ms); 0 when not scheduled.
   */
  'executeAtMs': (string);
}
