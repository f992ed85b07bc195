/**
 * A process's HTTP port (DESIGN section 2): health and metrics, never tenant
 * data (K2). Shared by the storage node and the key manager.
 *   GET /metrics  Prometheus text format (no tenant-attributable label: O1).
 *   GET /healthz  200 "ok" while the process serves.
 *   GET /readyz   200 "ready" once the process can do its job; 503
 *                 "<prefix>: <reason>" otherwise (the reason is a short,
 *                 fixed phrase: no secret, no tenant data).
 * Bound to loopback unless configured otherwise.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '../process/config-values.js';

export interface Readiness {
  /** undefined when ready, else a short reason. May be asynchronous (a provider probe). */
  readonly notReadyReason: () => string | undefined | Promise<string | undefined>;
  /** First words of the 503 body (default "not ready"). */
  readonly notReadyPrefix?: string;
  /** The metrics exposition, when the process has metrics. */
  readonly metrics?: () => Promise<{ contentType: string; body: string }>;
}

export interface HealthServer {
  readonly address: string;
  close(): Promise<void>;
}

const TEXT = { 'content-type': 'text/plain' };

export async function startHealthServer(listen: ListenAddress, readiness: Readiness): Promise<HealthServer> {
  const prefix = readiness.notReadyPrefix ?? 'not ready';
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, TEXT).end('method not allowed\n');
      return;
    }
    if (url === '/metrics' && readiness.metrics !== undefined) {
      readiness.metrics().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        () => res.writeHead(500, TEXT).end('metrics unavailable\n'),
      );
      return;
    }
    if (url === '/healthz') {
      res.writeHead(200, TEXT).end('ok\n');
      return;
    }
    if (url === '/readyz') {
      Promise.resolve()
        .then(() => readiness.notReadyReason())
        .then(
          (reason) => {
            if (reason === undefined) res.writeHead(200, TEXT).end('ready\n');
            else res.writeHead(503, TEXT).end(`${prefix}: ${reason}\n`);
          },
          () => res.writeHead(503, TEXT).end(`${prefix}: readiness check failed\n`),
        );
      return;
    }
    res.writeHead(404, TEXT).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    address: `${host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
