/**
 * A 3-member etcd cluster on loopback for the `consensus` benchmark: free
 * ports, a temporary data directory per member, TLS everywhere with client
 * certificate auth (clients and peers), certificates from our own launcher's
 * cluster CA (node profile: server+client auth, SAN IP 127.0.0.1), fsync on
 * (etcd's default; nothing here turns it off). Debian's `etcd-server` is
 * installed when the binary is missing (never needed by tests).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClusterCa, issueCertificate, pollUntil } from '@tessera/launcher';
import { EtcdKv, type EtcdTlsFiles } from './client.js';

const MEMBERS = ['e1', 'e2', 'e3'] as const;

export interface EtcdCluster {
  readonly version: string;
  /** Client address (host:port) of each member. */
  readonly clientAddresses: ReadonlyMap<string, string>;
  readonly clientTls: EtcdTlsFiles;
  /** The member that currently leads (asked with etcdctl once, at start). */
  readonly leader: string;
  shutdown(): Promise<void>;
}

/** Returns the etcd binary, installing Debian's etcd-server (as root) when missing. */
export function ensureEtcd(log: (line: string) => void): string {
  const found = spawnSync('sh', ['-c', 'command -v etcd'], { encoding: 'utf8' });
  if (found.status === 0 && found.stdout.trim() !== '') return found.stdout.trim();
  if (process.getuid?.() !== 0) throw new Error("etcd is not installed and this is not root: run `apt-get install -y etcd-server etcd-client`, or skip the consensus section");
  log('etcd not found: installing Debian packages etcd-server etcd-client (apt-get install -y), needed by the consensus benchmark only');
  const install = spawnSync('apt-get', ['install', '-y', 'etcd-server', 'etcd-client'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (install.status !== 0) throw new Error(`apt-get install etcd-server failed (exit ${String(install.status)})`);
  return ensureEtcd(log);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startEtcdCluster(log: (line: string) => void): Promise<EtcdCluster> {
  const binary = ensureEtcd(log);
  const version = /etcd Version: (\S+)/.exec(spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? 'unknown';
  const root = await mkdtemp(path.join(tmpdir(), 'tessera-bench-etcd-'));
  const caDir = path.join(root, 'ca');
  await createClusterCa({ dir: caDir, trustDomain: 'etcd.bench.local' });
  const pki = path.join(root, 'pki');
  const client = await issueCertificate({ caDir, outDir: pki, identity: { kind: 'admin', name: 'bench' } });
  const clientTls: EtcdTlsFiles = { caFile: client.caCertFile, certFile: client.certFile, keyFile: client.keyFile };
  const ports = new Map<string, { client: number; peer: number }>();
  for (const name of MEMBERS) ports.set(name, { client: await freePort(), peer: await freePort() });
  const initialCluster = MEMBERS.map((name) => `${name}=https://127.0.0.1:${ports.get(name)!.peer}`).join(',');
  const children: ChildProcess[] = [];
  const clients: EtcdKv[] = [];
  const shutdown = async (): Promise<void> => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(children.splice(0).map(stop));
    await rm(root, { recursive: true, force: true });
  };
  try {
    for (const name of MEMBERS) {
      const cert = await issueCertificate({ caDir, outDir: pki, identity: { kind: 'node', id: name } });
      const { client: clientPort, peer: peerPort } = ports.get(name)!;
      const logFile = path.join(root, `${name}.log`);
      const out = openSync(logFile, 'w');
      const child = spawn(binary, [
        '--name', name,
        '--data-dir', path.join(root, name),
        '--listen-client-urls', `https://127.0.0.1:${clientPort}`,
        '--advertise-client-urls', `https://127.0.0.1:${clientPort}`,
        '--listen-peer-urls', `https://127.0.0.1:${peerPort}`,
        '--initial-advertise-peer-urls', `https://127.0.0.1:${peerPort}`,
        '--initial-cluster', initialCluster,
        '--initial-cluster-state', 'new',
        '--initial-cluster-token', 'tessera-bench',
        '--client-cert-auth', '--trusted-ca-file', cert.caCertFile, '--cert-file', cert.certFile, '--key-file', cert.keyFile,
        '--peer-client-cert-auth', '--peer-trusted-ca-file', cert.caCertFile, '--peer-cert-file', cert.certFile, '--peer-key-file', cert.keyFile,
        '--logger', 'zap', '--log-level', 'warn',
      ], { stdio: ['ignore', out, out] });
      closeSync(out); // the child holds its own copy of the descriptor
      children.push(child);
    }
    const clientAddresses = new Map(MEMBERS.map((name) => [name, `127.0.0.1:${ports.get(name)!.client}`] as const));
    for (const [name, address] of clientAddresses) {
      const kv = new EtcdKv(address, clientTls);
      clients.push(kv);
      // A linearizable read succeeds only once a leader is elected and this member is in the cluster.
      await pollUntil(`etcd member ${name} to serve linearizable reads`, async () => {
        const exited = children.find((c) => c.exitCode !== null);
        if (exited !== undefined) throw new Error(`an etcd member exited with code ${String(exited.exitCode)}`);
        return kv.get(Buffer.from('bench/probe')).then(() => true, () => false);
      }, { timeoutMs: 30_000, intervalMs: 100 });
    }
    const leader = leaderOf(clientAddresses, clientTls);
    return { version, clientAddresses, clientTls, leader, shutdown };
  } catch (err) {
    for (const name of MEMBERS) {
      const text = await readFile(path.join(root, `${name}.log`), 'utf8').catch(() => '');
      log(`etcd ${name} log (tail):\n${text.split('\n').slice(-15).join('\n')}`);
    }
    await shutdown();
    throw err;
  }
}

/** Setup only (never timed): which member leads, from `etcdctl endpoint status`. */
function leaderOf(clientAddresses: ReadonlyMap<string, string>, tls: EtcdTlsFiles): string {
  const endpoints = [...clientAddresses.values()].map((a) => `https://${a}`).join(',');
  const run = spawnSync('etcdctl', ['--endpoints', endpoints, '--cacert', tls.caFile, '--cert', tls.certFile, '--key', tls.keyFile, 'endpoint', 'status', '-w', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, ETCDCTL_API: '3' },
  });
  if (run.status !== 0) throw new Error(`etcdctl endpoint status failed: ${run.stderr.slice(0, 300)}`);
  // Member ids exceed 2^53: quote them before parsing so they compare exactly.
  const quoted = run.stdout.replace(/"(member_id|leader)":(\d+)/g, '"$1":"$2"');
  const statuses = JSON.parse(quoted) as Array<{ Endpoint: string; Status: { header: { member_id: string }; leader: string } }>;
  for (const s of statuses) {
    if (s.Status.header.member_id === s.Status.leader) {
      for (const [name, address] of clientAddresses) if (s.Endpoint.endsWith(address)) return name;
    }
  }
  throw new Error('etcdctl endpoint status named no leader');
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
