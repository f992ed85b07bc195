// Original file: proto/tessera/v1/kv.proto


/**
 * No parameters.
 */
export interface KvOpenSessionRequest {
}

/**
 * No parameters.
 */
export interface KvOpenSessionRequest__Output {
}
