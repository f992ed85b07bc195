/**
 * A local cluster of node processes for tests (and, later, scripts/local-cluster):
 * a throwaway cluster CA and certificates in a temp dir, one data dir and
 * log file per node, processes started through the `tessera` CLI on
 * 127.0.0.1 with port 0 (restarts reuse the ports a node had, since peers
 * know it by its committed address), and faults: kill -9, SIGTERM,
 * SIGSTOP/SIGCONT, SIGUSR2 (power loss under TESSERA_CRASHSIM=1).
 *
 * The launcher manages processes and files only. Cluster membership (who
 * bootstraps, who joins and is added) is driven by the caller through the
 * nodes' client ports.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { createClusterCa } from '../certs/ca.js';
import { caPaths } from '../certs/ca-store.js';
import { issueCertificate } from '../certs/leaf.js';
import { cliNodeCommand, type NodeCommand } from './command.js';
import { NodeProcess, type NodeExit, type NodePorts } from './node-process.js';

/** TLS files of one identity, in the shape @tessera/transport takes them. */
export interface ClusterTlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
  readonly crlFile: string;
}

export interface LocalClusterOptions {
  /** Directory for PKI, data and logs; a new temp dir by default (removed by `cleanup`). */
  readonly root?: string;
  readonly trustDomain?: string;
  /** Flags given to every node (e.g. `['--tick-ms', '20']`). */
  readonly nodeArgs?: readonly string[];
  /** Environment added for every node (e.g. `{ TESSERA_CRASHSIM: '1' }`). */
  readonly env?: Readonly<Record<string, string>>;
  readonly command?: NodeCommand;
  /** Deadline for a node to become ready. Default 30 s. */
  readonly readyTimeoutMs?: number;
}

export type StartMode =
  | { readonly kind: 'bootstrap' }
  /** `peers`: addresses of current members (at least the leader's), so the joiner can answer before it knows the configuration. */
  | { readonly kind: 'join'; readonly peers: ReadonlyMap<string, string>; readonly clusterId?: string };

export class LocalCluster {
  private readonly nodesById = new Map<string, NodeProcess>();
  private readonly nodeArgsById = new Map<string, readonly string[]>();
  readonly adminTls: ClusterTlsFiles;

  private constructor(
    readonly root: string,
    readonly trustDomain: string,
    private readonly ownsRoot: boolean,
    private readonly options: LocalClusterOptions,
    private readonly command: NodeCommand,
  ) {
    this.adminTls = this.tlsFiles('admin-launcher');
  }

  /** Creates the directory layout, the cluster CA and an admin certificate. */
  static async create(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    const ownsRoot = options.root === undefined;
    const root = options.root ?? (await mkdtemp(path.join(os.tmpdir(), 'tessera-cluster-')));
    const trustDomain = options.trustDomain ?? 'tessera.local';
    const command = options.command ?? cliNodeCommand();
    const cluster = new LocalCluster(root, trustDomain, ownsRoot, options, command);
    await mkdir(path.join(root, 'logs'), { recursive: true });
    await mkdir(path.join(root, 'data'), { recursive: true, mode: 0o700 });
    await createClusterCa({ dir: cluster.caDir, trustDomain });
    await issueCertificate({ caDir: cluster.caDir, outDir: cluster.certDir, identity: { kind: 'admin', name: 'launcher' }, baseName: 'admin-launcher' });
    return cluster;
  }

  get caDir(): string {
    return path.join(this.root, 'pki', 'ca');
  }

  private get certDir(): string {
    return path.join(this.root, 'pki', 'certs');
  }

  private tlsFiles(baseName: string): ClusterTlsFiles {
    const ca = caPaths(this.caDir);
    return { certFile: path.join(this.certDir, `${baseName}.crt`), keyFile: path.join(this.certDir, `${baseName}.key`), caFile: ca.certFile, crlFile: ca.crlFile };
  }

  node(id: string): NodeProcess {
    const n = this.nodesById.get(id);
    if (n === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, `no node ${id} in this cluster`);
    return n;
  }

  nodes(): NodeProcess[] {
    return [...this.nodesById.values()];
  }

  running(): NodeProcess[] {
    return this.nodes().filter((n) => n.state !== 'stopped');
  }

  /**
   * Issues `id`'s certificate and starts it for the first time, bootstrapping
   * a new cluster or joining one. `args` are added to the cluster-wide flags.
   */
  async startNode(id: string, mode: StartMode, args: readonly string[] = []): Promise<NodeProcess> {
    if (this.nodesById.has(id)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `node ${id} was already started once (ids are never reused)`);
    await issueCertificate({ caDir: this.caDir, outDir: this.certDir, identity: { kind: 'node', id }, baseName: `node-${id}` });
    const node = new NodeProcess({
      id,
      dataDir: path.join(this.root, 'data', id),
      logFile: path.join(this.root, 'logs', `${id}.log`),
      command: this.command,
      ...(this.options.env !== undefined ? { env: this.options.env } : {}),
      ...(this.options.readyTimeoutMs !== undefined ? { readyTimeoutMs: this.options.readyTimeoutMs } : {}),
    });
    this.nodesById.set(id, node);
    this.nodeArgsById.set(id, args);
    const modeArgs =
      mode.kind === 'bootstrap'
        ? ['--bootstrap']
        : ['--join', ...(mode.clusterId !== undefined ? ['--cluster-id', mode.clusterId] : []), ...[...mode.peers].flatMap(([peer, address]) => ['--peer', `${peer}=${address}`])];
    await node.start([...this.baseArgs(id), '--peer-listen', '127.0.0.1:0', '--client-listen', '127.0.0.1:0', ...modeArgs]);
    return node;
  }

  /**
   * Starts a stopped (killed, crashed, stopped) node again on the ports it had,
   * without --bootstrap or --join: its store says who it is.
   */
  async restart(id: string, extraArgs: readonly string[] = []): Promise<NodeProcess> {
    const node = this.node(id);
    const { peerAddress, clientAddress } = node.ports;
    await node.start([...this.baseArgs(id), '--peer-listen', peerAddress, '--client-listen', clientAddress, ...extraArgs]);
    return node;
  }

  private baseArgs(id: string): string[] {
    const tls = this.tlsFiles(`node-${id}`);
    return [
      '--cert', tls.certFile,
      '--key', tls.keyFile,
      '--ca', tls.caFile,
      '--crl', tls.crlFile,
      ...(this.options.nodeArgs ?? []),
      ...(this.nodeArgsById.get(id) ?? []),
    ];
  }

  /** Peer addresses of the nodes that have run, for `--peer` flags of a joiner. */
  peerAddresses(): Map<string, string> {
    return new Map(this.nodes().filter((n) => n.hasRun).map((n) => [n.id, n.ports.peerAddress]));
  }

  /** Client-port addresses of the nodes that have run. */
  clientAddresses(): Map<string, string> {
    return new Map(this.nodes().filter((n) => n.hasRun).map((n) => [n.id, n.ports.clientAddress]));
  }

  ports(id: string): NodePorts {
    return this.node(id).ports;
  }

  /** kill -9 (or another signal) and wait for the process to end. */
  kill(id: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<NodeExit> {
    return this.node(id).kill(signal);
  }

  /** Clean stop (SIGTERM, then SIGKILL after the grace period). */
  stop(id: string, graceMs?: number): Promise<NodeExit> {
    return this.node(id).stop(graceMs);
  }

  /** The tail of every node's log, for a failure report. */
  async logs(lines = 40): Promise<string> {
    const parts = await Promise.all(this.nodes().map(async (n) => `----- ${n.id} (${n.state}) ${n.logFile}\n${await n.logTail(lines)}`));
    return parts.join('\n');
  }

  /** Stops every process this cluster started; removes its temp dir unless `keepFiles`. */
  async shutdown(options: { keepFiles?: boolean } = {}): Promise<void> {
    await Promise.all(this.nodes().map((n) => n.stop(5_000)));
    if (this.ownsRoot && options.keepFiles !== true) await rm(this.root, { recursive: true, force: true });
  }
}
