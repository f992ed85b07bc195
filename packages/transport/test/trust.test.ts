import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { InMemoryTenantCaRegistry, buildTrustStore, loadTlsMaterial, parseTenantCa } from '../src/index.js';
import type { TlsMaterial } from '../src/index.js';
import { CERTS, createTestPki, impersonatingCa } from './support/pki.js';
import type { TestPki } from './support/pki.js';

let pki: TestPki;
let material: TlsMaterial;

beforeAll(async () => {
  pki = await createTestPki();
  material = await loadTlsMaterial(pki.files(CERTS.node1));
});
afterAll(() => pki.cleanup());

const read = (dir: string, file: string): Promise<string> => readFile(path.join(dir, file), 'utf8');

describe('trust store', () => {
  it('the peer port trusts the cluster CA only; the client port adds every tenant CA with its CRL', async () => {
    expect(buildTrustStore(material, undefined)).toEqual({ ca: material.caPems, crl: material.crlPems, skipped: [] });
    const registry = await pki.registry();
    const trust = buildTrustStore(material, registry.list());
    expect(trust.ca).toHaveLength(3);
    expect(trust.crl).toHaveLength(3);
    expect(trust.skipped).toEqual([]);
  });

  it('leaves out a tenant CA whose subject collides with the cluster CA\'s', async () => {
    // The forged copy is the cluster CA itself registered as a tenant CA.
    const forged = await impersonatingCa(pki, pki.clusterCaDir, { kind: 'tenant', tenant: 'evil' });
    const registry = await pki.registry();
    registry.set('evil', await read(forged, 'ca.crt'), await read(forged, 'ca.crl'));
    const trust = buildTrustStore(material, registry.list());
    expect(trust.skipped).toEqual([{ tenant: 'evil', reason: 'subject-collision' }]);
    expect(trust.ca).toHaveLength(3);
  });

  it('leaves out both tenant CAs when two share a subject', async () => {
    const registry = new InMemoryTenantCaRegistry();
    const pem = await read(pki.tenantCaDirs.acme, 'ca.crt');
    const crl = await read(pki.tenantCaDirs.acme, 'ca.crl');
    registry.set('acme', pem, crl);
    registry.set('acme-copy', pem, crl);
    expect(buildTrustStore(material, registry.list()).skipped.map((s) => s.tenant)).toEqual(['acme', 'acme-copy']);
  });
});

describe('tenant CA registry', () => {
  it('validates what it registers', async () => {
    const pem = await read(pki.tenantCaDirs.acme, 'ca.crt');
    const crl = await read(pki.tenantCaDirs.acme, 'ca.crl');
    expect(() => parseTenantCa('Bad Id', pem, crl)).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_TENANT_ID }));
    expect(() => parseTenantCa('acme', 'garbage', crl)).toThrow(expect.objectContaining({ code: ErrorCodes.CERT_INVALID }));
    expect(() => parseTenantCa('acme', pem, 'not a crl')).toThrow(expect.objectContaining({ code: ErrorCodes.CERT_INVALID }));
    const leaf = await readFile(pki.files(CERTS.acmeClient).certFile, 'utf8');
    expect(() => parseTenantCa('acme', leaf, crl)).toThrow(expect.objectContaining({ code: ErrorCodes.CERT_INVALID }));
  });

  it('notifies listeners of changes until they unsubscribe', async () => {
    const registry = new InMemoryTenantCaRegistry();
    let changes = 0;
    const off = registry.onChange(() => changes++);
    registry.set('acme', await read(pki.tenantCaDirs.acme, 'ca.crt'), await read(pki.tenantCaDirs.acme, 'ca.crl'));
    registry.delete('acme');
    registry.delete('acme');
    off();
    registry.set('acme', await read(pki.tenantCaDirs.acme, 'ca.crt'), await read(pki.tenantCaDirs.acme, 'ca.crl'));
    expect(changes).toBe(2);
  });
});

describe('TLS material', () => {
  it('refuses a key that does not match the certificate and a missing CRL, without echoing key bytes', async () => {
    const files = pki.files(CERTS.node1);
    const mismatched = { ...files, keyFile: pki.files(CERTS.node2).keyFile };
    const err = await loadTlsMaterial(mismatched).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.TRANSPORT_TLS_MATERIAL });
    expect(String((err as Error).message)).not.toMatch(/PRIVATE KEY/);
    await expect(loadTlsMaterial({ ...files, crlFile: files.caFile })).rejects.toMatchObject({ code: ErrorCodes.TRANSPORT_TLS_MATERIAL });
    await expect(loadTlsMaterial({ ...files, caFile: files.certFile })).rejects.toMatchObject({ code: ErrorCodes.TRANSPORT_TLS_MATERIAL });
    await expect(loadTlsMaterial({ ...files, certFile: path.join(pki.root, 'missing.crt') })).rejects.toMatchObject({
      code: ErrorCodes.TRANSPORT_TLS_MATERIAL,
    });
  });
});
