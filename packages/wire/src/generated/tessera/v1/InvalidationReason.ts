// Original file: proto/tessera/v1/keys.proto

/**
 * Why a tenant's keys must be dropped now.
 */
export const InvalidationReason = {
  /**
   * Unknown (never sent).
   */
  INVALIDATION_REASON_UNSPECIFIED: 'INVALIDATION_REASON_UNSPECIFIED',
  /**
   * The tenant was crypto-shredded: its keys are gone for good.
   */
  INVALIDATION_REASON_SHREDDED: 'INVALIDATION_REASON_SHREDDED',
  /**
   * The tenant's KEK was rotated.
   */
  INVALIDATION_REASON_KEK_ROTATED: 'INVALIDATION_REASON_KEK_ROTATED',
} as const;

/**
 * Why a tenant's keys must be dropped now.
 */
export type InvalidationReason =
  /**
   * Unknown (never sent).
   */
  | 'INVALIDATION_REASON_UNSPECIFIED'
  | 0
  /**
   * The tenant was crypto-shredded: its keys are gone for good.
   */
  | 'INVALIDATION_REASON_SHREDDED'
  | 1
  /**
   * The tenant's KEK was rotated.
   */
  | 'INVALIDATION_REASON_KEK_ROTATED'
  | 2

/**
 * Why a tenant's keys must be dropped now.
 */
export type InvalidationReason__Output = typeof InvalidationReason[keyof typeof InvalidationReason]
