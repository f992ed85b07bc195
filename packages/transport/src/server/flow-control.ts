/**
 * HTTP/2 receive windows of every Tessera gRPC port.
 *
 * HTTP/2 lets a sender have at most the receiver's window in flight (64 KiB
 * per stream and per connection by default) and refills it only when the
 * receiver's event loop has read the data. A 1 MiB shard or object frame
 * therefore crosses in about 16 round trips of the receiver's event loop; a
 * busy receiver (GC, fsync completions, other calls) stretches each one.
 * Measured across two processes on loopback (client-streaming 1 MiB frames,
 * no TLS): 317 MB/s with the default windows, 819 MB/s with 16 MiB ones; 195
 * vs 514 MB/s with the receiver's loop blocked 3 ms out of every 6.
 *
 * grpc-js lets a client raise its own window ('grpc-node.flow_control_window')
 * but offers no server option, so a server raises each session's windows as
 * it is created. The bound is the memory a peer can make us hold per
 * connection before we read it: STREAM_WINDOW per stream, CONNECTION_WINDOW
 * in all. Every peer is authenticated (mTLS) before it can send a byte of
 * data, and messages stay bounded by the message limit.
 */
import type { EventEmitter } from 'node:events';
import type * as grpc from '@grpc/grpc-js';

/** Per-stream receive window: room for a full 1 MiB frame and the next ones. */
export const STREAM_WINDOW_BYTES = 4 * 1024 * 1024;
/** Per-connection receive window: several streams' frames in flight at once. */
export const CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024;

interface Http2SessionLike {
  setLocalWindowSize(size: number): void;
  settings(settings: { initialWindowSize: number }): void;
}

/** Raises the receive windows of a new server session (errors are ignored: a session closing meanwhile). */
export function widenSession(session: Http2SessionLike): void {
  try {
    session.settings({ initialWindowSize: STREAM_WINDOW_BYTES });
    session.setLocalWindowSize(CONNECTION_WINDOW_BYTES);
  } catch {
    // A session destroyed before its settings went out keeps the defaults; it is gone anyway.
  }
}

/**
 * Widens every session of a bound grpc-js server. grpc-js keeps its HTTP/2
 * servers in a private map (1.14: `http2Servers`); when it is not there (a
 * grpc-js that changed it), returns false and the defaults stay: slower, not
 * wrong. A test pins the effect.
 */
export function widenServerSessions(server: grpc.Server): boolean {
  const servers = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(servers instanceof Map)) return false;
  let widened = false;
  for (const http2Server of servers.keys() as IterableIterator<unknown>) {
    const emitter = http2Server as Partial<EventEmitter>;
    if (typeof emitter.on !== 'function' || (emitter as { __tesseraWidened?: boolean }).__tesseraWidened === true) continue;
    (emitter as { __tesseraWidened?: boolean }).__tesseraWidened = true;
    emitter.on('session', (session: Http2SessionLike) => widenSession(session));
    widened = true;
  }
  return widened;
}
