/**
 * The node's Prometheus metrics (DESIGN section 8: `tessera_<area>_<what>_<unit>`,
 * no tenant-attributable label: O1). A registry per process, served on the
 * HTTP port at /metrics, beside prom-client's default process metrics.
 *
 * Areas: node (readiness, event-loop lag), raft (the metadata group), data
 * (operations, bytes, phase latencies, the chunk store's counters), storage
 * (each device: state, capacity, use, CRC failures, scrub), keys (the key
 * client's cache), grpc (calls by method and code on both ports). Label
 * values are fixed vocabularies (operation, phase, outcome class, state) or
 * operator-chosen names (device ids, the group) — never a tenant, object
 * name, key tag or chunk id.
 *
 * Counters mirror in-process stats objects: each scrape adds what grew since
 * the previous one, so the stats stay plain fields on the hot path.
 *
 * Event-loop lag is what DESIGN section 2 asks to watch: the CPU stages of the
 * data path run off the event loop so Raft ticks are not starved. It is
 * sampled by perf_hooks' histogram and reported per scrape window (reset on
 * each scrape), as quantiles in seconds.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { KeyClientStats } from '@tessera/keymanager';
import { DEVICE_STATES, type ScrubProgress } from '@tessera/storage';
import {
  ProcessMetrics,
  counterFrom,
  gaugeFrom,
  latencyHistogram,
  registerRaftMetrics,
  registerBulkMetrics,
  registerRpcMetrics,
  type RaftMetricsSource,
  type RenderedMetrics,
  type BulkCountSource,
  type RpcCountSource,
  type Sample,
} from '@tessera/transport';
import { Counter, type Registry } from 'prom-client';
import { DATA_OPERATIONS, type DataPathStats } from '../data/data-path-stats.js';
import type { HousekeepingStats } from './housekeeping.js';

/** What the storage metrics read of the node's ShardStore (a ShardStore satisfies it). */
export interface StorageMetricsSource {
  info(): ReadonlyArray<{
    readonly deviceId: string;
    readonly state: string;
    readonly capacityBytes?: number;
    readonly usedBytes?: number;
    readonly liveBytes?: number;
    readonly counters?: { readonly checksumErrors: number; readonly readErrors: number; readonly bytesWritten: number; readonly syncs: number };
  }>;
  device(deviceId: string): { scrubProgress(): Promise<ScrubProgress> };
}

export interface NodeMetricsSources {
  readonly ready: () => boolean;
  /** The chunk store's monotonic counters by metric suffix (e.g. `data_chunks_written_total`). */
  readonly counters: () => Readonly<Record<string, number>>;
  /** The metadata group's Raft node. */
  readonly raft?: RaftMetricsSource;
  readonly storage?: StorageMetricsSource;
  /** The key client's counters (undefined while no key manager is configured). */
  readonly keyClient?: () => KeyClientStats | undefined;
  /** The gRPC ports (peer, client). */
  readonly servers?: () => readonly (RpcCountSource | undefined)[];
  /** The bulk ports (ADR 0026), those the node serves. */
  readonly bulk?: () => readonly (BulkCountSource | undefined)[];
  /** The data path's operation and phase events. */
  readonly dataPath?: DataPathStats;
  /** GC, compaction and shard reconciliation (issue #8). */
  readonly housekeeping?: HousekeepingStats;
  /** prom-client's default process metrics (default true). */
  readonly defaults?: boolean;
}

export const COUNTER_HELP: Readonly<Record<string, string>> = {
  data_chunks_written_total: 'Chunks sealed, erasure-coded and committed by this gateway.',
  data_chunks_deduplicated_total: 'Chunk uploads that found a live record and committed only a pending reference.',
  data_shards_written_total: 'Shards this gateway wrote (locally or over Fabric) and saw fsynced.',
  data_slots_replaced_total: 'Shard writes that failed and moved to the next rendezvous slot.',
  data_chunks_under_protected_total: 'Chunks written with more than m shards on one node (too few live nodes).',
  data_chunks_read_total: 'Chunks read, opened and checked by this gateway.',
  data_degraded_reads_total: 'Chunk reads that needed parity shards.',
  data_shard_read_failures_total: 'Shard reads that failed (unreachable, missing or failing CRC32C).',
};

const KEY_CLIENT_COUNTERS: ReadonlyArray<readonly [keyof KeyClientStats, string, string]> = [
  ['cacheHits', 'tessera_keys_cache_hits_total', 'Key requests answered from the node-local key cache.'],
  ['cacheMisses', 'tessera_keys_cache_misses_total', 'Key requests the cache could not answer.'],
  ['requests', 'tessera_keys_fetches_total', 'Key fetches sent to the key manager.'],
  ['failures', 'tessera_keys_fetch_failures_total', 'Key fetches that failed (key manager unreachable or refusing).'],
  ['invalidations', 'tessera_keys_invalidations_total', 'Cached tenant key sets dropped by a key-manager event (shred, rotation).'],
];

/** Operations that move payload bytes (the others are metadata only). */
const BYTE_OPERATIONS = ['put_chunk', 'put_object', 'get_object'] as const;

export class NodeMetrics {
  private readonly process: ProcessMetrics;
  private readonly lag: IntervalHistogram;
  private readonly detach: Array<() => void> = [];

  constructor(sources: NodeMetricsSources) {
    this.process = new ProcessMetrics({ defaults: sources.defaults ?? true });
    const registry = this.process.registry;
    this.lag = monitorEventLoopDelay({ resolution: 10 });
    this.lag.enable();
    const lag = this.lag;
    gaugeFrom(registry, {
      name: 'tessera_node_event_loop_lag_seconds',
      // A gauge labelled `percentile`, not `quantile`: promtool reserves that label for summaries.
      help: 'Event-loop delay over the last scrape window, by percentile (50, 99, 100 = max).',
      labelNames: ['percentile'],
      read: () => {
        const out = [
          { labels: { percentile: '50' }, value: lag.percentile(50) / 1e9 },
          { labels: { percentile: '99' }, value: lag.percentile(99) / 1e9 },
          { labels: { percentile: '100' }, value: lag.max / 1e9 },
        ];
        lag.reset();
        return out;
      },
    });
    gaugeFrom(registry, {
      name: 'tessera_node_ready',
      help: '1 when the node is ready for data (system keys loaded, leader known, devices registered).',
      read: () => (sources.ready() ? 1 : 0),
    });
    for (const [suffix, help] of Object.entries(COUNTER_HELP)) {
      counterFrom(registry, { name: `tessera_${suffix}`, help, read: () => sources.counters()[suffix] ?? 0 });
    }
    if (sources.raft !== undefined) this.detach.push(registerRaftMetrics(registry, sources.raft, 'metadata'));
    if (sources.servers !== undefined) registerRpcMetrics(registry, sources.servers);
    if (sources.bulk !== undefined) registerBulkMetrics(registry, sources.bulk);
    if (sources.storage !== undefined) registerStorageMetrics(registry, sources.storage);
    if (sources.keyClient !== undefined) registerKeyClientMetrics(registry, sources.keyClient);
    if (sources.dataPath !== undefined) this.detach.push(registerDataPathMetrics(registry, sources.dataPath));
    if (sources.housekeeping !== undefined) registerHousekeepingMetrics(registry, sources.housekeeping);
  }

  /** The node's own families (what promtool lints). */
  get registry(): Registry {
    return this.process.registry;
  }

  render(): Promise<RenderedMetrics> {
    return this.process.render();
  }

  close(): void {
    for (const fn of this.detach.splice(0)) fn();
    this.lag.disable();
  }
}

function registerHousekeepingMetrics(registry: Registry, h: HousekeepingStats): void {
  counterFrom(registry, {
    name: 'tessera_data_housekeeping_proposals_total',
    help: 'Housekeeping commands the metadata leader proposed and the group accepted, by kind.',
    labelNames: ['kind'],
    read: () => [
      { labels: { kind: 'chunk_delete' }, value: h.chunkDeletesProposed },
      { labels: { kind: 'chunk_gone' }, value: h.chunkGonesProposed },
      { labels: { kind: 'drop_retired' }, value: h.retiredDropsProposed },
      { labels: { kind: 'compact' }, value: h.compactionsProposed },
    ],
  });
  counterFrom(registry, {
    name: 'tessera_storage_shards_reclaimed_total',
    help: 'Local shards deleted by reconciliation with the committed table, by reason (condemned record, stray copy, orphan).',
    labelNames: ['reason'],
    read: () => [
      { labels: { reason: 'condemned' }, value: h.shardsDeletedCondemned },
      { labels: { reason: 'stray' }, value: h.shardsDeletedStray },
      { labels: { reason: 'orphan' }, value: h.shardsDeletedOrphan },
    ],
  });
  counterFrom(registry, { name: 'tessera_storage_reconcile_passes_total', help: 'Completed reconciliations of local shards with the committed table.', read: () => h.reconcilePasses });
}

function registerStorageMetrics(registry: Registry, storage: StorageMetricsSource): void {
  const perDevice = (pick: (d: ReturnType<StorageMetricsSource['info']>[number]) => number | undefined) => (): Sample[] =>
    storage.info().flatMap((d) => {
      const value = pick(d);
      return value === undefined ? [] : [{ labels: { device: d.deviceId }, value }];
    });
  gaugeFrom(registry, {
    name: 'tessera_storage_device_state',
    help: "1 for each device's current state (healthy, degraded, evacuating, failed, removed), 0 for the others.",
    labelNames: ['device', 'state'],
    read: () => storage.info().flatMap((d) => DEVICE_STATES.map((state) => ({ labels: { device: d.deviceId, state }, value: d.state === state ? 1 : 0 }))),
  });
  gaugeFrom(registry, { name: 'tessera_storage_device_capacity_bytes', help: 'Configured capacity of each device.', labelNames: ['device'], read: perDevice((d) => d.capacityBytes) });
  gaugeFrom(registry, { name: 'tessera_storage_device_used_bytes', help: 'Bytes of extent files on each device (live and dead records).', labelNames: ['device'], read: perDevice((d) => d.usedBytes) });
  gaugeFrom(registry, { name: 'tessera_storage_device_live_bytes', help: 'Bytes of live shard records on each device.', labelNames: ['device'], read: perDevice((d) => d.liveBytes) });
  counterFrom(registry, { name: 'tessera_storage_crc_failures_total', help: 'Shard records that failed their CRC32C check on read (D2).', labelNames: ['device'], read: perDevice((d) => d.counters?.checksumErrors) });
  counterFrom(registry, { name: 'tessera_storage_read_errors_total', help: 'Shard reads that failed with an I/O error.', labelNames: ['device'], read: perDevice((d) => d.counters?.readErrors) });
  counterFrom(registry, { name: 'tessera_storage_written_bytes_total', help: 'Bytes appended to each device.', labelNames: ['device'], read: perDevice((d) => d.counters?.bytesWritten) });
  counterFrom(registry, { name: 'tessera_storage_syncs_total', help: 'fsyncs of each device (group commits).', labelNames: ['device'], read: perDevice((d) => d.counters?.syncs) });
  gaugeFrom(registry, {
    name: 'tessera_storage_scrub_passes',
    help: 'Completed scrub passes over each device.',
    labelNames: ['device'],
    read: () => scrubSamples(storage, (p) => p.passes),
  });
  gaugeFrom(registry, {
    name: 'tessera_storage_scrub_pass_scanned_bytes',
    help: 'Bytes scrubbed so far in the current pass over each device.',
    labelNames: ['device'],
    read: () => scrubSamples(storage, (p) => p.passBytes),
  });
  gaugeFrom(registry, {
    name: 'tessera_storage_scrub_progress_ratio',
    help: 'Share of each device the current scrub pass has covered (0 to 1).',
    labelNames: ['device'],
    read: async () => {
      const used = new Map(storage.info().map((d) => [d.deviceId, d.usedBytes ?? 0]));
      return (await scrubSamples(storage, (p) => p.passBytes)).map((s) => {
        const total = used.get(s.labels?.['device'] ?? '') ?? 0;
        return { ...s, value: total === 0 ? 0 : Math.min(1, s.value / total) };
      });
    },
  });
  gaugeFrom(registry, {
    name: 'tessera_storage_scrub_errors',
    help: 'Damaged records scrub has found on each device since it was created.',
    labelNames: ['device'],
    read: () => scrubSamples(storage, (p) => p.errorsFound),
  });
  gaugeFrom(registry, {
    name: 'tessera_storage_scrub_last_pass_timestamp_seconds',
    help: 'When scrub last completed a pass over each device (0: never).',
    labelNames: ['device'],
    read: () => scrubSamples(storage, (p) => p.lastPassCompletedAt / 1000),
  });
}

/** Scrub progress of every open device (a failed or detached device has none). */
async function scrubSamples(storage: StorageMetricsSource, pick: (p: ScrubProgress) => number): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const d of storage.info()) {
    if (d.capacityBytes === undefined) continue;
    try {
      out.push({ labels: { device: d.deviceId }, value: pick(await storage.device(d.deviceId).scrubProgress()) });
    } catch {
      // closed or failed meanwhile: no sample this scrape
    }
  }
  return out;
}

function registerKeyClientMetrics(registry: Registry, keyClient: () => KeyClientStats | undefined): void {
  for (const [field, name, help] of KEY_CLIENT_COUNTERS) counterFrom(registry, { name, help, read: () => keyClient()?.[field] ?? 0 });
}

function registerDataPathMetrics(registry: Registry, dataPath: DataPathStats): () => void {
  const operations = new Counter({
    name: 'tessera_data_requests_total',
    help: 'Client data operations served by this gateway, by operation and outcome (ok or the gRPC status class).',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const bytes = new Counter({
    name: 'tessera_data_bytes_total',
    help: 'Payload bytes received (put_chunk, put_object inline) or sent (get_object) by this gateway.',
    labelNames: ['operation'],
    registers: [registry],
  });
  for (const op of DATA_OPERATIONS) operations.inc({ operation: op, outcome: 'ok' }, 0);
  for (const op of BYTE_OPERATIONS) bytes.inc({ operation: op }, 0);
  const latency = latencyHistogram(registry, { name: 'tessera_data_operation_duration_seconds', help: 'Time to serve a client data operation, by operation.', labelNames: ['operation'] });
  const phases = latencyHistogram(registry, { name: 'tessera_data_phase_duration_seconds', help: 'Time of each data-path phase (identify, seal, shard_writes, commit, read_shards, open).', labelNames: ['phase'] });
  return dataPath.subscribe({
    operation: (op, outcome, seconds, n) => {
      operations.inc({ operation: op, outcome });
      if (n > 0) bytes.inc({ operation: op }, n);
      latency.observe({ operation: op }, seconds);
    },
    phase: (phase, seconds) => phases.observe({ phase }, seconds),
  });
}
