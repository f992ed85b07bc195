// Original file: proto/tessera/v1/admin.proto

import type { PlacementScrubPass as _tessera_v1_PlacementScrubPass, PlacementScrubPass__Output as _tessera_v1_PlacementScrubPass__Output } from '../../tessera/v1/PlacementScrubPass.js';
import type { Long } from '@grpc/proto-loader';

/**
 * The placement scrub of the metadata leader.
 */
export interface PlacementScrubStatus {
  /**
   * Whether a pass is under way.
   */
  'running'?: (boolean);
  /**
   * The pass under way (absent when none runs).
   */
  'current'?: (_tessera_v1_PlacementScrubPass | null);
  /**
   * The last finished pass (absent before the first finishes on this leader).
   */
  'last'?: (_tessera_v1_PlacementScrubPass | null);
  /**
   * Passes this leader finished since it took over or started.
   */
  'passes'?: (number | string | Long);
}

/**
 * The placement scrub of the metadata leader.
 */
export interface PlacementScrubStatus__Output {
  /**
   * Whether a pass is under way.
   */
  'running': (boolean);
  /**
   * The pass under way (absent when none runs).
   */
  'current': (_tessera_v1_PlacementScrubPass__Output | null);
  /**
   * The last finished pass (absent before the first finishes on this leader).
   */
  'last': (_tessera_v1_PlacementScrubPass__Output | null);
  /**
   * Passes this leader finished since it took over or started.
   */
  'passes': (string);
}
