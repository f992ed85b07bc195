// Original file: proto/tessera/v1/keys.proto

import type { Tenant as _tessera_v1_Tenant, Tenant__Output as _tessera_v1_Tenant__Output } from '../../tessera/v1/Tenant.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One event on the watch stream.
 */
export interface KeyEvent {
  /**
   * Revision of the key manager's state that produced it.
   */
  'revision'?: (number | string | Long);
  /**
   * A tenant was created or changed (state, CA, epoch).
   */
  'tenant'?: (_tessera_v1_Tenant | null);
  /**
   * Drop every key (and derived key) of this tenant now.
   */
  'invalidateTenant'?: (string);
  /**
   * A new system epoch exists; refetch system keys.
   */
  'systemEpoch'?: (number | string | Long);
  'kind'?: "tenant"|"invalidateTenant"|"systemEpoch";
}

/**
 * One event on the watch stream.
 */
export interface KeyEvent__Output {
  /**
   * Revision of the key manager's state that produced it.
   */
  'revision': (string);
  /**
   * A tenant was created or changed (state, CA, epoch).
   */
  'tenant'?: (_tessera_v1_Tenant__Output | null);
  /**
   * Drop every key (and derived key) of this tenant now.
   */
  'invalidateTenant'?: (string);
  /**
   * A new system epoch exists; refetch system keys.
   */
  'systemEpoch'?: (string);
  'kind'?: "tenant"|"invalidateTenant"|"systemEpoch";
}
