// Original file: proto/tessera/v1/admin.proto

/**
 * Whether a member votes.
 */
export const MemberRole = {
  /**
   * Unknown (never sent).
   */
  MEMBER_ROLE_UNSPECIFIED: 'MEMBER_ROLE_UNSPECIFIED',
  /**
   * Counts toward quorum.
   */
  MEMBER_ROLE_VOTER: 'MEMBER_ROLE_VOTER',
  /**
   * Replicates but never votes.
   */
  MEMBER_ROLE_LEARNER: 'MEMBER_ROLE_LEARNER',
} as const;

/**
 * Whether a member votes.
 */
export type MemberRole =
  /**
   * Unknown (never sent).
   */
  | 'MEMBER_ROLE_UNSPECIFIED'
  | 0
  /**
   * Counts toward quorum.
   */
  | 'MEMBER_ROLE_VOTER'
  | 1
  /**
   * Replicates but never votes.
   */
  | 'MEMBER_ROLE_LEARNER'
  | 2

/**
 * Whether a member votes.
 */
export type MemberRole__Output = typeof MemberRole[keyof typeof MemberRole]
