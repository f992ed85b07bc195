// Original file: proto/tessera/v1/keys.proto


/**
 * No parameters.
 */
export interface ListNodesRequest {
}

/**
 * No parameters.
 */
export interface ListNodesRequest__Output {
}
