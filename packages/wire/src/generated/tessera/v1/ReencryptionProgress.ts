// Original file: proto/tessera/v1/admin.proto

import type { EpochChunks as _tessera_v1_EpochChunks, EpochChunks__Output as _tessera_v1_EpochChunks__Output } from '../../tessera/v1/EpochChunks.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Re-encryption after a system-epoch rotation.
 */
export interface ReencryptionProgress {
  /**
   * False when the leader runs without a key manager (no re-encryption).
   */
  'available'?: (boolean);
  /**
   * The epoch chunks move to (0 before the leader's keys load).
   */
  'targetEpoch'?: (number | string | Long);
  /**
   * Live chunks still under each older epoch.
   */
  'remaining'?: (_tessera_v1_EpochChunks)[];
  /**
   * Chunks rewritten since the leader started.
   */
  'rewritten'?: (number | string | Long);
  /**
   * Rewrites that failed (tried again later).
   */
  'failed'?: (number | string | Long);
  /**
   * Chunks skipped for now (busy with a repair, unreadable first shard).
   */
  'deferred'?: (number | string | Long);
}

/**
 * Re-encryption after a system-epoch rotation.
 */
export interface ReencryptionProgress__Output {
  /**
   * False when the leader runs without a key manager (no re-encryption).
   */
  'available': (boolean);
  /**
   * The epoch chunks move to (0 before the leader's keys load).
   */
  'targetEpoch': (string);
  /**
   * Live chunks still under each older epoch.
   */
  'remaining': (_tessera_v1_EpochChunks__Output)[];
  /**
   * Chunks rewritten since the leader started.
   */
  'rewritten': (string);
  /**
   * Rewrites that failed (tried again later).
   */
  'failed': (string);
  /**
   * Chunks skipped for now (busy with a repair, unreadable first shard).
   */
  'deferred': (string);
}
