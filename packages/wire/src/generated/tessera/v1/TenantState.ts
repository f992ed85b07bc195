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
   * A cluster admin asked for a crypto-shred; a tenant admin must approve it.
   */
  TENANT_STATE_SHRED_PENDING_APPROVAL: 'TENANT_STATE_SHRED_PENDING_APPROVAL',
  /**
   * A crypto-shred is scheduled (the metadata group disables the tenant).
   */
  TENANT_STATE_SHRED_SCHEDULED: 'TENANT_STATE_SHRED_SCHEDULED',
  /**
   * Shredded: every KEK version destroyed.
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
   * A cluster admin asked for a crypto-shred; a tenant admin must approve it.
   */
  | 'TENANT_STATE_SHRED_PENDING_APPROVAL'
  | 2
  /**
   * A crypto-shred is scheduled (the metadata group disables the tenant).
   */
  | 'TENANT_STATE_SHRED_SCHEDULED'
  | 3
  /**
   * Shredded: every KEK version destroyed.
   */
  | 'TENANT_STATE_SHREDDED'
  | 4

/**
 * Lifecycle of a tenant.
 */
export type TenantState__Output = typeof TenantState[keyof typeof TenantState]
