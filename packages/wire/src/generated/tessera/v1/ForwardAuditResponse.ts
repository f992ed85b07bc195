// Original file: proto/tessera/v1/keys.proto


/**
 * Nothing to report.
 */
export interface ForwardAuditResponse {
}

/**
 * Nothing to report.
 */
export interface ForwardAuditResponse__Output {
}
