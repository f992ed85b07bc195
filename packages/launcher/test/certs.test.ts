import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import {
  DEFAULT_LEAF_DAYS,
  createClusterCa,
  createTenantCa,
  issueCertificate,
  loadCa,
  renewCertificate,
  revoke,
  writeCrl,
} from '../src/index.js';
import { x509 } from '../src/certs/x509.js';

const TD = 'tessera.test';
const DAY = 86_400_000;
let root: string;
let clusterDir: string;
let acmeDir: string;

async function cert(file: string): Promise<X509Certificate> {
  return new X509Certificate(await readFile(file));
}

async function mode(file: string): Promise<number> {
  return (await stat(file)).mode & 0o777;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tessera-launcher-'));
  clusterDir = path.join(root, 'cluster-ca');
  acmeDir = path.join(root, 'tenant-owned', 'acme-ca');
  await createClusterCa({ dir: clusterDir, trustDomain: TD });
  await createTenantCa({ dir: acmeDir, trustDomain: TD, tenant: 'acme' });
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('certificate authorities', () => {
  it('are self-signed CA certificates with 0600 keys, 10-year lifetimes and an initial CRL', async () => {
    for (const dir of [clusterDir, acmeDir]) {
      const ca = await cert(path.join(dir, 'ca.crt'));
      expect(ca.ca).toBe(true);
      expect(ca.checkIssued(ca)).toBe(true);
      expect(ca.verify(ca.publicKey)).toBe(true);
      const years = (Date.parse(ca.validTo) - Date.now()) / (365 * DAY);
      expect(years).toBeGreaterThan(9.9);
      expect(years).toBeLessThan(10.1);
      expect(await mode(path.join(dir, 'ca.key'))).toBe(0o600);
      expect(await mode(dir)).toBe(0o700);
      expect(await readFile(path.join(dir, 'ca.crl'), 'utf8')).toMatch(/^-----BEGIN X509 CRL-----/);
      // PKCS#8 PEM, EC P-256.
      const key = createPrivateKey(await readFile(path.join(dir, 'ca.key')));
      expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      expect(await readFile(path.join(dir, 'ca.key'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    }
  });

  it('get distinct subjects even with the same parameters', async () => {
    const dir = path.join(root, 'second-cluster-ca');
    await createClusterCa({ dir, trustDomain: TD });
    expect((await cert(path.join(dir, 'ca.crt'))).subject).not.toBe((await cert(path.join(clusterDir, 'ca.crt'))).subject);
  });

  it('are never overwritten without force', async () => {
    const before = await readFile(path.join(clusterDir, 'ca.crt'), 'utf8');
    await expect(createClusterCa({ dir: clusterDir, trustDomain: TD })).rejects.toMatchObject({ code: ErrorCodes.CERT_EXISTS });
    expect(await readFile(path.join(clusterDir, 'ca.crt'), 'utf8')).toBe(before);
    const forced = path.join(root, 'forced-ca');
    await createClusterCa({ dir: forced, trustDomain: TD });
    const first = await readFile(path.join(forced, 'ca.crt'), 'utf8');
    await createClusterCa({ dir: forced, trustDomain: TD, force: true });
    expect(await readFile(path.join(forced, 'ca.crt'), 'utf8')).not.toBe(first);
  });

  it('refuse bad trust domains and lifetimes', async () => {
    await expect(createClusterCa({ dir: path.join(root, 'bad'), trustDomain: 'Not Valid' })).rejects.toMatchObject({
      code: ErrorCodes.INVALID_ARGUMENT,
    });
    await expect(createTenantCa({ dir: path.join(root, 'bad'), trustDomain: TD, tenant: 'UPPER' })).rejects.toMatchObject({
      code: ErrorCodes.INVALID_TENANT_ID,
    });
    await expect(createClusterCa({ dir: path.join(root, 'bad'), trustDomain: TD, days: 0 })).rejects.toMatchObject({
      code: ErrorCodes.INVALID_ARGUMENT,
    });
  });
});

describe('leaf certificates', () => {
  it('node: URI SAN plus loopback and extra SANs, server+client auth, chains to the cluster CA, 90 days', async () => {
    const out = path.join(root, 'node');
    const issued = await issueCertificate({
      caDir: clusterDir,
      outDir: out,
      identity: { kind: 'node', id: 'n1' },
      dnsNames: ['node1.example'],
      ipAddresses: ['10.0.0.5'],
    });
    expect(issued.spiffeId).toBe('spiffe://tessera.test/node/n1');
    const leaf = await cert(issued.certFile);
    const ca = await cert(path.join(clusterDir, 'ca.crt'));
    expect(leaf.subjectAltName).toBe('URI:spiffe://tessera.test/node/n1, DNS:localhost, DNS:node1.example, IP Address:127.0.0.1, IP Address:10.0.0.5');
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(leaf.checkPrivateKey(createPrivateKey(await readFile(issued.keyFile)))).toBe(true);
    expect(await mode(issued.keyFile)).toBe(0o600);
    expect(await mode(issued.certFile)).toBe(0o644);
    const days = (Date.parse(leaf.validTo) - Date.now()) / DAY;
    expect(days).toBeGreaterThan(DEFAULT_LEAF_DAYS - 0.1);
    expect(days).toBeLessThan(DEFAULT_LEAF_DAYS + 0.1);
    expect(path.basename(issued.certFile)).toBe('node-n1.crt');
  });

  it('cluster identities: keymanager, admin; tenant identities from the tenant CA only', async () => {
    const out = path.join(root, 'leaves');
    const clusterCa = await cert(path.join(clusterDir, 'ca.crt'));
    const acmeCa = await cert(path.join(acmeDir, 'ca.crt'));
    const km = await issueCertificate({ caDir: clusterDir, outDir: out, identity: { kind: 'keymanager', id: 'km1' }, days: 30 });
    const admin = await issueCertificate({ caDir: clusterDir, outDir: out, identity: { kind: 'admin', name: 'root' } });
    const tAdmin = await issueCertificate({ caDir: acmeDir, outDir: out, identity: { kind: 'tenant-admin', tenant: 'acme', name: 'alice' } });
    const tClient = await issueCertificate({ caDir: acmeDir, outDir: out, identity: { kind: 'tenant-client', tenant: 'acme', name: 'app' } });
    expect((await cert(km.certFile)).subjectAltName).toBe('URI:spiffe://tessera.test/keymanager/km1, DNS:localhost, IP Address:127.0.0.1');
    expect((Date.parse((await cert(km.certFile)).validTo) - Date.now()) / DAY).toBeLessThan(30.1);
    const adminCert = await cert(admin.certFile);
    expect(adminCert.subjectAltName).toBe('URI:spiffe://tessera.test/admin/root');
    expect(adminCert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(adminCert.verify(clusterCa.publicKey)).toBe(true);
    for (const t of [tAdmin, tClient]) {
      const c = await cert(t.certFile);
      expect(c.checkIssued(acmeCa)).toBe(true);
      expect(c.verify(acmeCa.publicKey)).toBe(true);
      expect(c.checkIssued(clusterCa)).toBe(false);
      expect(c.verify(clusterCa.publicKey)).toBe(false);
    }
    expect((await cert(tClient.certFile)).subjectAltName).toBe('URI:spiffe://tessera.test/tenant/acme/client/app');
    expect(path.basename(tAdmin.certFile)).toBe('tenant-acme-admin-alice.crt');
  });

  it('the cluster CA never issues tenant identities, and a tenant CA only its own tenant\'s admins and clients', async () => {
    const out = path.join(root, 'refused');
    await expect(
      issueCertificate({ caDir: clusterDir, outDir: out, identity: { kind: 'tenant-client', tenant: 'acme', name: 'x' } }),
    ).rejects.toMatchObject({ code: ErrorCodes.CERT_WRONG_CA });
    await expect(issueCertificate({ caDir: acmeDir, outDir: out, identity: { kind: 'node', id: 'n9' } })).rejects.toMatchObject({
      code: ErrorCodes.CERT_WRONG_CA,
    });
    await expect(
      issueCertificate({ caDir: acmeDir, outDir: out, identity: { kind: 'tenant-admin', tenant: 'beta', name: 'x' } }),
    ).rejects.toMatchObject({ code: ErrorCodes.CERT_WRONG_CA });
  });

  it('refuses to overwrite without force, and bad names or SANs', async () => {
    const out = path.join(root, 'again');
    const first = await issueCertificate({ caDir: clusterDir, outDir: out, identity: { kind: 'admin', name: 'ops' } });
    const before = await readFile(first.keyFile, 'utf8');
    await expect(issueCertificate({ caDir: clusterDir, outDir: out, identity: { kind: 'admin', name: 'ops' } })).rejects.toMatchObject({
      code: ErrorCodes.CERT_EXISTS,
    });
    expect(await readFile(first.keyFile, 'utf8')).toBe(before);
    const second = await issueCertificate({ caDir: clusterDir, outDir: out, identity: { kind: 'admin', name: 'ops' }, force: true });
    expect(second.serial).not.toBe(first.serial);
    expect(await mode(second.keyFile)).toBe(0o600);
    for (const identity of [
      { kind: 'node', id: 'N1' },
      { kind: 'node', id: '' },
      { kind: 'admin', name: '../x' },
    ] as const) {
      await expect(issueCertificate({ caDir: clusterDir, outDir: out, identity })).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
    }
    await expect(
      issueCertificate({ caDir: clusterDir, outDir: out, identity: { kind: 'admin', name: 'y' }, dnsNames: ['x.example'] }),
    ).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
    await expect(
      issueCertificate({ caDir: clusterDir, outDir: out, identity: { kind: 'node', id: 'n2' }, ipAddresses: ['999.1.1.1'] }),
    ).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
    await expect(
      issueCertificate({ caDir: clusterDir, outDir: out, identity: { kind: 'node', id: 'n2' }, baseName: '../escape' }),
    ).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
  });

  it('fails cleanly when the CA directory is missing or its state is corrupt', async () => {
    await expect(
      issueCertificate({ caDir: path.join(root, 'nope'), outDir: root, identity: { kind: 'admin', name: 'x' } }),
    ).rejects.toMatchObject({ code: ErrorCodes.CERT_NOT_FOUND });
    const broken = path.join(root, 'broken-ca');
    await createClusterCa({ dir: broken, trustDomain: TD });
    for (const text of ['{', '{"version":2}', '[]', '{"version":1,"kind":"cluster","trustDomain":"t","crlNumber":1,"crlDays":1,"revoked":[{"serial":1}]}']) {
      await writeFile(path.join(broken, 'ca.json'), text);
      await expect(loadCa(broken)).rejects.toMatchObject({ code: ErrorCodes.CERT_INVALID });
    }
  });
});

describe('renewal', () => {
  it('re-issues the same identity and SANs with a new key and serial', async () => {
    const out = path.join(root, 'renew');
    const issued = await issueCertificate({ caDir: clusterDir, outDir: out, identity: { kind: 'node', id: 'r1' }, dnsNames: ['r1.example'] });
    const oldKey = await readFile(issued.keyFile, 'utf8');
    const renewed = await renewCertificate({ caDir: clusterDir, certFile: issued.certFile, days: 10 });
    expect(renewed.serial).not.toBe(issued.serial);
    expect(renewed.spiffeId).toBe(issued.spiffeId);
    const c = await cert(issued.certFile);
    expect(c.subjectAltName).toBe('URI:spiffe://tessera.test/node/r1, DNS:localhost, DNS:r1.example, IP Address:127.0.0.1');
    expect(await readFile(issued.keyFile, 'utf8')).not.toBe(oldKey);
    expect(c.checkPrivateKey(createPrivateKey(await readFile(issued.keyFile)))).toBe(true);
    expect(await mode(issued.keyFile)).toBe(0o600);
  });

  it('can keep the key, and refuses certificates of another CA', async () => {
    const out = path.join(root, 'renew-key');
    const issued = await issueCertificate({ caDir: acmeDir, outDir: out, identity: { kind: 'tenant-client', tenant: 'acme', name: 'k' } });
    const key = await readFile(issued.keyFile, 'utf8');
    await renewCertificate({ caDir: acmeDir, certFile: issued.certFile, reuseKey: true });
    expect(await readFile(issued.keyFile, 'utf8')).toBe(key);
    expect((await cert(issued.certFile)).checkPrivateKey(createPrivateKey(key))).toBe(true);
    await expect(renewCertificate({ caDir: clusterDir, certFile: issued.certFile })).rejects.toMatchObject({ code: ErrorCodes.CERT_WRONG_CA });
  });
});

describe('revocation and CRLs', () => {
  it('records revoked serials and writes a signed CRL with an increasing number', async () => {
    const dir = path.join(root, 'revoking-ca');
    await createClusterCa({ dir, trustDomain: TD, crlDays: 7 });
    const out = path.join(root, 'revoked');
    const a = await issueCertificate({ caDir: dir, outDir: out, identity: { kind: 'admin', name: 'a' } });
    const b = await issueCertificate({ caDir: dir, outDir: out, identity: { kind: 'admin', name: 'b' } });
    const first = await revoke(await loadCa(dir), { certFile: a.certFile, reason: 'keyCompromise' });
    expect(first).toMatchObject({ crlNumber: 2, revoked: 1, newlyRevoked: true });
    const second = await revoke(await loadCa(dir), { serial: b.serial.toUpperCase() });
    expect(second).toMatchObject({ crlNumber: 3, revoked: 2, newlyRevoked: true });
    const again = await revoke(await loadCa(dir), { certFile: a.certFile });
    expect(again).toMatchObject({ crlNumber: 4, revoked: 2, newlyRevoked: false });
    const ca = await loadCa(dir);
    expect(ca.state.revoked.map((r) => r.reason)).toEqual(['keyCompromise', 'unspecified']);
    const crl = new x509.X509Crl(await readFile(path.join(dir, 'ca.crl'), 'utf8'));
    expect(await crl.verify({ publicKey: ca.certificate.publicKey })).toBe(true);
    expect(crl.entries.map((e) => e.serialNumber.toLowerCase()).sort()).toEqual([a.serial, b.serial].map((s) => s.toLowerCase()).sort());
    const nextUpdate = crl.nextUpdate?.getTime() ?? 0;
    expect((nextUpdate - Date.now()) / DAY).toBeGreaterThan(6.9);
    expect((nextUpdate - Date.now()) / DAY).toBeLessThan(7.1);
    const regenerated = await writeCrl(ca, { days: 30 });
    expect(regenerated).toMatchObject({ crlNumber: 5, revoked: 2 });
  });

  it('refuses to revoke a certificate of another CA, or without saying which', async () => {
    const out = path.join(root, 'other');
    const t = await issueCertificate({ caDir: acmeDir, outDir: out, identity: { kind: 'tenant-client', tenant: 'acme', name: 'z' } });
    await expect(revoke(await loadCa(clusterDir), { certFile: t.certFile })).rejects.toMatchObject({ code: ErrorCodes.CERT_WRONG_CA });
    await expect(revoke(await loadCa(clusterDir), {})).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
    await expect(revoke(await loadCa(clusterDir), { serial: 'xyz' })).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
  });
});

describe('file errors', () => {
  it('are typed and name the path, not a stack', async () => {
    const blocker = path.join(root, 'a-file');
    await writeFile(blocker, 'x');
    await expect(
      issueCertificate({ caDir: clusterDir, outDir: path.join(blocker, 'sub'), identity: { kind: 'admin', name: 'io' } }),
    ).rejects.toMatchObject({ code: ErrorCodes.CERT_IO, message: expect.stringContaining('a-file') });
  });
});
