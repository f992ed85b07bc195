/**
 * The key-manager process (`tessera keymanager start`, DESIGN section 2):
 * the root provider (validated by a round trip, or the process refuses to
 * start), the key-manager Raft group (1 or 3 members; the storage node's
 * gRPC Raft transport with key-manager peers, the same bootstrap/join
 * model), and one mTLS keys port carrying `Keys` and `Raft`.
 *
 * Start-up order: the transport and the keys port first (a bootstrapping
 * member commits its own address), then the stores and Raft, then the Keys
 * service is bound and the ports file written. Data dir: `raft/` and
 * `state/` (two LevelDBs through DurableKv, so TESSERA_CRASHSIM covers
 * both), `ports.json`. The keyring folder of the file provider lies outside
 * it (checked).
 *
 * The HTTP port serves /metrics, /healthz and /readyz (ready: a member of
 * the group with a known leader, and the root provider healthy).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AuditSinkAdapter, DenialAggregator } from '@tessera/audit';
import { ErrorCodes, Logger, TesseraError, isTesseraError, type LogSink } from '@tessera/common';
import { LevelRaftStorage, RaftCore, RaftNode, openDurableKv, simulatePowerLoss, type DurableKv, type NodeId, type ProgressStatus, type StoreInit } from '@tessera/raft';
import {
  GrpcRaftTransport,
  InMemoryTenantCaRegistry,
  PeerCredentials,
  memberCertificate,
  membershipHandlers,
  removePortsFile,
  startHealthServer,
  startTesseraServer,
  writePortsFile,
  type GroupView,
  type PortsInfo,
  type TesseraServer,
  raftNodeTuning,
} from '@tessera/transport';
import { keysService } from '../grpc/keys-service.js';
import { assertProviderFitsMembers } from '../provider/validate.js';
import type { RootProvider } from '../provider/types.js';
import { KeyAdmin } from '../service/admin.js';
import { kmAuditBatcher } from '../service/km-audit-batcher.js';
import { raftKmGroup } from '../service/group.js';
import { KeyService } from '../service/key-service.js';
import { KeyManagerStateMachine } from '../state/machine.js';
import type { KmResult } from '../state/results.js';
import { AuditRouter } from './audit-router.js';
import { auditForwarder } from './audit-forwarder.js';
import type { KeyManagerConfig } from './config.js';
import { countingProvider } from './counting-provider.js';
import { testFaultHook } from './faults.js';
import { LateAuditSink, LateService } from './late-binding.js';
import { LeaderDuties } from './leader-duties.js';
import { KeyManagerMetrics, countKeyEvent, type KeyEventCounts, type UnwrapCounts } from './metrics.js';
import { openValidatedProvider } from './provider.js';
import { syncTenantCas } from './tenant-cas.js';

/** The key managers' Raft group id (the metadata group is 1). */
export const KEYMANAGER_GROUP = 2;
/** How often the leader looks for due work (system keys, due shreds, closed denial windows). */
const DUTY_INTERVAL_MS = 100;
/** /readyz asks the root provider at most this often. */
const PROVIDER_PROBE_MS = 2_000;

export interface StartKeyManagerOptions {
  /** Where log lines go (default stderr). */
  readonly logSink?: LogSink;
}

export interface RunningKeyManager {
  readonly id: NodeId;
  /** Keys port as both the peer and the client address (see the ports file). */
  readonly ports: PortsInfo;
  readonly raft: RaftNode<KmResult>;
  readonly machine: KeyManagerStateMachine;
  readonly provider: RootProvider;
  readonly server: TesseraServer;
  readonly tenantCas: InMemoryTenantCaRegistry;
  readonly logger: Logger;
  /** Audit records that never reached the trail since start. */
  auditLost(): number;
  /** Clean shutdown: pending audit records flushed, ports closed, Raft stopped, stores and provider closed. */
  stop(): Promise<void>;
  /** Power-loss simulation (TESSERA_CRASHSIM=1): network cut, un-synced writes dropped. */
  powerLoss(): Promise<void>;
}

export async function startKeyManager(config: KeyManagerConfig, options: StartKeyManagerOptions = {}): Promise<RunningKeyManager> {
  const logger = new Logger({ level: config.logLevel, base: { keymanager: config.id }, ...(options.logSink !== undefined ? { sink: options.logSink } : {}) });
  const { trustDomain } = await memberCertificate(config.tls.certFile, 'keymanager', config.id);
  if (config.trustDomain !== undefined && config.trustDomain !== trustDomain) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'the certificate belongs to another trust domain');
  }
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  // The process's temp files (if any library makes one) stay inside its data dir (the K1 scan covers it).
  const tmpDir = path.join(config.dataDir, 'tmp');
  await mkdir(tmpDir, { recursive: true, mode: 0o700 });
  process.env['TMPDIR'] = tmpDir;
  await removePortsFile(config.dataDir);
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async (): Promise<void> => {
    for (const fn of cleanups.splice(0).reverse()) await Promise.resolve(fn()).catch(() => undefined);
  };

  try {
    const unwraps: UnwrapCounts = { ok: 0, error: 0 };
    const provider = countingProvider(await openValidatedProvider(config.provider, [config.dataDir]), unwraps);
    cleanups.push(() => provider.close());
    logger.info('root provider validated', { provider: provider.kind });

    const credentials = await PeerCredentials.load({ trustDomain, tls: config.tls, memberKind: 'keymanager' });
    cleanups.push(() => credentials.close());
    const transport = new GrpcRaftTransport({ localId: config.id, credentials, peerAddresses: config.peers, logger: logger.child({ component: 'raft-transport' }) });
    cleanups.push(() => transport.close());

    const tenantCas = new InMemoryTenantCaRegistry();
    const keys = new LateService('Keys');
    const auditSink = new LateAuditSink();
    let server: TesseraServer | undefined;
    const raftService = transport.service((call) => {
      if (server === undefined) throw new TesseraError(ErrorCodes.TRANSPORT_UNAUTHENTICATED, 'not ready');
      return server.principalOf(call);
    });
    server = await startTesseraServer({
      port: 'keys',
      trustDomain,
      tls: config.tls,
      host: config.listen.host,
      listenPort: config.listen.port,
      services: { Keys: keys.implementation, Raft: raftService },
      tenantCas,
      audit: auditSink,
    });
    const keysServer = server;
    cleanups.push(() => keysServer.close(0));
    const address = config.advertise ?? keysServer.address;

    const raftKv: DurableKv = await openDurableKv(path.join(config.dataDir, 'raft'));
    cleanups.push(() => raftKv.close());
    const init: StoreInit | undefined =
      config.init === 'bootstrap' ? { kind: 'bootstrap', address } : config.init === 'join' ? { kind: 'join', ...(config.clusterId !== undefined ? { clusterId: config.clusterId } : {}) } : undefined;
    let storage: LevelRaftStorage;
    try {
      storage = await LevelRaftStorage.open(raftKv, { group: KEYMANAGER_GROUP, nodeId: config.id, ...(init !== undefined ? { init } : {}) });
    } catch (err) {
      if (isTesseraError(err, ErrorCodes.RAFT_NOT_BOOTSTRAPPED)) {
        throw new TesseraError(ErrorCodes.RAFT_NOT_BOOTSTRAPPED, 'empty raft store: start with --bootstrap (new key manager) or --join (added by an existing one)');
      }
      throw err;
    }
    if (config.clusterId !== undefined && storage.identity().clusterId !== '' && storage.identity().clusterId !== config.clusterId) {
      throw new TesseraError(ErrorCodes.RAFT_WRONG_CLUSTER, 'this data dir belongs to another key manager');
    }
    const conf = storage.initialState().confState;
    assertProviderFitsMembers(provider, Math.max(1, conf.voters.length + conf.learners.length));

    const smKv: DurableKv = await openDurableKv(path.join(config.dataDir, 'state'));
    cleanups.push(() => smKv.close());
    const machine = await KeyManagerStateMachine.open({ kv: smKv, provider, logger: logger.child({ component: 'state' }) });
    logger.info('state machine opened', { applied: machine.appliedIndex(), crashSim: smKv.crashSimulated });

    let core: RaftCore | undefined;
    const raft = await RaftNode.start<KmResult>({
      group: KEYMANAGER_GROUP,
      storage,
      transport,
      stateMachine: machine,
      ...raftNodeTuning(config.raft),
      logger: logger.child({ component: 'raft' }),
      createCore: (c) => (core = new RaftCore(c)),
    });
    cleanups.push(() => raft.stop());
    const view: GroupView = {
      localId: config.id,
      memberKind: 'keymanager',
      clusterId: () => storage.identity().clusterId,
      incarnationId: () => storage.identity().incarnationId,
      confState: () => raft.status().confState,
    };
    cleanups.push(transport.registerGroup(KEYMANAGER_GROUP, view));
    const leaderAddress = (id: string): string | undefined => config.peers.get(id) ?? raft.status().confState.members?.find((m) => m.id === id)?.address;

    // The tenant table fills the registry the keys port trusts tenant admins by.
    syncTenantCas(tenantCas, machine.state, logger);
    const unsubscribeCas = machine.subscribe((event) => {
      if (event.kind === 'tenant-changed') syncTenantCas(tenantCas, machine.state, logger);
    });
    cleanups.push(unsubscribeCas);

    const group = raftKmGroup(raft, machine);
    const serviceDenials = new DenialAggregator({ windowMs: config.auditDenialWindowMs });
    const transportDenials = new DenialAggregator({ windowMs: config.auditDenialWindowMs });
    const batcher = kmAuditBatcher({ group, aggregator: serviceDenials, logger: logger.child({ component: 'audit' }) });
    cleanups.push(() => batcher.close());
    const fault = testFaultHook(config.dataDir, logger);
    const admin = new KeyAdmin({ group, provider, audit: batcher, logger: logger.child({ component: 'admin' }), ...(fault !== undefined ? { onStep: fault } : {}) });
    const keyService = new KeyService({ group, provider, audit: batcher, ttlMs: config.keyTtlMs });
    const forwarder = auditForwarder({ trustDomain, tls: config.tls, leaderAddress });
    cleanups.push(() => forwarder.close());
    const router = new AuditRouter(raft, batcher, forwarder.forward, logger.child({ component: 'audit' }));
    auditSink.bind(new AuditSinkAdapter({ appender: router, aggregator: transportDenials }));

    const progress = (): ReadonlyMap<NodeId, ProgressStatus> => core?.status().progress ?? new Map();
    const membership = membershipHandlers(
      { node: raft as RaftNode<unknown>, clusterId: () => storage.identity().clusterId, progress, snapshotIndex: () => storage.snapshotMetadata().index, firstLogIndex: () => storage.firstIndex() },
      { beforeAdd: ({ membersAfter }) => assertProviderFitsMembers(provider, membersAfter) },
    );
    keys.bind(
      keysService({
        memberId: config.id,
        raft,
        group,
        machine,
        admin,
        keys: keyService,
        provider,
        audit: batcher,
        principalOf: (call) => keysServer.principalOf(call),
        membership,
        leaderAddress,
        auditLost: () => router.lost + auditSink.dropped,
        ...(fault !== undefined ? { onStep: fault } : {}),
      }),
    );

    const keyEvents: KeyEventCounts = { kekRotations: 0, tenantEpochs: 0, systemEpochs: 0, shreds: 0 };
    cleanups.push(machine.subscribe((event) => countKeyEvent(keyEvents, event)));
    const providerProbe = cachedProbe(async () => (await provider.health()).ok, PROVIDER_PROBE_MS);
    const notReadyReason = async (): Promise<string | undefined> => {
      const status = raft.status();
      const conf = status.confState;
      if (!conf.voters.includes(config.id) && !conf.learners.includes(config.id)) return 'not a member of the key-manager group';
      if (status.lead === '') return 'no key-manager leader';
      if (!(await providerProbe.check())) return 'root provider unhealthy';
      return undefined;
    };
    const metrics = new KeyManagerMetrics({
      ready: async () => (await notReadyReason()) === undefined,
      providerHealthy: () => providerProbe.check(),
      raft,
      servers: () => [keysServer],
      state: () => machine.state,
      unwraps,
      events: keyEvents,
    });
    cleanups.push(() => metrics.close());
    const health = await startHealthServer(config.httpListen, { notReadyReason, metrics: () => metrics.render() });
    cleanups.push(() => health.close());

    const duties = new LeaderDuties({ raft, machine, admin, router, aggregators: [serviceDenials, transportDenials], intervalMs: DUTY_INTERVAL_MS, logger: logger.child({ component: 'duties' }) });
    duties.start();
    cleanups.push(() => duties.stop());

    const ports: PortsInfo = {
      pid: process.pid,
      nodeId: config.id,
      incarnationId: storage.identity().incarnationId,
      clusterId: storage.identity().clusterId,
      peerAddress: address,
      clientAddress: keysServer.address,
      httpAddress: health.address,
    };
    await writePortsFile(config.dataDir, ports);
    logger.info('key manager ready', { ...ports, provider: provider.kind });

    let stopping: Promise<void> | undefined;
    return {
      id: config.id,
      ports,
      raft,
      machine,
      provider,
      server: keysServer,
      tenantCas,
      logger,
      auditLost: () => router.lost + auditSink.dropped,
      stop: () => (stopping ??= cleanup()),
      async powerLoss(): Promise<void> {
        logger.warn('simulating power loss', { applied: machine.appliedIndex(), crashSim: smKv.crashSimulated });
        transport.close();
        await simulatePowerLoss();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** A boolean health probe run at most every `everyMs` (concurrent checks share one run). */
function cachedProbe(probe: () => Promise<boolean>, everyMs: number): { check(): Promise<boolean> } {
  let last = true;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let running: Promise<boolean> | undefined;
  return {
    check(): Promise<boolean> {
      if (performance.now() - checkedAt < everyMs) return Promise.resolve(last);
      running ??= probe()
        .catch(() => false)
        .then((ok) => {
          last = ok;
          checkedAt = performance.now();
          running = undefined;
          return ok;
        });
      return running;
    },
  };
}
