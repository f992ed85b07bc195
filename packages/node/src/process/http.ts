/**
 * The node's HTTP port (DESIGN section 2): health and metrics, never tenant data.
 *   GET /metrics  Prometheus text format (no tenant-attributable label).
 *   GET /healthz  200 "ok" while the process serves.
 *   GET /readyz   200 "ready" once the node can serve data (system keys
 *                 loaded, a metadata leader known, its devices registered);
 *                 503 "not ready for data: <reason>" otherwise.
 * Bound to loopback unless configured otherwise.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '@tessera/transport';

export interface Readiness {
  /** undefined when ready, else a short reason (no secret, no tenant data). */
  readonly notReadyReason: () => string | undefined;
  /** The metrics exposition, when the process has metrics. */
  readonly metrics?: () => Promise<{ contentType: string; body: string }>;
}

export interface HealthServer {
  readonly address: string;
  close(): Promise<void>;
}

export async function startHealthServer(listen: ListenAddress, readiness: Readiness): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (url === '/metrics' && readiness.metrics !== undefined) {
      readiness.metrics().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
      );
      return;
    }
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (url === '/readyz') {
      const reason = readiness.notReadyReason();
      if (reason === undefined) res.writeHead(200, { 'content-type': 'text/plain' }).end('ready\n');
      else res.writeHead(503, { 'content-type': 'text/plain' }).end(`not ready for data: ${reason}\n`);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
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
