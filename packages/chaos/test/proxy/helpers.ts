/** Loopback servers and clients for the fault proxy tests. */
import { waitFor as pollFor } from '@tessera/common/testing';
import net, { type Server, type Socket } from 'node:net';

/** Polls `condition` until true; fails after `timeoutMs` (a deadline, never a fixed sleep). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  await pollFor(what, () => condition() || undefined, { timeoutMs, intervalMs: 2 });
}

export interface TestServer {
  readonly address: string;
  /** Server-side sockets, in accept order. */
  readonly accepted: Socket[];
  /** Bytes received per accepted socket, same order. */
  readonly received: Buffer[][];
  close(): Promise<void>;
}

/** A loopback server; with `echo` it writes back whatever it reads. */
export async function startServer(echo: boolean): Promise<TestServer> {
  const accepted: Socket[] = [];
  const received: Buffer[][] = [];
  const server: Server = net.createServer({ allowHalfOpen: false }, (socket) => {
    const chunks: Buffer[] = [];
    accepted.push(socket);
    received.push(chunks);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (echo) socket.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('not listening');
  return {
    address: `127.0.0.1:${bound.port}`,
    accepted,
    received,
    close: async () => {
      const closed = accepted.filter((s) => !s.destroyed).map((s) => new Promise((resolve) => s.once('close', resolve)));
      for (const s of accepted) s.destroy();
      await Promise.all([new Promise((resolve) => server.close(resolve)), ...closed]);
    },
  };
}

export interface TestClient {
  readonly socket: Socket;
  readonly chunks: Buffer[];
  /** Set once the socket closed; `errored` tells a reset (or other error) from a clean close. */
  readonly state: { closed: boolean; errored: boolean };
  received(): Buffer;
  closed: Promise<void>;
}

const openClients = new Set<TestClient>();

/** Destroys every client `connectClient` opened and waits until each is closed. */
export async function closeAllClients(): Promise<void> {
  const clients = [...openClients];
  openClients.clear();
  for (const client of clients) client.socket.destroy();
  await Promise.all(clients.map((c) => c.closed));
}

/** Connects to `address` (host:port on loopback) and records what arrives. */
export async function connectClient(address: string): Promise<TestClient> {
  const port = Number(address.split(':')[1]);
  const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
  const chunks: Buffer[] = [];
  const state = { closed: false, errored: false };
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {
    state.errored = true;
  });
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      state.closed = true;
      resolve();
    }),
  );
  await new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', resolve);
  });
  const client: TestClient = { socket, chunks, state, received: () => Buffer.concat(chunks), closed };
  openClients.add(client);
  return client;
}

/** Sends one byte through `address` to an echo server: 'ok' if it comes back, 'reset' if the connection dies first. */
export async function echoProbe(address: string): Promise<'ok' | 'reset'> {
  const client = await connectClient(address);
  if (!client.state.closed) client.socket.write(Buffer.from([7]));
  await waitFor(() => client.state.closed || client.received().length > 0, 'probe answer or reset');
  const outcome = client.received().length > 0 ? 'ok' : 'reset';
  client.socket.destroy();
  await client.closed;
  return outcome;
}

/** Open TCP handles in this process (sockets and listeners). */
export function openTcpHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name.startsWith('TCP')).length;
}
