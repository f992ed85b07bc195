// Original file: proto/tessera/v1/admin.proto

import type { ClusterStatusResponse as _tessera_v1_ClusterStatusResponse, ClusterStatusResponse__Output as _tessera_v1_ClusterStatusResponse__Output } from '../../tessera/v1/ClusterStatusResponse.js';
import type { DeviceStatus as _tessera_v1_DeviceStatus, DeviceStatus__Output as _tessera_v1_DeviceStatus__Output } from '../../tessera/v1/DeviceStatus.js';
import type { PoolStatus as _tessera_v1_PoolStatus, PoolStatus__Output as _tessera_v1_PoolStatus__Output } from '../../tessera/v1/PoolStatus.js';
import type { PlacementScrubPass as _tessera_v1_PlacementScrubPass, PlacementScrubPass__Output as _tessera_v1_PlacementScrubPass__Output } from '../../tessera/v1/PlacementScrubPass.js';
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
  /**
   * Chunks with more than m shards on one node in the last finished placement
   * scrub pass (meaningful only when scrub_known).
   */
  'underProtected'?: (number | string | Long);
  /**
   * The last finished placement scrub pass (absent before the first, or when
   * the answering node is not the metadata leader).
   */
  'lastScrub'?: (_tessera_v1_PlacementScrubPass | null);
  /**
   * "full", "degraded", "repairing" or "unknown" (see MaintenanceStatusResponse).
   */
  'redundancy'?: (string);
  /**
   * Whether the answering node is the metadata leader and so knows the scrub
   * results (a follower answers redundancy "unknown": ask MaintenanceStatus).
   */
  'scrubKnown'?: (boolean);
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
  /**
   * Chunks with more than m shards on one node in the last finished placement
   * scrub pass (meaningful only when scrub_known).
   */
  'underProtected': (string);
  /**
   * The last finished placement scrub pass (absent before the first, or when
   * the answering node is not the metadata leader).
   */
  'lastScrub': (_tessera_v1_PlacementScrubPass__Output | null);
  /**
   * "full", "degraded", "repairing" or "unknown" (see MaintenanceStatusResponse).
   */
  'redundancy': (string);
  /**
   * Whether the answering node is the metadata leader and so knows the scrub
   * results (a follower answers redundancy "unknown": ask MaintenanceStatus).
   */
  'scrubKnown': (boolean);
}
