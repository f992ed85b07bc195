/** A throwaway PKI for key-manager process tests, issued with @tessera/launcher. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClusterCa, createTenantCa, issueCertificate, type Identity } from '@tessera/launcher';
import type { TlsFiles } from '@tessera/transport';

export const TRUST_DOMAIN = 'km.test';

export interface KmTestPki {
  readonly root: string;
  /** TLS files of a cluster identity (issued once per base name). */
  cluster(baseName: string, identity: Exclude<Identity, { tenant: string }>): Promise<TlsFiles>;
  /** A tenant's CA (created once) and the PEM files to register. */
  tenantCa(tenant: string): Promise<{ certFile: string; crlFile: string }>;
  tenantAdmin(tenant: string, name?: string): Promise<TlsFiles>;
  cleanup(): Promise<void>;
}

export async function createKmTestPki(): Promise<KmTestPki> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tessera-km-pki-'));
  const caDir = path.join(root, 'ca');
  const certDir = path.join(root, 'certs');
  await createClusterCa({ dir: caDir, trustDomain: TRUST_DOMAIN });
  const clusterCa = { caFile: path.join(caDir, 'ca.crt'), crlFile: path.join(caDir, 'ca.crl') };
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    let p = memo.get(key) as Promise<T> | undefined;
    if (p === undefined) {
      p = make();
      memo.set(key, p);
    }
    return p;
  };
  const tenantCa = (tenant: string): Promise<{ dir: string; certFile: string; crlFile: string }> =>
    once(`tenant-ca-${tenant}`, async () => {
      const dir = path.join(root, 'tenants', tenant);
      await createTenantCa({ dir, trustDomain: TRUST_DOMAIN, tenant });
      return { dir, certFile: path.join(dir, 'ca.crt'), crlFile: path.join(dir, 'ca.crl') };
    });
  return {
    root,
    cluster: (baseName, identity) =>
      once(`cluster-${baseName}`, async () => {
        const c = await issueCertificate({ caDir, outDir: certDir, identity, baseName });
        return { certFile: c.certFile, keyFile: c.keyFile, ...clusterCa };
      }),
    tenantCa: async (tenant) => {
      const ca = await tenantCa(tenant);
      return { certFile: ca.certFile, crlFile: ca.crlFile };
    },
    tenantAdmin: (tenant, name = 'admin') =>
      once(`tenant-admin-${tenant}-${name}`, async () => {
        const ca = await tenantCa(tenant);
        const c = await issueCertificate({ caDir: ca.dir, outDir: certDir, identity: { kind: 'tenant-admin', tenant, name }, baseName: `tenant-${tenant}-admin-${name}` });
        return { certFile: c.certFile, keyFile: c.keyFile, ...clusterCa };
      }),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
