/** Process launching, with a stand-in node process (the real node is exercised by test/integration). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { X509Certificate } from 'node:crypto';
import { LocalCluster, cliNodeCommand, pollUntil, repositoryRoot, runCliCommand } from '../src/index.js';

const fake = fileURLToPath(new URL('./fixtures/fake-node.mjs', import.meta.url));
let cluster: LocalCluster;

/** The kernel's view of a process: R/S running or sleeping, T stopped. */
async function procState(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

beforeAll(async () => {
  cluster = await LocalCluster.create({ command: { executable: process.execPath, args: [fake], cwd: process.cwd() }, readyTimeoutMs: 1_500, nodeArgs: ['--tick-ms', '50'] });
}, 30_000);

afterAll(() => cluster.shutdown());

describe('LocalCluster', () => {
  it('creates a cluster CA and an admin certificate', async () => {
    expect(await readFile(cluster.adminTls.certFile, 'utf8')).toMatch(/BEGIN CERTIFICATE/);
    expect(path.dirname(cluster.adminTls.caFile)).toBe(cluster.caDir);
  });

  it('starts a node with its certificate and mode flags, and learns its ports from the ports file', async () => {
    const n1 = await cluster.startNode('n1', { kind: 'bootstrap' });
    expect(n1.state).toBe('running');
    expect(n1.ports).toMatchObject({ pid: n1.pid, nodeId: 'n1', clientAddress: '127.0.0.1:2' });
    const [start] = (await n1.logRecords()).filter((r) => r['msg'] === 'fake node starting');
    const args = start?.['args'] as string[];
    expect(args.slice(0, 6)).toEqual(['node', 'start', '--id', 'n1', '--data-dir', n1.dataDir]);
    expect(args).toContain('--bootstrap');
    expect(args).toContain('--tick-ms');
    expect(args[args.indexOf('--cert') + 1]).toMatch(/node-n1\.crt$/);
    const n2 = await cluster.startNode('n2', { kind: 'join', peers: cluster.peerAddresses(), clusterId: 'c1' });
    const joinArgs = (await n2.logRecords())[0]?.['args'] as string[];
    expect(joinArgs).toEqual(expect.arrayContaining(['--join', '--cluster-id', 'c1', '--peer', 'n1=127.0.0.1:1']));
  });

  it('pauses and resumes (SIGSTOP/SIGCONT), kills -9, and restarts on the same ports', async () => {
    const n1 = cluster.node('n1');
    const pid = n1.pid!;
    n1.pause();
    await pollUntil('the process to stop', async () => (await procState(pid)) === 'T', { timeoutMs: 5_000 });
    expect(n1.state).toBe('paused');
    n1.resume();
    await pollUntil('the process to run again', async () => (await procState(pid)) !== 'T', { timeoutMs: 5_000 });
    expect(await cluster.kill('n1')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(n1.state).toBe('stopped');
    await cluster.restart('n1');
    expect(n1.pid).not.toBe(pid);
    const args = (await n1.logRecords()).filter((r) => r['msg'] === 'fake node starting').at(-1)?.['args'] as string[];
    expect(args).toEqual(expect.arrayContaining(['--peer-listen', '127.0.0.1:1', '--client-listen', '127.0.0.1:2']));
    expect(args).not.toContain('--bootstrap');
  });

  it('stops with SIGTERM, even a paused process', async () => {
    const n2 = cluster.node('n2');
    n2.pause();
    expect(await cluster.stop('n2')).toEqual({ code: 0, signal: null });
    expect((await n2.logRecords()).some((r) => r['msg'] === 'stopping')).toBe(true);
  });

  it('reports a node that exits during start-up with the tail of its log', async () => {
    await expect(cluster.startNode('crash', { kind: 'bootstrap' })).rejects.toMatchObject({ code: ErrorCodes.LAUNCHER_PROCESS_EXITED, message: expect.stringMatching(/exit code 3[\s\S]*fatal: cannot start/) });
  });

  it('gives up on a node that never becomes ready, and kills it', async () => {
    await expect(cluster.startNode('slow', { kind: 'bootstrap' })).rejects.toMatchObject({ code: ErrorCodes.LAUNCHER_TIMEOUT });
    expect(cluster.node('slow').state).toBe('stopped');
  });

  it('refuses to start an id twice: ids are never reused', async () => {
    await expect(cluster.startNode('n1', { kind: 'bootstrap' })).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
  });

  it('issues a node certificate ahead of its start (to pin it first), and startNode then starts with that same certificate', async () => {
    const tls = await cluster.issueNodeCertificate('n9');
    const issued = await readFile(tls.certFile, 'utf8');
    expect(new X509Certificate(issued).subjectAltName).toContain('/node/n9');
    expect(await cluster.issueNodeCertificate('n9')).toEqual(tls);
    const n9 = await cluster.startNode('n9', { kind: 'bootstrap' });
    const args = (await n9.logRecords()).filter((r) => r['msg'] === 'fake node starting').at(-1)?.['args'] as string[];
    expect(args[args.indexOf('--cert') + 1]).toBe(tls.certFile);
    expect(await readFile(tls.certFile, 'utf8')).toBe(issued);
    await expect(cluster.issueNodeCertificate('n9')).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
    expect(await cluster.stop('n9')).toEqual({ code: 0, signal: null });
  });

  it('starts a key manager with the keymanager verb, its certificate and provider flags, and restarts it on its keys port', async () => {
    const km = await cluster.startKeyManager('km1', { mode: { kind: 'bootstrap' }, provider: ['--provider', 'file', '--keyring', '/k'], args: ['--key-ttl-ms', '5000'] });
    const args = (await km.logRecords()).filter((r) => r['msg'] === 'fake node starting').at(-1)?.['args'] as string[];
    expect(args.slice(0, 6)).toEqual(['keymanager', 'start', '--id', 'km1', '--data-dir', km.dataDir]);
    expect(args).toEqual(expect.arrayContaining(['--bootstrap', '--provider', 'file', '--keyring', '/k', '--key-ttl-ms', '5000', '--listen', '127.0.0.1:0']));
    expect(new X509Certificate(await readFile(args[args.indexOf('--cert') + 1]!)).subjectAltName).toContain('/keymanager/km1');
    expect(cluster.keyManagerAddresses()).toEqual(new Map([['km1', '127.0.0.1:2']]));
    expect(await cluster.kill('km1')).toEqual({ code: null, signal: 'SIGKILL' });
    await cluster.restartKeyManager('km1');
    const again = (await km.logRecords()).filter((r) => r['msg'] === 'fake node starting').at(-1)?.['args'] as string[];
    expect(again).toEqual(expect.arrayContaining(['--listen', '127.0.0.1:2', '--provider', 'file']));
    expect(again).not.toContain('--bootstrap');
    await expect(cluster.startKeyManager('km1', { mode: { kind: 'bootstrap' }, provider: [] })).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
  });

  it("issues a tenant's PKI apart from the cluster CA", async () => {
    const acme = await cluster.createTenantPki('acme');
    const admin = await acme.admin('alice');
    const cert = new X509Certificate(await readFile(admin.certFile));
    expect(cert.subjectAltName).toContain('/tenant/acme/admin/alice');
    expect(cert.checkIssued(new X509Certificate(await readFile(acme.caCertFile)))).toBe(true);
    expect(admin.caFile).toBe(path.join(cluster.caDir, 'ca.crt'));
    expect(await readFile(acme.caCrlFile, 'utf8')).toMatch(/BEGIN X509 CRL/);
  });
});

describe('one-off CLI runs', () => {
  it('report the exit code and the output', async () => {
    const run = await runCliCommand({ executable: process.execPath, args: ['-e', 'process.stdout.write("out:" + process.argv.slice(1).join(",")); process.stderr.write(process.env.X ?? ""); process.exit(4)', '--'], cwd: process.cwd() }, ['a', 'b'], { env: { X: 'env-seen' } });
    expect(run).toEqual({ code: 4, signal: null, stdout: 'out:a,b', stderr: 'env-seen' });
  });
});

describe('the node command', () => {
  it('runs the repository\'s CLI from sources with the development condition', () => {
    const cmd = cliNodeCommand('source');
    expect(cmd.cwd).toBe(repositoryRoot());
    expect(cmd.args).toEqual(['--conditions=development', '--import', 'tsx', path.join(repositoryRoot(), 'packages', 'cli', 'src', 'bin.ts')]);
  });
});
