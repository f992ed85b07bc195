/** `tessera node start`: argument handling and start-up refusals (the running node is tested in @tessera/node and test/integration). */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterCa, issueCertificate } from '@tessera/launcher';
import { EXIT_FAILURE, EXIT_USAGE, runCli } from '../src/index.js';

let root: string;
let tlsArgs: string[];

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tessera-cli-node-'));
  const caDir = path.join(root, 'ca');
  await createClusterCa({ dir: caDir, trustDomain: 'cli.test' });
  const n1 = await issueCertificate({ caDir, outDir: path.join(root, 'pki'), identity: { kind: 'node', id: 'n1' } });
  tlsArgs = ['--cert', n1.certFile, '--key', n1.keyFile, '--ca', path.join(caDir, 'ca.crt'), '--crl', path.join(caDir, 'ca.crl')];
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('tessera node start', () => {
  it('is a usage error without an id, with both --bootstrap and --join, or with a non-loopback listener', async () => {
    const dataDir = ['--data-dir', path.join(root, 'd0')];
    expect((await run('node', 'start', ...dataDir, ...tlsArgs)).code).toBe(EXIT_USAGE);
    expect((await run('node', 'start', '--id', 'n1', ...dataDir, ...tlsArgs, '--bootstrap', '--join')).stderr).toMatch(/exclusive/);
    expect((await run('node', 'start', '--id', 'n1', ...dataDir, ...tlsArgs, '--peer-listen', '10.1.2.3:7001')).code).toBe(EXIT_USAGE);
    expect((await run('node', 'start', '--id', 'n1', ...dataDir, ...tlsArgs, '--tick-ms', 'soon')).code).toBe(EXIT_USAGE);
    expect((await run('node', 'start', '--config', path.join(root, 'missing.json'))).code).toBe(EXIT_USAGE);
  });

  it('refuses an empty data dir without --bootstrap or --join, saying which flag to use', async () => {
    const r = await run('node', 'start', '--id', 'n1', '--data-dir', path.join(root, 'd1'), ...tlsArgs);
    expect(r.code).toBe(EXIT_FAILURE);
    expect(r.stderr).toMatch(/--bootstrap .*--join/);
  });

  it('refuses a certificate issued for another node id', async () => {
    const r = await run('-o', 'json', 'node', 'start', '--id', 'n2', '--data-dir', path.join(root, 'd2'), '--join', ...tlsArgs);
    expect(r.code).toBe(EXIT_USAGE);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
  });
});
