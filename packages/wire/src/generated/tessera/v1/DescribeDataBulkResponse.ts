// Original file: proto/tessera/v1/data.proto


/**
 * Answer to Data.DescribeBulk.
 */
export interface DescribeDataBulkResponse {
  /**
   * host:port of the bulk port for chunk uploads; empty when there is none.
   */
  'address'?: (string);
}

/**
 * Answer to Data.DescribeBulk.
 */
export interface DescribeDataBulkResponse__Output {
  /**
   * host:port of the bulk port for chunk uploads; empty when there is none.
   */
  'address': (string);
}
