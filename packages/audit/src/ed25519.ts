/**
 * Ed25519 helpers for audit-head signatures: public keys as raw 32 bytes (what
 * a PKCS#11 token's CKA_EC_POINT and a tenant admin's kept copy hold) or as
 * node KeyObjects, and a local signer over a private KeyObject (the file
 * provider and tests; the PKCS#11 provider signs inside the token instead).
 */
import { createPrivateKey, createPublicKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { ErrorCodes } from '@tessera/common';
import { auditError } from './errors.js';

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32-byte key. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** DER prefix of an Ed25519 PKCS#8 private key, followed by the 32-byte seed. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface AuditSigner {
  /** Names the signing key (provider, id, version) so a verifier can pick the right public key. */
  readonly keyId: string;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.byteLength !== ED25519_PUBLIC_KEY_BYTES) throw auditError(ErrorCodes.INVALID_ARGUMENT, 'Ed25519 public key must be 32 bytes');
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch (cause) {
    throw auditError(ErrorCodes.INVALID_ARGUMENT, 'not an Ed25519 public key', cause);
  }
}

export function rawEd25519PublicKey(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== 'ed25519') throw auditError(ErrorCodes.INVALID_ARGUMENT, 'not an Ed25519 key');
  const der = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - ED25519_PUBLIC_KEY_BYTES));
}

/** A private key from its 32-byte seed. The caller keeps (and wipes) `seed`. */
export function ed25519PrivateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.byteLength !== 32) throw auditError(ErrorCodes.INVALID_ARGUMENT, 'Ed25519 seed must be 32 bytes');
  const der = Buffer.concat([PKCS8_PREFIX, seed]);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

export function toEd25519PublicKey(key: KeyObject | Uint8Array): KeyObject {
  if (key instanceof Uint8Array) return ed25519PublicKeyFromRaw(key);
  if (key.asymmetricKeyType !== 'ed25519') throw auditError(ErrorCodes.INVALID_ARGUMENT, 'not an Ed25519 key');
  return key.type === 'private' ? createPublicKey(key) : key;
}

/** A signer over a private key held in this process. */
export function localEd25519Signer(privateKey: KeyObject, keyId: string): AuditSigner {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw auditError(ErrorCodes.INVALID_ARGUMENT, 'not an Ed25519 private key');
  }
  return {
    keyId,
    sign: async (message) => nodeSign(null, message, privateKey),
  };
}
