// Original file: proto/tessera/v1/keys.proto


/**
 * The allow-list changed.
 */
export interface NodePinChange {
  /**
   * Node id.
   */
  'nodeId'?: (string);
  /**
   * True when the node was removed.
   */
  'removed'?: (boolean);
}

/**
 * The allow-list changed.
 */
export interface NodePinChange__Output {
  /**
   * Node id.
   */
  'nodeId': (string);
  /**
   * True when the node was removed.
   */
  'removed': (boolean);
}
