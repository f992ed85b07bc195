/**
 * A whole Tessera cluster of real processes for the data-path tests: one
 * key manager (file root provider), N storage nodes (grown the production
 * way: bootstrap, join, learner, caught up, promoted; each on the key
 * manager's allow-list with its certificate's key pinned before it first
 * asks for keys), tenants with their own CAs, and tenant clients through
 * @tessera/client. Set-up steps call the same functions and Keys methods as
 * the CLI verbs, in this process (a CLI start-up costs 1-2 s on 2 cores):
 * `keymanager init` is `initProvider`, `allow-node` is `SetNodePin` with
 * `spkiSha256OfFile`, `tenant create` is `CreateTenant`, `tenant
 * create-keys` is `CreateTenantKeys` as the tenant admin. The CLI verbs
 * themselves are covered by keymanager-service.test.ts. Every wait polls
 * against a deadline.
 */
import { readFile } from 'node:fs/promises';
import { get } from 'node:http';
import path from 'node:path';
import { TesseraClient, type TesseraClientOptions } from '@tessera/client';
import { KeyManagerClient, initProvider, policyToWire, spkiSha256OfFile } from '@tessera/keymanager';
import { pollUntil, type ClusterTlsFiles, type LocalClusterOptions, type NodeExit, type TenantPki } from '@tessera/launcher';
import { KeyManagerProcesses } from './km-processes.js';
import { RaftProcessCluster, TEST_RAFT_ARGS } from './raft-cluster.js';

export interface DataClusterOptions extends LocalClusterOptions {
  readonly nodes: number;
  /** Flags for one node (devices, erasure profile...). */
  readonly argsOf?: (id: string) => readonly string[];
}

export interface TenantHandle {
  readonly id: string;
  readonly pki: TenantPki;
  readonly admin: ClusterTlsFiles;
  readonly client: ClusterTlsFiles;
}

export class DataCluster {
  private readonly clients: TesseraClient[] = [];

  private constructor(
    readonly kms: KeyManagerProcesses,
    readonly raft: RaftProcessCluster,
  ) {}

  get launcher() {
    return this.kms.launcher;
  }

  static async start(options: DataClusterOptions): Promise<DataCluster> {
    const kms = await KeyManagerProcesses.create({
      ...options,
      nodeArgs: [...TEST_RAFT_ARGS, '--pipeline-workers', '1', ...(options.nodeArgs ?? [])],
      provider: (root) => ['--provider', 'file', '--keyring', path.join(root, 'keyring')],
      args: ['--audit-window-ms', '300'],
    });
    try {
      await initProvider({ kind: 'file', keyring: path.join(kms.launcher.root, 'keyring') });
      await kms.bootstrap('km1');
      const kmArgs = kms.endpoints().flatMap((a) => ['--keymanager', a]);
      // RaftProcessCluster names its nodes n1..nN; each is allowed before it starts.
      for (let i = 1; i <= options.nodes; i++) await allowNode(kms, `n${i}`);
      const raft = await RaftProcessCluster.startOn(kms.launcher, options.nodes, (id) => [...kmArgs, ...(options.argsOf?.(id) ?? [])]);
      const cluster = new DataCluster(kms, raft);
      await cluster.waitReady();
      return cluster;
    } catch (err) {
      process.stderr.write(`data cluster start failed:\n${await kms.launcher.logs(80)}\n`);
      await kms.shutdown(true);
      throw err;
    }
  }

  /** Where the launcher keeps everything: PKI, tenants' PKIs, keyring, data dirs, logs. */
  get root(): string {
    return this.launcher.root;
  }

  /** The file root provider's keyring (its key files are K1-exempt: mode 0600, outside data dirs). */
  get keyringDir(): string {
    return path.join(this.launcher.root, 'keyring');
  }

  /** The captured stdout/stderr of every process run (one `<id>.log` each). */
  get logsDir(): string {
    return path.join(this.launcher.root, 'logs');
  }

  /** Data dirs of every storage node and key manager started (a node's temp dir is `<dataDir>/tmp`). */
  dataDirs(): string[] {
    return [...this.launcher.nodes(), ...this.launcher.keyManagers()].map((p) => p.dataDir);
  }

  /** Stops every node, then every key manager (SIGTERM, SIGKILL after `graceMs`); how each ended. */
  async stopAll(graceMs = 10_000): Promise<Map<string, NodeExit>> {
    for (const c of this.clients.splice(0)) c.close();
    const exits = new Map<string, NodeExit>();
    for (const p of [...this.launcher.nodes(), ...this.launcher.keyManagers()]) exits.set(p.id, await this.launcher.stop(p.id, graceMs));
    return exits;
  }

  /** Grows the cluster by one node (learner, caught up, promoted), on the key manager's allow-list. */
  async addNode(id: string): Promise<void> {
    await allowNode(this.kms, id);
    await this.raft.join(id);
    await this.waitReady();
  }

  /** Waits until every running node answers /readyz with 200 (keys loaded, leader known, devices registered). */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    await pollUntil(
      'every running node ready for data',
      async () => {
        const states = await Promise.all(this.launcher.running().map((n) => httpStatus(n.ports.httpAddress, '/readyz')));
        return states.every((s) => s === 200);
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  /** Registers a tenant with its own CA (as `tessera tenant create`), has its admin create its keys, and waits until every node trusts it. */
  async addTenant(id: string, policy: 'shared' | 'isolated'): Promise<TenantHandle> {
    const pki = await this.launcher.createTenantPki(id);
    const admin = await pki.admin('admin');
    const client = await pki.client('app');
    const [caCertificatePem, caCrlPem] = await Promise.all([readFile(pki.caCertFile, 'utf8'), readFile(pki.caCrlFile, 'utf8')]);
    await this.kms.admin.call('CreateTenant', { id, policy: policyToWire(policy), caCertificatePem, caCrlPem }, { idempotent: true });
    await createTenantKeys(this.kms.endpoints(), admin, id);
    const handle = { id, pki, admin, client };
    // Every node must have committed the tenant (copied from the key manager's watch stream).
    for (const node of this.launcher.running()) {
      const direct = await this.client(client, { endpoints: [node.ports.clientAddress], retryTimeoutMs: 0 });
      await pollUntil(
        `tenant ${id} usable on ${node.id}`,
        async () => {
          try {
            await direct.stat('tessera-probe-does-not-exist');
            return false;
          } catch (err) {
            return (err as { code?: string }).code === 'NOT_FOUND';
          }
        },
        { timeoutMs: 30_000, intervalMs: 50 },
      );
    }
    return handle;
  }

  /** A tenant client knowing every node that has run. */
  async client(tls: ClusterTlsFiles, options: Partial<Omit<TesseraClientOptions, 'tls'>> = {}): Promise<TesseraClient> {
    const c = await TesseraClient.connect({
      tls,
      endpoints: this.launcher.nodes().map((n) => n.ports.clientAddress),
      retryTimeoutMs: 30_000,
      ...options,
    });
    this.clients.push(c);
    return c;
  }

  async shutdown(failed: boolean): Promise<void> {
    for (const c of this.clients.splice(0)) c.close();
    this.raft.client.close();
    await this.kms.shutdown(failed);
  }
}

/** `tessera keymanager allow-node --id ID --node-cert FILE` for a node not started yet (its certificate is issued now). */
async function allowNode(kms: KeyManagerProcesses, id: string): Promise<void> {
  const { certFile } = await kms.launcher.issueNodeCertificate(id);
  await kms.admin.call('SetNodePin', { nodeId: id, spkiSha256: await spkiSha256OfFile(certFile) }, { idempotent: true });
}

/**
 * `tessera tenant create-keys` as the tenant's admin, tried until the key
 * manager accepts that admin (it does once it has applied the tenant's CA).
 * A new client per attempt: a refused handshake must not leave a channel in
 * gRPC's reconnect backoff.
 */
async function createTenantKeys(endpoints: readonly string[], admin: ClusterTlsFiles, tenant: string): Promise<void> {
  let last: unknown;
  await pollUntil(
    `tenant ${tenant}'s admin accepted by the key manager`,
    async () => {
      const client = await KeyManagerClient.create({ tls: admin, endpoints });
      try {
        await client.call('CreateTenantKeys', { tenant });
        return true;
      } catch (err) {
        last = err;
        return false;
      } finally {
        client.close();
      }
    },
    { timeoutMs: 15_000, intervalMs: 25 },
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}; last refusal: ${(last as Error | undefined)?.message ?? 'none'}`, { cause: err });
  });
}

/** HTTP status of GET http://address/path, or 0 when unreachable. */
export function httpStatus(address: string | undefined, urlPath: string): Promise<number> {
  if (address === undefined) return Promise.resolve(0);
  return new Promise((resolve) => {
    const req = get(`http://${address}${urlPath}`, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => {
      req.destroy();
      resolve(0);
    });
  });
}
