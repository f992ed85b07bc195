// Original file: proto/tessera/v1/admin.proto

import type { RepairMove as _tessera_v1_RepairMove, RepairMove__Output as _tessera_v1_RepairMove__Output } from '../../tessera/v1/RepairMove.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One finished repair.
 */
export interface RepairRecord {
  /**
   * The first 16 hex digits of the chunk id (never the whole id).
   */
  'chunk'?: (string);
  /**
   * Why it was queued (as RepairCount.reason).
   */
  'reason'?: (string);
  /**
   * How it ended (as RepairCount.outcome).
   */
  'outcome'?: (string);
  /**
   * Shards moved (a committed repair only).
   */
  'moved'?: (_tessera_v1_RepairMove)[];
  /**
   * Wall-clock start (ms).
   */
  'atMs'?: (number | string | Long);
  /**
   * How long it ran (ms).
   */
  'durationMs'?: (number | string | Long);
}

/**
 * One finished repair.
 */
export interface RepairRecord__Output {
  /**
   * The first 16 hex digits of the chunk id (never the whole id).
   */
  'chunk': (string);
  /**
   * Why it was queued (as RepairCount.reason).
   */
  'reason': (string);
  /**
   * How it ended (as RepairCount.outcome).
   */
  'outcome': (string);
  /**
   * Shards moved (a committed repair only).
   */
  'moved': (_tessera_v1_RepairMove__Output)[];
  /**
   * Wall-clock start (ms).
   */
  'atMs': (string);
  /**
   * How long it ran (ms).
   */
  'durationMs': (string);
}
