// Original file: proto/tessera/v1/admin.proto


/**
 * Starts a scrub.
 */
export interface StartScrubRequest {
  /**
   * Also wake the answering node's device scrub.
   */
  'device'?: (boolean);
  /**
   * Only the answering node's device scrub (any node answers; no placement
   * scrub pass is started).
   */
  'deviceOnly'?: (boolean);
}

/**
 * Starts a scrub.
 */
export interface StartScrubRequest__Output {
  /**
   * Also wake the answering node's device scrub.
   */
  'device': (boolean);
  /**
   * Only the answering node's device scrub (any node answers; no placement
   * scrub pass is started).
   */
  'deviceOnly': (boolean);
}
