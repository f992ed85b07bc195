/**
 * A throwaway PKI for SDK and CLI tests: the cluster CA with node
 * certificates, one tenant's own CA with a client certificate, and the
 * tenant-CA registry a client port needs to accept that tenant.
 * (Uses @tessera/launcher, a development dependency: test code only.)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { caPaths, createTenantCa, createTestPki, issueCertificate, type TestPki, type TestTlsFiles } from '@tessera/launcher';
import { InMemoryTenantCaRegistry } from '@tessera/transport';

export interface TenantTestPki {
  readonly cluster: TestPki;
  readonly trustDomain: string;
  readonly tenant: string;
  /** Tenant client certificate and key, with the cluster CA and its CRL to check nodes. */
  readonly client: TestTlsFiles;
  node(id: string): Promise<TestTlsFiles>;
  /** A registry holding the tenant's CA (for the fake client port). */
  registry(): Promise<InMemoryTenantCaRegistry>;
  cleanup(): Promise<void>;
}

export async function createTenantTestPki(options: { readonly trustDomain?: string; readonly tenant?: string } = {}): Promise<TenantTestPki> {
  const trustDomain = options.trustDomain ?? 'tessera.test';
  const tenant = options.tenant ?? 'acme';
  const cluster = await createTestPki({ trustDomain, prefix: 'tessera-client-pki-' });
  const tenantCa = caPaths(path.join(cluster.root, `${tenant}-ca`));
  await createTenantCa({ dir: tenantCa.dir, trustDomain, tenant });
  const issued = await issueCertificate({ caDir: tenantCa.dir, outDir: path.join(cluster.root, 'tenant-certs'), identity: { kind: 'tenant-client', tenant, name: 'app' } });
  const clusterCa = caPaths(path.join(cluster.root, 'ca'));
  const client: TestTlsFiles = { certFile: issued.certFile, keyFile: issued.keyFile, caFile: clusterCa.certFile, crlFile: clusterCa.crlFile };
  return {
    cluster,
    trustDomain,
    tenant,
    client,
    node: (id) => cluster.node(id),
    async registry() {
      const registry = new InMemoryTenantCaRegistry();
      registry.set(tenant, await readFile(tenantCa.certFile, 'utf8'), await readFile(tenantCa.crlFile, 'utf8'));
      return registry;
    },
    cleanup: () => cluster.cleanup(),
  };
}
