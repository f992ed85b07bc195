// Original file: proto/tessera/v1/admin.proto


/**
 * No parameters.
 */
export interface ListDevicesRequest {
}

/**
 * No parameters.
 */
export interface ListDevicesRequest__Output {
}
