/**
 * Node pins (DESIGN section 2): the key manager serves a node id only when
 * the certificate it presents carries the public key pinned for that id —
 * the SHA-256 of the certificate's DER SubjectPublicKeyInfo. A certificate
 * re-issued with the same key keeps its pin; a new key needs a new pin.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ErrorCodes, TesseraError } from '@tessera/common';

export const SPKI_SHA256_BYTES = 32;

/** SHA-256 of the SubjectPublicKeyInfo of a certificate (DER bytes or PEM text). */
export function spkiSha256(certificate: Uint8Array | string): Buffer {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(typeof certificate === 'string' ? certificate : Buffer.from(certificate));
  } catch (cause) {
    throw new TesseraError(ErrorCodes.CERT_INVALID, 'not an X.509 certificate', { cause });
  }
  return createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest();
}

/**
 * The pin of the certificate in `file` (PEM or DER): what `tessera
 * keymanager allow-node --node-cert` sends, and what harnesses that allow a
 * node in-process send, so both pin exactly the same bytes.
 */
export async function spkiSha256OfFile(file: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new TesseraError(ErrorCodes.CERT_IO, `cannot read certificate ${file}`, { cause });
  }
  return spkiSha256(bytes);
}

/** Parses a pin given as 64 hex digits (or base64 of 32 bytes). */
export function parsePin(text: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
  if (bytes === undefined || bytes.length !== SPKI_SHA256_BYTES) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a pin is the SHA-256 of a SubjectPublicKeyInfo: 64 hex digits');
  return bytes;
}
