// Original file: proto/tessera/v1/admin.proto


/**
 * No parameters.
 */
export interface ClusterStatusRequest {
}

/**
 * No parameters.
 */
export interface ClusterStatusRequest__Output {
}
