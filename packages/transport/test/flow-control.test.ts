/**
 * The HTTP/2 receive windows a Tessera port gives its peers (flow-control.ts).
 * grpc-js keeps its HTTP/2 servers private: this pins that the widening
 * still reaches them in the grpc-js version we ship.
 */
import * as grpc from '@grpc/grpc-js';
import http2 from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import { CONNECTION_WINDOW_BYTES, STREAM_WINDOW_BYTES, widenServerSessions } from '../src/server/flow-control.js';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function boundServer(): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  closers.push(() => server.forceShutdown());
  return { server, port };
}

describe('HTTP/2 receive windows', () => {
  it('are raised on every session of a bound grpc-js server: per stream in its settings, per connection by a window update', async () => {
    const { server, port } = await boundServer();
    expect(widenServerSessions(server)).toBe(true);
    const session = http2.connect(`http://127.0.0.1:${port}`);
    closers.push(() => session.destroy());
    // The first SETTINGS frame carries the defaults; the widened ones follow in a second one.
    await expect.poll(() => session.remoteSettings.initialWindowSize, { timeout: 5_000 }).toBe(STREAM_WINDOW_BYTES);
    await expect.poll(() => session.state.remoteWindowSize ?? 0, { timeout: 5_000 }).toBeGreaterThanOrEqual(CONNECTION_WINDOW_BYTES);
  });

  it('stay at the HTTP/2 defaults without it (the test above can fail)', async () => {
    const { port } = await boundServer();
    const session = http2.connect(`http://127.0.0.1:${port}`);
    closers.push(() => session.destroy());
    await new Promise<void>((resolve) => session.once('remoteSettings', () => resolve()));
    // A round trip later (a ping), no second SETTINGS frame has raised it.
    await new Promise<void>((resolve) => session.ping(() => resolve()));
    expect(session.remoteSettings.initialWindowSize).toBe(65_535);
  });
});
