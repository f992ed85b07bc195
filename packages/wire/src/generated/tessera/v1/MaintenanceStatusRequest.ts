// Original file: proto/tessera/v1/admin.proto


/**
 * No parameters.
 */
export interface MaintenanceStatusRequest {
}

/**
 * No parameters.
 */
export interface MaintenanceStatusRequest__Output {
}
