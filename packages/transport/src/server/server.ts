/**
 * A Tessera gRPC port: mTLS (TLS 1.3, client certificate required, CRLs),
 * authentication and the authorization table enforced by an interceptor,
 * explicit message size limits, health checking and reflection, reload of
 * certificates, keys, CRLs and tenant CAs without restart. Binds 127.0.0.1
 * unless a host is configured.
 */
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { ErrorCodes, TesseraError, toTesseraError } from '@tessera/common';
import { PROTO_PACKAGE, packageDefinition, serviceDefinition } from '@tessera/wire';
import type { ServiceName } from '@tessera/wire';
import { NULL_AUDIT_SINK } from '../audit.js';
import type { AuditSink } from '../audit.js';
import { createAuthorizationInterceptor } from '../authz/interceptor.js';
import { NO_TENANT_RESOURCES } from '../authz/resources.js';
import type { TenantResourceIndex } from '../authz/resources.js';
import { AUTHORIZATION_TABLE } from '../authz/table.js';
import type { AuthorizationTable } from '../authz/types.js';
import { PeerAuthenticator } from '../identity/authenticate.js';
import { peerCertificateOf, type CallWithAuthContext } from '../identity/peer-certificate.js';
import { widenServerSessions } from './flow-control.js';
import type { Principal } from '../identity/principal.js';
import { EMPTY_TENANT_CA_REGISTRY } from '../identity/tenant-registry.js';
import type { TenantCaRegistry } from '../identity/tenant-registry.js';
import { loadTlsMaterial } from '../tls/material.js';
import type { TlsFiles, TlsMaterial } from '../tls/material.js';
import { ReloadableServerCredentials, serverContextOptions } from '../tls/server-credentials.js';
import { RpcCounts, createRpcMetricsInterceptor } from '../metrics/rpc-metrics.js';
import { buildTrustStore } from '../tls/trust.js';
import type { TrustStore } from '../tls/trust.js';
import { watchTlsFiles } from '../tls/watch.js';
import type { ReloadTrigger, TlsWatchOption } from '../tls/watch.js';
import { serverOptions } from './options.js';
import { PORT_SERVICES, PORT_TRUSTS_TENANT_CAS } from './ports.js';
import type { PortKind } from './ports.js';

export const DEFAULT_HOST = '127.0.0.1';

export interface TesseraServerOptions {
  readonly port: PortKind;
  readonly trustDomain: string;
  readonly tls: TlsFiles;
  /** Implementations of the services this port carries (see PORT_SERVICES). */
  readonly services: Partial<Record<ServiceName, grpc.UntypedServiceImplementation>>;
  /** Interface to bind; loopback unless configured. */
  readonly host?: string;
  /** TCP port; 0 (default) picks a free one, reported by `TesseraServer.port`. */
  readonly listenPort?: number;
  /** Registered tenant CAs (client and keys ports). */
  readonly tenantCas?: TenantCaRegistry;
  readonly table?: AuthorizationTable;
  readonly resources?: TenantResourceIndex;
  readonly audit?: AuditSink;
  /** Reload on file changes and SIGHUP (default true). */
  readonly watch?: TlsWatchOption;
  readonly maxMessageBytes?: number;
}

export type ReloadOutcome = { readonly ok: true } | { readonly ok: false; readonly error: TesseraError };

export type { CallWithAuthContext } from '../identity/peer-certificate.js';

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export class TesseraServer {
  readonly kind: PortKind;
  readonly host: string;
  readonly health: HealthImplementation;
  /** Calls ended on this port by method and status (read by the process's metrics). */
  readonly rpc: RpcCounts;
  private boundPort = 0;
  private readonly reloadListeners = new Set<(outcome: ReloadOutcome) => void>();
  private trigger: ReloadTrigger | undefined;
  private unsubscribeRegistry: (() => void) | undefined;
  private reloading: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: TesseraServerOptions,
    private readonly grpcServer: grpc.Server,
    private readonly credentials: ReloadableServerCredentials,
    private readonly authenticator: PeerAuthenticator,
    private readonly tenantCas: TenantCaRegistry,
    /** Current TLS material; the authenticator reads the cluster CAs through it. */
    private readonly holder: { material: TlsMaterial },
    health: HealthImplementation,
    private readonly audit: AuditSink,
    rpc: RpcCounts,
  ) {
    this.kind = options.port;
    this.host = options.host ?? DEFAULT_HOST;
    this.health = health;
    this.rpc = rpc;
  }

  /** Starts a port and resolves once it listens. */
  static async start(options: TesseraServerOptions): Promise<TesseraServer> {
    const allowed = PORT_SERVICES[options.port];
    for (const name of Object.keys(options.services) as ServiceName[]) {
      if (!allowed.includes(name)) {
        throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `the ${options.port} port does not carry the ${name} service`);
      }
    }
    const audit = options.audit ?? NULL_AUDIT_SINK;
    const tenantCas = PORT_TRUSTS_TENANT_CAS[options.port] ? (options.tenantCas ?? EMPTY_TENANT_CA_REGISTRY) : EMPTY_TENANT_CA_REGISTRY;
    const material = await loadTlsMaterial(options.tls);
    const holder = { material };
    const authenticator = new PeerAuthenticator({
      trustDomain: options.trustDomain,
      clusterCas: () => holder.material.clusterCas,
      tenantCas,
    });
    const trust = trustFor(options.port, material, tenantCas, audit);
    const credentials = new ReloadableServerCredentials(serverContextOptions(material, trust));
    const rpc = new RpcCounts();
    const grpcServer = new grpc.Server({
      ...serverOptions(options.maxMessageBytes),
      interceptors: [
        // First, so it wraps the base call and sees every status, the authorization refusals included.
        createRpcMetricsInterceptor(rpc),
        createAuthorizationInterceptor({
          authenticator,
          table: options.table ?? AUTHORIZATION_TABLE,
          resources: options.resources ?? NO_TENANT_RESOURCES,
          audit,
          port: options.port,
        }),
      ],
    });
    const served = Object.entries(options.services) as [ServiceName, grpc.UntypedServiceImplementation][];
    for (const [name, implementation] of served) grpcServer.addService(serviceDefinition(name), implementation);
    const qualified = served.map(([name]) => `${PROTO_PACKAGE}.${name}`);
    const health = new HealthImplementation({ '': 'SERVING', ...Object.fromEntries(qualified.map((s) => [s, 'SERVING' as const])) });
    health.addToServer(grpcServer);
    new ReflectionService(packageDefinition(), { services: qualified }).addToServer(grpcServer);

    const server = new TesseraServer(options, grpcServer, credentials, authenticator, tenantCas, holder, health, audit, rpc);
    await server.bind();
    server.unsubscribeRegistry = tenantCas.onChange(() => void server.reload().catch(() => undefined));
    server.trigger = watchTlsFiles(options.tls, options.watch ?? true, () => void server.reload().catch(() => undefined));
    return server;
  }

  private bind(): Promise<void> {
    const target = hostPort(this.host, this.options.listenPort ?? 0);
    return new Promise((resolve, reject) => {
      this.grpcServer.bindAsync(target, this.credentials, (err, port) => {
        if (err !== null) {
          reject(new TesseraError(ErrorCodes.TRANSPORT_BIND_REFUSED, `cannot listen on ${target}`, { cause: err }));
          return;
        }
        this.boundPort = port;
        // Bulk transfers (shards, object frames) would otherwise crawl through 64 KiB windows (flow-control.ts).
        if (!widenServerSessions(this.grpcServer)) {
          process.emitWarning('cannot raise the HTTP/2 receive windows with this grpc-js version: bulk transfers run with the 64 KiB defaults', { code: 'TESSERA_H2_WINDOWS' });
        }
        resolve();
      });
    });
  }

  /** The bound TCP port (useful after binding port 0). */
  get port(): number {
    return this.boundPort;
  }

  /** `host:port` to give clients. */
  get address(): string {
    return hostPort(this.host, this.boundPort);
  }

  /**
   * The principal of a call that reached a handler (the interceptor has
   * already authenticated it; this reads the same verified certificate).
   */
  principalOf(call: CallWithAuthContext): Principal {
    const auth = this.authenticator.authenticate(peerCertificateOf(call));
    if (!auth.ok) throw new TesseraError(ErrorCodes.TRANSPORT_UNAUTHENTICATED, 'unauthenticated');
    return auth.principal;
  }

  /** Subscribes to reload outcomes; returns an unsubscribe function. */
  onReload(listener: (outcome: ReloadOutcome) => void): () => void {
    this.reloadListeners.add(listener);
    return () => this.reloadListeners.delete(listener);
  }

  /**
   * Re-reads certificate, key, cluster CA and CRL files and the tenant CA
   * registry; new connections use the result. On any error the previous
   * material stays in force. Reloads run one at a time.
   */
  reload(): Promise<void> {
    const run = this.reloading.then(() => this.reloadNow());
    this.reloading = run.catch(() => undefined);
    return run;
  }

  private async reloadNow(): Promise<void> {
    let outcome: ReloadOutcome;
    try {
      const material = await loadTlsMaterial(this.options.tls);
      const trust = trustFor(this.kind, material, this.tenantCas, this.audit);
      this.credentials.update(serverContextOptions(material, trust));
      this.holder.material = material;
      this.authenticator.invalidate();
      this.audit.record({ type: 'tls.reloaded', port: this.kind });
      outcome = { ok: true };
    } catch (err) {
      const error = toTesseraError(err);
      this.audit.record({ type: 'tls.reload_failed', port: this.kind, reason: error.code });
      outcome = { ok: false, error };
    }
    for (const listener of [...this.reloadListeners]) listener(outcome);
    if (!outcome.ok) throw outcome.error;
  }

  /** Stops accepting calls; waits up to `graceMs` for running calls, then cuts them. */
  async close(graceMs = 1000): Promise<void> {
    this.trigger?.close();
    this.unsubscribeRegistry?.();
    this.authenticator.close();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.grpcServer.forceShutdown();
        resolve();
      }, graceMs);
      this.grpcServer.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

function trustFor(port: PortKind, material: TlsMaterial, tenantCas: TenantCaRegistry, audit: AuditSink): TrustStore {
  const trust = buildTrustStore(material, PORT_TRUSTS_TENANT_CAS[port] ? tenantCas.list() : undefined);
  for (const s of trust.skipped) audit.record({ type: 'tls.tenant_ca_skipped', port, tenant: s.tenant, reason: s.reason });
  return trust;
}

export function startTesseraServer(options: TesseraServerOptions): Promise<TesseraServer> {
  return TesseraServer.start(options);
}
