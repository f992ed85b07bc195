/**
 * A throwaway cluster PKI in a temp folder, for tests that need real mTLS
 * between components without starting a local cluster: one cluster CA (with
 * its initial CRL) and leaf certificates issued on first request.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClusterCa } from './ca.js';
import type { Identity } from './identity.js';
import { issueCertificate } from './leaf.js';

/** The files a TLS endpoint needs (structurally the transport's `TlsFiles`). */
export interface TestTlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
  readonly crlFile: string;
}

export interface TestPki {
  readonly root: string;
  readonly trustDomain: string;
  /** Issues (once) and returns the TLS files of a node. */
  node(id: string): Promise<TestTlsFiles>;
  /** Issues (once) and returns the TLS files of a cluster admin. */
  admin(name?: string): Promise<TestTlsFiles>;
  issue(baseName: string, identity: Identity): Promise<TestTlsFiles>;
  cleanup(): Promise<void>;
}

export async function createTestPki(options: { readonly trustDomain: string; readonly prefix?: string }): Promise<TestPki> {
  const root = await mkdtemp(path.join(os.tmpdir(), options.prefix ?? 'tessera-pki-'));
  const caDir = path.join(root, 'ca');
  const certDir = path.join(root, 'certs');
  await createClusterCa({ dir: caDir, trustDomain: options.trustDomain });
  const issued = new Map<string, Promise<TestTlsFiles>>();
  const issue = (baseName: string, identity: Identity): Promise<TestTlsFiles> => {
    let files = issued.get(baseName);
    if (files === undefined) {
      files = issueCertificate({ caDir, outDir: certDir, identity, baseName }).then((c) => ({
        certFile: c.certFile,
        keyFile: c.keyFile,
        caFile: path.join(caDir, 'ca.crt'),
        crlFile: path.join(caDir, 'ca.crl'),
      }));
      issued.set(baseName, files);
    }
    return files;
  };
  return {
    root,
    trustDomain: options.trustDomain,
    issue,
    node: (id) => issue(`node-${id}`, { kind: 'node', id }),
    admin: (name = 'root') => issue(`admin-${name}`, { kind: 'admin', name }),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
