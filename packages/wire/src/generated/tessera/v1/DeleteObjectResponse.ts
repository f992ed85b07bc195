// Original file: proto/tessera/v1/data.proto


/**
 * Reply to DeleteObject.
 */
export interface DeleteObjectResponse {
  /**
   * False when there was no such object (nothing is written then).
   */
  'existed'?: (boolean);
}

/**
 * Reply to DeleteObject.
 */
export interface DeleteObjectResponse__Output {
  /**
   * False when there was no such object (nothing is written then).
   */
  'existed': (boolean);
}
