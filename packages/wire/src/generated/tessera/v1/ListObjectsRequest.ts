// Original file: proto/tessera/v1/data.proto


/**
 * Request for one page of the tenant's object names.
 */
export interface ListObjectsRequest {
  /**
   * Only names starting with this prefix.
   */
  'prefix'?: (string);
  /**
   * Page size, 1 to 1,000 (0 means 1,000).
   */
  'limit'?: (number);
  /**
   * Opaque continuation token from the previous page; empty for the first.
   */
  'pageToken'?: (string);
}

/**
 * Request for one page of the tenant's object names.
 */
export interface ListObjectsRequest__Output {
  /**
   * Only names starting with this prefix.
   */
  'prefix': (string);
  /**
   * Page size, 1 to 1,000 (0 means 1,000).
   */
  'limit': (number);
  /**
   * Opaque continuation token from the previous page; empty for the first.
   */
  'pageToken': (string);
}
