// Original file: proto/tessera/v1/keys.proto

import type { Tenant as _tessera_v1_Tenant, Tenant__Output as _tessera_v1_Tenant__Output } from '../../tessera/v1/Tenant.js';

/**
 * Every registered tenant.
 */
export interface ListTenantsResponse {
  /**
   * Tenants, sorted by id.
   */
  'tenants'?: (_tessera_v1_Tenant)[];
}

/**
 * Every registered tenant.
 */
export interface ListTenantsResponse__Output {
  /**
   * Tenants, sorted by id.
   */
  'tenants': (_tessera_v1_Tenant__Output)[];
}
