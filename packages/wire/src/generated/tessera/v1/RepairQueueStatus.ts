// Original file: proto/tessera/v1/admin.proto

import type { RepairCount as _tessera_v1_RepairCount, RepairCount__Output as _tessera_v1_RepairCount__Output } from '../../tessera/v1/RepairCount.js';
import type { RepairRecord as _tessera_v1_RepairRecord, RepairRecord__Output as _tessera_v1_RepairRecord__Output } from '../../tessera/v1/RepairRecord.js';
import type { Long } from '@grpc/proto-loader';

/**
 * The metadata leader's repair queue.
 */
export interface RepairQueueStatus {
  /**
   * Repairs waiting.
   */
  'queued'?: (number);
  /**
   * Repairs running.
   */
  'running'?: (number);
  /**
   * Finished repairs by (reason, outcome), non-zero only.
   */
  'counts'?: (_tessera_v1_RepairCount)[];
  /**
   * The last repairs (at most 100), oldest first.
   */
  'history'?: (_tessera_v1_RepairRecord)[];
  /**
   * Shards moved by committed repairs.
   */
  'shardsMoved'?: (number | string | Long);
}

/**
 * The metadata leader's repair queue.
 */
export interface RepairQueueStatus__Output {
  /**
   * Repairs waiting.
   */
  'queued': (number);
  /**
   * Repairs running.
   */
  'running': (number);
  /**
   * Finished repairs by (reason, outcome), non-zero only.
   */
  'counts': (_tessera_v1_RepairCount__Output)[];
  /**
   * The last repairs (at most 100), oldest first.
   */
  'history': (_tessera_v1_RepairRecord__Output)[];
  /**
   * Shards moved by committed repairs.
   */
  'shardsMoved': (string);
}
