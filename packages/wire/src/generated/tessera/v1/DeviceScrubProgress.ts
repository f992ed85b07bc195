// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The device scrub of the answering node.
 */
export interface DeviceScrubProgress {
  /**
   * The answering node.
   */
  'nodeId'?: (string);
  /**
   * "disabled" (scrubBytesPerSec 0), "running" or "resting".
   */
  'state'?: (string);
  /**
   * Damaged live shard records found since the node started.
   */
  'badRecords'?: (number | string | Long);
  /**
   * Of them, deleted so that they are rebuilt from parity.
   */
  'quarantined'?: (number | string | Long);
  /**
   * Completed passes over every local device since the node started.
   */
  'rounds'?: (number | string | Long);
  /**
   * Bytes re-read since the node started.
   */
  'bytesScanned'?: (number | string | Long);
}

/**
 * The device scrub of the answering node.
 */
export interface DeviceScrubProgress__Output {
  /**
   * The answering node.
   */
  'nodeId': (string);
  /**
   * "disabled" (scrubBytesPerSec 0), "running" or "resting".
   */
  'state': (string);
  /**
   * Damaged live shard records found since the node started.
   */
  'badRecords': (string);
  /**
   * Of them, deleted so that they are rebuilt from parity.
   */
  'quarantined': (string);
  /**
   * Completed passes over every local device since the node started.
   */
  'rounds': (string);
  /**
   * Bytes re-read since the node started.
   */
  'bytesScanned': (string);
}
