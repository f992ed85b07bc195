/**
 * The bulk port (ADR 0026): large request payloads (shards, chunk uploads)
 * over a bare mTLS stream beside gRPC, because grpc-js and Node's HTTP/2
 * cost about a third of a 4 MiB put's CPU in the cluster.
 *
 * Security is the gRPC ports': TLS 1.3 only, a client certificate required
 * and verified against the cluster CA(s) and their CRLs — and, only for a
 * port given a tenant CA registry (a client-facing one), the registered
 * tenant CAs, exactly as the client port trusts them; otherwise a tenant
 * certificate never completes a handshake — the principal taken from the
 * certificate by the same authenticator, and an explicit allow-list of
 * principal kinds per request kind (default deny).
 * Refusals are audited like refused calls and answered with a generic error.
 * Certificates, keys and CRLs reload on change and SIGHUP.
 *
 * One request at a time per connection: the socket is paused while a
 * request is handled, so a peer cannot make the server buffer more than the
 * bounded frame it is sending. Errors reach the caller as a stable code and a
 * caller-safe message; anything else becomes INTERNAL (O1).
 */
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';
import { NULL_AUDIT_SINK, type AuditSink } from '../audit.js';
import { PeerAuthenticator } from '../identity/authenticate.js';
import type { Principal, PrincipalKind } from '../identity/principal.js';
import { EMPTY_TENANT_CA_REGISTRY, type TenantCaRegistry } from '../identity/tenant-registry.js';
import { loadTlsMaterial, type TlsFiles, type TlsMaterial } from '../tls/material.js';
import { serverContextOptions, TLS_MIN_VERSION } from '../tls/server-credentials.js';
import { buildTrustStore } from '../tls/trust.js';
import { watchTlsFiles, type ReloadTrigger, type TlsWatchOption } from '../tls/watch.js';
import { encodeErrorAnswer, encodeOkAnswer, FrameReader, MAX_REQUEST_HEADER_BYTES, REQUEST_MAGIC, type Frame, type PayloadLease } from './frame.js';

/** ALPN name of the bulk protocol: a client of another protocol fails the handshake. */
export const BULK_ALPN = 'tessera-bulk/1';
const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
const HANDSHAKE_TIMEOUT_MS = 10_000;
const DEFAULT_PORT_LABEL = 'bulk';

export interface BulkRequest {
  readonly principal: Principal;
  readonly header: Buffer;
  /** Owned by the handler until it settles (a leased payload goes back to its pool then). */
  readonly payload: Buffer;
}

export interface BulkHandler {
  /** The request kind's name in metrics (`tessera_bulk_requests_total{kind}`), e.g. `put_shard`. */
  readonly name: string;
  /** Principal kinds allowed to send this kind of request; every other is refused. */
  readonly allow: readonly PrincipalKind[];
  readonly maxPayloadBytes: number;
  /** Lends the buffer a payload is read into (a pool); given back once `handle` settled. Default: a fresh buffer. */
  readonly leasePayload?: (length: number) => PayloadLease | undefined;
  /** The answer body (at most 4 KiB); a thrown TesseraError becomes an error answer. */
  handle(request: BulkRequest): Promise<Uint8Array>;
}

export interface BulkServerOptions {
  readonly trustDomain: string;
  readonly tls: TlsFiles;
  /** Request kind (1-255) → handler. */
  readonly handlers: ReadonlyMap<number, BulkHandler>;
  /** Interface to bind; loopback unless configured. */
  readonly host?: string;
  /** TCP port; 0 (default) picks a free one. */
  readonly listenPort?: number;
  readonly audit?: AuditSink;
  /** Registered tenant CAs to trust as well (a client-facing bulk port); absent: the cluster CA only. */
  readonly tenantCas?: TenantCaRegistry;
  /** The port's name in audit records (default `bulk`). */
  readonly label?: string;
  /** A connection with no traffic for this long is closed (default 120 s). */
  readonly idleTimeoutMs?: number;
  /** Reload on file changes and SIGHUP (default true). */
  readonly watch?: TlsWatchOption;
}

function contextFor(material: TlsMaterial, tenantCas: TenantCaRegistry | undefined): tls.SecureContextOptions {
  return serverContextOptions(material, buildTrustStore(material, tenantCas?.list()));
}

/** Requests answered and payload bytes received, by request kind name (and answer code). */
export class BulkCounts {
  private readonly requests = new Map<string, { kind: string; code: string; value: number }>();
  private readonly bytes = new Map<string, number>();

  record(kind: string, code: string, payloadBytes: number): void {
    const key = `${kind}/${code}`;
    const entry = this.requests.get(key);
    if (entry !== undefined) entry.value++;
    else this.requests.set(key, { kind, code, value: 1 });
    this.bytes.set(kind, (this.bytes.get(kind) ?? 0) + payloadBytes);
  }

  requestSamples(): Array<{ labels: Record<string, string>; value: number }> {
    return [...this.requests.values()].map((e) => ({ labels: { kind: e.kind, code: e.code }, value: e.value }));
  }

  byteSamples(): Array<{ labels: Record<string, string>; value: number }> {
    return [...this.bytes].map(([kind, value]) => ({ labels: { kind }, value }));
  }
}

/** The kind label of a frame kind no handler serves (a fixed value: callers choose no label). */
const UNKNOWN_KIND = 'unknown';

export class BulkServer {
  /** Requests answered by this port (read by the process's metrics). */
  readonly counts = new BulkCounts();
  private trigger: ReloadTrigger | undefined;
  private unsubscribeRegistry: (() => void) | undefined;
  private readonly sockets = new Set<tls.TLSSocket>();
  private readonly label: string;

  private constructor(
    private readonly options: BulkServerOptions,
    private readonly server: tls.Server,
    private readonly authenticator: PeerAuthenticator,
    private readonly holder: { material: TlsMaterial },
    private readonly audit: AuditSink,
  ) {
    this.label = options.label ?? DEFAULT_PORT_LABEL;
  }

  static async start(options: BulkServerOptions): Promise<BulkServer> {
    for (const kind of options.handlers.keys()) {
      if (!Number.isInteger(kind) || kind < 1 || kind > 255) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'bulk request kinds are 1-255');
    }
    const material = await loadTlsMaterial(options.tls);
    const holder = { material };
    const tenantCas = options.tenantCas ?? EMPTY_TENANT_CA_REGISTRY;
    const authenticator = new PeerAuthenticator({ trustDomain: options.trustDomain, clusterCas: () => holder.material.clusterCas, tenantCas });
    const server = tls.createServer({
      ...contextFor(material, options.tenantCas),
      minVersion: TLS_MIN_VERSION,
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: [BULK_ALPN],
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    });
    const bulk = new BulkServer(options, server, authenticator, holder, options.audit ?? NULL_AUDIT_SINK);
    server.on('secureConnection', (socket: tls.TLSSocket) => bulk.serve(socket));
    // A failed handshake (no certificate, unknown CA, revoked, TLS < 1.3) never reaches the handlers.
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(new TesseraError(ErrorCodes.TRANSPORT_BIND_REFUSED, 'cannot listen on the bulk port', { cause: err })));
      server.listen(options.listenPort ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    // A tenant registered, its CA replaced or its CRL updated: new connections use the new trust store.
    if (options.tenantCas !== undefined) bulk.unsubscribeRegistry = options.tenantCas.onChange(() => void bulk.reload().catch(() => undefined));
    bulk.trigger = watchTlsFiles(options.tls, options.watch ?? true, () => void bulk.reload().catch(() => undefined));
    return bulk;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The interface the port is bound to. */
  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  /** `host:port` to give peers. */
  get address(): string {
    const host = this.options.host ?? '127.0.0.1';
    return host.includes(':') ? `[${host}]:${this.port}` : `${host}:${this.port}`;
  }

  /** Re-reads the TLS files; new connections use them. Keeps the old material on error. */
  async reload(): Promise<void> {
    try {
      const material = await loadTlsMaterial(this.options.tls);
      this.server.setSecureContext({ ...contextFor(material, this.options.tenantCas), minVersion: TLS_MIN_VERSION });
      this.holder.material = material;
      this.authenticator.invalidate();
      this.audit.record({ type: 'tls.reloaded', port: this.label });
    } catch (err) {
      const code = isTesseraError(err) ? err.code : ErrorCodes.TRANSPORT_TLS_MATERIAL;
      this.audit.record({ type: 'tls.reload_failed', port: this.label, reason: code });
      throw err;
    }
  }

  /** Stops listening and closes every connection (a request in flight loses its answer). */
  async close(): Promise<void> {
    this.trigger?.close();
    this.unsubscribeRegistry?.();
    this.authenticator.close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: tls.TLSSocket): void {
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    socket.on('error', () => undefined);
    const cert = socket.getPeerCertificate();
    const auth = this.authenticator.authenticate({ raw: cert.raw, fingerprint256: cert.fingerprint256 });
    if (!auth.ok) {
      this.audit.record({ type: 'rpc.unauthenticated', port: this.label, peer, reason: auth.reason });
      socket.destroy();
      return;
    }
    const principal = auth.principal;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.setTimeout(this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, () => socket.destroy());
    const reader = new FrameReader({
      magic: REQUEST_MAGIC,
      maxHeaderBytes: MAX_REQUEST_HEADER_BYTES,
      maxPayloadBytes: (kind) => this.options.handlers.get(kind)?.maxPayloadBytes,
      leasePayload: (kind, length) => this.options.handlers.get(kind)?.leasePayload?.(length),
    });
    const queue: Frame[] = [];
    const refusing = { value: false };
    let busy = false;
    const next = (): void => {
      const frame = queue.shift();
      if (frame === undefined || socket.destroyed) {
        busy = false;
        if (!socket.destroyed) socket.resume();
        return;
      }
      busy = true;
      socket.pause();
      void this.answer(principal, peer, frame).then(({ bytes, close }) => {
        frame.release();
        // A connection already refused (a malformed frame behind this request) gets no further answer.
        if (socket.destroyed || refusing.value) return;
        if (close) {
          endAfter(socket, bytes, refusing);
          return;
        }
        socket.write(bytes);
        next();
      });
    };
    socket.on('data', (chunk: Buffer) => {
      if (refusing.value) return;
      let frames: Frame[];
      try {
        frames = reader.push(chunk);
      } catch (err) {
        const error = isTesseraError(err) ? err : new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'malformed bulk frame');
        this.counts.record(UNKNOWN_KIND, error.code, 0);
        queue.length = 0;
        endAfter(socket, encodeErrorAnswer(error.code, false, error.message), refusing);
        return;
      }
      queue.push(...frames);
      if (!busy && queue.length > 0) next();
    });
  }

  private async answer(principal: Principal, peer: string, frame: Frame): Promise<{ bytes: Buffer; close: boolean }> {
    const handler = this.options.handlers.get(frame.kind);
    const kind = handler?.name ?? UNKNOWN_KIND;
    const size = frame.payload.length;
    if (handler === undefined || !handler.allow.includes(principal.kind)) {
      this.audit.record({ type: 'rpc.denied', port: this.label, method: `bulk/${frame.kind}`, principal: principal.spiffeId, peer, reason: 'kind-not-allowed' });
      this.counts.record(kind, ErrorCodes.TRANSPORT_PERMISSION_DENIED, 0);
      return { bytes: encodeErrorAnswer(ErrorCodes.TRANSPORT_PERMISSION_DENIED, false, 'permission denied'), close: true };
    }
    try {
      const body = await handler.handle({ principal, header: frame.header, payload: frame.payload });
      this.counts.record(kind, 'OK', size);
      return { bytes: encodeOkAnswer(body), close: false };
    } catch (err) {
      const known = isTesseraError(err) && err.code !== ErrorCodes.INTERNAL;
      this.counts.record(kind, known ? err.code : ErrorCodes.INTERNAL, size);
      if (known) return { bytes: encodeErrorAnswer(err.code, err.retriable, err.message), close: false };
      return { bytes: encodeErrorAnswer(ErrorCodes.INTERNAL, false, 'internal error'), close: false };
    }
  }
}

/** How long a refused connection may go on sending before it is cut. */
const DRAIN_BEFORE_CLOSE_MS = 2000;

/**
 * Sends a last answer, then drops whatever the peer still sends (the rest of
 * a refused payload) until it closes, or for at most 2 s. Closing at once,
 * with its bytes unread, would reset the connection and could lose the
 * answer on the way; the client closes a connection after an error answer.
 */
function endAfter(socket: tls.TLSSocket, answer: Buffer, refusing: { value: boolean }): void {
  refusing.value = true;
  socket.write(answer);
  socket.resume();
  setTimeout(() => socket.destroy(), DRAIN_BEFORE_CLOSE_MS).unref();
}
