// Original file: proto/tessera/v1/data.proto


/**
 * Asks for the node's client-facing bulk port.
 */
export interface DescribeDataBulkRequest {
}

/**
 * Asks for the node's client-facing bulk port.
 */
export interface DescribeDataBulkRequest__Output {
}
