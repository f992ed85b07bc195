// Original file: proto/tessera/v1/fabric.proto


/**
 * Answer to DescribeBulk.
 */
export interface DescribeBulkResponse {
  /**
   * host:port of the bulk port; empty when the node serves none.
   */
  'address'?: (string);
}

/**
 * Answer to DescribeBulk.
 */
export interface DescribeBulkResponse__Output {
  /**
   * host:port of the bulk port; empty when the node serves none.
   */
  'address': (string);
}
