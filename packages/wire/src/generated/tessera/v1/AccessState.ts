// Original file: proto/tessera/v1/admin.proto

/**
 * Where an access request stands.
 */
export const AccessState = {
  /**
   * Unknown (never sent).
   */
  ACCESS_STATE_UNSPECIFIED: 'ACCESS_STATE_UNSPECIFIED',
  /**
   * Waiting for a tenant admin.
   */
  ACCESS_STATE_PENDING: 'ACCESS_STATE_PENDING',
  /**
   * Approved: a grant exists.
   */
  ACCESS_STATE_APPROVED: 'ACCESS_STATE_APPROVED',
  /**
   * Denied by a tenant admin.
   */
  ACCESS_STATE_DENIED: 'ACCESS_STATE_DENIED',
  /**
   * The grant's window ended or it was revoked.
   */
  ACCESS_STATE_EXPIRED: 'ACCESS_STATE_EXPIRED',
} as const;

/**
 * Where an access request stands.
 */
export type AccessState =
  /**
   * Unknown (never sent).
   */
  | 'ACCESS_STATE_UNSPECIFIED'
  | 0
  /**
   * Waiting for a tenant admin.
   */
  | 'ACCESS_STATE_PENDING'
  | 1
  /**
   * Approved: a grant exists.
   */
  | 'ACCESS_STATE_APPROVED'
  | 2
  /**
   * Denied by a tenant admin.
   */
  | 'ACCESS_STATE_DENIED'
  | 3
  /**
   * The grant's window ended or it was revoked.
   */
  | 'ACCESS_STATE_EXPIRED'
  | 4

/**
 * Where an access request stands.
 */
export type AccessState__Output = typeof AccessState[keyof typeof AccessState]
