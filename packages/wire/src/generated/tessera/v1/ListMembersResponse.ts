// Original file: proto/tessera/v1/admin.proto

import type { MemberStatus as _tessera_v1_MemberStatus, MemberStatus__Output as _tessera_v1_MemberStatus__Output } from '../../tessera/v1/MemberStatus.js';

/**
 * Members of the metadata group.
 */
export interface ListMembersResponse {
  /**
   * Members and their state.
   */
  'members'?: (_tessera_v1_MemberStatus)[];
}

/**
 * Members of the metadata group.
 */
export interface ListMembersResponse__Output {
  /**
   * Members and their state.
   */
  'members': (_tessera_v1_MemberStatus__Output)[];
}
