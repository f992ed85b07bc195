/**
 * The shared HTTP port (node and key manager): /healthz, /readyz with a
 * synchronous or asynchronous readiness check and the process's prefix,
 * /metrics, and nothing else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer, type Readiness } from '../src/index.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function serve(readiness: Readiness): Promise<HealthServer> {
  const server = await startHealthServer({ host: '127.0.0.1', port: 0 }, readiness);
  cleanups.push(() => server.close());
  return server;
}

async function get(server: HealthServer, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://${server.address}${path}`);
  return { status: res.status, body: await res.text() };
}

describe('shared health server', () => {
  it('answers /readyz from an asynchronous check with the default prefix', async () => {
    let healthy = false;
    const server = await serve({ notReadyReason: async () => (healthy ? undefined : 'root provider unhealthy') });
    expect(await get(server, '/readyz')).toEqual({ status: 503, body: 'not ready: root provider unhealthy\n' });
    healthy = true;
    expect(await get(server, '/readyz')).toEqual({ status: 200, body: 'ready\n' });
    expect(await get(server, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
  });

  it('uses the configured prefix, and a check that fails is "not ready" without its message', async () => {
    const prefixed = await serve({ notReadyPrefix: 'not ready for data', notReadyReason: () => 'system keys not loaded' });
    expect(await get(prefixed, '/readyz')).toEqual({ status: 503, body: 'not ready for data: system keys not loaded\n' });
    const failing = await serve({ notReadyReason: () => Promise.reject(new Error('token acme-secret gone')) });
    expect(await get(failing, '/readyz')).toEqual({ status: 503, body: 'not ready: readiness check failed\n' });
  });

  it('serves /metrics only when the process has metrics', async () => {
    const without = await serve({ notReadyReason: () => undefined });
    expect((await get(without, '/metrics')).status).toBe(404);
    const withMetrics = await serve({ notReadyReason: () => undefined, metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'tessera_up 1\n' }) });
    expect(await get(withMetrics, '/metrics')).toEqual({ status: 200, body: 'tessera_up 1\n' });
  });
});
