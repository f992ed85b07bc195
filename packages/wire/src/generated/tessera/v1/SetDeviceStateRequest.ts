// Original file: proto/tessera/v1/admin.proto


/**
 * Asks for a device state change.
 */
export interface SetDeviceStateRequest {
  /**
   * Node that owns the device.
   */
  'nodeId'?: (string);
  /**
   * Device id.
   */
  'deviceId'?: (string);
  /**
   * Target state: "healthy", "degraded", "evacuating", "failed" or "removed".
   */
  'state'?: (string);
}

/**
 * Asks for a device state change.
 */
export interface SetDeviceStateRequest__Output {
  /**
   * Node that owns the device.
   */
  'nodeId': (string);
  /**
   * Device id.
   */
  'deviceId': (string);
  /**
   * Target state: "healthy", "degraded", "evacuating", "failed" or "removed".
   */
  'state': (string);
}
