/**
 * Brings a local cluster up on @tessera/launcher, the steps an operator
 * takes with the `tessera` CLI: a cluster CA and certificates, a file root
 * provider (`keymanager init`), one key manager, every node's certificate
 * pinned on its allow-list (`keymanager allow-node`) before the node first
 * asks for keys, N storage nodes with three device folders each (the first
 * bootstraps; the others start with --join and are added as voters), then a
 * demo tenant with its own CA (`tenant create`, its admin's `tenant
 * create-keys`). Each step calls what the CLI verb calls, in this process
 * (a CLI start-up costs 1-2 s): `initProvider`, and the Keys methods
 * SetNodePin (pin from `spkiSha256OfFile`), CreateTenant and
 * CreateTenantKeys. A data dir that already holds an initialised cluster is
 * restarted instead: the same processes on the same ports, nothing
 * re-initialised.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TesseraClient } from '@tessera/client';
import { KeyManagerClient, initProvider, policyToWire, spkiSha256OfFile } from '@tessera/keymanager';
import { LocalCluster, pollUntil, type ClusterTlsFiles, type NodeProcess } from '@tessera/launcher';
import { ClusterClient } from '@tessera/node';
import { CONFIG_FILE, SAMPLE_FILE, writeJsonAtomic, writeState, type ClusterState, type ProcessRecord } from './state.js';
import { httpStatus } from './http.js';

export interface UpOptions {
  /** Absolute data dir (PKI, keyring, data dirs, logs, state file, CLI config). */
  readonly root: string;
  readonly nodes: number;
  readonly devicesPerNode: number;
  readonly tenant: string;
  /** Progress lines for people. */
  readonly log: (line: string) => void;
}

const TRUST_DOMAIN = 'tessera.local';
const KM_ID = 'km1';
const READY_TIMEOUT_MS = 120_000;

function keyringDir(root: string): string {
  return path.join(root, 'keyring');
}

function providerArgs(root: string): string[] {
  return ['--provider', 'file', '--keyring', keyringDir(root)];
}

function nodeArgs(root: string, id: string, devices: number, kmAddress: string): string[] {
  const deviceArgs = Array.from({ length: devices }, (_, i) => ['--device', `d${i + 1}=${path.join(root, 'data', id, 'devices', `d${i + 1}`)}`]).flat();
  return ['--keymanager', kmAddress, ...deviceArgs];
}

/** The live handle of a running local cluster. */
export class RunningCluster {
  constructor(
    readonly launcher: LocalCluster,
    public state: ClusterState,
  ) {}

  records(): ProcessRecord[] {
    const kmArgs = new Map(this.state.processes.map((p) => [p.id, p.args]));
    const record = (kind: ProcessRecord['kind'], p: NodeProcess): ProcessRecord => ({ id: p.id, kind, pid: p.pid, ports: p.ports, args: kmArgs.get(p.id) ?? [] });
    return [...this.launcher.keyManagers().map((p) => record('keymanager', p)), ...this.launcher.nodes().map((p) => record('node', p))];
  }

  async save(patch: Partial<ClusterState>): Promise<void> {
    this.state = { ...this.state, ...patch };
    await writeState(this.state);
  }

  /** SIGTERM every process (nodes first, then the key manager), SIGKILL after the grace period. */
  async stop(): Promise<void> {
    for (const n of this.launcher.nodes()) await n.stop(10_000).catch(() => undefined);
    for (const k of this.launcher.keyManagers()) await k.stop(10_000).catch(() => undefined);
  }
}

/** Starts a new cluster in an empty (or absent) data dir. */
export async function initCluster(opts: UpOptions, onLauncher: (c: RunningCluster) => void): Promise<RunningCluster> {
  const { root, log } = opts;
  const launcher = await LocalCluster.create({ root, trustDomain: TRUST_DOMAIN, readyTimeoutMs: 60_000 });
  const ca = launcher.adminTls;
  const running = new RunningCluster(launcher, {
    version: 1,
    root,
    trustDomain: TRUST_DOMAIN,
    supervisorPid: process.pid,
    phase: 'starting',
    initialized: false,
    processes: [],
    ca: ca.caFile,
    crl: ca.crlFile,
    admin: { cert: ca.certFile, key: ca.keyFile },
    configFile: path.join(root, CONFIG_FILE),
  });
  onLauncher(running);
  await running.save({});

  log('cluster CA and admin certificate created; initialising the file root provider (keymanager init)');
  await initProvider({ kind: 'file', keyring: keyringDir(root) });
  const km = await launcher.startKeyManager(KM_ID, { mode: { kind: 'bootstrap' }, provider: providerArgs(root) });
  running.state = { ...running.state, processes: [{ id: KM_ID, kind: 'keymanager', pid: km.pid, ports: km.ports, args: providerArgs(root) }] };
  const kmAdmin = await KeyManagerClient.create({ tls: launcher.adminTls, endpoints: [km.ports.clientAddress], retryTimeoutMs: 30_000 });
  try {
    await waitKeyManagerLeader(kmAdmin);
    log(`key manager ${KM_ID} leads on ${km.ports.clientAddress}`);
    const ids = Array.from({ length: opts.nodes }, (_, i) => `n${i + 1}`);
    for (const id of ids) {
      const { certFile } = await launcher.issueNodeCertificate(id);
      await kmAdmin.call('SetNodePin', { nodeId: id, spkiSha256: await spkiSha256OfFile(certFile) }, { idempotent: true });
    }
    log(`nodes ${ids.join(', ')} are on the key manager's allow-list, each pinned to its certificate's key`);
    await startNodes(running, opts, km.ports.clientAddress);
    await running.save({ processes: running.records() });
    await writeCliConfig(running);
    log('every node joined; waiting for /readyz');
    await waitReady(launcher);
    await registerDemoTenant(running, kmAdmin, opts.tenant);
  } finally {
    kmAdmin.close();
  }
  await writeFile(path.join(root, SAMPLE_FILE), 'Hello from a Tessera local cluster.\n');
  log(`demo tenant ${opts.tenant} registered with its own CA; its keys exist`);
  await running.save({ initialized: true, processes: running.records() });
  return running;
}

/** `tenant create` (shared policy, its own CA), its admin's `tenant create-keys`; waits until every node serves it. */
async function registerDemoTenant(running: RunningCluster, kmAdmin: KeyManagerClient, tenant: string): Promise<void> {
  const { launcher } = running;
  const pki = await launcher.createTenantPki(tenant);
  const admin = await pki.admin('admin');
  const client = await pki.client('app');
  const [caCertificatePem, caCrlPem] = await Promise.all([readFile(pki.caCertFile, 'utf8'), readFile(pki.caCrlFile, 'utf8')]);
  await kmAdmin.call('CreateTenant', { id: tenant, policy: policyToWire('shared'), caCertificatePem, caCrlPem }, { idempotent: true });
  await createTenantKeys(kmAdmin.endpoints, admin, tenant);
  running.state = {
    ...running.state,
    tenant: { id: tenant, caCert: pki.caCertFile, admin: { cert: admin.certFile, key: admin.keyFile }, client: { cert: client.certFile, key: client.keyFile } },
  };
  await writeCliConfig(running);
  await waitTenantUsable(launcher, client, tenant);
}

/** n1 bootstraps; the others start with --join and are added as voters, one at a time. */
async function startNodes(running: RunningCluster, opts: UpOptions, kmAddress: string): Promise<void> {
  const { launcher } = running;
  const argsOf = (id: string): string[] => nodeArgs(opts.root, id, opts.devicesPerNode, kmAddress);
  const remember = (id: string): void => {
    running.state = { ...running.state, processes: [...running.state.processes, { id, kind: 'node', pid: undefined, ports: launcher.node(id).ports, args: argsOf(id) }] };
  };
  const first = await launcher.startNode('n1', { kind: 'bootstrap' }, argsOf('n1'));
  remember('n1');
  const members = new ClusterClient({ trustDomain: TRUST_DOMAIN, tls: launcher.adminTls, nodes: { n1: first.ports.clientAddress } });
  try {
    await waitNodeLeader(members, ['n1']);
    for (let i = 2; i <= opts.nodes; i++) {
      const id = `n${i}`;
      const leader = await waitNodeLeader(members, launcher.nodes().map((n) => n.id));
      const clusterId = (await members.status(leader)).clusterId;
      const node = await launcher.startNode(id, { kind: 'join', peers: launcher.peerAddresses(), clusterId }, argsOf(id));
      remember(id);
      members.setNode(id, node.ports.clientAddress);
      await members.addMember({ id, incarnationId: node.ports.incarnationId, address: node.ports.peerAddress }, { voter: true });
      opts.log(`node ${id} joined as a voter`);
    }
  } finally {
    members.close();
  }
}

/** Restarts an initialised cluster from its state file: the same processes, ports and flags. */
export async function restartCluster(previous: ClusterState, opts: UpOptions, onLauncher: (c: RunningCluster) => void): Promise<RunningCluster> {
  const launcher = await LocalCluster.open({ root: previous.root, trustDomain: previous.trustDomain, readyTimeoutMs: 60_000 });
  const running = new RunningCluster(launcher, { ...previous, supervisorPid: process.pid, phase: 'starting' });
  for (const p of previous.processes) {
    if (p.kind === 'keymanager') launcher.adoptKeyManager(p.id, p.ports, { provider: p.args });
    else launcher.adoptNode(p.id, p.ports, p.args);
  }
  onLauncher(running);
  await running.save({});
  for (const km of launcher.keyManagers()) await launcher.restartKeyManager(km.id);
  opts.log('key manager restarted; restarting the nodes');
  await Promise.all(launcher.nodes().map((n) => launcher.restart(n.id)));
  await waitReady(launcher);
  await writeCliConfig(running);
  await running.save({ processes: running.records() });
  return running;
}

/** The CLI config file: admin verbs as the cluster admin, object verbs as the demo tenant's client. */
async function writeCliConfig(running: RunningCluster): Promise<string> {
  const { launcher, state } = running;
  const config = {
    endpoints: [...launcher.keyManagerAddresses().values()],
    dataEndpoints: [...launcher.clientAddresses()].map(([id, address]) => `${id}=${address}`),
    ca: state.ca,
    crl: state.crl,
    admin: state.admin,
    ...(state.tenant !== undefined ? { tenant: state.tenant.client } : {}),
  };
  await writeJsonAtomic(state.configFile, config);
  return state.configFile;
}

async function waitKeyManagerLeader(km: KeyManagerClient): Promise<void> {
  await pollUntil(
    'the key manager to lead',
    async () => {
      const s = await km.call('KeyManagerStatus', {}, { retryTimeoutMs: 0, attemptTimeoutMs: 2_000 }).catch(() => undefined);
      return s !== undefined && s.leaderId !== '';
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
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
    `tenant ${tenant}'s admin to create its keys`,
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
    { timeoutMs: 30_000, intervalMs: 25 },
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}; last refusal: ${(last as Error | undefined)?.message ?? 'none'}`, { cause: err });
  });
}

async function waitNodeLeader(members: ClusterClient, ids: readonly string[]): Promise<string> {
  return pollUntil(
    'a node leader',
    async () => {
      for (const id of ids) {
        const s = await members.status(id).catch(() => undefined);
        if (s !== undefined && s.leaderId !== '' && s.leaderId === s.nodeId) return s.nodeId;
      }
      return undefined;
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
}

/** Every node answers /readyz with 200 (keys loaded, leader known, devices registered). */
export async function waitReady(launcher: LocalCluster): Promise<void> {
  await pollUntil(
    'every node to answer /readyz with 200',
    async () => (await Promise.all(launcher.nodes().map((n) => httpStatus(n.ports.httpAddress, '/readyz')))).every((s) => s === 200),
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 50 },
  );
}

/** Every node has copied the tenant from the key manager: a stat of a missing name is NOT_FOUND, not a refusal. */
async function waitTenantUsable(launcher: LocalCluster, tls: ClusterTlsFiles, tenant: string): Promise<void> {
  for (const node of launcher.nodes()) {
    const direct = await TesseraClient.connect({ tls, endpoints: [node.ports.clientAddress], retryTimeoutMs: 0 });
    try {
      await pollUntil(
        `tenant ${tenant} usable on ${node.id}`,
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
    } finally {
      direct.close();
    }
  }
}
