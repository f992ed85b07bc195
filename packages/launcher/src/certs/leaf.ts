/**
 * Leaf certificates: issue, and renew (same identity and SANs, new key by
 * default). Profiles:
 *  - node, keymanager: server and client auth; URI SAN plus loopback SANs
 *    (DNS localhost, IP 127.0.0.1) and any extra DNS/IP names given;
 *  - admin, tenant-admin, tenant-client: client auth only; URI SAN only.
 * Private keys are PKCS#8 PEM written 0600; certificates hold the leaf only
 * (every Tessera CA issues leaves directly, there are no intermediates).
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { loadCa } from './ca-store.js';
import type { LoadedCa } from './ca-store.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, PUBLIC_FILE_MODE, ensureDir, readText, refuseOverwrite, writeFileAtomic } from './files.js';
import { checkIdentity, defaultBaseName, identityOfSpiffeId, issuerKindOf, spiffeIdOf } from './identity.js';
import type { Identity } from './identity.js';
import { CLOCK_SKEW_MS, DAY_MS, DEFAULT_LEAF_DAYS, checkDays } from './options.js';
import { certificateFromPem, generateKeyPair, privateKeyFromPem, privateKeyToPem, publicKeyOf } from './pem.js';
import { randomSerial } from './serial.js';
import { EC_SIGNING_ALGORITHM, webcrypto, x509 } from './x509.js';

export const LOOPBACK_DNS: readonly string[] = ['localhost'];
export const LOOPBACK_IPS: readonly string[] = ['127.0.0.1'];

export interface IssueOptions {
  /** Directory of the issuing CA (cluster CA, or the tenant's own CA for tenant identities). */
  readonly caDir: string;
  /** Directory to write `<name>.crt` and `<name>.key` into (created 0700 when missing). */
  readonly outDir: string;
  readonly identity: Identity;
  /** File base name; defaults to e.g. `node-n1`, `tenant-acme-client-app`. */
  readonly baseName?: string;
  /** Lifetime in days (default 90). */
  readonly days?: number;
  /** Extra DNS names (server identities only). */
  readonly dnsNames?: readonly string[];
  /** Extra IP addresses (server identities only). */
  readonly ipAddresses?: readonly string[];
  readonly force?: boolean;
  readonly now?: Date;
}

export interface IssuedCertificate {
  readonly kind: Identity['kind'];
  readonly spiffeId: string;
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly sha256: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly certFile: string;
  readonly keyFile: string;
  readonly caCertFile: string;
}

function isServerIdentity(identity: Identity): boolean {
  return identity.kind === 'node' || identity.kind === 'keymanager';
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function checkSans(identity: Identity, dnsNames: readonly string[], ipAddresses: readonly string[]): void {
  if (!isServerIdentity(identity) && (dnsNames.length > 0 || ipAddresses.length > 0)) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'DNS and IP names are only for node and key-manager certificates');
  }
  for (const name of dnsNames) {
    if (!DNS_NAME.test(name)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `not a DNS name: ${name}`);
  }
  for (const ip of ipAddresses) {
    if (isIP(ip) === 0) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `not an IP address: ${ip}`);
  }
}

/** The CA must be of the kind (and tenant) that may vouch for the identity. */
function checkIssuer(ca: LoadedCa, identity: Identity): void {
  const needed = issuerKindOf(identity.kind);
  if (ca.state.kind !== needed) {
    throw new TesseraError(
      ErrorCodes.CERT_WRONG_CA,
      needed === 'tenant'
        ? 'tenant identities are issued only by that tenant\'s own CA, never by the cluster CA'
        : 'a tenant CA issues only its own tenant\'s admins and clients',
    );
  }
  if ((identity.kind === 'tenant-admin' || identity.kind === 'tenant-client') && identity.tenant !== ca.state.tenant) {
    throw new TesseraError(ErrorCodes.CERT_WRONG_CA, 'this tenant CA belongs to another tenant');
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

interface SignRequest {
  readonly ca: LoadedCa;
  readonly identity: Identity;
  readonly publicKey: webcrypto.CryptoKey;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly days: number;
  readonly now: Date;
}

async function sign(req: SignRequest): Promise<{ cert: x509.X509Certificate; spiffeId: string }> {
  const spiffeId = spiffeIdOf(req.ca.state.trustDomain, req.identity);
  const server = isServerIdentity(req.identity);
  const names: x509.JsonGeneralName[] = [
    { type: 'url', value: spiffeId },
    ...req.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...req.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  const usages = server ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth] : [x509.ExtendedKeyUsage.clientAuth];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${describe(req.identity)}`,
    issuer: req.ca.certificate.subjectName,
    notBefore: new Date(req.now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(req.now.getTime() + req.days * DAY_MS),
    publicKey: req.publicKey,
    signingKey: req.ca.privateKey,
    signingAlgorithm: EC_SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(usages, false),
      // The URI SAN is the identity, so the extension is critical (the subject is informative only).
      new x509.SubjectAlternativeNameExtension(names, true),
      await x509.SubjectKeyIdentifierExtension.create(req.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(req.ca.certificate.publicKey),
    ],
  });
  return { cert, spiffeId };
}

function describe(identity: Identity): string {
  switch (identity.kind) {
    case 'node':
    case 'keymanager':
      return `${identity.kind} ${identity.id}`;
    case 'admin':
      return `admin ${identity.name}`;
    case 'tenant-admin':
    case 'tenant-client':
      return `tenant ${identity.tenant} ${identity.kind === 'tenant-admin' ? 'admin' : 'client'} ${identity.name}`;
  }
}

async function summarizeLeaf(
  cert: x509.X509Certificate,
  identity: Identity,
  spiffeId: string,
  dnsNames: readonly string[],
  ipAddresses: readonly string[],
  files: { certFile: string; keyFile: string; caCertFile: string },
): Promise<IssuedCertificate> {
  return {
    kind: identity.kind,
    spiffeId,
    serial: cert.serialNumber,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    sha256: Buffer.from(await cert.getThumbprint('SHA-256')).toString('hex'),
    dnsNames,
    ipAddresses,
    ...files,
  };
}

/** Issues a certificate and a fresh P-256 key for `identity`. */
export async function issueCertificate(options: IssueOptions): Promise<IssuedCertificate> {
  const identity = checkIdentity(options.identity);
  const days = checkDays(options.days ?? DEFAULT_LEAF_DAYS, 'certificate lifetime');
  const server = isServerIdentity(identity);
  const extraDns = options.dnsNames ?? [];
  const extraIps = options.ipAddresses ?? [];
  checkSans(identity, extraDns, extraIps);
  const dnsNames = server ? unique([...LOOPBACK_DNS, ...extraDns]) : [];
  const ipAddresses = server ? unique([...LOOPBACK_IPS, ...extraIps]) : [];
  const baseName = options.baseName ?? defaultBaseName(identity);
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(baseName) || baseName.startsWith('.')) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'file name must be 1-128 characters of [A-Za-z0-9._-]');
  }
  const certFile = path.join(options.outDir, `${baseName}.crt`);
  const keyFile = path.join(options.outDir, `${baseName}.key`);

  const ca = await loadCa(options.caDir);
  checkIssuer(ca, identity);
  await refuseOverwrite([certFile, keyFile], options.force);
  await ensureDir(options.outDir, PRIVATE_DIR_MODE);

  const keys = await generateKeyPair();
  const { cert, spiffeId } = await sign({
    ca,
    identity,
    publicKey: keys.publicKey,
    dnsNames,
    ipAddresses,
    days,
    now: options.now ?? new Date(),
  });
  // Key first: a watcher that sees the new certificate must find its key.
  await writeFileAtomic(keyFile, await privateKeyToPem(keys.privateKey), PRIVATE_FILE_MODE);
  await writeFileAtomic(certFile, cert.toString('pem') + '\n', PUBLIC_FILE_MODE);
  return summarizeLeaf(cert, identity, spiffeId, dnsNames, ipAddresses, { certFile, keyFile, caCertFile: ca.paths.certFile });
}

export interface RenewOptions {
  readonly caDir: string;
  /** Certificate to renew; it is replaced in place. */
  readonly certFile: string;
  /** Its key; defaults to the certificate path with `.key` instead of `.crt`. */
  readonly keyFile?: string;
  /** Keep the existing key instead of generating a new one. */
  readonly reuseKey?: boolean;
  readonly days?: number;
  readonly now?: Date;
}

function sansOf(cert: x509.X509Certificate): { uris: string[]; dns: string[]; ips: string[] } {
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const items = ext?.names.items ?? [];
  return {
    uris: items.filter((n) => n.type === 'url').map((n) => n.value),
    dns: items.filter((n) => n.type === 'dns').map((n) => n.value),
    ips: items.filter((n) => n.type === 'ip').map((n) => n.value),
  };
}

/**
 * Re-issues a certificate for the same identity and SANs with a new lifetime
 * (and a new key unless `reuseKey`). The old certificate stays valid until it
 * expires or is revoked.
 */
export async function renewCertificate(options: RenewOptions): Promise<IssuedCertificate> {
  const days = checkDays(options.days ?? DEFAULT_LEAF_DAYS, 'certificate lifetime');
  const keyFile = options.keyFile ?? options.certFile.replace(/\.crt$|\.pem$/, '') + '.key';
  const ca = await loadCa(options.caDir);
  const old = certificateFromPem(await readText(options.certFile, 'certificate'), options.certFile);
  if (!(await old.verify({ publicKey: ca.certificate.publicKey, signatureOnly: true }))) {
    throw new TesseraError(ErrorCodes.CERT_WRONG_CA, 'certificate was not issued by this CA');
  }
  const sans = sansOf(old);
  const [uri] = sans.uris;
  if (uri === undefined || sans.uris.length !== 1) {
    throw new TesseraError(ErrorCodes.CERT_INVALID, 'certificate must carry exactly one URI SAN');
  }
  const identity = identityOfSpiffeId(ca.state.trustDomain, uri);
  checkIssuer(ca, identity);

  let privateKey: webcrypto.CryptoKey;
  let publicKey: webcrypto.CryptoKey;
  if (options.reuseKey === true) {
    privateKey = await privateKeyFromPem(await readText(keyFile, 'private key'), true);
    publicKey = await publicKeyOf(privateKey);
  } else {
    const keys = await generateKeyPair();
    privateKey = keys.privateKey;
    publicKey = keys.publicKey;
  }
  const { cert, spiffeId } = await sign({
    ca,
    identity,
    publicKey,
    dnsNames: sans.dns,
    ipAddresses: sans.ips,
    days,
    now: options.now ?? new Date(),
  });
  if (options.reuseKey !== true) await writeFileAtomic(keyFile, await privateKeyToPem(privateKey), PRIVATE_FILE_MODE);
  await writeFileAtomic(options.certFile, cert.toString('pem') + '\n', PUBLIC_FILE_MODE);
  return summarizeLeaf(cert, identity, spiffeId, sans.dns, sans.ips, {
    certFile: options.certFile,
    keyFile,
    caCertFile: ca.paths.certFile,
  });
}
