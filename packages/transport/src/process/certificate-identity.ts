/**
 * Who a process is, read from its own certificate at start-up: the trust
 * domain and member id in its SPIFFE URI SAN. A storage node must hold a
 * `node/ID` certificate and a key manager a `keymanager/ID` one, with the id
 * it was configured with; anything else refuses to start.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { parseSpiffeId, type Principal } from '../identity/principal.js';
import { parseSubjectAltName } from '../identity/san.js';

export interface CertificateIdentity {
  readonly trustDomain: string;
  readonly principal: Principal;
}

/** The identity a PEM certificate names (any of the five forms), or undefined when it names none. */
export function certificateIdentity(pem: string | Buffer): CertificateIdentity | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return undefined;
  }
  const uris = (parseSubjectAltName(cert.subjectAltName) ?? []).filter((e) => e.type === 'URI');
  const uri = uris.length === 1 ? uris[0]?.value : undefined;
  if (uri === undefined) return undefined;
  let trustDomain: string;
  try {
    trustDomain = new URL(uri).host;
  } catch {
    return undefined;
  }
  const parsed = parseSpiffeId(uri, trustDomain);
  return parsed.ok ? { trustDomain, principal: parsed.principal } : undefined;
}

/** Reads `certFile` and checks it is a certificate of `kind` for member `id`; returns its trust domain. */
export async function memberCertificate(certFile: string, kind: 'node' | 'keymanager', id: string): Promise<{ trustDomain: string }> {
  let pem: Buffer;
  try {
    pem = await readFile(certFile);
  } catch (cause) {
    throw new TesseraError(ErrorCodes.TRANSPORT_TLS_MATERIAL, `cannot read certificate ${certFile}`, { cause });
  }
  const identity = certificateIdentity(pem);
  if (identity === undefined || identity.principal.kind !== kind) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `the certificate is not a ${kind} certificate (spiffe://TD/${kind}/ID)`);
  }
  const certId = identity.principal.id;
  if (certId !== id) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `the certificate is for ${kind} ${certId}, not ${id}`);
  return { trustDomain: identity.trustDomain };
}
