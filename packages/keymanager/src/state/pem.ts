/** Shape checks for the PEM a tenant registers, and the fingerprint a CA replacement names. */
import { createHash } from 'node:crypto';

const CERT_PEM = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\r?\n?$/;
const CRL_PEM = /^-----BEGIN X509 CRL-----\r?\n[A-Za-z0-9+/=\r\n]+-----END X509 CRL-----\r?\n?$/;

export function isCertificatePem(pem: string): boolean {
  return CERT_PEM.test(pem);
}

/**
 * Exactly one PEM CRL. Required with every tenant CA (ADR 0003): a server
 * that loads any CRL checks revocation for every CA it trusts, so a CA
 * without one would lock its holders out.
 */
export function isCrlPem(pem: string): boolean {
  return CRL_PEM.test(pem);
}

/** SHA-256 of the registered PEM text: what a CA replacement must name as the CA it replaces. */
export function caFingerprint(pem: string): Buffer {
  return createHash('sha256').update(pem, 'utf8').digest();
}
