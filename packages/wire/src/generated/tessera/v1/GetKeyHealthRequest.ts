// Original file: proto/tessera/v1/keys.proto


/**
 * No parameters.
 */
export interface GetKeyHealthRequest {
}

/**
 * No parameters.
 */
export interface GetKeyHealthRequest__Output {
}
