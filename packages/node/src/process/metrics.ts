/**
 * The node's Prometheus metrics (DESIGN section 8: `tessera_<area>_<what>_<unit>`,
 * no tenant-attributable label: O1). A registry per process, served on the
 * HTTP port at /metrics. Counters mirror in-process stats objects: each scrape
 * adds what grew since the previous one, so the stats stay plain fields on
 * the hot path.
 *
 * Event-loop lag is what DESIGN section 2 asks to watch: the CPU stages of the
 * data path run off the event loop so Raft ticks are not starved. It is
 * sampled by perf_hooks' histogram and reported per scrape window (reset on
 * each scrape), as quantiles in seconds.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Registry } from 'prom-client';

export interface NodeMetricsSources {
  readonly ready: () => boolean;
  readonly isLeader: () => boolean;
  /** Monotonic counters by metric suffix (e.g. `data_chunks_written_total`). */
  readonly counters: () => Readonly<Record<string, number>>;
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

export class NodeMetrics {
  readonly registry = new Registry();
  private readonly lag: IntervalHistogram;

  constructor(sources: NodeMetricsSources) {
    this.lag = monitorEventLoopDelay({ resolution: 10 });
    this.lag.enable();
    const lag = this.lag;
    new Gauge({
      name: 'tessera_node_event_loop_lag_seconds',
      help: 'Event-loop delay over the last scrape window, by quantile.',
      labelNames: ['quantile'],
      registers: [this.registry],
      collect() {
        this.set({ quantile: '0.5' }, lag.percentile(50) / 1e9);
        this.set({ quantile: '0.99' }, lag.percentile(99) / 1e9);
        this.set({ quantile: '1' }, lag.max / 1e9);
        lag.reset();
      },
    });
    new Gauge({
      name: 'tessera_node_ready',
      help: '1 when the node is ready for data (system keys loaded, leader known, devices registered).',
      registers: [this.registry],
      collect() {
        this.set(sources.ready() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'tessera_raft_is_leader',
      help: '1 when this node leads the metadata group.',
      registers: [this.registry],
      collect() {
        this.set(sources.isLeader() ? 1 : 0);
      },
    });
    const seen = new Map<string, number>();
    for (const [suffix, help] of Object.entries(COUNTER_HELP)) {
      new Counter({
        name: `tessera_${suffix}`,
        help,
        registers: [this.registry],
        collect() {
          const now = sources.counters()[suffix] ?? 0;
          const before = seen.get(suffix) ?? 0;
          if (now > before) this.inc(now - before);
          seen.set(suffix, Math.max(now, before));
        },
      });
    }
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  close(): void {
    this.lag.disable();
  }
}
