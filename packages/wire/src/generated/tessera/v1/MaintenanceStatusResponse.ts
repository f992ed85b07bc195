// Original file: proto/tessera/v1/admin.proto

import type { PlacementScrubStatus as _tessera_v1_PlacementScrubStatus, PlacementScrubStatus__Output as _tessera_v1_PlacementScrubStatus__Output } from '../../tessera/v1/PlacementScrubStatus.js';
import type { RepairQueueStatus as _tessera_v1_RepairQueueStatus, RepairQueueStatus__Output as _tessera_v1_RepairQueueStatus__Output } from '../../tessera/v1/RepairQueueStatus.js';
import type { EvacuationProgress as _tessera_v1_EvacuationProgress, EvacuationProgress__Output as _tessera_v1_EvacuationProgress__Output } from '../../tessera/v1/EvacuationProgress.js';
import type { ReencryptionProgress as _tessera_v1_ReencryptionProgress, ReencryptionProgress__Output as _tessera_v1_ReencryptionProgress__Output } from '../../tessera/v1/ReencryptionProgress.js';
import type { DeviceScrubProgress as _tessera_v1_DeviceScrubProgress, DeviceScrubProgress__Output as _tessera_v1_DeviceScrubProgress__Output } from '../../tessera/v1/DeviceScrubProgress.js';
import type { CompactionStatus as _tessera_v1_CompactionStatus, CompactionStatus__Output as _tessera_v1_CompactionStatus__Output } from '../../tessera/v1/CompactionStatus.js';

/**
 * Maintenance as the metadata leader sees it.
 */
export interface MaintenanceStatusResponse {
  /**
   * The answering node (the metadata leader).
   */
  'nodeId'?: (string);
  /**
   * Placement scrub: the pass under way and the last finished one.
   */
  'placementScrub'?: (_tessera_v1_PlacementScrubStatus | null);
  /**
   * Repair queue, counters and history.
   */
  'repairs'?: (_tessera_v1_RepairQueueStatus | null);
  /**
   * Devices being emptied.
   */
  'evacuations'?: (_tessera_v1_EvacuationProgress)[];
  /**
   * Re-encryption progress.
   */
  'reencryption'?: (_tessera_v1_ReencryptionProgress | null);
  /**
   * The answering node's device scrub.
   */
  'deviceScrub'?: (_tessera_v1_DeviceScrubProgress | null);
  /**
   * Compaction per tenant.
   */
  'compaction'?: (_tessera_v1_CompactionStatus | null);
  /**
   * "full": the last pass found every slot clean and no repair waits or runs;
   * "repairing": repairs wait or run; "degraded": the last pass found bad
   * slots or under-protected chunks; "unknown": no pass finished yet.
   */
  'redundancy'?: (string);
}

/**
 * Maintenance as the metadata leader sees it.
 */
export interface MaintenanceStatusResponse__Output {
  /**
   * The answering node (the metadata leader).
   */
  'nodeId': (string);
  /**
   * Placement scrub: the pass under way and the last finished one.
   */
  'placementScrub': (_tessera_v1_PlacementScrubStatus__Output | null);
  /**
   * Repair queue, counters and history.
   */
  'repairs': (_tessera_v1_RepairQueueStatus__Output | null);
  /**
   * Devices being emptied.
   */
  'evacuations': (_tessera_v1_EvacuationProgress__Output)[];
  /**
   * Re-encryption progress.
   */
  'reencryption': (_tessera_v1_ReencryptionProgress__Output | null);
  /**
   * The answering node's device scrub.
   */
  'deviceScrub': (_tessera_v1_DeviceScrubProgress__Output | null);
  /**
   * Compaction per tenant.
   */
  'compaction': (_tessera_v1_CompactionStatus__Output | null);
  /**
   * "full": the last pass found every slot clean and no repair waits or runs;
   * "repairing": repairs wait or run; "degraded": the last pass found bad
   * slots or under-protected chunks; "unknown": no pass finished yet.
   */
  'redundancy': (string);
}
