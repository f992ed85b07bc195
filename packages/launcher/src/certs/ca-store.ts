/** A CA directory on disk: file names, state file, loading for signing. */
import path from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { PRIVATE_FILE_MODE, readText, writeFileAtomic } from './files.js';
import { certificateFromPem, privateKeyFromPem } from './pem.js';
import type { webcrypto, x509 } from './x509.js';

export const CA_CERT_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';
export const CA_CRL_FILE = 'ca.crl';
export const CA_STATE_FILE = 'ca.json';

export type CaKind = 'cluster' | 'tenant';

export interface RevokedEntry {
  /** Normalized hex serial. */
  readonly serial: string;
  /** ISO-8601 time of revocation. */
  readonly revokedAt: string;
  readonly reason: RevocationReason;
}

export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export interface CaState {
  readonly version: 1;
  readonly kind: CaKind;
  readonly trustDomain: string;
  /** Set for tenant CAs. */
  readonly tenant?: string;
  /** Number of the last CRL written. */
  readonly crlNumber: number;
  /** Lifetime of each CRL written, in days. */
  readonly crlDays: number;
  readonly revoked: readonly RevokedEntry[];
}

export interface CaPaths {
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly crlFile: string;
  readonly stateFile: string;
}

export function caPaths(dir: string): CaPaths {
  return {
    dir,
    certFile: path.join(dir, CA_CERT_FILE),
    keyFile: path.join(dir, CA_KEY_FILE),
    crlFile: path.join(dir, CA_CRL_FILE),
    stateFile: path.join(dir, CA_STATE_FILE),
  };
}

/** A CA loaded for signing. */
export interface LoadedCa {
  readonly paths: CaPaths;
  /** Updated in place by revocation and CRL writes. */
  state: CaState;
  readonly certificate: x509.X509Certificate;
  readonly certificatePem: string;
  readonly privateKey: webcrypto.CryptoKey;
}

/** What the CLI prints about a CA. */
export interface CaSummary {
  readonly kind: CaKind;
  readonly trustDomain: string;
  readonly tenant?: string;
  readonly subject: string;
  readonly serial: string;
  readonly notAfter: string;
  readonly sha256: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly crlFile: string;
}

function parseState(text: string): CaState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new TesseraError(ErrorCodes.CERT_INVALID, 'CA state file is not JSON', { cause: err });
  }
  const s = value as Partial<CaState> | null;
  const valid =
    s !== null &&
    typeof s === 'object' &&
    s.version === 1 &&
    (s.kind === 'cluster' || s.kind === 'tenant') &&
    typeof s.trustDomain === 'string' &&
    (s.kind === 'cluster' ? s.tenant === undefined : typeof s.tenant === 'string') &&
    Number.isSafeInteger(s.crlNumber) &&
    Number.isSafeInteger(s.crlDays) &&
    Array.isArray(s.revoked) &&
    s.revoked.every(
      (r) =>
        typeof r === 'object' &&
        r !== null &&
        typeof r.serial === 'string' &&
        typeof r.revokedAt === 'string' &&
        (REVOCATION_REASONS as readonly string[]).includes(r.reason),
    );
  if (!valid) throw new TesseraError(ErrorCodes.CERT_INVALID, 'CA state file is malformed');
  return s as CaState;
}

export async function saveState(ca: LoadedCa, state: CaState): Promise<void> {
  await writeFileAtomic(ca.paths.stateFile, JSON.stringify(state, null, 2) + '\n', PRIVATE_FILE_MODE);
}

/** Loads a CA directory (certificate, key and state) for signing. */
export async function loadCa(dir: string): Promise<LoadedCa> {
  const paths = caPaths(dir);
  const [certificatePem, keyPem, stateText] = await Promise.all([
    readText(paths.certFile, 'CA certificate'),
    readText(paths.keyFile, 'CA key'),
    readText(paths.stateFile, 'CA state'),
  ]);
  const state = parseState(stateText);
  const certificate = certificateFromPem(certificatePem, paths.certFile);
  const privateKey = await privateKeyFromPem(keyPem);
  return { paths, state, certificate, certificatePem: certificatePem.trim(), privateKey };
}

export async function summarize(ca: LoadedCa): Promise<CaSummary> {
  const sha256 = Buffer.from(await ca.certificate.getThumbprint('SHA-256')).toString('hex');
  return {
    kind: ca.state.kind,
    trustDomain: ca.state.trustDomain,
    ...(ca.state.tenant !== undefined ? { tenant: ca.state.tenant } : {}),
    subject: ca.certificate.subject,
    serial: ca.certificate.serialNumber,
    notAfter: ca.certificate.notAfter.toISOString(),
    sha256,
    certFile: ca.paths.certFile,
    keyFile: ca.paths.keyFile,
    crlFile: ca.paths.crlFile,
  };
}
