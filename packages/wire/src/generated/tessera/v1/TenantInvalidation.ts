// Original file: proto/tessera/v1/keys.proto

import type { InvalidationReason as _tessera_v1_InvalidationReason, InvalidationReason__Output as _tessera_v1_InvalidationReason__Output } from '../../tessera/v1/InvalidationReason.js';

/**
 * Drop every key (and derived key) of a tenant now.
 */
export interface TenantInvalidation {
  /**
   * Tenant id.
   */
  'tenant'?: (string);
  /**
   * Why.
   */
  'reason'?: (_tessera_v1_InvalidationReason);
  /**
   * The KEK version now current (after a rotation).
   */
  'kekVersion'?: (number);
}

/**
 * Drop every key (and derived key) of a tenant now.
 */
export interface TenantInvalidation__Output {
  /**
   * Tenant id.
   */
  'tenant': (string);
  /**
   * Why.
   */
  'reason': (_tessera_v1_InvalidationReason__Output);
  /**
   * The KEK version now current (after a rotation).
   */
  'kekVersion': (number);
}
