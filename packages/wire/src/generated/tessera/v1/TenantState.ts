// Original file: proto/tessera/v1/keys.proto

/**
 * Lifecycle of a tenant.
 */
export const TenantState = {
  /**
   * Unknown (never sent).
   */
  TENANT_STATE_UNSPECIFIED: 'TENANT_STATE_UNSPECIFIED',
  /**
   * Serving.
   */
  TENANT_STATE_ACTIVE: 'TENANT_STATE_ACTIVE',
  /**
   * Disabled (shred scheduled, or by an admin).
   */
  TENANT_STATE_DISABLED: 'TENANT_STATE_DISABLED',
  /**
   * Shredded: keys destroyed.
   */
  TENANT_STATE_SHREDDED: 'TENANT_STATE_SHREDDED',
} as const;

/**
 * Lifecycle of a tenant.
 */
export type TenantState =
  /**
   * Unknown (never sent).
   */
  | 'TENANT_STATE_UNSPECIFIED'
  | 0
  /**
   * Serving.
   */
  | 'TENANT_STATE_ACTIVE'
  | 1
  /**
   * Disabled (shred scheduled, or by an admin).
   */
  | 'TENANT_STATE_DISABLED'
  | 2
  /**
   * Shredded: keys destroyed.
   */
  | 'TENANT_STATE_SHREDDED'
  | 3

/**
 * Lifecycle of a tenant.
 */
export type TenantState__Output = typeof TenantState[keyof typeof TenantState]
