// Original file: proto/tessera/v1/admin.proto

import type { DeviceStatus as _tessera_v1_DeviceStatus, DeviceStatus__Output as _tessera_v1_DeviceStatus__Output } from '../../tessera/v1/DeviceStatus.js';

/**
 * The device attached and committed.
 */
export interface AddDeviceResponse {
  /**
   * The device as committed in the node/device table.
   */
  'device'?: (_tessera_v1_DeviceStatus | null);
  /**
   * The folder as the node resolved it (real path).
   */
  'path'?: (string);
  /**
   * Whether the folder was formatted now (false: an existing device of this
   * node was attached again).
   */
  'formatted'?: (boolean);
}

/**
 * The device attached and committed.
 */
export interface AddDeviceResponse__Output {
  /**
   * The device as committed in the node/device table.
   */
  'device': (_tessera_v1_DeviceStatus__Output | null);
  /**
   * The folder as the node resolved it (real path).
   */
  'path': (string);
  /**
   * Whether the folder was formatted now (false: an existing device of this
   * node was attached again).
   */
  'formatted': (boolean);
}
