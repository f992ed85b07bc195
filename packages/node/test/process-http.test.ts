/**
 * The node's HTTP port (health, readiness, Prometheus metrics) on a real
 * loopback socket, and the metrics registry behind /metrics.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer, type Readiness } from '../src/process/http.js';
import { COUNTER_HELP, NodeMetrics } from '../src/process/metrics.js';

const LOOPBACK_ANY_PORT = { host: '127.0.0.1', port: 0 };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(readiness: Readiness): Promise<HealthServer> {
  const server = await startHealthServer(LOOPBACK_ANY_PORT, readiness);
  cleanups.push(() => server.close());
  return server;
}

function metrics(sources: Partial<ConstructorParameters<typeof NodeMetrics>[0]> = {}): NodeMetrics {
  const m = new NodeMetrics({ ready: () => false, counters: () => ({}), defaults: false, ...sources });
  cleanups.push(() => m.close());
  return m;
}

async function get(server: HealthServer, path: string, method = 'GET'): Promise<{ status: number; body: string; contentType: string | null }> {
  const res = await fetch(`http://${server.address}${path}`, { method });
  return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') };
}

/** `name{labels} value` sample lines of a Prometheus text exposition (comments skipped). */
function samples(body: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  return body
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
      if (match === null) throw new Error(`not a Prometheus sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const pair of (match[2] ?? '').split(',').filter((p) => p !== '')) {
        const eq = pair.indexOf('=');
        labels[pair.slice(0, eq)] = JSON.parse(pair.slice(eq + 1)) as string;
      }
      return { name: match[1] as string, labels, value: Number(match[3]) };
    });
}

function value(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  return samples(body).find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
}

describe('HTTP port: health and readiness', () => {
  it('binds 127.0.0.1 on any free port and reports the bound address', async () => {
    const server = await serve({ notReadyReason: () => undefined });
    expect(server.address).toMatch(/^127\.0\.0\.1:[1-9][0-9]*$/);
  });

  it('answers /healthz 200 regardless of readiness, ignoring a query string', async () => {
    const server = await serve({ notReadyReason: () => 'system keys not loaded' });
    expect(await get(server, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await get(server, '/healthz?verbose=1')).toMatchObject({ status: 200, body: 'ok\n' });
    expect((await get(server, '/healthz', 'HEAD')).status).toBe(200);
  });

  it('answers /readyz 503 with the reason until ready, then 200', async () => {
    let reason: string | undefined = 'no metadata leader known';
    const server = await serve({ notReadyReason: () => reason });
    expect(await get(server, '/readyz')).toEqual({ status: 503, body: 'not ready for data: no metadata leader known\n', contentType: 'text/plain' });
    reason = 'devices not registered';
    expect(await get(server, '/readyz')).toMatchObject({ status: 503, body: 'not ready for data: devices not registered\n' });
    reason = undefined;
    expect(await get(server, '/readyz')).toMatchObject({ status: 200, body: 'ready\n' });
  });

  it('answers 404 for unknown paths (and /metrics when the process has none), 405 for other methods', async () => {
    const server = await serve({ notReadyReason: () => undefined });
    expect((await get(server, '/')).status).toBe(404);
    expect((await get(server, '/healthz/extra')).status).toBe(404);
    expect((await get(server, '/metrics')).status).toBe(404);
    for (const method of ['POST', 'PUT', 'DELETE']) {
      expect(await get(server, '/healthz', method)).toMatchObject({ status: 405, body: 'method not allowed\n' });
    }
    expect((await get(server, '/metrics', 'POST')).status).toBe(405);
  });

  it('answers 500 without details when rendering the metrics fails', async () => {
    const server = await serve({ notReadyReason: () => undefined, metrics: () => Promise.reject(new Error('registry exploded: secret internals')) });
    expect(await get(server, '/metrics')).toEqual({ status: 500, body: 'metrics unavailable\n', contentType: 'text/plain' });
  });

  it('stops accepting connections once closed', async () => {
    const server = await startHealthServer(LOOPBACK_ANY_PORT, { notReadyReason: () => undefined });
    expect((await get(server, '/healthz')).status).toBe(200);
    await server.close();
    await expect(get(server, '/healthz')).rejects.toThrow();
  });
});

describe('HTTP port: /metrics', () => {
  it('serves the Prometheus text format with event-loop lag percentiles and readiness', async () => {
    let ready = false;
    const m = metrics({ ready: () => ready });
    const server = await serve({ notReadyReason: () => undefined, metrics: () => m.render() });
    const first = await get(server, '/metrics');
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const percentile of ['50', '99', '100']) {
      const lag = value(first.body, 'tessera_node_event_loop_lag_seconds', { percentile });
      expect(lag, `lag percentile ${percentile}`).toBeDefined();
      expect(lag).toBeGreaterThanOrEqual(0);
    }
    expect(first.body).toContain('# TYPE tessera_node_event_loop_lag_seconds gauge');
    expect(value(first.body, 'tessera_node_ready')).toBe(0);
    ready = true;
    expect(value((await get(server, '/metrics')).body, 'tessera_node_ready')).toBe(1);
  });

  it('mirrors the stats counters by deltas: growing, never going back, independent per counter', async () => {
    const stats: Record<string, number> = {};
    const m = metrics({ counters: () => ({ ...stats }) });
    const scrape = async (): Promise<string> => (await m.render()).body;
    let body = await scrape();
    for (const suffix of Object.keys(COUNTER_HELP)) {
      expect(body).toContain(`# TYPE tessera_${suffix} counter`);
      expect(value(body, `tessera_${suffix}`)).toBe(0);
    }
    stats['data_chunks_written_total'] = 5;
    stats['data_shards_written_total'] = 30;
    body = await scrape();
    expect(value(body, 'tessera_data_chunks_written_total')).toBe(5);
    expect(value(body, 'tessera_data_shards_written_total')).toBe(30);
    stats['data_chunks_written_total'] = 8;
    body = await scrape();
    expect(value(body, 'tessera_data_chunks_written_total')).toBe(8);
    expect(value(body, 'tessera_data_shards_written_total')).toBe(30);
    // A stats object that went back (a component restarted) must not make the counter drop or jump.
    stats['data_chunks_written_total'] = 2;
    expect(value(await scrape(), 'tessera_data_chunks_written_total')).toBe(8);
    stats['data_chunks_written_total'] = 11;
    expect(value(await scrape(), 'tessera_data_chunks_written_total')).toBe(11);
  });

  it('carries no tenant-attributable label and only tessera_ metric names', async () => {
    // A stats source with an extra, tenant-named field: only the declared counters are exported.
    const m = metrics({ counters: () => ({ ...Object.fromEntries(Object.keys(COUNTER_HELP).map((k, i) => [k, i + 1])), tenant_acme_bytes_total: 5 }) });
    const body = (await m.render()).body;
    const all = samples(body);
    expect(all.length).toBeGreaterThan(Object.keys(COUNTER_HELP).length);
    for (const s of all) {
      expect(s.name).toMatch(/^tessera_[a-z0-9_]+$/);
      expect(Object.keys(s.labels).every((label) => label === 'percentile'), `${s.name} has labels ${JSON.stringify(s.labels)}`).toBe(true);
    }
    // Neither a name nor a label value names a tenant, object or client (help text may say what the metric is).
    for (const s of all) expect(`${s.name} ${Object.values(s.labels).join(' ')}`).not.toMatch(/tenant|object|client|acme/i);
  });

  it('names counters tessera_<area>_<what>_total with help text (promtool conventions)', () => {
    for (const [suffix, help] of Object.entries(COUNTER_HELP)) {
      expect(suffix).toMatch(/^[a-z]+_[a-z0-9_]+_total$/);
      expect(help.length).toBeGreaterThan(10);
    }
  });
});
