/** PEM encoding of keys and certificates (via @peculiar/x509's converter). */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { EC_KEY_ALGORITHM, webcrypto, x509 } from './x509.js';

type CryptoKey = webcrypto.CryptoKey;

export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Imports a PKCS#8 PEM P-256 key; `extractable` lets the caller derive the public key. */
export async function privateKeyFromPem(pem: string, extractable = false): Promise<CryptoKey> {
  try {
    const [der] = x509.PemConverter.decode(pem);
    if (der === undefined || !pem.includes('-----BEGIN PRIVATE KEY-----')) throw new Error('no PKCS#8 block');
    return await webcrypto.subtle.importKey('pkcs8', der, EC_KEY_ALGORITHM, extractable, ['sign']);
  } catch (err) {
    // Never echo the input: it is a private key.
    throw new TesseraError(ErrorCodes.CERT_INVALID, 'not a PKCS#8 P-256 private key', { cause: err });
  }
}

/** The public half of a private key (via its JWK, dropping the private scalar). */
export async function publicKeyOf(privateKey: CryptoKey): Promise<CryptoKey> {
  const jwk = await webcrypto.subtle.exportKey('jwk', privateKey);
  const { kty, crv, x, y } = jwk;
  return webcrypto.subtle.importKey('jwk', { kty, crv, x, y, ext: true }, EC_KEY_ALGORITHM, true, ['verify']);
}

export function certificateFromPem(pem: string, what: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(pem);
  } catch (err) {
    throw new TesseraError(ErrorCodes.CERT_INVALID, `${what} is not a PEM certificate`, { cause: err });
  }
}

export async function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
}
