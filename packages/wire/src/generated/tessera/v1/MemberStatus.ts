// Original file: proto/tessera/v1/admin.proto

import type { MemberIdentity as _tessera_v1_MemberIdentity, MemberIdentity__Output as _tessera_v1_MemberIdentity__Output } from '../../tessera/v1/MemberIdentity.js';
import type { MemberRole as _tessera_v1_MemberRole, MemberRole__Output as _tessera_v1_MemberRole__Output } from '../../tessera/v1/MemberRole.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One member of the group.
 */
export interface MemberStatus {
  /**
   * Committed identity.
   */
  'identity'?: (_tessera_v1_MemberIdentity | null);
  /**
   * Voter or learner.
   */
  'role'?: (_tessera_v1_MemberRole);
  /**
   * Highest log index known replicated on the member (leader's view; 0 when
   * the answering node is not the leader).
   */
  'matchIndex'?: (number | string | Long);
  /**
   * Whether the leader currently reaches the member.
   */
  'reachable'?: (boolean);
}

/**
 * One member of the group.
 */
export interface MemberStatus__Output {
  /**
   * Committed identity.
   */
  'identity': (_tessera_v1_MemberIdentity__Output | null);
  /**
   * Voter or learner.
   */
  'role': (_tessera_v1_MemberRole__Output);
  /**
   * Highest log index known replicated on the member (leader's view; 0 when
   * the answering node is not the leader).
   */
  'matchIndex': (string);
  /**
   * Whether the leader currently reaches the member.
   */
  'reachable': (boolean);
}
