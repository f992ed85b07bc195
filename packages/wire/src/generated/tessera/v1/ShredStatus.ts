// Original file: proto/tessera/v1/keys.proto

import type { TenantState as _tessera_v1_TenantState, TenantState__Output as _tessera_v1_TenantState__Output } from '../../tessera/v1/TenantState.js';
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
   * The tenant's state after the request.
   */
  'state'?: (_tessera_v1_TenantState);
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
   * The tenant's state after the request.
   */
  'state': (_tessera_v1_TenantState__Output);
  /**
   * When it executes (leader timestamp, ms); 0 when not scheduled.
   */
  'executeAtMs': (string);
}
