// Original file: proto/tessera/v1/keys.proto


/**
 * Removes a node from the allow-list.
 */
export interface RemoveNodeRequest {
  /**
   * Node id.
   */
  'nodeId'?: (string);
}

/**
 * Removes a node from the allow-list.
 */
export interface RemoveNodeRequest__Output {
  /**
   * Node id.
   */
  'nodeId': (string);
}
