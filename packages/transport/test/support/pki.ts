/**
 * A throwaway PKI for transport tests, issued with @tessera/launcher (so these
 * tests also prove that launcher-issued material works with the transport):
 * the cluster CA, two tenant CAs, one certificate per principal kind, and the
 * hostile ones the refusal tests need.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  createClusterCa,
  createTenantCa,
  issueCertificate,
  loadCa,
  revoke,
} from '@tessera/launcher';
import type { Identity } from '@tessera/launcher';
import { InMemoryTenantCaRegistry } from '../../src/index.js';
import type { TlsFiles } from '../../src/index.js';

export const TRUST_DOMAIN = 'tessera.test';

export interface TestPki {
  readonly root: string;
  readonly clusterCaDir: string;
  readonly tenantCaDirs: Readonly<Record<'acme' | 'beta', string>>;
  /** TLS files (cert, key, cluster CA, cluster CRL) for a named certificate. */
  files(name: string): TlsFiles;
  /** A registry holding acme's and beta's CAs. */
  registry(): Promise<InMemoryTenantCaRegistry>;
  issue(name: string, identity: Identity, caDir?: string): Promise<TlsFiles>;
  revokeCert(name: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** Names of the standard certificates every test PKI holds. */
export const CERTS = {
  node1: 'node-n1',
  node2: 'node-n2',
  keymanager: 'keymanager-km1',
  admin: 'admin-root',
  acmeAdmin: 'tenant-acme-admin-alice',
  acmeClient: 'tenant-acme-client-app',
  betaAdmin: 'tenant-beta-admin-bob',
  betaClient: 'tenant-beta-client-app',
} as const;

export async function createTestPki(): Promise<TestPki> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tessera-transport-pki-'));
  const clusterCaDir = path.join(root, 'cluster-ca');
  const tenantCaDirs = { acme: path.join(root, 'acme-ca'), beta: path.join(root, 'beta-ca') };
  const certDir = path.join(root, 'certs');
  await createClusterCa({ dir: clusterCaDir, trustDomain: TRUST_DOMAIN });
  await createTenantCa({ dir: tenantCaDirs.acme, trustDomain: TRUST_DOMAIN, tenant: 'acme' });
  await createTenantCa({ dir: tenantCaDirs.beta, trustDomain: TRUST_DOMAIN, tenant: 'beta' });

  const files = (name: string): TlsFiles => ({
    certFile: path.join(certDir, `${name}.crt`),
    keyFile: path.join(certDir, `${name}.key`),
    caFile: path.join(clusterCaDir, 'ca.crt'),
    crlFile: path.join(clusterCaDir, 'ca.crl'),
  });
  const issue = async (name: string, identity: Identity, caDir = clusterCaDir): Promise<TlsFiles> => {
    await issueCertificate({ caDir, outDir: certDir, identity, baseName: name, force: true });
    return files(name);
  };

  await Promise.all([
    issue(CERTS.node1, { kind: 'node', id: 'n1' }),
    issue(CERTS.node2, { kind: 'node', id: 'n2' }),
    issue(CERTS.keymanager, { kind: 'keymanager', id: 'km1' }),
    issue(CERTS.admin, { kind: 'admin', name: 'root' }),
    issue(CERTS.acmeAdmin, { kind: 'tenant-admin', tenant: 'acme', name: 'alice' }, tenantCaDirs.acme),
    issue(CERTS.acmeClient, { kind: 'tenant-client', tenant: 'acme', name: 'app' }, tenantCaDirs.acme),
    issue(CERTS.betaAdmin, { kind: 'tenant-admin', tenant: 'beta', name: 'bob' }, tenantCaDirs.beta),
    issue(CERTS.betaClient, { kind: 'tenant-client', tenant: 'beta', name: 'app' }, tenantCaDirs.beta),
  ]);

  return {
    root,
    clusterCaDir,
    tenantCaDirs,
    files,
    issue,
    async registry() {
      const registry = new InMemoryTenantCaRegistry();
      for (const [tenant, dir] of Object.entries(tenantCaDirs)) {
        registry.set(
          tenant,
          await readFile(path.join(dir, 'ca.crt'), 'utf8'),
          await readFile(path.join(dir, 'ca.crl'), 'utf8'),
        );
      }
      return registry;
    },
    async revokeCert(name: string) {
      await revoke(await loadCa(clusterCaDir), { certFile: files(name).certFile });
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * A copy of a CA that the launcher believes is of another kind, to forge what
 * the launcher itself refuses to issue (a tenant identity signed by the
 * cluster CA, a node identity signed by a tenant CA).
 */
export async function impersonatingCa(
  pki: TestPki,
  sourceCaDir: string,
  as: { kind: 'cluster' } | { kind: 'tenant'; tenant: string },
): Promise<string> {
  const dir = await mkdtemp(path.join(pki.root, 'forged-ca-'));
  await cp(sourceCaDir, dir, { recursive: true });
  const statePath = path.join(dir, 'ca.json');
  const state = JSON.parse(await readFile(statePath, 'utf8')) as Record<string, unknown>;
  const forged = { ...state, kind: as.kind, ...(as.kind === 'tenant' ? { tenant: as.tenant } : {}) };
  if (as.kind === 'cluster') delete forged['tenant'];
  await writeFile(statePath, JSON.stringify(forged));
  return dir;
}
