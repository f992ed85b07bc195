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
   * End as a voter: the member is added as a learner (unless it is one
   * already), caught up with the leader, then promoted. The default only adds
   * a learner.
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
   * End as a voter: the member is added as a learner (unless it is one
   * already), caught up with the leader, then promoted. The default only adds
   * a learner.
   */
  'voter': (boolean);
}
