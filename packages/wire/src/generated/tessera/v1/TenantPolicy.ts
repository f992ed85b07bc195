// Original file: proto/tessera/v1/keys.proto

/**
 * How a tenant isolates its keys.
 */
export const TenantPolicy = {
  /**
   * Unknown (never valid).
   */
  TENANT_POLICY_UNSPECIFIED: 'TENANT_POLICY_UNSPECIFIED',
  /**
   * Cross-tenant dedup; chunk keys depend on no tenant key.
   */
  TENANT_POLICY_SHARED: 'TENANT_POLICY_SHARED',
  /**
   * Tenant-keyed chunks; crypto-shred removes everything (K5).
   */
  TENANT_POLICY_ISOLATED: 'TENANT_POLICY_ISOLATED',
} as const;

/**
 * How a tenant isolates its keys.
 */
export type TenantPolicy =
  /**
   * Unknown (never valid).
   */
  | 'TENANT_POLICY_UNSPECIFIED'
  | 0
  /**
   * Cross-tenant dedup; chunk keys depend on no tenant key.
   */
  | 'TENANT_POLICY_SHARED'
  | 1
  /**
   * Tenant-keyed chunks; crypto-shred removes everything (K5).
   */
  | 'TENANT_POLICY_ISOLATED'
  | 2

/**
 * How a tenant isolates its keys.
 */
export type TenantPolicy__Output = typeof TenantPolicy[keyof typeof TenantPolicy]
