// Original file: proto/tessera/v1/keys.proto

import type { Tenant as _tessera_v1_Tenant, Tenant__Output as _tessera_v1_Tenant__Output } from '../../tessera/v1/Tenant.js';
import type { TenantInvalidation as _tessera_v1_TenantInvalidation, TenantInvalidation__Output as _tessera_v1_TenantInvalidation__Output } from '../../tessera/v1/TenantInvalidation.js';
import type { TenantEpochChange as _tessera_v1_TenantEpochChange, TenantEpochChange__Output as _tessera_v1_TenantEpochChange__Output } from '../../tessera/v1/TenantEpochChange.js';
import type { ShredScheduled as _tessera_v1_ShredScheduled, ShredScheduled__Output as _tessera_v1_ShredScheduled__Output } from '../../tessera/v1/ShredScheduled.js';
import type { NodePinChange as _tessera_v1_NodePinChange, NodePinChange__Output as _tessera_v1_NodePinChange__Output } from '../../tessera/v1/NodePinChange.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One event on the watch stream.
 */
export interface KeyEvent {
  /**
   * Applied index of the key manager's state that produced it.
   */
  'revision'?: (number | string | Long);
  /**
   * A tenant as it is now (the initial table, and every change).
   */
  'tenant'?: (_tessera_v1_Tenant | null);
  /**
   * Drop every key (and derived key) of this tenant now.
   */
  'invalidate'?: (_tessera_v1_TenantInvalidation | null);
  /**
   * A new system epoch exists.
   */
  'systemEpoch'?: (number | string | Long);
  /**
   * A tenant's new epoch.
   */
  'tenantEpoch'?: (_tessera_v1_TenantEpochChange | null);
  /**
   * A crypto-shred was scheduled (the metadata group disables the tenant).
   */
  'shredScheduled'?: (_tessera_v1_ShredScheduled | null);
  /**
   * A crypto-shred was cancelled (the tenant id).
   */
  'shredCancelled'?: (string);
  /**
   * The initial table has been sent; live events follow.
   */
  'synced'?: (boolean);
  /**
   * The allow-list changed.
   */
  'nodePin'?: (_tessera_v1_NodePinChange | null);
  'kind'?: "tenant"|"invalidate"|"systemEpoch"|"tenantEpoch"|"shredScheduled"|"shredCancelled"|"synced"|"nodePin";
}

/**
 * One event on the watch stream.
 */
export interface KeyEvent__Output {
  /**
   * Applied index of the key manager's state that produced it.
   */
  'revision': (string);
  /**
   * A tenant as it is now (the initial table, and every change).
   */
  'tenant'?: (_tessera_v1_Tenant__Output | null);
  /**
   * Drop every key (and derived key) of this tenant now.
   */
  'invalidate'?: (_tessera_v1_TenantInvalidation__Output | null);
  /**
   * A new system epoch exists.
   */
  'systemEpoch'?: (string);
  /**
   * A tenant's new epoch.
   */
  'tenantEpoch'?: (_tessera_v1_TenantEpochChange__Output | null);
  /**
   * A crypto-shred was scheduled (the metadata group disables the tenant).
   */
  'shredScheduled'?: (_tessera_v1_ShredScheduled__Output | null);
  /**
   * A crypto-shred was cancelled (the tenant id).
   */
  'shredCancelled'?: (string);
  /**
   * The initial table has been sent; live events follow.
   */
  'synced'?: (boolean);
  /**
   * The allow-list changed.
   */
  'nodePin'?: (_tessera_v1_NodePinChange__Output | null);
  'kind'?: "tenant"|"invalidate"|"systemEpoch"|"tenantEpoch"|"shredScheduled"|"shredCancelled"|"synced"|"nodePin";
}
