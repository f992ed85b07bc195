// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One device of the committed node/device table.
 */
export interface DeviceStatus {
  /**
   * Node that owns the device.
   */
  'nodeId'?: (string);
  /**
   * Device id, unique within its node.
   */
  'deviceId'?: (string);
  /**
   * Pool the device belongs to.
   */
  'pool'?: (string);
  /**
   * One of "healthy", "degraded", "evacuating", "failed", "removed".
   */
  'state'?: (string);
  /**
   * Configured capacity in bytes.
   */
  'capacityBytes'?: (number | string | Long);
  /**
   * Bytes of extent files on the device; meaningful only when used_known.
   */
  'usedBytes'?: (number | string | Long);
  /**
   * Whether used_bytes was measured: true only when the answering node owns
   * the device (other nodes' usage is not replicated).
   */
  'usedKnown'?: (boolean);
  /**
   * Live chunks with a current shard on the device (committed table).
   */
  'chunks'?: (number | string | Long);
}

/**
 * One device of the committed node/device table.
 */
export interface DeviceStatus__Output {
  /**
   * Node that owns the device.
   */
  'nodeId': (string);
  /**
   * Device id, unique within its node.
   */
  'deviceId': (string);
  /**
   * Pool the device belongs to.
   */
  'pool': (string);
  /**
   * One of "healthy", "degraded", "evacuating", "failed", "removed".
   */
  'state': (string);
  /**
   * Configured capacity in bytes.
   */
  'capacityBytes': (string);
  /**
   * Bytes of extent files on the device; meaningful only when used_known.
   */
  'usedBytes': (string);
  /**
   * Whether used_bytes was measured: true only when the answering node owns
   * the device (other nodes' usage is not replicated).
   */
  'usedKnown': (boolean);
  /**
   * Live chunks with a current shard on the device (committed table).
   */
  'chunks': (string);
}
