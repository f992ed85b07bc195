// Original file: proto/tessera/v1/keys.proto


/**
 * Nothing to report.
 */
export interface RemoveNodeResponse {
}

/**
 * Nothing to report.
 */
export interface RemoveNodeResponse__Output {
}
