/** Shape checks for the PEM a tenant registers, and the fingerprint a CA replacement names. */
import { createHash } from 'node:crypto';

const CERT_PEM = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\r?\n?$/;
const CRL_PEM = /^-----BEGIN X509 CRL-----\r?\n[A-Za-z0-9+/=\r\n]+-----END X509 CRL-----\r?\n?$/;

export function isCertificatePem(pem: string): boolean {
  return CERT_PEM.test(pem);
}

/** A CRL is optional: empty, or one PEM CRL. */
export function isCrlPem(pem: string): boolean {
  return pem === '' || CRL_PEM.test(pem);
}

/** SHA-256 of the registered PEM text: what a CA replacement must name as the CA it replaces. */
export function caFingerprint(pem: string): Buffer {
  return createHash('sha256').update(pem, 'utf8').digest();
}
