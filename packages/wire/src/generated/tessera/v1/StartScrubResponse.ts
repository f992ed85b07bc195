// Original file: proto/tessera/v1/admin.proto

import type { PlacementScrubStatus as _tessera_v1_PlacementScrubStatus, PlacementScrubStatus__Output as _tessera_v1_PlacementScrubStatus__Output } from '../../tessera/v1/PlacementScrubStatus.js';

/**
 * What was started.
 */
export interface StartScrubResponse {
  /**
   * The answering node.
   */
  'nodeId'?: (string);
  /**
   * "started" (a pass begins now), "running" (one was under way) or "" (not asked).
   */
  'placement'?: (string);
  /**
   * "started", "running", "disabled" or "" (not asked).
   */
  'device'?: (string);
  /**
   * The placement scrub after the call.
   */
  'placementScrub'?: (_tessera_v1_PlacementScrubStatus | null);
}

/**
 * What was started.
 */
export interface StartScrubResponse__Output {
  /**
   * The answering node.
   */
  'nodeId': (string);
  /**
   * "started" (a pass begins now), "running" (one was under way) or "" (not asked).
   */
  'placement': (string);
  /**
   * "started", "running", "disabled" or "" (not asked).
   */
  'device': (string);
  /**
   * The placement scrub after the call.
   */
  'placementScrub': (_tessera_v1_PlacementScrubStatus__Output | null);
}
