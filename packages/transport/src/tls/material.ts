/**
 * TLS material read from files: this process's certificate and key, the
 * cluster CA bundle and the cluster CA's CRL. Loading validates everything
 * (the key matches the certificate, CA files hold CA certificates, the CRL is
 * a PEM X509 CRL) so a half-written rotation never replaces good material.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ErrorCodes, TesseraError } from '@tessera/common';

export interface TlsFiles {
  /** This process's certificate (PEM, leaf only). */
  readonly certFile: string;
  /** Its private key (PEM PKCS#8). */
  readonly keyFile: string;
  /** Cluster CA certificate(s) (PEM bundle; several during a CA rotation). */
  readonly caFile: string;
  /** CRL(s) of the cluster CA(s) (PEM; one per CA in the bundle). */
  readonly crlFile: string;
}

export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Cluster CA certificates, one PEM each. */
  readonly caPems: readonly string[];
  readonly clusterCas: readonly X509Certificate[];
  /** Cluster CRLs, one PEM each. */
  readonly crlPems: readonly string[];
  /** The leaf, parsed. */
  readonly certificate: X509Certificate;
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const CRL_BLOCK = /-----BEGIN X509 CRL-----[\s\S]+?-----END X509 CRL-----/g;

function fail(message: string, cause?: unknown): TesseraError {
  return new TesseraError(ErrorCodes.TRANSPORT_TLS_MATERIAL, message, cause === undefined ? {} : { cause });
}

async function read(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw fail(`cannot read ${what} ${file}`, err);
  }
}

/** Splits a PEM bundle into its blocks of one kind. */
export function pemBlocks(text: string, kind: 'certificate' | 'crl'): string[] {
  return (text.match(kind === 'certificate' ? CERT_BLOCK : CRL_BLOCK) ?? []).map((b) => b + '\n');
}

export async function loadTlsMaterial(files: TlsFiles): Promise<TlsMaterial> {
  const [cert, key, ca, crl] = await Promise.all([
    read(files.certFile, 'certificate'),
    read(files.keyFile, 'private key'),
    read(files.caFile, 'CA bundle'),
    read(files.crlFile, 'CRL'),
  ]);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (err) {
    throw fail(`${files.certFile} is not a PEM certificate`, err);
  }
  let matches: boolean;
  try {
    matches = certificate.checkPrivateKey(createPrivateKey(key));
  } catch (err) {
    // The key's bytes are never echoed.
    throw fail(`${files.keyFile} is not a private key`, err);
  }
  if (!matches) throw fail(`${files.keyFile} does not match ${files.certFile}`);
  const caPems = pemBlocks(ca.toString('utf8'), 'certificate');
  if (caPems.length === 0) throw fail(`${files.caFile} holds no certificate`);
  const clusterCas = caPems.map((pem) => new X509Certificate(pem));
  if (!clusterCas.every((c) => c.ca)) throw fail(`${files.caFile} holds a certificate that is not a CA`);
  const crlPems = pemBlocks(crl.toString('utf8'), 'crl');
  if (crlPems.length === 0) throw fail(`${files.crlFile} holds no X509 CRL`);
  return { cert, key, caPems, clusterCas, crlPems, certificate };
}
