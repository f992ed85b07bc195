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
  /**
   * Id of the answering node.
   */
  'nodeId'?: (string);
  /**
   * Highest log index the answering node's state machine applied.
   */
  'appliedIndex'?: (number | string | Long);
  /**
   * Index of the latest snapshot in the answering node's Raft store.
   */
  'snapshotIndex'?: (number | string | Long);
  /**
   * First log index the answering node still holds (entries below were
   * compacted into the snapshot).
   */
  'firstLogIndex'?: (number | string | Long);
  /**
   * Snapshots the answering node received from a leader and installed since
   * it started.
   */
  'snapshotsInstalled'?: (number | string | Long);
  /**
   * SHA-256 (hex) of the answering node's replicated state at applied_index
   * (replicas at the same applied index must report the same value); empty
   * when the process does not compute one.
   */
  'stateDigest'?: (string);
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
  /**
   * Id of the answering node.
   */
  'nodeId': (string);
  /**
   * Highest log index the answering node's state machine applied.
   */
  'appliedIndex': (string);
  /**
   * Index of the latest snapshot in the answering node's Raft store.
   */
  'snapshotIndex': (string);
  /**
   * First log index the answering node still holds (entries below were
   * compacted into the snapshot).
   */
  'firstLogIndex': (string);
  /**
   * Snapshots the answering node received from a leader and installed since
   * it started.
   */
  'snapshotsInstalled': (string);
  /**
   * SHA-256 (hex) of the answering node's replicated state at applied_index
   * (replicas at the same applied index must report the same value); empty
   * when the process does not compute one.
   */
  'stateDigest': (string);
}
