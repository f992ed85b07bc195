// Original file: proto/tessera/v1/keys.proto


/**
 * Allows a node id with a pinned key.
 */
export interface SetNodePinRequest {
  /**
   * Node id (as in its certificate, spiffe://TD/node/ID).
   */
  'nodeId'?: (string);
  /**
   * SHA-256 of the node certificate's SubjectPublicKeyInfo (32 bytes).
   */
  'spkiSha256'?: (Buffer | Uint8Array | string);
}

/**
 * Allows a node id with a pinned key.
 */
export interface SetNodePinRequest__Output {
  /**
   * Node id (as in its certificate, spiffe://TD/node/ID).
   */
  'nodeId': (string);
  /**
   * SHA-256 of the node certificate's SubjectPublicKeyInfo (32 bytes).
   */
  'spkiSha256': (Buffer);
}
