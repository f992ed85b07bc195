// Original file: proto/tessera/v1/keys.proto


/**
 * One allow-listed node.
 */
export interface NodePin {
  /**
   * Node id.
   */
  'nodeId'?: (string);
  /**
   * SHA-256 of its certificate's SubjectPublicKeyInfo.
   */
  'spkiSha256'?: (Buffer | Uint8Array | string);
}

/**
 * One allow-listed node.
 */
export interface NodePin__Output {
  /**
   * Node id.
   */
  'nodeId': (string);
  /**
   * SHA-256 of its certificate's SubjectPublicKeyInfo.
   */
  'spkiSha256': (Buffer);
}
