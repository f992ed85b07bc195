// Original file: proto/tessera/v1/fabric.proto


/**
 * Asks for the recipient's bulk port.
 */
export interface DescribeBulkRequest {
}

/**
 * Asks for the recipient's bulk port.
 */
export interface DescribeBulkRequest__Output {
}
