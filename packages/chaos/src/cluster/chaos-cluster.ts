/**
 * A whole Tessera cluster of real processes for chaos runs: one key manager
 * (file root provider), N storage nodes with device folders and a 4+2
 * profile, grown the production way (bootstrap, join, learner, promoted,
 * allow-listed at the key manager), and every link between processes routed
 * through a fault proxy:
 *
 *  - node -> node: a `ProxyMesh` over the members *and* the spare ids a
 *    membership change may add later; each node's config file names its
 *    peers at their proxies (`peers.<id>.address` wins over committed
 *    addresses, so Raft and Fabric traffic both cross them);
 *  - node -> key manager: one `FaultProxy` per node, given as its
 *    `keyManagers` address.
 *
 * Each node is started with `--config <root>/config/<id>.json` (peers,
 * devices, key managers, profile), rewritten before every start so a
 * restart can change a device's capacity (the "fill a device" fault).
 * Every wait polls against a deadline; the admin observer (ClusterStatus)
 * talks to the nodes directly, never through a proxy.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TesseraClient, type TesseraClientOptions } from '@tessera/client';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { LocalCluster, pollUntil, type CliRun, type ClusterTlsFiles, type NodeExit, type NodeProcess, type TenantPki } from '@tessera/launcher';
import { ClusterClient, type NodeStatus } from '@tessera/node';
import { fetchMetrics, sumMetric } from './metrics.js';
import { FaultProxy } from '../proxy/proxy.js';
import { ProxyMesh } from '../proxy/mesh.js';
import { CHAOS_RAFT_ARGS, DEFAULT_DEVICE_CAPACITY, deviceSpecs, type DeviceSpec } from './args.js';
import { httpStatus } from './http.js';

export interface ChaosClusterOptions {
  /** Everything (PKI, data, logs, configs) goes here; the caller owns the folder. */
  readonly root: string;
  /** Initial voters n1..nN (default 3). */
  readonly nodes?: number;
  /** Extra ids reserved in the mesh for a membership change (default 1: n(N+1)). */
  readonly spares?: number;
  /** Device folders per node (default 3). */
  readonly devicesPerNode?: number;
  readonly deviceCapacityBytes?: number;
  /** Erasure profile (default 4+2). */
  readonly erasure?: { readonly k: number; readonly m: number };
  /** Environment of every process (e.g. TESSERA_CRASHSIM, TESSERA_MUTATE). */
  readonly env?: Readonly<Record<string, string>>;
  /** Seed of the proxies' connection-drop generators. */
  readonly seed?: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** Extra flags for every storage node (e.g. a faster placement scrub). */
  readonly nodeArgs?: readonly string[];
}

/** What one placement-scrub pass found (counts of slots; underProtected counts chunks). */
export interface ScrubPassResult {
  readonly scanned: number;
  readonly missing: number;
  readonly corrupt: number;
  readonly badDevice: number;
  readonly unreachable: number;
  readonly underProtected: number;
  readonly queued: number;
}

/** A finished pass as the Admin API reports it. */
type WirePass = NonNullable<NonNullable<Awaited<ReturnType<ClusterClient['maintenanceStatus']>>['placementScrub']>['last']>;

function passResult(p: WirePass): ScrubPassResult {
  return {
    scanned: Number(p.scanned),
    missing: Number(p.missing),
    corrupt: Number(p.corrupt),
    badDevice: Number(p.badDevice),
    unreachable: Number(p.unreachable),
    underProtected: Number(p.underProtected),
    queued: Number(p.queued),
  };
}

export interface TenantHandle {
  readonly id: string;
  readonly pki: TenantPki;
  readonly admin: ClusterTlsFiles;
  readonly client: ClusterTlsFiles;
}

const KM_ID = 'km1';
const KM_ARGS = [...CHAOS_RAFT_ARGS, '--audit-window-ms', '300'] as const;

function mustSucceed(what: string, run: CliRun): Record<string, unknown> {
  if (run.code !== 0) throw new TesseraError(ErrorCodes.CHAOS_RUN, `${what} failed (exit ${String(run.code)}): ${run.stderr.slice(0, 2_000)}`);
  try {
    return JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export class ChaosCluster {
  /** Current device specs per node (a restart may change a capacity). */
  private readonly devices = new Map<string, DeviceSpec[]>();
  private readonly clients: TesseraClient[] = [];
  private kmAddress = '';
  readonly memberIds: string[];
  readonly spareIds: string[];

  private constructor(
    readonly launcher: LocalCluster,
    readonly mesh: ProxyMesh,
    /** Per node: the proxy carrying its connections to the key manager. */
    readonly kmProxies: ReadonlyMap<string, FaultProxy>,
    readonly admin: ClusterClient,
    private readonly options: ChaosClusterOptions,
    memberIds: string[],
    spareIds: string[],
  ) {
    this.memberIds = memberIds;
    this.spareIds = spareIds;
  }

  static async start(options: ChaosClusterOptions): Promise<ChaosCluster> {
    const count = options.nodes ?? 3;
    const spares = options.spares ?? 1;
    const ids = Array.from({ length: count + spares }, (_, i) => `n${i + 1}`);
    const log = options.log ?? (() => undefined);
    await mkdir(options.root, { recursive: true });
    const launcher = await LocalCluster.create({
      root: options.root,
      // The placement scrub keeps its default interval (1 h, also before a new leader's first pass): the
      // final checks start passes themselves (StartScrub), and the first of them must see a lost
      // acknowledged shard before any repair rebuilds it (D1; the ack-before-fsync self-test).
      nodeArgs: [...CHAOS_RAFT_ARGS, '--pipeline-workers', '1', ...(options.nodeArgs ?? [])],
      ...(options.env !== undefined ? { env: options.env } : {}),
      readyTimeoutMs: 60_000,
    });
    const mesh = await ProxyMesh.start(ids, { seed: options.seed ?? 1 });
    const kmProxies = new Map<string, FaultProxy>();
    for (const [i, id] of ids.entries()) kmProxies.set(id, await FaultProxy.start({ seed: (options.seed ?? 1) + 10_000 + i }));
    const admin = new ClusterClient({ trustDomain: launcher.trustDomain, tls: launcher.adminTls, nodes: {}, attemptTimeoutMs: 3_000, retryTimeoutMs: 10_000 });
    const cluster = new ChaosCluster(launcher, mesh, kmProxies, admin, options, ids.slice(0, count), ids.slice(count));
    try {
      log('starting the key manager');
      await cluster.startKeyManager();
      log(`starting ${count} nodes`);
      await cluster.startFirstNode(ids[0]!);
      for (const id of ids.slice(1, count)) await cluster.join(id);
      await cluster.waitReady(90_000);
      log('cluster ready');
      return cluster;
    } catch (err) {
      await cluster.shutdown().catch(() => undefined);
      throw err;
    }
  }

  get root(): string {
    return this.launcher.root;
  }

  get keyringDir(): string {
    return path.join(this.root, 'keyring');
  }

  private configPath(id: string): string {
    return path.join(this.root, 'config', `${id}.json`);
  }

  // ----- key manager -----

  private async startKeyManager(): Promise<void> {
    const init = await this.launcher.runCli(['-o', 'json', 'keymanager', 'init', '--provider', 'file', '--keyring', this.keyringDir]);
    mustSucceed('keymanager init', init);
    const km = await this.launcher.startKeyManager(KM_ID, { mode: { kind: 'bootstrap' }, provider: ['--provider', 'file', '--keyring', this.keyringDir], args: [...KM_ARGS] });
    this.kmAddress = km.ports.clientAddress;
    for (const proxy of this.kmProxies.values()) proxy.setTarget(this.kmAddress);
    await pollUntil('the key manager to answer', async () => (await this.kmCli(['-o', 'json', 'tenant', 'list'])).code === 0, { timeoutMs: 30_000, intervalMs: 100 });
  }

  keyManager(): NodeProcess {
    return this.launcher.keyManager(KM_ID);
  }

  async killKeyManager(): Promise<NodeExit> {
    return this.launcher.kill(KM_ID, 'SIGKILL');
  }

  async restartKeyManager(): Promise<void> {
    await this.launcher.restartKeyManager(KM_ID);
  }

  /** Runs the CLI against the key manager (directly, not through a proxy) as `tls` (default: cluster admin). */
  kmCli(args: readonly string[], tls: ClusterTlsFiles = this.launcher.adminTls): Promise<CliRun> {
    return this.launcher.runCli(args, {
      env: { TESSERA_ENDPOINT: this.kmAddress, TESSERA_CERT: tls.certFile, TESSERA_KEY: tls.keyFile, TESSERA_CA: tls.caFile, TESSERA_CRL: tls.crlFile },
    });
  }

  // ----- nodes -----

  /** Writes `id`'s config file: peers at their proxies, devices, the key manager at its proxy, the profile. */
  private async writeConfig(id: string): Promise<void> {
    const node = this.launcher.nodes().find((n) => n.id === id);
    const dataDir = node?.dataDir ?? path.join(this.root, 'data', id);
    let devices = this.devices.get(id);
    if (devices === undefined) {
      devices = deviceSpecs(dataDir, this.options.devicesPerNode ?? 3, this.options.deviceCapacityBytes ?? DEFAULT_DEVICE_CAPACITY);
      this.devices.set(id, devices);
    }
    const erasure = this.options.erasure ?? { k: 4, m: 2 };
    const config = {
      peers: this.mesh.peersConfig(id),
      devices: devices.map((d) => ({ id: d.id, path: d.path, capacityBytes: d.capacityBytes, pool: 'default' })),
      keyManagers: [this.kmProxies.get(id)!.address],
      erasure,
    };
    await mkdir(path.dirname(this.configPath(id)), { recursive: true });
    await writeFile(this.configPath(id), `${JSON.stringify(config, null, 2)}\n`);
  }

  /** After a (re)start: the proxies into `id` lead to its peer port, the observer to its client port. */
  private wire(node: NodeProcess): void {
    this.mesh.setTarget(node.id, node.ports.peerAddress, node.ports.bulkAddress);
    this.admin.setNode(node.id, node.ports.clientAddress);
  }

  private async allowNode(id: string): Promise<void> {
    mustSucceed(`allow-node ${id}`, await this.kmCli(['-o', 'json', 'keymanager', 'allow-node', '--id', id, '--node-cert', this.launcher.nodeTls(id).certFile]));
  }

  private async startFirstNode(id: string): Promise<void> {
    await this.writeConfig(id);
    const node = await this.launcher.startNode(id, { kind: 'bootstrap' }, ['--config', this.configPath(id)]);
    this.wire(node);
    await this.allowNode(id);
    await this.waitForLeader();
  }

  /** Starts `id` with --join and adds it (learner, caught up, promoted), allow-listed at the key manager. */
  async join(id: string): Promise<void> {
    const leader = await this.waitForLeader();
    const clusterId = (await this.admin.status(leader)).clusterId;
    await this.writeConfig(id);
    // Peers come from the config file (through the proxies); the launcher adds no --peer flag.
    const node = await this.launcher.startNode(id, { kind: 'join', peers: new Map(), clusterId }, ['--config', this.configPath(id)]);
    this.wire(node);
    await this.allowNode(id);
    await this.admin.addMember({ id, incarnationId: node.ports.incarnationId, address: node.ports.peerAddress }, { voter: true });
    if (!this.memberIds.includes(id)) this.memberIds.push(id);
    await this.waitForConfiguration();
  }

  node(id: string): NodeProcess {
    return this.launcher.node(id);
  }

  /** Nodes started at least once (members, including stopped ones). */
  nodeIds(): string[] {
    return this.launcher.nodes().map((n) => n.id);
  }

  runningIds(): string[] {
    return this.launcher.running().map((n) => n.id);
  }

  deviceSpecs(id: string): readonly DeviceSpec[] {
    return this.devices.get(id) ?? [];
  }

  /** Restarts a stopped node on its ports (with its current config, rewritten first). */
  async restart(id: string): Promise<void> {
    await this.writeConfig(id);
    const node = await this.launcher.restart(id);
    this.wire(node);
  }

  /** Changes a device's configured capacity for the node's next start. */
  setDeviceCapacity(id: string, deviceId: string, capacityBytes: number): void {
    const devices = this.devices.get(id);
    if (devices === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, `no node ${id}`);
    this.devices.set(
      id,
      devices.map((d) => (d.id === deviceId ? { ...d, capacityBytes } : d)),
    );
  }

  async status(id: string): Promise<NodeStatus> {
    return this.admin.status(id);
  }

  /** Statuses of the running, not paused nodes; undefined when any does not answer. */
  async tryStatuses(ids: readonly string[] = this.launcher.running().filter((n) => n.state === 'running').map((n) => n.id)): Promise<NodeStatus[] | undefined> {
    try {
      return await Promise.all(ids.map((id) => this.admin.status(id)));
    } catch {
      return undefined;
    }
  }

  /** The leader every running voter agrees on (same term), once there is one. */
  async waitForLeader(options: { exclude?: readonly string[]; timeoutMs?: number } = {}): Promise<string> {
    return pollUntil(
      'a leader every running node agrees on',
      async () => {
        const all = await this.tryStatuses();
        if (all === undefined) return undefined;
        const top = all.filter((s) => s.leaderId === s.nodeId).sort((a, b) => b.term - a.term)[0];
        if (top === undefined || options.exclude?.includes(top.nodeId) === true) return undefined;
        const voters = all.filter((s) => top.members.some((m) => m.id === s.nodeId && m.role === 'voter'));
        return voters.every((s) => s.leaderId === top.nodeId && s.term === top.term) ? top.nodeId : undefined;
      },
      { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 50 },
    );
  }

  /** The leader as some running node currently sees it (no agreement needed), or undefined. */
  async currentLeader(): Promise<string | undefined> {
    const all = await this.tryStatuses();
    const top = all?.filter((s) => s.leaderId === s.nodeId).sort((a, b) => b.term - a.term)[0];
    return top?.nodeId;
  }

  /** Every running node applied the leader's configuration. */
  async waitForConfiguration(timeoutMs = 60_000): Promise<NodeStatus[]> {
    return pollUntil(
      "every running node to apply the leader's configuration",
      async () => {
        const all = await this.tryStatuses();
        const leader = all?.find((s) => s.leaderId === s.nodeId);
        if (all === undefined || leader === undefined) return undefined;
        const shape = (s: NodeStatus): string => s.members.map((m) => `${m.id}:${m.role}`).sort().join(',');
        return all.every((s) => shape(s) === shape(leader)) ? all : undefined;
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  /**
   * Convergence: one leader in one term that every running node follows, the
   * same configuration and commit index everywhere, and applied = commit on
   * every node. Resolves with the statuses that showed it.
   */
  async waitConverged(timeoutMs = 60_000): Promise<NodeStatus[]> {
    return pollUntil(
      'the cluster to converge (one leader, applied = commit everywhere)',
      async () => {
        const all = await this.tryStatuses();
        if (all === undefined || all.length === 0) return undefined;
        const leaders = all.filter((s) => s.leaderId === s.nodeId);
        if (leaders.length !== 1) return undefined;
        const leader = leaders[0]!;
        const shape = (s: NodeStatus): string => s.members.map((m) => `${m.id}:${m.role}`).sort().join(',');
        const ok = all.every((s) => s.leaderId === leader.nodeId && s.term === leader.term && s.commitIndex === leader.commitIndex && s.appliedIndex === s.commitIndex && shape(s) === shape(leader));
        return ok ? all : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  /** Every running node answers /readyz with 200 (keys loaded, leader known, devices registered). */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    await pollUntil(
      'every running node ready for data',
      async () => {
        const states = await Promise.all(this.launcher.running().map((n) => httpStatus(n.ports.httpAddress, '/readyz')));
        return states.every((s) => s === 200);
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  /**
   * Chunk reads that needed parity, and shard reads that failed, summed over
   * the running nodes (their /metrics); undefined when a node does not answer.
   */
  /**
   * One placement-scrub pass started now on the metadata leader (Admin
   * StartScrub) and waited for (MaintenanceStatus): what it found on every
   * slot of every committed chunk. A pass already running when asked is let
   * finish and another is started, so the result covers the cluster as it
   * is after this call; a leader change starts over on the new leader.
   */
  async scrubPass(timeoutMs: number): Promise<ScrubPassResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (Date.now() > deadline) throw new TesseraError(ErrorCodes.CHAOS_RUN, `no placement scrub pass finished within ${timeoutMs / 1_000} s`);
      try {
        const started = await this.admin.startScrub();
        const leader = started.nodeId;
        const before = Number(started.placementScrub?.passes ?? '0');
        // A pass that was already running began before this call: wait for it, then ask again.
        const wanted = before + 1;
        const fresh = started.placement === 'started';
        for (;;) {
          if (Date.now() > deadline) break;
          const status = await this.admin.maintenanceStatus();
          if (status.nodeId !== leader) break;
          const scrub = status.placementScrub;
          if (scrub !== null && scrub !== undefined && Number(scrub.passes) >= wanted && scrub.last !== null && scrub.last !== undefined) {
            if (fresh) return passResult(scrub.last);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      } catch {
        // No leader right now, or it moved: ask again until the deadline.
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /**
   * One complete device-scrub round on every running node, started now
   * (Admin StartScrub with device_only, on each node) and waited for through
   * each node's `tessera_storage_scrub_rounds_total`: every live shard record
   * re-read and CRC-checked, damaged ones deleted so that the placement scrub
   * sees them missing. Full redundancy means CRC-clean shards, and the
   * placement scrub alone only asks the index.
   */
  async deviceScrubAll(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const nodes = this.launcher.running().filter((n) => n.state === 'running');
    await Promise.all(
      nodes.map(async (node) => {
        const rounds = async (): Promise<number> => {
          const body = await fetchMetrics(node.ports.httpAddress);
          if (body === undefined) throw new TesseraError(ErrorCodes.CHAOS_RUN, `${node.id} does not answer /metrics`);
          return sumMetric(body, 'tessera_storage_scrub_rounds_total');
        };
        // A round already running began before this call: let it finish, then start a fresh one.
        for (let fresh = false; !fresh; ) {
          const before = await rounds();
          const started = await this.admin.startDeviceScrub(node.id);
          if (started.device === 'disabled') return;
          fresh = started.device === 'started';
          while ((await rounds()) <= before) {
            if (Date.now() > deadline) throw new TesseraError(ErrorCodes.CHAOS_RUN, `${node.id}'s device scrub did not finish a round within ${timeoutMs / 1_000} s`);
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
      }),
    );
  }

  /** Waits until the metadata leader has no repair waiting or running; false at the deadline. */
  async waitRepairsIdle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() <= deadline) {
      try {
        const repairs = (await this.admin.maintenanceStatus()).repairs;
        if (repairs !== null && repairs !== undefined && repairs.queued === 0 && repairs.running === 0) return true;
      } catch {
        // No leader right now: ask again.
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return false;
  }

  // ----- tenants and clients -----

  /** Registers a tenant with its own CA, creates its keys, and waits until every running node serves it. */
  async addTenant(id: string, policy: 'shared' | 'isolated' = 'shared'): Promise<TenantHandle> {
    const pki = await this.launcher.createTenantPki(id);
    const admin = await pki.admin('admin');
    const client = await pki.client('app');
    mustSucceed(`tenant create ${id}`, await this.kmCli(['-o', 'json', 'tenant', 'create', '--id', id, '--policy', policy, '--ca', pki.caCertFile, '--crl', pki.caCrlFile]));
    await pollUntil(`tenant ${id}'s keys`, async () => (await this.kmCli(['-o', 'json', 'tenant', 'create-keys'], admin)).code === 0, { timeoutMs: 30_000, intervalMs: 200 });
    for (const node of this.launcher.running()) {
      const direct = await this.client(client, { endpoints: [node.ports.clientAddress], retryTimeoutMs: 0 });
      await pollUntil(
        `tenant ${id} usable on ${node.id}`,
        async () => {
          try {
            await direct.stat('tessera-chaos-probe-absent');
            return false;
          } catch (err) {
            return (err as { code?: string }).code === ErrorCodes.NOT_FOUND;
          }
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
    }
    return { id, pki, admin, client };
  }

  /** `ID=host:port` of every node that has run, rotated so the `first`-th comes first. */
  endpoints(first = 0): string[] {
    const all = this.launcher.nodes().map((n) => `${n.id}=${n.ports.clientAddress}`);
    return all.map((_, i) => all[(i + first) % all.length]!);
  }

  /** A tenant client (closed by `closeClients`/`shutdown`). */
  async client(tls: ClusterTlsFiles, options: Partial<Omit<TesseraClientOptions, 'tls'>> = {}): Promise<TesseraClient> {
    const c = await TesseraClient.connect({ tls, endpoints: this.endpoints(), retryTimeoutMs: 10_000, attemptTimeoutMs: 3_000, ...options });
    this.clients.push(c);
    return c;
  }

  closeClients(): void {
    for (const c of this.clients.splice(0)) c.close();
  }

  // ----- healing, stopping -----

  /** Heals every proxy (mesh and key-manager links) and resumes paused processes. */
  healNetworkAndPauses(): void {
    this.mesh.heal();
    for (const p of this.kmProxies.values()) p.heal();
    for (const p of [...this.launcher.nodes(), ...this.launcher.keyManagers()]) if (p.state === 'paused') p.resume();
  }

  /** Data dirs of every node and the key manager (device folders live inside the nodes'). */
  dataDirs(): string[] {
    return [...this.launcher.nodes(), ...this.launcher.keyManagers()].map((p) => p.dataDir);
  }

  get logsDir(): string {
    return path.join(this.root, 'logs');
  }

  /** Stops every node, then the key manager (SIGTERM, SIGKILL after `graceMs`). */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.closeClients();
    for (const p of [...this.launcher.nodes(), ...this.launcher.keyManagers()]) await this.launcher.stop(p.id, graceMs);
  }

  async shutdown(): Promise<void> {
    this.closeClients();
    this.admin.close();
    await this.launcher.shutdown({ keepFiles: true });
    await this.mesh.close();
    await Promise.all([...this.kmProxies.values()].map((p) => p.close()));
  }
}
