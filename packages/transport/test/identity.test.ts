import fc from 'fast-check';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantCa } from '@tessera/launcher';
import {
  EMPTY_TENANT_CA_REGISTRY,
  InMemoryTenantCaRegistry,
  PeerAuthenticator,
  authenticateCertificate,
  parseSpiffeId,
  parseSubjectAltName,
} from '../src/index.js';
import type { AuthenticatorOptions } from '../src/index.js';
import { CERTS, TRUST_DOMAIN, createTestPki, impersonatingCa } from './support/pki.js';
import type { TestPki } from './support/pki.js';

describe('parseSubjectAltName', () => {
  it('reads node\'s format, including JSON-quoted values', () => {
    expect(parseSubjectAltName('URI:spiffe://td/node/n1, DNS:localhost, IP Address:127.0.0.1')).toEqual([
      { type: 'URI', value: 'spiffe://td/node/n1' },
      { type: 'DNS', value: 'localhost' },
      { type: 'IP Address', value: '127.0.0.1' },
    ]);
    // A value hiding a separator stays one entry.
    expect(parseSubjectAltName('URI:"spiffe://td/a, URI:spiffe://td/admin/x", DNS:x')).toEqual([
      { type: 'URI', value: 'spiffe://td/a, URI:spiffe://td/admin/x' },
      { type: 'DNS', value: 'x' },
    ]);
    expect(parseSubjectAltName(undefined)).toEqual([]);
  });

  it('rejects malformed strings', () => {
    for (const bad of ['URI', ':x', 'URI:a,', 'URI:a, ', 'URI:"unterminated', 'URI:"a"b', '1URI:x']) {
      expect(parseSubjectAltName(bad), bad).toBeUndefined();
    }
  });

  it('never throws on arbitrary input and round-trips what it accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const parsed = parseSubjectAltName(s);
        if (parsed !== undefined) {
          for (const e of parsed) expect(typeof e.value).toBe('string');
        }
      }),
      { numRuns: 1000 },
    );
    const entry = fc.record({
      type: fc.constantFrom('URI', 'DNS', 'IP Address', 'email'),
      value: fc.string({ maxLength: 20 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), (entries) => {
        // Quote like node does when a value holds anything special.
        const text = entries
          .map((e) => `${e.type}:${/[,"\\\x00-\x1f\x7f]/.test(e.value) ? JSON.stringify(e.value) : e.value}`)
          .join(', ');
        const parsed = parseSubjectAltName(text);
        expect(parsed).toEqual(entries);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseSpiffeId', () => {
  it('accepts the five forms in the trust domain', () => {
    expect(parseSpiffeId('spiffe://td/node/n-1', 'td')).toMatchObject({ ok: true, principal: { kind: 'node', id: 'n-1' } });
    expect(parseSpiffeId('spiffe://td/keymanager/km1', 'td')).toMatchObject({ ok: true, principal: { kind: 'keymanager', id: 'km1' } });
    expect(parseSpiffeId('spiffe://td/admin/root', 'td')).toMatchObject({ ok: true, principal: { kind: 'admin', name: 'root' } });
    expect(parseSpiffeId('spiffe://td/tenant/acme/admin/alice', 'td')).toMatchObject({
      ok: true,
      principal: { kind: 'tenant-admin', tenant: 'acme', name: 'alice' },
    });
    expect(parseSpiffeId('spiffe://td/tenant/acme/client/app', 'td')).toMatchObject({
      ok: true,
      principal: { kind: 'tenant-client', tenant: 'acme', name: 'app', spiffeId: 'spiffe://td/tenant/acme/client/app' },
    });
  });

  it('refuses other trust domains and every other shape', () => {
    expect(parseSpiffeId('spiffe://other/node/n1', 'td')).toEqual({ ok: false, reason: 'wrong-trust-domain' });
    for (const bad of [
      'spiffe://td/node/',
      'spiffe://td/node/n1/extra',
      'spiffe://td/node/N1',
      'spiffe://td/admin/../x',
      'spiffe://td/tenant/acme/root/x',
      'spiffe://td/tenant/ACME/client/x',
      'spiffe://td/tenant//client/x',
      'https://td/node/n1',
      'spiffe://td/node/n1?x=1',
      'spiffe://td/node/n1#f',
      ' spiffe://td/node/n1',
      'spiffe://td/node/n1\n',
    ]) {
      expect(parseSpiffeId(bad, 'td').ok, bad).toBe(false);
    }
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const r = parseSpiffeId(`spiffe://td/${s}`, 'td');
        if (r.ok) expect(r.principal.spiffeId).toBe(`spiffe://td/${s}`);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('authenticateCertificate', () => {
  let pki: TestPki;
  let options: AuthenticatorOptions;
  const raw = async (name: string): Promise<Buffer> => new X509Certificate(await readFile(pki.files(name).certFile)).raw;

  beforeAll(async () => {
    pki = await createTestPki();
    const clusterCa = new X509Certificate(await readFile(pki.files(CERTS.node1).caFile));
    options = { trustDomain: TRUST_DOMAIN, clusterCas: () => [clusterCa], tenantCas: await pki.registry() };
  });
  afterAll(() => pki.cleanup());

  it('maps every kind of certificate to its principal', async () => {
    const expected: [string, string][] = [
      [CERTS.node1, 'node'],
      [CERTS.keymanager, 'keymanager'],
      [CERTS.admin, 'admin'],
      [CERTS.acmeAdmin, 'tenant-admin'],
      [CERTS.betaClient, 'tenant-client'],
    ];
    for (const [name, kind] of expected) {
      const auth = authenticateCertificate(await raw(name), options);
      expect(auth, name).toMatchObject({ ok: true, principal: { kind } });
    }
  });

  it('refuses a tenant identity signed by the cluster CA, or by another tenant\'s CA', async () => {
    const forged = await impersonatingCa(pki, pki.clusterCaDir, { kind: 'tenant', tenant: 'acme' });
    await pki.issue('acme-by-cluster', { kind: 'tenant-client', tenant: 'acme', name: 'x' }, forged);
    expect(authenticateCertificate(await raw('acme-by-cluster'), options)).toEqual({ ok: false, reason: 'not-issued-by-tenant-ca' });
    const crossed = await impersonatingCa(pki, pki.tenantCaDirs.beta, { kind: 'tenant', tenant: 'acme' });
    await pki.issue('acme-by-beta', { kind: 'tenant-admin', tenant: 'acme', name: 'x' }, crossed);
    expect(authenticateCertificate(await raw('acme-by-beta'), options)).toEqual({ ok: false, reason: 'not-issued-by-tenant-ca' });
  });

  it('refuses cluster identities signed by a tenant CA', async () => {
    const forged = await impersonatingCa(pki, pki.tenantCaDirs.acme, { kind: 'cluster' });
    await pki.issue('admin-by-tenant', { kind: 'admin', name: 'evil' }, forged);
    expect(authenticateCertificate(await raw('admin-by-tenant'), options)).toEqual({ ok: false, reason: 'not-issued-by-cluster-ca' });
  });

  it('refuses unknown tenants, CA certificates, other trust domains and garbage', async () => {
    const gammaDir = path.join(pki.root, 'gamma-ca');
    await createTenantCa({ dir: gammaDir, trustDomain: TRUST_DOMAIN, tenant: 'gamma' });
    await pki.issue('gamma-client', { kind: 'tenant-client', tenant: 'gamma', name: 'x' }, gammaDir);
    expect(authenticateCertificate(await raw('gamma-client'), options)).toEqual({ ok: false, reason: 'unknown-tenant' });
    const caRaw = new X509Certificate(await readFile(pki.files(CERTS.node1).caFile)).raw;
    expect(authenticateCertificate(caRaw, options)).toEqual({ ok: false, reason: 'ca-certificate' });
    expect(authenticateCertificate(await raw(CERTS.node1), { ...options, trustDomain: 'other.test' })).toEqual({
      ok: false,
      reason: 'wrong-trust-domain',
    });
    expect(authenticateCertificate(undefined, options)).toEqual({ ok: false, reason: 'no-certificate' });
    expect(authenticateCertificate(Buffer.from('not a certificate'), options)).toEqual({ ok: false, reason: 'bad-certificate' });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(authenticateCertificate(bytes, options).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('PeerAuthenticator forgets cached results when the tenant registry changes', async () => {
    const registry = new InMemoryTenantCaRegistry();
    const authenticator = new PeerAuthenticator({ ...options, tenantCas: registry });
    const cert = new X509Certificate(await readFile(pki.files(CERTS.acmeClient).certFile));
    const source = { raw: cert.raw, fingerprint256: cert.fingerprint256 };
    expect(authenticator.authenticate(source)).toEqual({ ok: false, reason: 'unknown-tenant' });
    registry.set(
      'acme',
      await readFile(path.join(pki.tenantCaDirs.acme, 'ca.crt'), 'utf8'),
      await readFile(path.join(pki.tenantCaDirs.acme, 'ca.crl'), 'utf8'),
    );
    expect(authenticator.authenticate(source)).toMatchObject({ ok: true, principal: { tenant: 'acme' } });
    authenticator.close();
    expect(authenticateCertificate(cert.raw, { ...options, tenantCas: EMPTY_TENANT_CA_REGISTRY }).ok).toBe(false);
  });
});
