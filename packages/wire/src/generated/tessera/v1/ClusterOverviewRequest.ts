// Original file: proto/tessera/v1/admin.proto


/**
 * No parameters.
 */
export interface ClusterOverviewRequest {
}

/**
 * No parameters.
 */
export interface ClusterOverviewRequest__Output {
}
