// Original file: proto/tessera/v1/admin.proto

import type { DeviceStatus as _tessera_v1_DeviceStatus, DeviceStatus__Output as _tessera_v1_DeviceStatus__Output } from '../../tessera/v1/DeviceStatus.js';

/**
 * The committed device table as of a ReadIndex.
 */
export interface ListDevicesResponse {
  /**
   * Devices ordered by (node_id, device_id).
   */
  'devices'?: (_tessera_v1_DeviceStatus)[];
}

/**
 * The committed device table as of a ReadIndex.
 */
export interface ListDevicesResponse__Output {
  /**
   * Devices ordered by (node_id, device_id).
   */
  'devices': (_tessera_v1_DeviceStatus__Output)[];
}
