import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { isTesseraError } from '@tessera/common';
import { FaultProxy, seededRandom } from '../src/index.js';
import { closeAllClients, connectClient, echoProbe, openTcpHandles, startServer, waitFor, type TestServer } from './proxy/helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await closeAllClients();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function echoThroughProxy(seed = 1): Promise<{ server: TestServer; proxy: FaultProxy }> {
  const server = await startServer(true);
  const proxy = await FaultProxy.start({ target: server.address, seed });
  cleanups.push(() => server.close(), () => proxy.close());
  return { server, proxy };
}

describe('seededRandom', () => {
  it('replays the same sequence for a seed, in [0, 1), and differs across seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('FaultProxy', () => {
  it('listens on loopback only', async () => {
    const { proxy } = await echoThroughProxy();
    expect(proxy.address).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('passes a large random payload through unchanged both ways', async () => {
    const { proxy } = await echoThroughProxy();
    const payload = randomBytes(4 * 1024 * 1024);
    const client = await connectClient(proxy.address);
    client.socket.end(payload);
    await waitFor(() => client.received().length >= payload.length, 'the echo of the whole payload', 20_000);
    expect(client.received().equals(payload)).toBe(true);
    await waitFor(() => client.state.closed, 'the connection to close after both FINs');
    const stats = proxy.stats();
    expect(stats.bytes).toEqual({ forward: payload.length, backward: payload.length });
    expect(stats.droppedBytes).toEqual({ forward: 0, backward: 0 });
    expect(stats.accepted).toBe(1);
  });

  it('keeps order and content under a delay that changes mid-stream', async () => {
    const { proxy } = await echoThroughProxy();
    const payload = randomBytes(256 * 1024);
    const client = await connectClient(proxy.address);
    proxy.delay(5);
    for (let offset = 0; offset < payload.length; offset += 16 * 1024) {
      if (offset === 128 * 1024) proxy.delay(0, 'forward');
      client.socket.write(payload.subarray(offset, offset + 16 * 1024));
    }
    await waitFor(() => client.received().length >= payload.length, 'the delayed echo', 20_000);
    expect(client.received().equals(payload)).toBe(true);
  });

  it('a forward cut drops only client-to-target bytes and keeps the connection open', async () => {
    const server = await startServer(false);
    const proxy = await FaultProxy.start({ target: server.address });
    cleanups.push(() => server.close(), () => proxy.close());
    const client = await connectClient(proxy.address);
    await waitFor(() => server.accepted.length === 1, 'the upstream connection');
    proxy.cut('forward');
    client.socket.write(Buffer.alloc(1000, 1));
    await waitFor(() => proxy.stats().droppedBytes.forward === 1000, 'the proxy to drop the forward bytes');
    expect(server.received[0]).toEqual([]);
    server.accepted[0]!.write('still flowing');
    await waitFor(() => client.received().toString() === 'still flowing', 'backward bytes');
    expect(client.state.closed).toBe(false);
    expect(proxy.stats().droppedBytes.backward).toBe(0);
  });

  it('a backward cut drops only target-to-client bytes', async () => {
    const server = await startServer(false);
    const proxy = await FaultProxy.start({ target: server.address });
    cleanups.push(() => server.close(), () => proxy.close());
    const client = await connectClient(proxy.address);
    await waitFor(() => server.accepted.length === 1, 'the upstream connection');
    proxy.cut('backward');
    server.accepted[0]!.write(Buffer.alloc(500, 2));
    await waitFor(() => proxy.stats().droppedBytes.backward === 500, 'the proxy to drop the backward bytes');
    client.socket.write('request');
    await waitFor(() => Buffer.concat(server.received[0]!).toString() === 'request', 'forward bytes');
    expect(client.chunks).toEqual([]);
    expect(client.state.closed).toBe(false);
  });

  it('a full cut black-holes both ways; heal resets the damaged connection and new ones work', async () => {
    const { proxy } = await echoThroughProxy();
    const before = await connectClient(proxy.address);
    proxy.cut();
    before.socket.write('lost');
    await waitFor(() => proxy.stats().droppedBytes.forward === 4, 'the cut to drop the request');
    const during = await connectClient(proxy.address);
    during.socket.write('lost too');
    await waitFor(() => proxy.stats().droppedBytes.forward === 12, 'the cut to drop a new connection’s bytes');
    expect(before.chunks).toEqual([]);
    expect(during.chunks).toEqual([]);
    expect(before.state.closed).toBe(false);

    proxy.heal();
    await waitFor(() => before.state.closed && during.state.closed, 'heal to reset the damaged connections');
    expect(before.state.errored).toBe(true);
    expect(await echoProbe(proxy.address)).toBe('ok');
  });

  it('heal keeps an undamaged connection open', async () => {
    const { proxy } = await echoThroughProxy();
    const client = await connectClient(proxy.address);
    proxy.cut('backward');
    proxy.heal();
    client.socket.write('fine');
    await waitFor(() => client.received().toString() === 'fine', 'the echo after heal');
  });

  it('refuseConnections resets open and new connections until heal', async () => {
    const { proxy } = await echoThroughProxy();
    const open = await connectClient(proxy.address);
    proxy.refuseConnections();
    await waitFor(() => open.state.closed, 'the open connection to be reset');
    expect(open.state.errored).toBe(true);
    expect(await echoProbe(proxy.address)).toBe('reset');
    expect(proxy.stats().refusedConnections).toBe(1);
    proxy.heal();
    expect(await echoProbe(proxy.address)).toBe('ok');
  });

  it('resets connections while it has no target, then forwards once one is set', async () => {
    const server = await startServer(true);
    const proxy = await FaultProxy.start();
    cleanups.push(() => server.close(), () => proxy.close());
    expect(await echoProbe(proxy.address)).toBe('reset');
    proxy.setTarget(server.address);
    expect(await echoProbe(proxy.address)).toBe('ok');
  });

  it('delay adds at least the configured latency each way', async () => {
    const { proxy } = await echoThroughProxy();
    const client = await connectClient(proxy.address);
    const delayMs = 40;
    proxy.delay(delayMs);
    const started = performance.now();
    client.socket.write('x');
    await waitFor(() => client.received().length === 1, 'the delayed echo');
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * delayMs);
  });

  it('drops exactly the connections the seeded generator picks', async () => {
    const seed = 20_261_122;
    const fraction = 0.4;
    const { proxy } = await echoThroughProxy(seed);
    proxy.dropConnections(fraction);
    const draws = seededRandom(seed);
    const expected = Array.from({ length: 20 }, (): 'ok' | 'reset' => (draws() < fraction ? 'reset' : 'ok'));
    expect(expected).toContain('ok');
    expect(expected).toContain('reset');
    const outcomes: Array<'ok' | 'reset'> = [];
    for (let i = 0; i < expected.length; i += 1) outcomes.push(await echoProbe(proxy.address));
    expect(outcomes).toEqual(expected);
    expect(proxy.stats().droppedConnections).toBe(expected.filter((o) => o === 'reset').length);
    expect(proxy.stats().accepted).toBe(expected.length);
  });

  it('rejects invalid fault parameters with a TesseraError', async () => {
    const { proxy } = await echoThroughProxy();
    for (const bad of [() => proxy.dropConnections(1.5), () => proxy.dropConnections(Number.NaN), () => proxy.delay(-1), () => proxy.setTarget('nope')]) {
      expect(bad).toThrow();
      try {
        bad();
      } catch (error) {
        expect(isTesseraError(error, 'INVALID_ARGUMENT')).toBe(true);
      }
    }
  });

  it('close() closes every socket, delayed ones included, and leaves no open handles', async () => {
    await closeAllClients();
    const baseline = openTcpHandles();
    const server = await startServer(true);
    const proxy = await FaultProxy.start({ target: server.address });
    const clients = await Promise.all([1, 2, 3].map(() => connectClient(proxy.address)));
    await waitFor(() => server.accepted.length === 3, 'three upstream connections');
    proxy.delay(10_000);
    clients[0]!.socket.write('pending for a long time');
    await waitFor(() => proxy.stats().active === 3 && openTcpHandles() > baseline, 'connections open');
    await proxy.close();
    // The proxy's own contract: once close() resolves, its listener and every socket it held are closed.
    expect(proxy.stats().active).toBe(0);
    expect(proxy.stats().openSockets).toBe(0);
    expect(proxy.listening).toBe(false);
    await waitFor(() => clients.every((c) => c.state.closed), 'every client to see its connection closed');
    expect(await connectClient(proxy.address).then((c) => c.state.errored)).toBe(true);
    await server.close();
    await closeAllClients();
    // libuv releases a closed handle a loop turn after its 'close' event: poll, with a deadline.
    await waitFor(() => openTcpHandles() <= baseline, 'TCP handles back to the baseline');
  });
});
