// Original file: proto/tessera/v1/data.proto


/**
 * Reply to DeleteObject.
 */
export interface DeleteObjectResponse {
  /**
   * False when there was no such object (the delete is still recorded).
   */
  'existed'?: (boolean);
}

/**
 * Reply to DeleteObject.
 */
export interface DeleteObjectResponse__Output {
  /**
   * False when there was no such object (the delete is still recorded).
   */
  'existed': (boolean);
}
