/**
 * The node's and the key manager's real metric registries, built in-process
 * with fake sources that move every family once (each counter counted, each
 * gauge set, each histogram observed), so a scrape shows every family with
 * every label it carries. This is what deploy/metrics.json is checked
 * against: the registries' own scrape output (prom-client defaults apart),
 * not a reading of the sources.
 */
import { StateRole, type RaftNodeObserver, type RaftNodeStats, type RaftNodeStatus } from '@tessera/raft';
import type { KeyClientStats } from '@tessera/keymanager';
import { KeyManagerMetrics, countKeyEvent, type KeyEventCounts, type KeyManagerMetricsSources, type UnwrapCounts } from '@tessera/keymanager';
import type { ScrubProgress } from '@tessera/storage';
import { BulkCounts, RpcCounts, type RaftMetricsSource } from '@tessera/transport';
import { DataPathStats } from '../../packages/node/src/data/data-path-stats.js';
import { registerMaintenanceMetrics, type MaintenanceMetricsSource } from '../../packages/node/src/maintenance/metrics.js';
import type { HousekeepingStats } from '../../packages/node/src/process/housekeeping.js';
import { COUNTER_HELP, NodeMetrics, type NodeMetricsSources, type StorageMetricsSource } from '../../packages/node/src/process/metrics.js';
import type { KmState } from '../../packages/keymanager/src/state/types.js';
import type { CatalogMetric } from './deploy-assets.js';

export type ProcessKind = 'node' | 'keymanager';
export type FamilyType = 'counter' | 'gauge' | 'histogram';

/** One family as the registry declares it. */
export interface RegisteredFamily {
  readonly name: string;
  readonly type: FamilyType;
  readonly help: string;
  readonly labels: readonly string[];
  /** Sample lines the scrape showed for it. */
  readonly samples: number;
}

export interface ProcessRegistry {
  readonly process: ProcessKind;
  readonly families: readonly RegisteredFamily[];
  /** The process's own families as a scrape sees them (no prom-client defaults). */
  readonly exposition: string;
}

const raftStats = (): RaftNodeStats => ({
  readies: 1,
  syncedBatches: 1,
  entriesPersisted: 1,
  entriesApplied: 1,
  messagesSent: 1,
  messagesDropped: 1,
  messagesRefused: 1,
  snapshotsCreated: 1,
  snapshotsInstalled: 1,
  leaderChanges: 1,
  proposalsApplied: 1,
  proposalsNotLeader: 1,
  proposalsRejected: 1,
  proposalsUnknown: 1,
});

/** A Raft member that leads a group of two voters and a learner, and reports one synced batch and one commit. */
function fakeRaft(id: string): RaftMetricsSource {
  return {
    stats: raftStats(),
    status: (): RaftNodeStatus => ({ id, role: StateRole.Leader, lead: id, term: 2, commit: 5, applied: 5, confState: { voters: [id, `${id}-b`], learners: [`${id}-c`] } }),
    observe: (o: RaftNodeObserver) => {
      o.onSync?.(0.001);
      o.onCommit?.(0.002);
      return () => undefined;
    },
  };
}

const scrub: ScrubProgress = {
  passes: 1,
  cursorExtent: 0,
  cursorOffset: 0,
  passBytes: 100,
  totalBytesScanned: 200,
  errorsFound: 0,
  lastRunStartedAt: 0,
  lastRunFinishedAt: 0,
  lastPassCompletedAt: 1_000,
};

const storage: StorageMetricsSource = {
  info: () => [{ deviceId: 'd1', state: 'healthy', capacityBytes: 1000, usedBytes: 300, liveBytes: 200, counters: { checksumErrors: 1, readErrors: 1, bytesWritten: 300, syncs: 1 } }],
  device: () => ({ scrubProgress: async () => scrub }),
};

const keyClientStats: KeyClientStats = { requests: 1, cacheHits: 1, cacheMisses: 1, failures: 1, invalidations: 1 };

const housekeeping: HousekeepingStats = {
  chunkDeletesProposed: 1,
  chunkGonesProposed: 1,
  retiredDropsProposed: 1,
  compactionsProposed: 1,
  reconcilePasses: 1,
  shardsDeletedCondemned: 1,
  shardsDeletedStray: 1,
  shardsDeletedOrphan: 1,
  orphanPassesSkippedForSkew: 1,
};

/**
 * A metadata leader's maintenance, one of everything: a repair of each reason
 * and outcome, a completed placement scrub pass, an evacuating device, chunks
 * left under an old system epoch, a damaged record on a local device.
 */
const maintenance: MaintenanceMetricsSource = {
  queue: { count: () => 1, shardsMoved: 1, length: 1, active: 1 },
  placementScrub: {
    passesCompleted: () => 1,
    progress: () => ({ scanned: 1, total: 2 }),
    lastPass: () => ({ missing: 1, corrupt: 1, badDevice: 1, unreachable: 1, underProtected: 1, finishedAt: 1_000 }),
  },
  evacuator: { status: () => [{ nodeId: 'n2', deviceId: 'd2', remaining: 1 }] },
  reencrypter: { progress: () => ({ remaining: { '1': 1 }, rewritten: 1, failed: 1, deferred: 1 }) },
  deviceScrubber: { badRecordsByDevice: () => new Map([['d1', 1]]), status: () => ({ quarantined: 1, rounds: 1 }) },
  downOutCount: () => 1,
};

async function nodeRegistry(): Promise<ProcessRegistry> {
  const peer = { kind: 'peer', rpc: new RpcCounts() };
  const client = { kind: 'client', rpc: new RpcCounts() };
  peer.rpc.record('/tessera.v1.Raft/Exchange', 0);
  client.rpc.record('/tessera.v1.Data/PutChunk', 0);
  const bulk = new BulkCounts();
  bulk.record('put_shard', 'OK', 1024);
  const dataPath = new DataPathStats();
  const counters = Object.fromEntries(Object.keys(COUNTER_HELP).map((suffix) => [suffix, 1]));
  // Every source given: an optional source added to NodeMetricsSources (and the
  // families it brings) fails type-checking here until a fake is added.
  const sources = {
    ready: () => true,
    counters: () => counters,
    raft: fakeRaft('n1'),
    storage,
    keyClient: () => keyClientStats,
    servers: () => [peer, client],
    bulk: () => [{ counts: bulk }],
    dataPath,
    housekeeping,
    defaults: false,
  } satisfies Required<NodeMetricsSources>;
  const metrics = new NodeMetrics(sources);
  // Registered beside NodeMetrics, as the node process does (src/process/node.ts, maintenance block).
  registerMaintenanceMetrics(metrics.registry, maintenance);
  try {
    dataPath.operation('put_chunk', 'ok', 0.01, 10);
    dataPath.phase('seal', 0.001);
    const exposition = await metrics.registry.metrics();
    return { process: 'node', families: familiesFromExposition(exposition), exposition };
  } finally {
    metrics.close();
  }
}

async function keyManagerRegistry(): Promise<ProcessRegistry> {
  const rpc = new RpcCounts();
  rpc.record('/tessera.v1.Keys/GetTenantDataKey', 0);
  const unwraps: UnwrapCounts = { ok: 1, error: 1 };
  const events: KeyEventCounts = { kekRotations: 0, tenantEpochs: 0, systemEpochs: 0, shreds: 0 };
  countKeyEvent(events, { kind: 'tenant-shredded', tenant: 'contract-tenant' });
  const state = { system: { currentEpoch: 1 }, tenants: new Map() } as unknown as KmState;
  const sources = {
    ready: () => true,
    providerHealthy: () => true,
    raft: fakeRaft('km1'),
    servers: () => [{ kind: 'keys', rpc }],
    state: () => state,
    unwraps,
    events,
    defaults: false,
  } satisfies Required<KeyManagerMetricsSources>;
  const metrics = new KeyManagerMetrics(sources);
  try {
    const exposition = await metrics.renderOwn();
    return { process: 'keymanager', families: familiesFromExposition(exposition), exposition };
  } finally {
    metrics.close();
  }
}

/**
 * Families declared in an exposition: `# HELP` and `# TYPE` lines give name,
 * help and type; label names are the union over the family's samples (every
 * family is moved by the fakes, so each label appears), `le` aside.
 */
export function familiesFromExposition(body: string): RegisteredFamily[] {
  const families = new Map<string, { name: string; type?: FamilyType; help: string; labels: Set<string>; samples: number }>();
  const family = (name: string) => {
    let f = families.get(name);
    if (f === undefined) families.set(name, (f = { name, help: '', labels: new Set(), samples: 0 }));
    return f;
  };
  for (const line of body.split('\n')) {
    const help = /^# HELP (\S+) (.*)$/.exec(line);
    if (help !== null) {
      family(help[1]!).help = help[2]!.replaceAll('\\n', '\n').replaceAll('\\\\', '\\');
      continue;
    }
    const type = /^# TYPE (\S+) (counter|gauge|histogram)$/.exec(line);
    if (type !== null) {
      family(type[1]!).type = type[2] as FamilyType;
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*?)(_bucket|_sum|_count)?(?:\{(.*)\})? \S+$/.exec(line);
    if (sample === null) continue;
    const base = families.has(sample[1]!) ? sample[1]! : `${sample[1]!}${sample[2] ?? ''}`;
    family(base).samples++;
    for (const pair of sample[3]?.match(/[a-zA-Z_][a-zA-Z0-9_]*=/g) ?? []) {
      const label = pair.slice(0, -1);
      if (label !== 'le') family(base).labels.add(label);
    }
  }
  return [...families.values()].map((f) => {
    if (f.type === undefined) throw new Error(`${f.name}: no # TYPE line`);
    return { name: f.name, type: f.type, help: f.help, labels: [...f.labels].sort(), samples: f.samples };
  });
}

/** prom-client's default process and Node.js metrics: not part of the contract. */
export const DEFAULT_METRIC = /^(process|nodejs)_/;

/** Both processes' registries, every family moved once (prom-client defaults left out). */
export async function buildRegistries(): Promise<readonly ProcessRegistry[]> {
  const registries = [await nodeRegistry(), await keyManagerRegistry()];
  return registries.map((r) => ({ ...r, families: r.families.filter((f) => !DEFAULT_METRIC.test(f.name)) }));
}

/**
 * Where deploy/metrics.json and the registries disagree, one line each:
 * an emitted entry no listed process serves (or served with another type,
 * label set or help, or by a process not listed), a family no emitted entry
 * lists, a planned entry some process already serves. Empty when they match.
 */
export function contractDifferences(catalog: readonly CatalogMetric[], registries: readonly ProcessRegistry[]): string[] {
  const out: string[] = [];
  const servedBy = new Map<string, ProcessKind[]>();
  for (const r of registries) {
    for (const f of r.families) {
      servedBy.set(f.name, [...(servedBy.get(f.name) ?? []), r.process]);
      const entry = catalog.find((m) => m.name === f.name);
      if (entry === undefined) {
        out.push(`${f.name} (${r.process}): served but not in deploy/metrics.json`);
        continue;
      }
      if (entry.status !== 'emitted') out.push(`${f.name}: served by ${r.process} but marked ${entry.status}`);
      if (entry.type !== f.type) out.push(`${f.name}: type ${entry.type} in metrics.json, ${f.type} served by ${r.process}`);
      const listed = [...entry.labels].sort().join(',');
      const served = [...f.labels].sort().join(',');
      if (listed !== served) out.push(`${f.name}: labels [${listed}] in metrics.json, [${served}] served by ${r.process}`);
      if (entry.help !== f.help) out.push(`${f.name}: help in metrics.json differs from ${r.process}'s: ${JSON.stringify(f.help)}`);
    }
  }
  for (const m of catalog) {
    const served = (servedBy.get(m.name) ?? []).slice().sort().join(',');
    if (m.status === 'emitted' && served !== [...m.processes].sort().join(',')) {
      out.push(`${m.name}: metrics.json says served by [${[...m.processes].join(',')}], served by [${served}]`);
    }
  }
  return out;
}
