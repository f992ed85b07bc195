// Original file: proto/tessera/v1/admin.proto

import type { MemberIdentity as _tessera_v1_MemberIdentity, MemberIdentity__Output as _tessera_v1_MemberIdentity__Output } from '../../tessera/v1/MemberIdentity.js';

/**
 * Adds a member.
 */
export interface AddMemberRequest {
  /**
   * Id, incarnation id and address of the new member (never a reused id).
   */
  'member'?: (_tessera_v1_MemberIdentity | null);
  /**
   * Add directly as a voter (forced); the default adds a learner.
   */
  'voter'?: (boolean);
}

/**
 * Adds a member.
 */
export interface AddMemberRequest__Output {
  /**
   * Id, incarnation id and address of the new member (never a reused id).
   */
  'member': (_tessera_v1_MemberIdentity__Output | null);
  /**
   * Add directly as a voter (forced); the default adds a learner.
   */
  'voter': (boolean);
}
