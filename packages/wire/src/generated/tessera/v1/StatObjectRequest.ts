// Original file: proto/tessera/v1/data.proto


/**
 * Request for an object's metadata.
 */
export interface StatObjectRequest {
  /**
   * Object name.
   */
  'name'?: (string);
}

/**
 * Request for an object's metadata.
 */
export interface StatObjectRequest__Output {
  /**
   * Object name.
   */
  'name': (string);
}
