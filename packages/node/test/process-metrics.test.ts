/**
 * The node's metric families beyond readiness: storage per device (state,
 * capacity, use, CRC failures, scrub), the key client's cache, the data
 * path's operations, bytes and phases, and gRPC calls — fixed label
 * vocabularies only (O1).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyClientStats } from '@tessera/keymanager';
import type { ScrubProgress } from '@tessera/storage';
import { RpcCounts } from '@tessera/transport';
import { DataPathStats } from '../src/data/data-path-stats.js';
import { NodeMetrics, type NodeMetricsSources, type StorageMetricsSource } from '../src/process/metrics.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function metrics(sources: Partial<NodeMetricsSources>): NodeMetrics {
  const m = new NodeMetrics({ ready: () => true, counters: () => ({}), defaults: false, ...sources });
  cleanups.push(() => m.close());
  return m;
}

function parse(body: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  return body
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (m === null) throw new Error(`bad line ${line}`);
      const labels: Record<string, string> = {};
      for (const pair of m[2]?.match(/[a-z_]+="[^"]*"/g) ?? []) labels[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 2, -1);
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

function value(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort());
  return parse(body).find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want)?.value;
}

const scrub = (passes: number): ScrubProgress => ({
  passes,
  cursorExtent: 0,
  cursorOffset: 0,
  passBytes: 4096,
  totalBytesScanned: 8192,
  errorsFound: 1,
  lastRunStartedAt: 0,
  lastRunFinishedAt: 0,
  lastPassCompletedAt: 2_000,
});

class FakeStorage implements StorageMetricsSource {
  crc = 0;
  info(): ReturnType<StorageMetricsSource['info']> {
    return [
      { deviceId: 'd1', state: 'healthy', capacityBytes: 1000, usedBytes: 300, liveBytes: 200, counters: { checksumErrors: this.crc, readErrors: 0, bytesWritten: 300, syncs: 4 } },
      { deviceId: 'd2', state: 'failed' },
    ];
  }
  device(id: string): { scrubProgress(): Promise<ScrubProgress> } {
    if (id !== 'd1') throw new Error('no such device');
    return { scrubProgress: async () => scrub(2) };
  }
}

describe('node metrics: storage', () => {
  it('reports each device state as a one-hot family, capacity, use, CRC failures and scrub progress', async () => {
    const storage = new FakeStorage();
    const m = metrics({ storage });
    let body = (await m.render()).body;
    expect(value(body, 'tessera_storage_device_state', { device: 'd1', state: 'healthy' })).toBe(1);
    expect(value(body, 'tessera_storage_device_state', { device: 'd1', state: 'failed' })).toBe(0);
    expect(value(body, 'tessera_storage_device_state', { device: 'd2', state: 'failed' })).toBe(1);
    expect(value(body, 'tessera_storage_device_capacity_bytes', { device: 'd1' })).toBe(1000);
    expect(value(body, 'tessera_storage_device_used_bytes', { device: 'd1' })).toBe(300);
    expect(value(body, 'tessera_storage_device_capacity_bytes', { device: 'd2' })).toBeUndefined();
    expect(value(body, 'tessera_storage_crc_failures_total', { device: 'd1' })).toBe(0);
    expect(value(body, 'tessera_storage_scrub_passes', { device: 'd1' })).toBe(2);
    expect(value(body, 'tessera_storage_scrub_errors', { device: 'd1' })).toBe(1);
    expect(value(body, 'tessera_storage_scrub_progress_ratio', { device: 'd1' })).toBe(1); // 4096 scanned of 300 used: capped
    expect(value(body, 'tessera_storage_scrub_last_pass_timestamp_seconds', { device: 'd1' })).toBe(2);
    storage.crc = 3;
    body = (await m.render()).body;
    expect(value(body, 'tessera_storage_crc_failures_total', { device: 'd1' })).toBe(3);
  });
});

describe('node metrics: keys, data path and gRPC', () => {
  it('mirrors the key client counters (zero while no key manager is configured)', async () => {
    let stats: KeyClientStats | undefined;
    const m = metrics({ keyClient: () => stats });
    expect(value((await m.render()).body, 'tessera_keys_cache_hits_total')).toBe(0);
    stats = { requests: 4, cacheHits: 10, cacheMisses: 4, failures: 1, invalidations: 2 };
    const body = (await m.render()).body;
    expect(value(body, 'tessera_keys_cache_hits_total')).toBe(10);
    expect(value(body, 'tessera_keys_cache_misses_total')).toBe(4);
    expect(value(body, 'tessera_keys_fetches_total')).toBe(4);
    expect(value(body, 'tessera_keys_fetch_failures_total')).toBe(1);
    expect(value(body, 'tessera_keys_invalidations_total')).toBe(2);
  });

  it('counts operations by outcome, bytes by operation and times operations and phases; stops listening when closed', async () => {
    const dataPath = new DataPathStats();
    const m = metrics({ dataPath });
    let body = (await m.render()).body;
    // Every operation's success series exists from the start (dashboards divide by it).
    for (const op of ['put_chunk', 'put_object', 'get_object', 'stat', 'list', 'delete']) expect(value(body, 'tessera_data_requests_total', { operation: op, outcome: 'ok' })).toBe(0);
    dataPath.operation('put_chunk', 'ok', 0.02, 4096);
    dataPath.operation('put_chunk', 'ok', 0.03, 100);
    dataPath.operation('stat', 'not_found', 0.001, 0);
    await dataPath.timed('seal', async () => 1);
    dataPath.phase('shard_writes', 0.004);
    body = (await m.render()).body;
    expect(value(body, 'tessera_data_requests_total', { operation: 'put_chunk', outcome: 'ok' })).toBe(2);
    expect(value(body, 'tessera_data_requests_total', { operation: 'stat', outcome: 'not_found' })).toBe(1);
    expect(value(body, 'tessera_data_bytes_total', { operation: 'put_chunk' })).toBe(4196);
    expect(value(body, 'tessera_data_operation_duration_seconds_count', { operation: 'put_chunk' })).toBe(2);
    expect(value(body, 'tessera_data_phase_duration_seconds_count', { phase: 'seal' })).toBe(1);
    expect(value(body, 'tessera_data_phase_duration_seconds_bucket', { phase: 'shard_writes', le: '0.005' })).toBe(1);
    m.close();
    dataPath.operation('put_chunk', 'ok', 0.02, 1);
    expect(value((await m.render()).body, 'tessera_data_requests_total', { operation: 'put_chunk', outcome: 'ok' })).toBe(2);
  });

  it('counts gRPC calls of both ports by method and code', async () => {
    const peer = { kind: 'peer', rpc: new RpcCounts() };
    const client = { kind: 'client', rpc: new RpcCounts() };
    peer.rpc.record('/tessera.v1.Raft/Exchange', 0);
    client.rpc.record('/tessera.v1.Data/PutChunk', 0);
    client.rpc.record('/tessera.v1.Data/PutChunk', 14);
    const body = (await metrics({ servers: () => [peer, client] }).render()).body;
    expect(value(body, 'tessera_grpc_requests_total', { port: 'peer', service: 'tessera.v1.Raft', method: 'Exchange', code: 'OK' })).toBe(1);
    expect(value(body, 'tessera_grpc_requests_total', { port: 'client', service: 'tessera.v1.Data', method: 'PutChunk', code: 'UNAVAILABLE' })).toBe(1);
  });

  it('serves the process defaults beside tessera_ families, whose labels come from fixed vocabularies', async () => {
    const dataPath = new DataPathStats();
    const m = new NodeMetrics({ ready: () => true, counters: () => ({}), dataPath, storage: new FakeStorage(), keyClient: () => undefined });
    cleanups.push(() => m.close());
    dataPath.operation('get_object', 'permission_denied', 0.01, 0);
    const body = (await m.render()).body;
    expect(body).toMatch(/^process_cpu_user_seconds_total /m);
    const allowed: Record<string, RegExp> = {
      percentile: /^(50|99|100)$/,
      operation: /^(put_chunk|put_object|get_object|stat|list|delete)$/,
      outcome: /^(ok|[a-z_]+)$/,
      phase: /^(identify|seal|shard_writes|commit|read_shards|open)$/,
      device: /^d[12]$/,
      state: /^(healthy|degraded|evacuating|failed|removed)$/,
      le: /^([0-9.e+-]+|\+Inf)$/,
    };
    for (const s of parse(body).filter((x) => x.name.startsWith('tessera_'))) {
      for (const [label, v] of Object.entries(s.labels)) {
        expect(allowed[label], `unexpected label ${label} on ${s.name}`).toBeDefined();
        expect(v).toMatch(allowed[label]!);
      }
    }
  });
});
