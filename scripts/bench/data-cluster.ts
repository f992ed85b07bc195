/**
 * A local Tessera cluster for the data benchmarks: one key manager (file root
 * provider), three (or `nodes`) storage nodes grown the production way
 * (bootstrap, join as voters; each on the key manager's allow-list), and one
 * shared tenant with its own CA. The same steps as the integration harness
 * (test/integration/support/data-cluster.ts), which scripts cannot import;
 * every wait polls against a deadline.
 */
import { get } from 'node:http';
import path from 'node:path';
import { TesseraClient, type TesseraClientOptions } from '@tessera/client';
import { KeyManagerClient } from '@tessera/keymanager';
import { LocalCluster, pollUntil, type CliRun, type ClusterTlsFiles } from '@tessera/launcher';
import { ClusterClient } from '@tessera/node';

export interface BenchClusterOptions {
  /** Storage nodes, all voters (3 or 5). Default 3. */
  readonly nodes?: number;
  /** Extra flags for every node (after the defaults). */
  readonly nodeArgs?: readonly string[];
  /** Extra flags for one node (devices...), after `nodeArgs`. */
  readonly argsOf?: (id: string) => readonly string[];
}

export interface BenchCluster {
  readonly launcher: LocalCluster;
  readonly nodeIds: readonly string[];
  /** The cluster admin on the Admin API of every node (maintenance, status). */
  readonly admin: ClusterClient;
  /** The tenant client's certificate. */
  readonly tenantTls: ClusterTlsFiles;
  /** A tenant client knowing every node (calls go to the first that answers). */
  client(options?: Partial<Omit<TesseraClientOptions, 'tls'>>): Promise<TesseraClient>;
  /** GET http://<node's HTTP port><urlPath>: status and body (status 0 when unreachable). */
  http(id: string, urlPath: string): Promise<{ status: number; body: string }>;
  shutdown(): Promise<void>;
}

function check(run: CliRun, what: string): void {
  if (run.code !== 0) throw new Error(`${what} failed (exit ${String(run.code)}): ${run.stderr.slice(0, 500)}`);
}

export async function startBenchCluster(options: BenchClusterOptions = {}): Promise<BenchCluster> {
  const nodeIds = Array.from({ length: options.nodes ?? 3 }, (_, i) => `n${i + 1}`);
  const launcher = await LocalCluster.create({ trustDomain: 'bench.local', nodeArgs: ['--log-level', 'warn'] });
  const closers: Array<() => void> = [];
  try {
    const keyring = path.join(launcher.root, 'keyring');
    const provider = ['--provider', 'file', '--keyring', keyring];
    check(await launcher.runCli(['-o', 'json', 'keymanager', 'init', ...provider]), 'keymanager init');
    const km = await launcher.startKeyManager('km1', { mode: { kind: 'bootstrap' }, provider, args: ['--log-level', 'warn'] });
    const kmAddress = km.ports.clientAddress;
    const kmAdmin = await KeyManagerClient.create({ tls: launcher.adminTls, endpoints: [kmAddress], retryTimeoutMs: 0 });
    closers.push(() => kmAdmin.close());
    await pollUntil('the key manager to lead', async () => (await kmAdmin.call('KeyManagerStatus', {}, { retryTimeoutMs: 0, attemptTimeoutMs: 2_000 }).catch(() => undefined))?.leaderId === 'km1', {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    const cliAs = (tls: ClusterTlsFiles, args: readonly string[]): Promise<CliRun> =>
      launcher.runCli(args, { env: { TESSERA_ENDPOINT: kmAddress, TESSERA_CERT: tls.certFile, TESSERA_KEY: tls.keyFile, TESSERA_CA: tls.caFile, TESSERA_CRL: tls.crlFile } });

    // Storage nodes: n1 bootstraps, the others join as voters.
    const nodeArgs = (id: string): string[] => ['--keymanager', kmAddress, ...(options.nodeArgs ?? []), ...(options.argsOf?.(id) ?? [])];
    const n1 = await launcher.startNode('n1', { kind: 'bootstrap' }, nodeArgs('n1'));
    const admin = new ClusterClient({ trustDomain: launcher.trustDomain, tls: launcher.adminTls, nodes: { n1: n1.ports.clientAddress } });
    closers.push(() => admin.close());
    const clusterId = (
      await pollUntil('n1 to lead', async () => {
        const s = await admin.status('n1').catch(() => undefined);
        return s?.leaderId === 'n1' ? s : undefined;
      }, { timeoutMs: 30_000, intervalMs: 50 })
    ).clusterId;
    for (const id of nodeIds.slice(1)) {
      const node = await launcher.startNode(id, { kind: 'join', peers: launcher.peerAddresses(), clusterId }, nodeArgs(id));
      admin.setNode(id, node.ports.clientAddress);
      await admin.addMember({ id, incarnationId: node.ports.incarnationId, address: node.ports.peerAddress }, { voter: true });
    }
    for (const id of nodeIds) check(await cliAs(launcher.adminTls, ['-o', 'json', 'keymanager', 'allow-node', '--id', id, '--node-cert', launcher.nodeTls(id).certFile]), `allow-node ${id}`);
    const http = (id: string, urlPath: string): Promise<{ status: number; body: string }> => httpGet(launcher.node(id).ports.httpAddress, urlPath);
    await pollUntil('every node ready for data', async () => (await Promise.all(nodeIds.map((id) => http(id, '/readyz')))).every((r) => r.status === 200), {
      timeoutMs: 60_000,
      intervalMs: 100,
    });

    // One shared tenant with its own CA; its admin creates its keys.
    const pki = await launcher.createTenantPki('bench');
    const tenantAdmin = await pki.admin('admin');
    const tenantTls = await pki.client('app');
    check(await cliAs(launcher.adminTls, ['-o', 'json', 'tenant', 'create', '--id', 'bench', '--policy', 'shared', '--ca', pki.caCertFile, '--crl', pki.caCrlFile]), 'tenant create');
    await pollUntil('the tenant admin to create its keys', async () => (await cliAs(tenantAdmin, ['-o', 'json', 'tenant', 'create-keys'])).code === 0, { timeoutMs: 15_000, intervalMs: 100 });
    const endpoints = nodeIds.map((id) => launcher.node(id).ports.clientAddress);
    const clients: TesseraClient[] = [];
    const client = async (options: Partial<Omit<TesseraClientOptions, 'tls'>> = {}): Promise<TesseraClient> => {
      const c = await TesseraClient.connect({ tls: tenantTls, endpoints, ...options });
      clients.push(c);
      return c;
    };
    for (const address of endpoints) {
      const direct = await client({ endpoints: [address], retryTimeoutMs: 0 });
      await pollUntil(`the tenant usable on ${address}`, async () => {
        try {
          await direct.stat('bench-probe-does-not-exist');
          return false;
        } catch (err) {
          return (err as { code?: string }).code === 'NOT_FOUND';
        }
      }, { timeoutMs: 30_000, intervalMs: 100 });
    }
    return {
      launcher,
      nodeIds,
      admin,
      tenantTls,
      client,
      http,
      async shutdown() {
        for (const c of clients.splice(0)) c.close();
        for (const close of closers.splice(0)) close();
        await launcher.shutdown();
      },
    };
  } catch (err) {
    process.stderr.write(`bench cluster start failed:\n${await launcher.logs(40)}\n`);
    for (const close of closers.splice(0)) close();
    await launcher.shutdown();
    throw err;
  }
}

function httpGet(address: string | undefined, urlPath: string): Promise<{ status: number; body: string }> {
  if (address === undefined) return Promise.resolve({ status: 0, body: '' });
  return new Promise((resolve) => {
    const req = get(`http://${address}${urlPath}`, { timeout: 2_000 }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.on('timeout', () => {
      req.destroy();
      resolve({ status: 0, body: '' });
    });
  });
}
