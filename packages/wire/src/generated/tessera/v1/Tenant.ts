// Original file: proto/tessera/v1/keys.proto

import type { TenantPolicy as _tessera_v1_TenantPolicy, TenantPolicy__Output as _tessera_v1_TenantPolicy__Output } from '../../tessera/v1/TenantPolicy.js';
import type { TenantState as _tessera_v1_TenantState, TenantState__Output as _tessera_v1_TenantState__Output } from '../../tessera/v1/TenantState.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A registered tenant (never any key).
 */
export interface Tenant {
  /**
   * Tenant id.
   */
  'id'?: (string);
  /**
   * Key policy, fixed at creation.
   */
  'policy'?: (_tessera_v1_TenantPolicy);
  /**
   * PEM certificate of the tenant's own CA; tenant principals must chain to it.
   */
  'caCertificatePem'?: (string);
  /**
   * PEM CRL of the tenant's CA (every trusted CA must publish one).
   */
  'caCrlPem'?: (string);
  /**
   * Current state.
   */
  'state'?: (_tessera_v1_TenantState);
  /**
   * Current tenant epoch (0 until the tenant's keys exist).
   */
  'tenantEpoch'?: (number | string | Long);
  /**
   * Current KEK version (0 before the keys exist and after a shred).
   */
  'kekVersion'?: (number);
  /**
   * When a scheduled crypto-shred executes (leader time, ms); 0 when none.
   */
  'shredExecuteAtMs'?: (number | string | Long);
  /**
   * A cluster admin disabled the tenant: storage nodes refuse its data calls.
   */
  'disabled'?: (boolean);
}

/**
 * A registered tenant (never any key).
 */
export interface Tenant__Output {
  /**
   * Tenant id.
   */
  'id': (string);
  /**
   * Key policy, fixed at creation.
   */
  'policy': (_tessera_v1_TenantPolicy__Output);
  /**
   * PEM certificate of the tenant's own CA; tenant principals must chain to it.
   */
  'caCertificatePem': (string);
  /**
   * PEM CRL of the tenant's CA (every trusted CA must publish one).
   */
  'caCrlPem': (string);
  /**
   * Current state.
   */
  'state': (_tessera_v1_TenantState__Output);
  /**
   * Current tenant epoch (0 until the tenant's keys exist).
   */
  'tenantEpoch': (string);
  /**
   * Current KEK version (0 before the keys exist and after a shred).
   */
  'kekVersion': (number);
  /**
   * When a scheduled crypto-shred executes (leader time, ms); 0 when none.
   */
  'shredExecuteAtMs': (string);
  /**
   * A cluster admin disabled the tenant: storage nodes refuse its data calls.
   */
  'disabled': (boolean);
}
