// Original file: proto/tessera/v1/data.proto


/**
 * Request for a new client session.
 */
export interface OpenDataSessionRequest {
}

/**
 * Request for a new client session.
 */
export interface OpenDataSessionRequest__Output {
}
