/** syncTenantRegistry: the client port's tenant-CA registry follows the committed tenant table. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Logger } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import { createTenantCa } from '@tessera/launcher';
import { InMemoryTenantCaRegistry } from '@tessera/transport';
import type { TenantRecord, TenantState } from '../src/metadata/types.js';
import { syncTenantRegistry } from '../src/process/tenant-registry.js';
import { TRUST_DOMAIN } from './support/pki.js';

interface CaPems {
  readonly cert: string;
  readonly crl: string;
}

const dirs = tempDirs('tessera-tenant-registry-');
const cas = new Map<string, CaPems>();

async function tenantCa(label: string, tenant: string): Promise<CaPems> {
  const dir = path.join(await dirs.make(label), 'ca');
  await createTenantCa({ dir, trustDomain: TRUST_DOMAIN, tenant });
  return { cert: await readFile(path.join(dir, 'ca.crt'), 'utf8'), crl: await readFile(path.join(dir, 'ca.crl'), 'utf8') };
}

beforeAll(async () => {
  const [acme, acme2, globex] = await Promise.all([tenantCa('acme', 'acme'), tenantCa('acme2', 'acme'), tenantCa('globex', 'globex')]);
  cas.set('acme', acme);
  cas.set('acme2', acme2);
  cas.set('globex', globex);
});
afterAll(() => dirs.cleanup());

function ca(name: string): CaPems {
  const pems = cas.get(name);
  if (pems === undefined) throw new Error(`no CA ${name}`);
  return pems;
}

function tenant(id: string, pems: CaPems, state: TenantState = 'active'): TenantRecord {
  return { id, policy: 'isolated', caCertPem: pems.cert, caCrlPem: pems.crl, state, quotaBytes: 0, keyEpoch: 1, kekVersion: 1 };
}

function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { lines, logger: new Logger({ level: 'debug', sink: { write: (line) => lines.push(line) } }) };
}

function registered(registry: InMemoryTenantCaRegistry): string[] {
  return registry.list().map((e) => e.tenant);
}

describe('syncTenantRegistry', () => {
  it('adds every committed tenant with its CA and CRL', () => {
    const registry = new InMemoryTenantCaRegistry();
    syncTenantRegistry(registry, [tenant('globex', ca('globex')), tenant('acme', ca('acme'))]);
    expect(registered(registry)).toEqual(['acme', 'globex']);
    expect(registry.get('acme')?.certificatePem).toBe(ca('acme').cert.trim() + '\n');
    expect(registry.get('acme')?.crlPem).toBe(ca('acme').crl.trim() + '\n');
    expect(registry.get('acme')?.certificate.ca).toBe(true);
  });

  it('counts disabled and shred-scheduled tenants as present (their principals are refused elsewhere)', () => {
    const registry = new InMemoryTenantCaRegistry();
    syncTenantRegistry(registry, [tenant('acme', ca('acme'), 'disabled'), tenant('globex', ca('globex'), 'shred-scheduled')]);
    expect(registered(registry)).toEqual(['acme', 'globex']);
  });

  it('changes nothing (and tells no listener) when the table did not change', () => {
    const registry = new InMemoryTenantCaRegistry();
    const table = [tenant('acme', ca('acme')), tenant('globex', ca('globex'))];
    syncTenantRegistry(registry, table);
    let changes = 0;
    registry.onChange(() => changes++);
    const before = registry.get('acme');
    syncTenantRegistry(registry, table);
    expect(changes).toBe(0);
    expect(registry.get('acme')).toBe(before);
  });

  it('replaces a tenant whose CA or CRL changed', () => {
    const registry = new InMemoryTenantCaRegistry();
    syncTenantRegistry(registry, [tenant('acme', ca('acme'))]);
    syncTenantRegistry(registry, [tenant('acme', ca('acme2'))]);
    expect(registry.get('acme')?.certificatePem).toBe(ca('acme2').cert.trim() + '\n');
    // Only the CRL changes (a revocation): replaced too.
    syncTenantRegistry(registry, [tenant('acme', { cert: ca('acme2').cert, crl: ca('acme').crl })]);
    expect(registry.get('acme')?.crlPem).toBe(ca('acme').crl.trim() + '\n');
    expect(registry.get('acme')?.certificatePem).toBe(ca('acme2').cert.trim() + '\n');
  });

  it('removes shredded tenants and tenants no longer in the table', () => {
    const registry = new InMemoryTenantCaRegistry();
    syncTenantRegistry(registry, [tenant('acme', ca('acme')), tenant('globex', ca('globex'))]);
    syncTenantRegistry(registry, [tenant('acme', ca('acme'), 'shredded'), tenant('globex', ca('globex'))]);
    expect(registered(registry)).toEqual(['globex']);
    syncTenantRegistry(registry, []);
    expect(registered(registry)).toEqual([]);
  });

  it('leaves out a CA that does not parse, logging only the tenant id, without throwing', () => {
    const registry = new InMemoryTenantCaRegistry();
    const { logger, lines } = capturingLogger();
    const garbage: CaPems = { cert: '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n', crl: ca('acme').crl };
    const notCrl: CaPems = { cert: ca('globex').cert, crl: 'not a crl' };
    expect(() => syncTenantRegistry(registry, [tenant('acme', garbage), tenant('globex', notCrl), tenant('initech', ca('acme'))], logger)).not.toThrow();
    expect(registered(registry)).toEqual(['initech']);
    const warnings = lines.map((l) => JSON.parse(l) as { level: string; tenant?: string; msg: string }).filter((r) => r.level === 'warn');
    expect(warnings.map((w) => w.tenant).sort()).toEqual(['acme', 'globex']);
    expect(lines.join('')).not.toContain('BEGIN');
  });

  it('drops a registered tenant whose committed CA stops parsing, and works without a logger', () => {
    const registry = new InMemoryTenantCaRegistry();
    syncTenantRegistry(registry, [tenant('acme', ca('acme'))]);
    syncTenantRegistry(registry, [tenant('acme', { cert: 'garbage', crl: 'garbage' })]);
    expect(registered(registry)).toEqual([]);
  });

  it('leaves out a tenant id the registry cannot hold', () => {
    const registry = new InMemoryTenantCaRegistry();
    expect(() => syncTenantRegistry(registry, [tenant('Not_Valid', ca('acme')), tenant('acme', ca('acme'))])).not.toThrow();
    expect(registered(registry)).toEqual(['acme']);
  });
});
