/**
 * A Raft cluster of real `tessera node start` processes for the integration
 * tests: processes and certificates from @tessera/launcher, membership and
 * the key-value test service through @tessera/node's ClusterClient (admin
 * certificate, mTLS). Grown the production way: the first node bootstraps,
 * every other one starts with --join and is added as a learner carrying its
 * incarnation id, caught up, then promoted. Every wait polls against a
 * deadline.
 */
import { LocalCluster, pollUntil, type LocalClusterOptions, type NodeProcess, type RestartOptions } from '@tessera/launcher';
import { ClusterClient, type NodeStatus } from '@tessera/node';

/** Fast but not twitchy on a shared 2-core machine: 50 ms ticks, 1-2 s election timeout. */
export const TEST_RAFT_ARGS = ['--tick-ms', '50', '--election-ticks', '20', '--heartbeat-ticks', '1', '--log-level', 'info'] as const;

export interface RaftClusterOptions extends LocalClusterOptions {
  readonly size: number;
}

export class RaftProcessCluster {
  private constructor(
    readonly launcher: LocalCluster,
    readonly client: ClusterClient,
    private readonly argsOf: (id: string) => readonly string[] = () => [],
  ) {}

  static async start(options: RaftClusterOptions): Promise<RaftProcessCluster> {
    const launcher = await LocalCluster.create({ ...options, nodeArgs: [...TEST_RAFT_ARGS, ...(options.nodeArgs ?? [])] });
    return RaftProcessCluster.startOn(launcher, options.size);
  }

  /** Grows a cluster of `size` nodes on an existing launcher (which gives every node its base flags). */
  static async startOn(launcher: LocalCluster, size: number, argsOf: (id: string) => readonly string[] = () => []): Promise<RaftProcessCluster> {
    let client: ClusterClient | undefined;
    try {
      const first = await launcher.startNode('n1', { kind: 'bootstrap' }, argsOf('n1'));
      client = new ClusterClient({ trustDomain: launcher.trustDomain, tls: launcher.adminTls, nodes: { n1: first.ports.clientAddress } });
      const cluster = new RaftProcessCluster(launcher, client, argsOf);
      await cluster.waitForLeader();
      for (let i = 2; i <= size; i++) await cluster.join(`n${i}`);
      return cluster;
    } catch (err) {
      process.stderr.write(`cluster start failed:\n${await launcher.logs()}\n`);
      client?.close();
      await launcher.shutdown({ keepFiles: true });
      throw err;
    }
  }

  /** Starts `id` with --join and adds it: learner, caught up, promoted; waits until every member applied it. */
  async join(id: string): Promise<NodeProcess> {
    const leader = await this.waitForLeader();
    const clusterId = (await this.client.status(leader)).clusterId;
    const peers = new Map([...this.launcher.peerAddresses()].filter(([peer]) => this.launcher.node(peer).state !== 'stopped'));
    const node = await this.launcher.startNode(id, { kind: 'join', peers, clusterId }, this.argsOf(id));
    this.client.setNode(id, node.ports.clientAddress);
    await this.client.addMember({ id, incarnationId: node.ports.incarnationId, address: node.ports.peerAddress }, { voter: true });
    await this.waitForConfiguration();
    return node;
  }

  /** Running node ids. */
  runningIds(): string[] {
    return this.launcher.running().map((n) => n.id);
  }

  async statuses(ids: readonly string[] = this.runningIds()): Promise<NodeStatus[]> {
    return Promise.all(ids.map((id) => this.client.status(id)));
  }

  /** The leader all running voters agree on (same term), once there is one. */
  async waitForLeader(options: { exclude?: readonly string[]; timeoutMs?: number } = {}): Promise<string> {
    return pollUntil(
      'a leader every running node agrees on',
      async () => {
        const all = await this.tryStatuses();
        if (all === undefined) return undefined;
        const leaders = all.filter((s) => s.leaderId === s.nodeId);
        const top = leaders.sort((a, b) => b.term - a.term)[0];
        if (top === undefined || options.exclude?.includes(top.nodeId) === true) return undefined;
        const voters = all.filter((s) => top.members.some((m) => m.id === s.nodeId && m.role === 'voter'));
        return voters.every((s) => s.leaderId === top.nodeId && s.term === top.term) ? top.nodeId : undefined;
      },
      { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 50 },
    );
  }

  /** Every running node applied the same configuration as the leader, and has applied up to its commit index. */
  async waitForConfiguration(timeoutMs = 30_000): Promise<NodeStatus[]> {
    return pollUntil(
      'every running node to apply the leader\'s configuration',
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

  /** `id` has applied everything the leader had committed when the wait began. */
  async waitCaughtUp(id: string, timeoutMs = 60_000): Promise<NodeStatus> {
    const leader = await this.waitForLeader();
    const target = (await this.client.status(leader)).commitIndex;
    return pollUntil(
      `${id} to apply up to ${target}`,
      async () => {
        const s = await this.client.status(id).catch(() => undefined);
        return s !== undefined && s.appliedIndex >= target ? s : undefined;
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  private async tryStatuses(): Promise<NodeStatus[] | undefined> {
    try {
      return await this.statuses();
    } catch {
      return undefined; // a node is (re)starting or between elections
    }
  }

  /** kill -9 and wait for the process to end. */
  async kill9(id: string): Promise<void> {
    await this.launcher.kill(id, 'SIGKILL');
  }

  /** Restarts a stopped node; `extraArgs` are appended and `dropFlags` left out for this start only. */
  async restart(id: string, options: RestartOptions & { readonly extraArgs?: readonly string[] } = {}): Promise<void> {
    const node = await this.launcher.restart(id, options.extraArgs ?? [], options);
    this.client.setNode(id, node.ports.clientAddress);
  }

  async shutdown(failed: boolean): Promise<void> {
    if (failed) process.stderr.write(`\n${await this.launcher.logs(60)}\nfiles kept in ${this.launcher.root}\n`);
    this.client.close();
    await this.launcher.shutdown({ keepFiles: failed });
  }
}
