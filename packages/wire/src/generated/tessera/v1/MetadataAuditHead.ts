// Original file: proto/tessera/v1/admin.proto


/**
 * A signed head of the metadata group's audit chains and the key that verifies it.
 */
export interface MetadataAuditHead {
  /**
   * The signed head (canonical binary, see @tessera/audit; domain "metadata").
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
 * A signed head of the metadata group's audit chains and the key that verifies it.
 */
export interface MetadataAuditHead__Output {
  /**
   * The signed head (canonical binary, see @tessera/audit; domain "metadata").
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
