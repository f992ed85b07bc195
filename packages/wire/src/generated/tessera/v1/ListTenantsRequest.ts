// Original file: proto/tessera/v1/keys.proto


/**
 * No parameters.
 */
export interface ListTenantsRequest {
}

/**
 * No parameters.
 */
export interface ListTenantsRequest__Output {
}
