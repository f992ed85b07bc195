/**
 * A TCP fault proxy for one directed link: it listens on loopback, forwards
 * every accepted connection to the target, and lets a test inject faults at
 * run time. "forward" is the direction from the dialling side to the target,
 * "backward" the replies.
 *
 * Faults:
 * - `cut(direction)`: bytes flowing that way are dropped while connections
 *   stay open (a black hole, as a partition looks to TCP peers until their
 *   own timeouts fire); new connections are accepted and black-holed too.
 * - `refuseConnections()`: every open connection is reset and each new one is
 *   reset as soon as it is accepted (a crashed or firewalled peer).
 * - `delay(ms, direction)`: each chunk is held at least `ms` before it is
 *   passed on, order preserved.
 * - `dropConnections(fraction)`: each new connection is reset with that
 *   probability, decided by a seeded generator that draws exactly one number
 *   per accepted connection (whatever the faults), so a seed replays.
 * - `heal()`: clears every fault. A connection that lost bytes during a cut is
 *   reset, because its stream has a hole a peer could misread; peers reconnect.
 */
import net, { type Server, type Socket } from 'node:net';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { parseTarget, type HostPort } from './address.js';
import { DirectedPipe } from './pipe.js';
import { seededRandom } from './rng.js';

export type Direction = 'forward' | 'backward';
export type DirectionSpec = Direction | 'both';

export interface FaultProxyOptions {
  /** `host:port` to forward to; may be set later (`setTarget`): until then connections are reset. */
  readonly target?: string;
  /** Seed of the connection-drop generator (default 1). */
  readonly seed?: number;
}

export interface ByDirection {
  readonly forward: number;
  readonly backward: number;
}

export interface ProxyStats {
  /** Connections accepted by the listener (including those then reset). */
  readonly accepted: number;
  /** Connections currently forwarded. */
  readonly active: number;
  /** Connections reset by `dropConnections`. */
  readonly droppedConnections: number;
  /** Connections reset by `refuseConnections`, no target, or an unreachable target. */
  readonly refusedConnections: number;
  /** Sockets (both sides of every connection) not yet closed. */
  readonly openSockets: number;
  /** Bytes passed on. */
  readonly bytes: ByDirection;
  /** Bytes discarded by a cut. */
  readonly droppedBytes: ByDirection;
}

interface DirectionFaults {
  cut: boolean;
  delayMs: number;
}

interface Counters {
  accepted: number;
  droppedConnections: number;
  refusedConnections: number;
  bytes: { forward: number; backward: number };
  droppedBytes: { forward: number; backward: number };
}

interface Connection {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly pipes: readonly DirectedPipe[];
}

const directionsOf = (spec: DirectionSpec): readonly Direction[] => (spec === 'both' ? ['forward', 'backward'] : [spec]);

export class FaultProxy {
  private target: HostPort | undefined;
  private readonly random: () => number;
  private readonly faults: Record<Direction, DirectionFaults> = {
    forward: { cut: false, delayMs: 0 },
    backward: { cut: false, delayMs: 0 },
  };
  private refusing = false;
  private dropFraction = 0;
  private readonly counters: Counters = {
    accepted: 0,
    droppedConnections: 0,
    refusedConnections: 0,
    bytes: { forward: 0, backward: 0 },
    droppedBytes: { forward: 0, backward: 0 },
  };
  private readonly connections = new Set<Connection>();
  /** Every socket not yet closed, with the promise of its 'close'. */
  private readonly sockets = new Map<Socket, Promise<void>>();
  private closing: Promise<void> | undefined;
  private boundPort = 0;

  private constructor(
    private readonly server: Server,
    options: FaultProxyOptions,
  ) {
    this.target = options.target === undefined ? undefined : parseTarget(options.target);
    this.random = seededRandom(options.seed ?? 1);
    server.on('connection', (socket) => this.onConnection(socket));
  }

  /** Starts a proxy listening on 127.0.0.1 at a free port (never outside loopback). */
  static async start(options: FaultProxyOptions = {}): Promise<FaultProxy> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false });
    const proxy = new FaultProxy(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: 0 }, () => {
        server.off('error', reject);
        const bound = server.address();
        if (bound === null || typeof bound === 'string') reject(new TesseraError(ErrorCodes.INTERNAL, 'proxy listener has no port'));
        else {
          proxy.boundPort = bound.port;
          resolve();
        }
      });
    });
    return proxy;
  }

  /** The bound port on 127.0.0.1 (still known after `close()`, for reports). */
  get port(): number {
    return this.boundPort;
  }

  /** `127.0.0.1:port`: what the dialling side should connect to. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** False once `close()` has stopped the listener. */
  get listening(): boolean {
    return this.server.listening;
  }

  /** Points new connections at another target (a restarted process), or none (reset them). */
  setTarget(address: string | undefined): void {
    this.target = address === undefined ? undefined : parseTarget(address);
  }

  /** Drops bytes flowing in `direction` (default both) while keeping connections open. */
  cut(direction: DirectionSpec = 'both'): void {
    for (const d of directionsOf(direction)) this.faults[d].cut = true;
  }

  /** Resets every open connection and every new one until `heal()`. */
  refuseConnections(): void {
    this.refusing = true;
    for (const connection of [...this.connections]) this.resetConnection(connection);
  }

  /** Holds each chunk flowing in `direction` (default both) at least `ms` milliseconds. */
  delay(ms: number, direction: DirectionSpec = 'both'): void {
    if (!Number.isFinite(ms) || ms < 0) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'delay must be a finite number of milliseconds >= 0');
    for (const d of directionsOf(direction)) this.faults[d].delayMs = ms;
  }

  /** Resets each new connection with probability `fraction` (seeded, deterministic). */
  dropConnections(fraction: number): void {
    if (!(fraction >= 0 && fraction <= 1)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'drop fraction must be in [0, 1]');
    this.dropFraction = fraction;
  }

  /** Clears every fault; connections that lost bytes to a cut are reset. */
  heal(): void {
    for (const d of ['forward', 'backward'] as const) this.faults[d] = { cut: false, delayMs: 0 };
    this.refusing = false;
    this.dropFraction = 0;
    for (const connection of [...this.connections]) {
      if (connection.pipes.some((pipe) => pipe.damaged)) this.resetConnection(connection);
    }
  }

  stats(): ProxyStats {
    const c = this.counters;
    return {
      accepted: c.accepted,
      active: this.connections.size,
      openSockets: this.sockets.size,
      droppedConnections: c.droppedConnections,
      refusedConnections: c.refusedConnections,
      bytes: { ...c.bytes },
      droppedBytes: { ...c.droppedBytes },
    };
  }

  /** Stops listening, closes every socket and resolves once all of them (and the listener) are closed. */
  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  private async closeAll(): Promise<void> {
    const listenerClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of [...this.connections]) {
      for (const pipe of connection.pipes) pipe.stop();
    }
    for (const socket of this.sockets.keys()) socket.destroy();
    await Promise.all([listenerClosed, ...this.sockets.values()]);
  }

  private track(socket: Socket): void {
    this.sockets.set(
      socket,
      new Promise<void>((resolve) =>
        socket.once('close', () => {
          this.sockets.delete(socket);
          resolve();
        }),
      ),
    );
    // Errors end the connection (handled on 'close'); never let one escape as uncaught.
    socket.on('error', () => undefined);
  }

  private onConnection(client: Socket): void {
    this.track(client);
    this.counters.accepted += 1;
    const draw = this.random();
    const target = this.target;
    if (this.closing !== undefined || this.refusing || target === undefined) {
      this.counters.refusedConnections += 1;
      resetSocket(client);
      return;
    }
    if (draw < this.dropFraction) {
      this.counters.droppedConnections += 1;
      resetSocket(client);
      return;
    }
    client.setNoDelay(true);
    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    this.track(upstream);
    const connection: Connection = {
      client,
      upstream,
      pipes: [this.pipe(client, upstream, 'forward'), this.pipe(upstream, client, 'backward')],
    };
    this.connections.add(connection);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
    });
    const onClose = (hadError: boolean, other: Socket): void => {
      // A reset travels on as a reset; a clean close (both FINs exchanged) lets
      // the other side finish delivering what is still delayed.
      if (hadError) resetSocket(other);
      if (client.destroyed && upstream.destroyed && this.connections.delete(connection)) {
        for (const pipe of connection.pipes) pipe.stop();
      }
    };
    client.once('close', (hadError) => onClose(hadError, upstream));
    upstream.once('close', (hadError) => {
      // An unreachable target looks like a refused connection to the dialler.
      if (!connected && !client.destroyed) {
        this.counters.refusedConnections += 1;
        resetSocket(client);
      }
      onClose(hadError, client);
    });
  }

  private pipe(source: Socket, sink: Socket, direction: Direction): DirectedPipe {
    return new DirectedPipe(source, sink, {
      cut: () => this.faults[direction].cut,
      delayMs: () => this.faults[direction].delayMs,
      onDelivered: (bytes) => {
        this.counters.bytes[direction] += bytes;
      },
      onDropped: (bytes) => {
        this.counters.droppedBytes[direction] += bytes;
      },
    });
  }

  private resetConnection(connection: Connection): void {
    this.connections.delete(connection);
    for (const pipe of connection.pipes) pipe.stop();
    resetSocket(connection.client);
    resetSocket(connection.upstream);
  }
}

/** Closes with a TCP RST where there is a connection to reset. */
function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting) socket.destroy();
  else socket.resetAndDestroy();
}
