/** Revocation: the CA's revoked list (ca.json) and the CRL written from it. */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { CaState, LoadedCa, RevocationReason } from './ca-store.js';
import { saveState } from './ca-store.js';
import { crlNumberExtension } from './der.js';
import { PUBLIC_FILE_MODE, readText, writeFileAtomic } from './files.js';
import { CLOCK_SKEW_MS, DAY_MS, checkDays } from './options.js';
import { certificateFromPem } from './pem.js';
import { normalizeSerial, serialForDer } from './serial.js';
import { EC_SIGNING_ALGORITHM, x509 } from './x509.js';

const REASON_CODES: Record<RevocationReason, x509.X509CrlReason> = {
  unspecified: x509.X509CrlReason.unspecified,
  keyCompromise: x509.X509CrlReason.keyCompromise,
  affiliationChanged: x509.X509CrlReason.affiliationChanged,
  superseded: x509.X509CrlReason.superseded,
  cessationOfOperation: x509.X509CrlReason.cessationOfOperation,
};

export interface CrlSummary {
  readonly crlFile: string;
  readonly crlNumber: number;
  readonly thisUpdate: string;
  readonly nextUpdate: string;
  readonly revoked: number;
}

export interface WriteCrlOptions {
  /** Lifetime in days; defaults to the CA's configured CRL lifetime. */
  readonly days?: number;
  readonly now?: Date;
}

/** Writes a fresh CRL (next CRL number) listing every revoked serial. */
export async function writeCrl(ca: LoadedCa, options: WriteCrlOptions = {}): Promise<CrlSummary> {
  const days = checkDays(options.days ?? ca.state.crlDays, 'CRL lifetime');
  const now = options.now ?? new Date();
  const crlNumber = ca.state.crlNumber + 1;
  const thisUpdate = new Date(now.getTime() - CLOCK_SKEW_MS);
  const nextUpdate = new Date(now.getTime() + days * DAY_MS);
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.certificate.subjectName,
    thisUpdate,
    nextUpdate,
    signingAlgorithm: EC_SIGNING_ALGORITHM,
    signingKey: ca.privateKey,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(ca.certificate.publicKey), crlNumberExtension(crlNumber)],
    entries: ca.state.revoked.map((r) => ({
      serialNumber: serialForDer(r.serial),
      revocationDate: new Date(r.revokedAt),
      reason: REASON_CODES[r.reason],
    })),
  });
  // OpenSSL (and so node:tls) reads CRLs only under the 'X509 CRL' PEM label.
  await writeFileAtomic(ca.paths.crlFile, x509.PemConverter.encode(crl.rawData, 'X509 CRL') + '\n', PUBLIC_FILE_MODE);
  const state: CaState = { ...ca.state, crlNumber };
  await saveState(ca, state);
  ca.state = state;
  return {
    crlFile: ca.paths.crlFile,
    crlNumber,
    thisUpdate: thisUpdate.toISOString(),
    nextUpdate: nextUpdate.toISOString(),
    revoked: state.revoked.length,
  };
}

export interface RevokeOptions {
  /** Serial (hex) of the certificate to revoke... */
  readonly serial?: string;
  /** ...or the certificate file itself (checked to be issued by this CA). */
  readonly certFile?: string;
  readonly reason?: RevocationReason;
  readonly now?: Date;
}

export interface RevokeSummary extends CrlSummary {
  readonly serial: string;
  /** False when the serial was already revoked (the CRL is rewritten anyway). */
  readonly newlyRevoked: boolean;
}

/** Records a serial as revoked in the CA state and writes a new CRL. */
export async function revoke(ca: LoadedCa, options: RevokeOptions): Promise<RevokeSummary> {
  if ((options.serial === undefined) === (options.certFile === undefined)) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'give exactly one of a serial or a certificate file');
  }
  let serial: string;
  if (options.certFile !== undefined) {
    const cert = certificateFromPem(await readText(options.certFile, 'certificate'), options.certFile);
    if (!(await cert.verify({ publicKey: ca.certificate.publicKey, signatureOnly: true }))) {
      throw new TesseraError(ErrorCodes.CERT_WRONG_CA, 'certificate was not issued by this CA');
    }
    serial = normalizeSerial(cert.serialNumber);
  } else {
    serial = normalizeSerial(options.serial ?? '');
  }
  const now = options.now ?? new Date();
  const already = ca.state.revoked.some((r) => r.serial === serial);
  if (!already) {
    const state: CaState = {
      ...ca.state,
      revoked: [...ca.state.revoked, { serial, revokedAt: now.toISOString(), reason: options.reason ?? 'unspecified' }],
    };
    ca.state = state;
  }
  const crl = await writeCrl(ca, { now });
  return { ...crl, serial, newlyRevoked: !already };
}
