// Original file: proto/tessera/v1/keys.proto


/**
 * Asks for the dedup key.
 */
export interface GetDedupKeyRequest {
}

/**
 * Asks for the dedup key.
 */
export interface GetDedupKeyRequest__Output {
}
