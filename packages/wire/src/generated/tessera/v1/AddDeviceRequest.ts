// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Asks a node to attach a new device folder and register it.
 */
export interface AddDeviceRequest {
  /**
   * The node that owns the device: the answering node refuses any other id.
   */
  'nodeId'?: (string);
  /**
   * Device id, unique within its node ([a-z0-9][a-z0-9._-]{0,62}).
   */
  'deviceId'?: (string);
  /**
   * Absolute folder on the node, under one of its device roots; created when
   * missing; an existing folder must be empty or this device's own.
   */
  'path'?: (string);
  /**
   * Configured capacity in bytes (at least 1, at most 1 PiB).
   */
  'capacityBytes'?: (number | string | Long);
  /**
   * Pool of the device; empty means "default".
   */
  'pool'?: (string);
}

/**
 * Asks a node to attach a new device folder and register it.
 */
export interface AddDeviceRequest__Output {
  /**
   * The node that owns the device: the answering node refuses any other id.
   */
  'nodeId': (string);
  /**
   * Device id, unique within its node ([a-z0-9][a-z0-9._-]{0,62}).
   */
  'deviceId': (string);
  /**
   * Absolute folder on the node, under one of its device roots; created when
   * missing; an existing folder must be empty or this device's own.
   */
  'path': (string);
  /**
   * Configured capacity in bytes (at least 1, at most 1 PiB).
   */
  'capacityBytes': (string);
  /**
   * Pool of the device; empty means "default".
   */
  'pool': (string);
}
