// Original file: proto/tessera/v1/keys.proto


/**
 * A signed audit head and the key that verifies it.
 */
export interface AuditHead {
  /**
   * The signed head (canonical binary, see @tessera/audit).
   */
  'signedHead'?: (Buffer | Uint8Array | string);
  /**
   * Raw Ed25519 public key of the key manager's audit key.
   */
  'publicKey'?: (Buffer | Uint8Array | string);
  /**
   * The audit key's reference (provider:keyId#version).
   */
  'keyId'?: (string);
}

/**
 * A signed audit head and the key that verifies it.
 */
export interface AuditHead__Output {
  /**
   * The signed head (canonical binary, see @tessera/audit).
   */
  'signedHead': (Buffer);
  /**
   * Raw Ed25519 public key of the key manager's audit key.
   */
  'publicKey': (Buffer);
  /**
   * The audit key's reference (provider:keyId#version).
   */
  'keyId': (string);
}
