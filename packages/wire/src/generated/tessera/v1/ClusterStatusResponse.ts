// Original file: proto/tessera/v1/admin.proto

import type { MemberStatus as _tessera_v1_MemberStatus, MemberStatus__Output as _tessera_v1_MemberStatus__Output } from '../../tessera/v1/MemberStatus.js';
import type { Long } from '@grpc/proto-loader';

/**
 * State of the metadata group as seen by the answering node.
 */
export interface ClusterStatusResponse {
  /**
   * Cluster id chosen at bootstrap.
   */
  'clusterId'?: (string);
  /**
   * Current leader id; empty when unknown.
   */
  'leaderId'?: (string);
  /**
   * Current Raft term.
   */
  'term'?: (number | string | Long);
  /**
   * Highest committed log index known to the answering node.
   */
  'commitIndex'?: (number | string | Long);
  /**
   * Members and their state.
   */
  'members'?: (_tessera_v1_MemberStatus)[];
}

/**
 * State of the metadata group as seen by the answering node.
 */
export interface ClusterStatusResponse__Output {
  /**
   * Cluster id chosen at bootstrap.
   */
  'clusterId': (string);
  /**
   * Current leader id; empty when unknown.
   */
  'leaderId': (string);
  /**
   * Current Raft term.
   */
  'term': (string);
  /**
   * Highest committed log index known to the answering node.
   */
  'commitIndex': (string);
  /**
   * Members and their state.
   */
  'members': (_tessera_v1_MemberStatus__Output)[];
}
