/**
 * A storage node process: the metadata Raft group over LevelRaftStorage,
 * replicated to peers through `GrpcRaftTransport` on the peer port, running
 * the metadata state machine (with the key-value test machine beside it in
 * the same log); its devices behind a ShardStore; Fabric (shards between
 * nodes, forwarded proposals) on the peer port; Data (tenants' objects),
 * Admin (membership) and Kv on the client port; /healthz and /readyz on the
 * HTTP port.
 *
 * Data dir: `raft/` (LevelDB of the Raft store), `state/` (LevelDB of the
 * key-value machine), `metadata/` (LevelDB of the metadata machine),
 * `devices/` (default device folders), `added-devices.json` (devices added
 * through Admin AddDevice, merged after the configured ones at start),
 * `tmp/` (the process's temp dir),
 * `audit.jsonl` (transport refusals), `ports.json` (written once every port
 * serves). Every store goes through DurableKv and the extent files through
 * the crash-simulated file layer, so TESSERA_CRASHSIM=1 simulates power loss
 * for all of them.
 *
 * The node starts and serves Raft without the key manager; it is "not ready
 * for data" (/readyz 503, data calls KM_UNAVAILABLE) until it has loaded the
 * system keys.
 *
 * Start-up order matters: the peer port is bound first, because a
 * bootstrapping member commits its own peer address in the first
 * configuration (DESIGN section 2).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, Logger, TesseraError, isTesseraError, parseMutationList, type LogSink } from '@tessera/common';
import { GrpcKeyWatch, KeyClient, KeyManagerClient, grpcKeyFetcher } from '@tessera/keymanager';
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
import { ShardStore, envStorageMutations, simulateStoragePowerLoss } from '@tessera/storage';
import {
  BulkClients,
  BulkServer,
  GrpcRaftTransport,
  InMemoryTenantCaRegistry,
  JsonlFileAuditSink,
  PeerCredentials,
  memberCertificate,
  removePortsFile,
  startTesseraServer,
  writePortsFile,
  type BulkHandler,
  type CallWithAuthContext,
  type GroupView,
  type PortsInfo,
  type Principal,
  type TesseraServer,
  raftNodeTuning,
} from '@tessera/transport';
import { AuditSinkAdapter } from '@tessera/audit';
import { AccessGrants } from '../access/index.js';
import { NodeTransportAuditSink, nodeAuditBatcher, auditAdminHandlers, auditHandlers, kmHeadSigner } from '../audit/index.js';
import { adminService } from '../admin/service.js';
import { removalGuard, takeOutOfPlacement } from '../admin/removal.js';
import { ChunkStore, type ChunkStoreStats } from '../data/chunk-store.js';
import { NodeKeys } from '../data/node-keys.js';
import { ObjectService } from '../data/objects.js';
import { ChunkPipeline } from '../data/pipeline/index.js';
import { Maintenance, registerMaintenanceMetrics } from '../maintenance/index.js';
import { MetadataProposer } from '../data/proposer.js';
import { BULK_PUT_CHUNK, dataPorts } from '../data/service.js';
import { BulkDirectory } from '../fabric/bulk-directory.js';
import { BULK_PUT_SHARD, bulkShardHandler } from '../fabric/bulk-shard.js';
import { FabricClients } from '../fabric/peer-client.js';
import { fabricService } from '../fabric/service.js';
import { ClusterShardIo } from '../fabric/shard-io.js';
import { KvMachine } from '../kv/machine.js';
import { kvService } from '../kv/service.js';
import { MetadataMachine } from '../metadata/machine.js';
import { encodeMetadataResult } from '../metadata/result-codec.js';
import { loadAddedDevices, mergeDevices, saveAddedDevices } from './added-devices.js';
import { announcedBulkAddress, announcedClientBulkAddress, type NodeConfig, type NodeDeviceConfig } from './config.js';
import { NodeDuties } from './duties.js';
import { Housekeeping } from './housekeeping.js';
import { startHealthServer } from './http.js';
import { NodeMetrics } from './metrics.js';
import { NodeMachine, tagCommand, type NodeResult } from './node-machine.js';
import { syncTenantRegistry } from './tenant-registry.js';

/** The Raft group of the cluster's metadata (the only group so far). */
export const METADATA_GROUP = 1;

export interface StartNodeOptions {
  /** Where log lines go (default stderr). */
  readonly logSink?: LogSink;
}

export interface RunningNode {
  readonly id: NodeId;
  readonly ports: PortsInfo;
  readonly raft: RaftNode<NodeResult>;
  readonly machine: NodeMachine;
  readonly transport: GrpcRaftTransport;
  readonly logger: Logger;
  /** Clean shutdown: stop serving, stop Raft, close the stores (nothing is lost). */
  stop(): Promise<void>;
  /**
   * Power-loss simulation (TESSERA_CRASHSIM=1): cut the network, drop every
   * write not covered by a completed sync in every store and extent file,
   * and close them. The caller then kills the process.
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
  const mutations = parseMutationList(process.env['TESSERA_MUTATE'], 'node');

  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  // The process's temp files (if any library makes one) stay inside its data dir (K1 scans it).
  const tmpDir = path.join(config.dataDir, 'tmp');
  await mkdir(tmpDir, { recursive: true, mode: 0o700 });
  process.env['TMPDIR'] = tmpDir;
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
    const auditFile = new JsonlFileAuditSink(path.join(config.dataDir, 'audit.jsonl'));
    cleanups.push(() => auditFile.close());
    // Transport refusals also enter the metadata group's audit chains once Raft is up (issue #9: ../audit).
    const audit = new NodeTransportAuditSink(auditFile);

    // Devices added through Admin AddDevice come back after the configured ones (the config wins on an id or folder).
    const addedDevices: NodeDeviceConfig[] = await loadAddedDevices(config.dataDir);
    const merged = mergeDevices(config.devices, addedDevices);
    for (const d of merged.shadowed) logger.warn('added device left out: the configuration names its id or folder', { device: d.id });
    // Grows when AddDevice attaches a device; the registration duty reads this same list every turn.
    const localDevices: NodeDeviceConfig[] = merged.devices;
    const store = await ShardStore.open({
      nodeId: config.id,
      devices: localDevices.map((d) => ({ deviceId: d.id, path: d.path, capacityBytes: d.capacityBytes, directIo: config.directIo })),
      mutations: envStorageMutations(),
    });
    cleanups.push(() => store.close());
    // Bulk port (ADR 0026): shard bytes from other nodes as raw bytes beside gRPC.
    const bulkServer =
      config.bulkListen === undefined
        ? undefined
        : await BulkServer.start({
            trustDomain,
            tls: config.tls,
            host: config.bulkListen.host,
            listenPort: config.bulkListen.port,
            handlers: new Map([[BULK_PUT_SHARD, bulkShardHandler(store)]]),
            audit,
          });
    if (bulkServer !== undefined) cleanups.push(() => bulkServer.close());
    // A configured bulk address of a peer, keyed by the peer address this node dials (its override).
    const bulkOverrides = new Map([...config.bulkPeers].flatMap(([id, bulk]) => (config.peers.has(id) ? [[config.peers.get(id)!, bulk] as const] : [])));
    const fabricClients = await FabricClients.create({ trustDomain, tls: config.tls }, {}, (credentials, pool) =>
      new BulkDirectory({ clients: new BulkClients({ credentials }), describe: (peer) => pool.describeBulk(peer), override: (peer) => bulkOverrides.get(peer) }),
    );
    cleanups.push(() => fabricClients.close());

    // Raft and the proposer are created below; the peer port must be bound first (its address is committed).
    let raftRef: RaftNode<NodeResult> | undefined;
    let peerServer: TesseraServer | undefined;
    const raftService = transport.service((call) => {
      if (peerServer === undefined) throw new TesseraError(ErrorCodes.TRANSPORT_UNAUTHENTICATED, 'not ready');
      return peerServer.principalOf(call);
    });
    const fabric = fabricService({
      store,
      bulkAddress: () => (bulkServer === undefined ? undefined : announcedBulkAddress(config, bulkServer)),
      propose: async (group, command) => {
        if (group !== METADATA_GROUP || raftRef === undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'unknown group');
        if (command[0] !== tagCommand('metadata', Buffer.alloc(0))[0]) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'only metadata commands are forwarded');
        const result = await raftRef.propose(command);
        if (result.machine !== 'metadata') throw new TesseraError(ErrorCodes.INTERNAL, 'proposal applied by another machine');
        return encodeMetadataResult(result.result);
      },
    });
    peerServer = await startTesseraServer({
      port: 'peer',
      trustDomain,
      tls: config.tls,
      host: config.peerListen.host,
      listenPort: config.peerListen.port,
      services: { Raft: raftService, Fabric: fabric },
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
    const mdKv: DurableKv = await openDurableKv(path.join(config.dataDir, 'metadata'));
    cleanups.push(() => mdKv.close());
    const kvMachine = await KvMachine.open(smKv, { syncEveryEntries: config.syncEveryEntries });
    const metadata = await MetadataMachine.open(mdKv, { syncEveryEntries: config.syncEveryEntries });
    const machine = new NodeMachine(metadata, kvMachine);
    // Runs after Raft stops and before the stores close: the writes behind the last applies land.
    cleanups.push(() => machine.flush());
    logger.info('state machines opened', { applied: machine.appliedIndex(), crashSim: smKv.crashSimulated });

    // The client port trusts the tenant CAs of the committed tenant table (DESIGN section 2).
    const tenantCas = new InMemoryTenantCaRegistry();
    const syncTenants = (): void => syncTenantRegistry(tenantCas, metadata.tenants(), logger);
    syncTenants();
    cleanups.push(metadata.onTenantsChanged(syncTenants));

    let core: RaftCore | undefined;
    const raft = await RaftNode.start<NodeResult>({
      group: METADATA_GROUP,
      storage,
      transport,
      stateMachine: machine,
      ...raftNodeTuning(config.raft),
      logger: logger.child({ component: 'raft' }),
      // Kept to read the leader's view of each follower (AddMember's catch-up check, ClusterStatus).
      createCore: (c) => (core = new RaftCore(c)),
    });
    raftRef = raft;
    cleanups.push(() => raft.stop());
    const progress = (): ReadonlyMap<NodeId, ProgressStatus> => core?.status().progress ?? new Map();

    const view: GroupView = {
      localId: config.id,
      clusterId: () => storage.identity().clusterId,
      incarnationId: () => storage.identity().incarnationId,
      confState: () => raft.status().confState,
    };
    cleanups.push(transport.registerGroup(METADATA_GROUP, view));

    const addressOf = (nodeId: string): string | undefined =>
      nodeId === config.id ? peerAddress : (transport.addressOf(nodeId, METADATA_GROUP) ?? metadata.nodes().find((n) => n.nodeId === nodeId)?.address);
    const proposer = new MetadataProposer({ raft, group: METADATA_GROUP, clients: fabricClients, addressOf });
    // ----- audit chains (issue #9) -----
    // Records from outside any command's apply (admin actions, aggregated refusals, exports) as batched
    // `auditAppend` proposals; the transport sink's refusals are aggregated per principal, method and minute.
    const auditBatcher = nodeAuditBatcher({ proposer, logger: logger.child({ component: 'audit' }) });
    cleanups.push(() => Promise.race([auditBatcher.close(), new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref())]));
    const transportAudit = new AuditSinkAdapter({ appender: auditBatcher });
    transportAudit.startTimer();
    audit.bind(transportAudit);
    cleanups.push(() => audit.close());
    // ----- end of audit chains -----
    // TESSERA_MUTATE=read-without-readindex: a planted bug serving reads from local state (the chaos suite must catch it).
    const staleReads = mutations.has('read-without-readindex');
    if (staleReads) logger.warn('planted bug active: reads skip the ReadIndex barrier', { mutation: 'read-without-readindex' });
    const readIndex = async (): Promise<number> => (staleReads ? machine.appliedIndex() : raft.readIndex());
    const readBarrier = async (): Promise<void> => {
      await readIndex();
    };

    // Keys: the node serves Raft without the key manager; data waits for the system keys.
    let keys: NodeKeys | undefined;
    let kmClient: KeyManagerClient | undefined;
    if (config.keyManagers.length > 0) kmClient = await KeyManagerClient.create({ tls: config.tls, endpoints: config.keyManagers, trustDomain });
    const reporter = kmClient;
    const duties = new NodeDuties({
      nodeId: config.id,
      peerAddress,
      devices: localDevices,
      machine: metadata,
      proposer,
      lastEntryAt: () => machine.lastApplyAt,
      clock: Date.now,
      logger: logger.child({ component: 'duties' }),
      currentSystemEpoch: () => keys?.currentSystemEpoch(),
      leaderRead: async () => {
        const index = await raft.readIndex();
        return { term: raft.status().term, index };
      },
      ...(reporter !== undefined
        ? {
            reportMinDecryptEpoch: async ({ epoch, term, index }) => {
              await reporter.call('ReportMinDecryptEpoch', { epoch: String(epoch), metadataTerm: String(term), metadataIndex: String(index) }, { idempotent: true });
            },
          }
        : {}),
    });
    if (kmClient !== undefined) {
      const watch = new GrpcKeyWatch(kmClient);
      const keyClient = new KeyClient({ fetcher: grpcKeyFetcher(kmClient), watch, ttlMs: config.keyTtlMs });
      keys = new NodeKeys(keyClient, logger.child({ component: 'keys' }));
      const nodeKeys = keys;
      const unsubscribe = watch.subscribe((event) => {
        nodeKeys.onEvent(event);
        duties.onKmEvent(event);
      });
      cleanups.push(() => {
        unsubscribe();
        watch.close();
        nodeKeys.close();
        kmClient.close();
      });
      keys.start();
    } else {
      logger.warn('no key manager configured (--keymanager): this node serves Raft but never data');
    }
    duties.start();
    cleanups.push(() => duties.stop());
    const housekeeping = new Housekeeping({
      nodeId: config.id,
      machine: metadata,
      proposer,
      store,
      readBarrier,
      clock: Date.now,
      config: config.housekeeping,
      logger: logger.child({ component: 'housekeeping' }),
    });
    housekeeping.start();
    cleanups.push(() => housekeeping.stop());

    const pipeline = await ChunkPipeline.start({ workers: config.pipelineWorkers });
    cleanups.push(() => pipeline.close());
    const io = new ClusterShardIo({ localNodeId: config.id, store, clients: fabricClients, addressOf });
    // Set once maintenance starts below; the Admin maintenance methods read it (issues #8/#9).
    let maintenanceRef: Maintenance | undefined;
    // ----- access grants (issue #9) -----
    // Requests, approvals and grants through Admin; cluster admins' Data calls under a grant (the gate
    // audits each before serving it); the client port's resource index over committed requests and
    // grants; the leader's expiry duty on its own timer (src/access). Used below at three marked lines.
    const access = new AccessGrants({
      machine: metadata,
      proposer,
      readBarrier,
      keys: () => keys,
      trustDomain,
      principalOf: (call) => {
        if (clientServer === undefined) throw new TesseraError(ErrorCodes.TRANSPORT_UNAUTHENTICATED, 'not ready');
        return clientServer.principalOf(call);
      },
      clock: Date.now,
      logger: logger.child({ component: 'access' }),
    });
    access.start();
    cleanups.push(() => access.stop());
    // ----- end of access grants -----
    const services: Parameters<typeof startTesseraServer>[0]['services'] = {
      Admin: adminService({
        node: raft as RaftNode<unknown>,
        clusterId: () => storage.identity().clusterId,
        progress,
        snapshotIndex: () => storage.snapshotMetadata().index,
        firstLogIndex: () => storage.firstIndex(),
        // The metadata state's digest at its applied index (the kv test machine is left out).
        stateDigest: () => metadata.digest(),
        extraHandlers: access.adminHandlers(), // access grants (issue #9)
        // Devices, tenant usage and quota, cluster overview (issue #9: ../admin/operator.ts).
        operator: {
          localNodeId: config.id,
          machine: metadata,
          readBarrier,
          propose: (command) => proposer.propose(command),
          localUsedBytes: (deviceId) => {
            const device = store.info().find((d) => d.deviceId === deviceId);
            return device !== undefined && 'usedBytes' in device ? device.usedBytes : undefined;
          },
          profile: config.erasure,
          raft,
          clusterId: () => storage.identity().clusterId,
          progress,
          clock: Date.now,
          maintenance: () => maintenanceRef, // the redundancy line of cluster status (issue #8)
        },
        // Scrub, repair and compaction status and controls (issues #8/#9: ../admin/maintenance.ts).
        maintenance: {
          localNodeId: config.id,
          machine: metadata,
          raft,
          readBarrier,
          propose: (command) => proposer.propose(command),
          maintenance: () => maintenanceRef,
          tombstoneTtlMs: config.housekeeping.tombstoneTtlMs,
          clock: Date.now,
        },
        // Attaching a device folder under the node's device roots (issue #9: ../admin/add-device.ts).
        addDevice: {
          localNodeId: config.id,
          roots: config.deviceRoots,
          store,
          directIo: config.directIo,
          devices: localDevices,
          added: addedDevices,
          record: (list) => saveAddedDevices(config.dataDir, list),
          machine: metadata,
          readBarrier,
          propose: (command) => proposer.propose(command),
          clock: Date.now,
          localUsedBytes: (deviceId) => {
            const device = store.info().find((d) => d.deviceId === deviceId);
            return device !== undefined && 'usedBytes' in device ? device.usedBytes : undefined;
          },
        },
      }, {
        // Membership safety rules of RemoveMember (issue #9: ../admin/removal.ts).
        beforeRemove: removalGuard({
          machine: metadata,
          readBarrier,
          principalOf: (call) => {
            if (clientServer === undefined) throw new TesseraError(ErrorCodes.TRANSPORT_UNAUTHENTICATED, 'not ready');
            return clientServer.principalOf(call);
          },
          logger: logger.child({ component: 'admin' }),
        }),
        afterRemove: async (removal) => {
          await takeOutOfPlacement({ machine: metadata, proposer, clock: Date.now, logger: logger.child({ component: 'admin' }) }, removal.id);
        },
      }),
      Kv: kvService({
        machine: kvMachine,
        readIndex,
        propose: async (command) => {
          const result = await raft.propose(tagCommand('kv', command));
          if (result.machine !== 'kv') throw new TesseraError(ErrorCodes.INTERNAL, 'proposal applied by another machine');
          return result.result;
        },
      }),
    };
    // Audit (issue #9: ../audit): heads and exports of the metadata chains; every state-changing Admin call reported.
    const adminPrincipalOf = (call: CallWithAuthContext): Principal => {
      if (clientServer === undefined) throw new TesseraError(ErrorCodes.TRANSPORT_UNAUTHENTICATED, 'not ready');
      return clientServer.principalOf(call);
    };
    const headSigner = kmClient !== undefined ? kmHeadSigner(kmClient) : undefined;
    services.Admin = auditAdminHandlers(
      { ...services.Admin, ...auditHandlers({ machine: metadata, readBarrier, signer: () => headSigner, audit: auditBatcher, principalOf: adminPrincipalOf }) },
      auditBatcher,
      adminPrincipalOf,
    );
    let clientServer: TesseraServer | undefined;
    // Tenants' chunk uploads as raw bytes (ADR 0026), beside the client port; started after it.
    let clientBulk: BulkServer | undefined;
    let bulkPutChunk: BulkHandler | undefined;
    let chunkStats: ChunkStoreStats | undefined;
    if (keys !== undefined) {
      const nodeKeys = keys;
      const chunks = new ChunkStore({
        localNodeId: config.id,
        machine: metadata,
        proposer,
        readBarrier,
        pipeline,
        keys: nodeKeys,
        io,
        pool: config.devices[0]!.pool,
        erasure: config.erasure,
        clock: Date.now,
        logger: logger.child({ component: 'chunks' }),
      });
      chunkStats = chunks.stats;
      const objects = new ObjectService({ machine: metadata, proposer, readBarrier, keys: nodeKeys, chunks, clock: Date.now });
      const data = dataPorts({
        principalOf: (call) => {
          if (clientServer === undefined) throw new TesseraError(ErrorCodes.TRANSPORT_UNAUTHENTICATED, 'not ready');
          return clientServer.principalOf(call);
        },
        machine: metadata,
        readBarrier,
        proposer,
        chunks,
        objects,
        assertReady: () => {
          if (!nodeKeys.ready()) throw new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'node not ready for data: system keys not loaded', { retriable: true });
        },
        clock: Date.now,
        logger: logger.child({ component: 'data' }),
        grants: access.gate, // access grants (issue #9)
        bulkAddress: () => (clientBulk === undefined ? undefined : announcedClientBulkAddress(config, clientBulk)),
      });
      services.Data = data.service;
      bulkPutChunk = data.bulkPutChunk;
    }
    clientServer = await startTesseraServer({
      port: 'client',
      trustDomain,
      tls: config.tls,
      host: config.clientListen.host,
      listenPort: config.clientListen.port,
      services,
      tenantCas,
      resources: access.resources, // access grants (issue #9)
      audit,
    });
    const boundClient = clientServer;
    cleanups.push(() => boundClient.close(0));
    if (bulkPutChunk !== undefined && config.clientBulkListen !== undefined) {
      const port = await BulkServer.start({
        trustDomain,
        tls: config.tls,
        host: config.clientBulkListen.host,
        listenPort: config.clientBulkListen.port,
        handlers: new Map([[BULK_PUT_CHUNK, bulkPutChunk]]),
        tenantCas,
        label: 'client-bulk',
        audit,
      });
      clientBulk = port;
      cleanups.push(() => port.close());
    }

    const registered = (): boolean => {
      const mine = new Set(metadata.devices().filter((d) => d.nodeId === config.id).map((d) => d.deviceId));
      return config.devices.every((d) => mine.has(d.id));
    };
    const notReadyReason = (): string | undefined => {
      if (keys === undefined) return 'no key manager configured';
      if (!keys.ready()) return 'system keys not loaded';
      if (raft.status().lead === '') return 'no metadata leader';
      if (!registered()) return 'devices not registered';
      return undefined;
    };
    // ----- metrics sources (issue #10: every family is defined in ./metrics.ts) -----
    const dataStats = chunkStats;
    const metrics = new NodeMetrics({
      ready: () => notReadyReason() === undefined,
      counters: () => (dataStats === undefined ? {} : dataCounters(dataStats)),
      raft,
      storage: store,
      keyClient: () => keys?.client.stats,
      servers: () => [peerServer, clientServer],
      bulk: () => [bulkServer, clientBulk],
      ...(dataStats !== undefined ? { dataPath: dataStats.dataPath } : {}),
      housekeeping: housekeeping.stats,
    });
    cleanups.push(() => metrics.close());
    // ----- end of metrics sources -----
    // ----- maintenance (issue #8) -----
    // Placement scrub, repair, evacuation and re-encryption on the metadata leader; device scrub and
    // failed-device reports on every node (src/maintenance). Re-encryption needs the key manager.
    const maintenance = new Maintenance({
      nodeId: config.id,
      machine: metadata,
      proposer,
      readBarrier,
      io,
      store,
      pool: config.devices[0]!.pool,
      settings: config.maintenance,
      clock: Date.now,
      logger: logger.child({ component: 'maintenance' }),
      // Down-out of storage nodes the leader has not heard from for maintenance.downOutAfterMs.
      downOut: { profile: config.erasure, raftProgress: progress },
      ...(keys !== undefined ? { keys, pipeline } : {}),
    });
    registerMaintenanceMetrics(metrics.registry, maintenance);
    maintenance.start();
    maintenanceRef = maintenance;
    cleanups.push(() => maintenance.stop());
    // ----- end of maintenance -----
    const health = await startHealthServer(config.httpListen, { notReadyReason, metrics: () => metrics.render() });
    cleanups.push(() => health.close());

    const ports: PortsInfo = {
      pid: process.pid,
      nodeId: config.id,
      incarnationId: storage.identity().incarnationId,
      clusterId: storage.identity().clusterId,
      peerAddress,
      clientAddress: clientServer.address,
      ...(bulkServer !== undefined ? { bulkAddress: bulkServer.address } : {}),
      ...(clientBulk !== undefined ? { clientBulkAddress: clientBulk.address } : {}),
      httpAddress: health.address,
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
        fabricClients.close();
        await Promise.all([simulatePowerLoss(), simulateStoragePowerLoss()]);
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function dataCounters(s: ChunkStoreStats): Record<string, number> {
  return {
    data_chunks_written_total: s.chunksWritten,
    data_chunks_deduplicated_total: s.chunksDeduplicated,
    data_shards_written_total: s.shardsWritten,
    data_slots_replaced_total: s.slotsReplaced,
    data_chunks_under_protected_total: s.underProtected,
    data_chunks_read_total: s.chunksRead,
    data_degraded_reads_total: s.degradedReads,
    data_shard_read_failures_total: s.shardReadFailures,
  };
}
