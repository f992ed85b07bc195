/** A throwaway cluster PKI for the Raft transport tests, issued with @tessera/launcher. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClusterCa, issueCertificate, type Identity } from '@tessera/launcher';
import type { TlsFiles } from '../../src/index.js';

export const TRUST_DOMAIN = 'node.test';

export interface TestPki {
  readonly root: string;
  /** Issues (once) and returns the TLS files of a node or admin. */
  node(id: string): Promise<TlsFiles>;
  admin(name?: string): Promise<TlsFiles>;
  issue(baseName: string, identity: Identity): Promise<TlsFiles>;
  cleanup(): Promise<void>;
}

export async function createTestPki(): Promise<TestPki> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tessera-raft-pki-'));
  const caDir = path.join(root, 'ca');
  const certDir = path.join(root, 'certs');
  await createClusterCa({ dir: caDir, trustDomain: TRUST_DOMAIN });
  const issued = new Map<string, Promise<TlsFiles>>();
  const issue = (baseName: string, identity: Identity): Promise<TlsFiles> => {
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
    issue,
    node: (id) => issue(`node-${id}`, { kind: 'node', id }),
    admin: (name = 'root') => issue(`admin-${name}`, { kind: 'admin', name }),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
