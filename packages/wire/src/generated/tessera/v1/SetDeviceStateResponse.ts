// Original file: proto/tessera/v1/admin.proto

import type { DeviceStatus as _tessera_v1_DeviceStatus, DeviceStatus__Output as _tessera_v1_DeviceStatus__Output } from '../../tessera/v1/DeviceStatus.js';

/**
 * The change committed.
 */
export interface SetDeviceStateResponse {
  /**
   * The device as committed after the change.
   */
  'device'?: (_tessera_v1_DeviceStatus | null);
}

/**
 * The change committed.
 */
export interface SetDeviceStateResponse__Output {
  /**
   * The device as committed after the change.
   */
  'device': (_tessera_v1_DeviceStatus__Output | null);
}
