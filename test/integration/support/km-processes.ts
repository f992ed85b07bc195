/**
 * Key managers as real `tessera keymanager start` processes for the
 * integration tests: processes, certificates and tenant PKIs from
 * @tessera/launcher, calls through @tessera/keymanager's KeyManagerClient
 * (mTLS), the CLI run as a real process. Grown the production way: the first
 * member bootstraps, others start with --join and are added
 * (`AddKeyManager`: learner, caught up, promoted). Every wait polls against
 * a deadline.
 */
import { LocalCluster, pollUntil, type ClusterTlsFiles, type CliRun, type LocalClusterOptions, type NodeProcess } from '@tessera/launcher';
import { KeyManagerClient } from '@tessera/keymanager';
import { u64Number } from '@tessera/wire';

/** Fast but not twitchy on a shared 2-core machine: 50 ms ticks, 1-2 s election timeout. */
export const KM_TEST_ARGS = ['--tick-ms', '50', '--election-ticks', '20', '--heartbeat-ticks', '1', '--log-level', 'info'] as const;

export interface KmProcessesOptions extends LocalClusterOptions {
  /** Root provider flags for every member, given the launcher's root dir (where a keyring may live). */
  readonly provider: (root: string) => readonly string[];
  /** Further flags for every member. */
  readonly args?: readonly string[];
}

export class KeyManagerProcesses {
  private readonly clients: KeyManagerClient[] = [];
  admin!: KeyManagerClient;

  private constructor(
    readonly launcher: LocalCluster,
    private readonly options: KmProcessesOptions,
  ) {}

  /** A launcher (cluster CA, admin certificate) with no process started yet. */
  static async create(options: KmProcessesOptions): Promise<KeyManagerProcesses> {
    return new KeyManagerProcesses(await LocalCluster.create(options), options);
  }

  /** Starts the first member with --bootstrap and waits until it leads. */
  async bootstrap(id: string): Promise<NodeProcess> {
    const km = await this.launcher.startKeyManager(id, { mode: { kind: 'bootstrap' }, provider: this.options.provider(this.launcher.root), args: [...KM_TEST_ARGS, ...(this.options.args ?? [])] });
    this.admin = await this.client(this.launcher.adminTls);
    await this.waitForLeader();
    return km;
  }

  /** Starts `id` with --join and adds it as a voter; waits until every running member sees it. */
  async join(id: string): Promise<NodeProcess> {
    const status = await this.admin.call('KeyManagerStatus', {}, { idempotent: true });
    const km = await this.launcher.startKeyManager(id, {
      mode: { kind: 'join', peers: this.runningAddresses(), clusterId: status.clusterId },
      provider: this.options.provider(this.launcher.root),
      args: [...KM_TEST_ARGS, ...(this.options.args ?? [])],
    });
    await this.admin.call('AddKeyManager', { member: { id, incarnationId: km.ports.incarnationId, address: km.ports.clientAddress }, voter: true }, { retryTimeoutMs: 60_000, attemptTimeoutMs: 60_000 });
    await this.waitForVoters(this.launcher.keyManagers().length);
    // A client that knows every member, so it survives the loss of any one.
    this.admin = await this.client(this.launcher.adminTls);
    return km;
  }

  /** A client with `tls`, knowing every member that has run. */
  async client(tls: ClusterTlsFiles, options: { retryTimeoutMs?: number } = {}): Promise<KeyManagerClient> {
    const c = await KeyManagerClient.create({ tls, endpoints: this.endpoints(), retryTimeoutMs: options.retryTimeoutMs ?? 30_000 });
    this.clients.push(c);
    return c;
  }

  endpoints(): string[] {
    return [...this.launcher.keyManagerAddresses().values()];
  }

  runningAddresses(): Map<string, string> {
    return new Map([...this.launcher.keyManagerAddresses()].filter(([id]) => this.launcher.keyManager(id).state !== 'stopped'));
  }

  /** The leader every running member agrees on, once there is one (asked of each member directly). */
  async waitForLeader(options: { exclude?: readonly string[]; timeoutMs?: number } = {}): Promise<string> {
    return pollUntil(
      'a key-manager leader every running member agrees on',
      async () => {
        const leaders = await Promise.all([...this.runningAddresses()].map(([id, address]) => this.leaderSeenBy(id, address)));
        const first = leaders[0];
        if (first === undefined || first === '' || options.exclude?.includes(first) === true) return undefined;
        return leaders.every((l) => l === first) ? first : undefined;
      },
      { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 50 },
    );
  }

  private async leaderSeenBy(id: string, address: string): Promise<string | undefined> {
    const c = await this.direct(id, address);
    try {
      const s = await c.call('KeyManagerStatus', {}, { retryTimeoutMs: 0, attemptTimeoutMs: 2_000 });
      return s.leaderId;
    } catch {
      return undefined;
    }
  }

  private readonly directClients = new Map<string, KeyManagerClient>();

  /** An admin client pinned to one member (no leader following). */
  private async direct(id: string, address: string): Promise<KeyManagerClient> {
    const key = `${id}@${address}`;
    let c = this.directClients.get(key);
    if (c === undefined) {
      c = await KeyManagerClient.create({ tls: this.launcher.adminTls, endpoints: [address], retryTimeoutMs: 0 });
      this.directClients.set(key, c);
    }
    return c;
  }

  /** Waits until every running member counts `n` voters and has applied the leader's commit index. */
  async waitForVoters(n: number, timeoutMs = 30_000): Promise<void> {
    await pollUntil(
      `every running key manager to see ${n} voters and catch up`,
      async () => {
        const statuses = await Promise.all(
          [...this.runningAddresses()].map(async ([id, address]) => (await this.direct(id, address)).call('KeyManagerStatus', {}, { retryTimeoutMs: 0, attemptTimeoutMs: 2_000 }).catch(() => undefined)),
        );
        if (statuses.some((s) => s === undefined)) return undefined;
        const leader = statuses.find((s) => s!.leaderId === s!.nodeId);
        if (leader === undefined) return undefined;
        const commit = u64Number(leader.commitIndex);
        return statuses.every((s) => s!.members.filter((m) => m.role === 'MEMBER_ROLE_VOTER').length === n && u64Number(s!.appliedIndex) >= commit);
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  /** The environment that points the CLI at these key managers with `tls`. */
  cliEnv(tls: ClusterTlsFiles): Record<string, string> {
    return { TESSERA_ENDPOINT: this.endpoints().join(','), TESSERA_CERT: tls.certFile, TESSERA_KEY: tls.keyFile, TESSERA_CA: tls.caFile, TESSERA_CRL: tls.crlFile };
  }

  /** Runs `tessera <args>` as `tls`. */
  cli(args: readonly string[], tls: ClusterTlsFiles = this.launcher.adminTls): Promise<CliRun> {
    return this.launcher.runCli(args, { env: this.cliEnv(tls) });
  }

  async shutdown(keepFiles = false): Promise<void> {
    for (const c of [...this.clients, ...this.directClients.values()]) c.close();
    if (keepFiles) process.stderr.write(`key-manager test files kept in ${this.launcher.root}\n${await this.launcher.logs()}\n`);
    await this.launcher.shutdown({ keepFiles });
  }
}

/** Parses a CLI run's `-o json` output, failing with its stderr. */
export function json(run: CliRun): Record<string, unknown> {
  if (run.code !== 0) throw new Error(`tessera exited ${String(run.code)}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}
