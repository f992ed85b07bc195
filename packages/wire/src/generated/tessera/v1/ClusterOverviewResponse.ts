// Original file: proto/tessera/v1/admin.proto

import type { ClusterStatusResponse as _tessera_v1_ClusterStatusResponse, ClusterStatusResponse__Output as _tessera_v1_ClusterStatusResponse__Output } from '../../tessera/v1/ClusterStatusResponse.js';
import type { DeviceStatus as _tessera_v1_DeviceStatus, DeviceStatus__Output as _tessera_v1_DeviceStatus__Output } from '../../tessera/v1/DeviceStatus.js';
import type { PoolStatus as _tessera_v1_PoolStatus, PoolStatus__Output as _tessera_v1_PoolStatus__Output } from '../../tessera/v1/PoolStatus.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Cluster-wide status as the answering node sees it.
 */
export interface ClusterOverviewResponse {
  /**
   * Raft status of the metadata group (members with the leader's progress
   * when the answering node leads).
   */
  'raft'?: (_tessera_v1_ClusterStatusResponse | null);
  /**
   * The committed device table.
   */
  'devices'?: (_tessera_v1_DeviceStatus)[];
  /**
   * One entry per pool, ordered by name.
   */
  'pools'?: (_tessera_v1_PoolStatus)[];
  /**
   * Lowest system epoch still needed to decrypt live chunks.
   */
  'minDecryptEpoch'?: (number | string | Long);
  /**
   * Grace before unreferenced chunks and retired placements are reclaimed (ms).
   */
  'gcGraceMs'?: (number | string | Long);
  /**
   * Registered storage nodes (node/device table).
   */
  'nodes'?: (number);
}

/**
 * Cluster-wide status as the answering node sees it.
 */
export interface ClusterOverviewResponse__Output {
  /**
   * Raft status of the metadata group (members with the leader's progress
   * when the answering node leads).
   */
  'raft': (_tessera_v1_ClusterStatusResponse__Output | null);
  /**
   * The committed device table.
   */
  'devices': (_tessera_v1_DeviceStatus__Output)[];
  /**
   * One entry per pool, ordered by name.
   */
  'pools': (_tessera_v1_PoolStatus__Output)[];
  /**
   * Lowest system epoch still needed to decrypt live chunks.
   */
  'minDecryptEpoch': (string);
  /**
   * Grace before unreferenced chunks and retired placements are reclaimed (ms).
   */
  'gcGraceMs': (string);
  /**
   * Registered storage nodes (node/device table).
   */
  'nodes': (number);
}
