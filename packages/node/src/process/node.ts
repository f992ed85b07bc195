/**
 * A storage node process (the skeleton later issues grow): one Raft group —
 * the metadata group — over LevelRaftStorage, replicated to peers through
 * `GrpcRaftTransport` on the peer port, running the key-value test state
 * machine, with the Admin (membership) and Kv services on the client port.
 *
 * Data dir: `raft/` (LevelDB of the Raft store), `state/` (LevelDB of the
 * state machine), `audit.jsonl` (transport refusals), `ports.json` (written
 * once both ports serve). Both stores go through DurableKv, so
 * TESSERA_CRASHSIM=1 simulates power loss for both.
 *
 * Start-up order matters: the peer port is bound first, because a
 * bootstrapping member commits its own peer address in the first
 * configuration (DESIGN section 2).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, Logger, TesseraError, isTesseraError, type LogSink } from '@tessera/common';
import {
  LevelRaftStorage,
  RaftCore,
  RaftNode,
  openDurableKv,
  simulatePowerLoss,
  type DurableKv,
  type NodeId,
  type ProgressStatus,
  type StoreInit,
} from '@tessera/raft';
import {
  GrpcRaftTransport,
  JsonlFileAuditSink,
  PeerCredentials,
  memberCertificate,
  removePortsFile,
  startTesseraServer,
  writePortsFile,
  type GroupView,
  type PortsInfo,
  type TesseraServer,
  raftNodeTuning,
} from '@tessera/transport';
import { adminService } from '../admin/service.js';
import { KvMachine, type KvResult } from '../kv/machine.js';
import { kvService } from '../kv/service.js';
import type { NodeConfig } from './config.js';

/** The Raft group of the cluster's metadata (the only group so far). */
export const METADATA_GROUP = 1;

export interface StartNodeOptions {
  /** Where log lines go (default stderr). */
  readonly logSink?: LogSink;
}

export interface RunningNode {
  readonly id: NodeId;
  readonly ports: PortsInfo;
  readonly raft: RaftNode<KvResult>;
  readonly machine: KvMachine;
  readonly transport: GrpcRaftTransport;
  readonly logger: Logger;
  /** Clean shutdown: stop serving, stop Raft, close the stores (nothing is lost). */
  stop(): Promise<void>;
  /**
   * Power-loss simulation (TESSERA_CRASHSIM=1): cut the network, drop every
   * write not covered by a completed sync in both stores, and close them. The
   * caller then kills the process.
   */
  powerLoss(): Promise<void>;
}

export async function startNode(config: NodeConfig, options: StartNodeOptions = {}): Promise<RunningNode> {
  const logger = new Logger({ level: config.logLevel, base: { node: config.id }, ...(options.logSink !== undefined ? { sink: options.logSink } : {}) });
  const identity = await memberCertificate(config.tls.certFile, 'node', config.id);
  if (config.trustDomain !== undefined && config.trustDomain !== identity.trustDomain) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'the certificate belongs to another trust domain');
  }
  const trustDomain = identity.trustDomain;

  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await removePortsFile(config.dataDir);
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async (): Promise<void> => {
    for (const fn of cleanups.splice(0).reverse()) await Promise.resolve(fn()).catch(() => undefined);
  };

  try {
    const credentials = await PeerCredentials.load({ trustDomain, tls: config.tls });
    cleanups.push(() => credentials.close());
    const transport = new GrpcRaftTransport({ localId: config.id, credentials, peerAddresses: config.peers, logger: logger.child({ component: 'raft-transport' }) });
    cleanups.push(() => transport.close());
    const audit = new JsonlFileAuditSink(path.join(config.dataDir, 'audit.jsonl'));
    cleanups.push(() => audit.close());

    let peerServer: TesseraServer | undefined;
    const raftService = transport.service((call) => {
      if (peerServer === undefined) throw new TesseraError(ErrorCodes.TRANSPORT_UNAUTHENTICATED, 'not ready');
      return peerServer.principalOf(call);
    });
    peerServer = await startTesseraServer({
      port: 'peer',
      trustDomain,
      tls: config.tls,
      host: config.peerListen.host,
      listenPort: config.peerListen.port,
      services: { Raft: raftService },
      audit,
    });
    const boundPeer = peerServer;
    cleanups.push(() => boundPeer.close(0));
    const peerAddress = config.peerAdvertise ?? peerServer.address;

    const raftKv: DurableKv = await openDurableKv(path.join(config.dataDir, 'raft'));
    cleanups.push(() => raftKv.close());
    const init: StoreInit | undefined =
      config.init === 'bootstrap' ? { kind: 'bootstrap', address: peerAddress } : config.init === 'join' ? { kind: 'join', ...(config.clusterId !== undefined ? { clusterId: config.clusterId } : {}) } : undefined;
    let storage: LevelRaftStorage;
    try {
      storage = await LevelRaftStorage.open(raftKv, { group: METADATA_GROUP, nodeId: config.id, ...(init !== undefined ? { init } : {}) });
    } catch (err) {
      if (isTesseraError(err, ErrorCodes.RAFT_NOT_BOOTSTRAPPED)) {
        throw new TesseraError(ErrorCodes.RAFT_NOT_BOOTSTRAPPED, 'empty raft store: start with --bootstrap (new cluster) or --join (added by an existing one)');
      }
      throw err;
    }
    if (config.clusterId !== undefined && storage.identity().clusterId !== '' && storage.identity().clusterId !== config.clusterId) {
      throw new TesseraError(ErrorCodes.RAFT_WRONG_CLUSTER, 'this data dir belongs to another cluster');
    }

    const smKv: DurableKv = await openDurableKv(path.join(config.dataDir, 'state'));
    cleanups.push(() => smKv.close());
    const machine = await KvMachine.open(smKv, { syncEveryEntries: config.syncEveryEntries });
    logger.info('state machine opened', { applied: machine.appliedIndex(), crashSim: smKv.crashSimulated });

    let core: RaftCore | undefined;
    const raft = await RaftNode.start<KvResult>({
      group: METADATA_GROUP,
      storage,
      transport,
      stateMachine: machine,
      ...raftNodeTuning(config.raft),
      logger: logger.child({ component: 'raft' }),
      // Kept to read the leader's view of each follower (AddMember's catch-up check, ClusterStatus).
      createCore: (c) => (core = new RaftCore(c)),
    });
    cleanups.push(() => raft.stop());
    const progress = (): ReadonlyMap<NodeId, ProgressStatus> => core?.status().progress ?? new Map();

    const view: GroupView = {
      localId: config.id,
      clusterId: () => storage.identity().clusterId,
      incarnationId: () => storage.identity().incarnationId,
      confState: () => raft.status().confState,
    };
    cleanups.push(transport.registerGroup(METADATA_GROUP, view));

    const clientServer = await startTesseraServer({
      port: 'client',
      trustDomain,
      tls: config.tls,
      host: config.clientListen.host,
      listenPort: config.clientListen.port,
      services: {
        Admin: adminService({
          node: raft as RaftNode<unknown>,
          clusterId: () => storage.identity().clusterId,
          progress,
          snapshotIndex: () => storage.snapshotMetadata().index,
          firstLogIndex: () => storage.firstIndex(),
        }),
        Kv: kvService({ node: raft, machine }),
      },
      audit,
    });
    cleanups.push(() => clientServer.close(0));

    const ports: PortsInfo = {
      pid: process.pid,
      nodeId: config.id,
      incarnationId: storage.identity().incarnationId,
      clusterId: storage.identity().clusterId,
      peerAddress,
      clientAddress: clientServer.address,
    };
    await writePortsFile(config.dataDir, ports);
    logger.info('node ready', { ...ports });

    let stopping: Promise<void> | undefined;
    return {
      id: config.id,
      ports,
      raft,
      machine,
      transport,
      logger,
      stop: () => (stopping ??= cleanup()),
      async powerLoss(): Promise<void> {
        logger.warn('simulating power loss', { applied: machine.appliedIndex(), durableApplied: machine.durableAppliedIndex(), crashSim: smKv.crashSimulated });
        // The network dies with the power: nothing more leaves this process.
        transport.close();
        await simulatePowerLoss();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
