/**
 * One mTLS server carrying every served method (all tessera.v1 services,
 * health, reflection) behind the authorization interceptor, trusting the
 * cluster CA and both tenant CAs: it lets the matrix tests exercise every
 * method × principal kind through real TLS, whatever port the method lives on.
 */
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import {
  AUTHORIZATION_TABLE,
  MemoryAuditSink,
  PeerAuthenticator,
  ReloadableServerCredentials,
  buildTrustStore,
  createAuthorizationInterceptor,
  loadTlsMaterial,
  serverContextOptions,
  serverOptions,
} from '../../src/index.js';
import type { AuthorizationTable, TenantCaRegistry, TenantResourceIndex, TlsFiles } from '../../src/index.js';
import { allServedMethods, newCounters, stubService } from './rpc.js';
import type { StubCounters } from './rpc.js';
import { TRUST_DOMAIN } from './pki.js';

export interface MatrixServer {
  readonly address: string;
  /** Handler invocations by method path. */
  readonly calls: Map<string, number>;
  readonly counters: StubCounters;
  readonly audit: MemoryAuditSink;
  close(): Promise<void>;
}

export async function startMatrixServer(
  tls: TlsFiles,
  tenantCas: TenantCaRegistry,
  resources: TenantResourceIndex,
  table: AuthorizationTable = AUTHORIZATION_TABLE,
): Promise<MatrixServer> {
  const material = await loadTlsMaterial(tls);
  const audit = new MemoryAuditSink();
  const counters = newCounters();
  const authenticator = new PeerAuthenticator({
    trustDomain: TRUST_DOMAIN,
    clusterCas: () => material.clusterCas,
    tenantCas,
  });
  const server = new grpc.Server({
    ...serverOptions(),
    interceptors: [createAuthorizationInterceptor({ authenticator, table, resources, audit, port: 'matrix' })],
  });
  // Group every served method by service and register stubs.
  const byService = new Map<string, Record<string, protoLoader.MethodDefinition<unknown, unknown>>>();
  for (const method of allServedMethods().values()) {
    const [, service = '', name = ''] = method.path.split('/');
    const defs = byService.get(service) ?? {};
    defs[name] = method as protoLoader.MethodDefinition<unknown, unknown>;
    byService.set(service, defs);
  }
  for (const defs of byService.values()) {
    const definition = defs as unknown as grpc.ServiceDefinition;
    server.addService(definition, stubService(definition, counters));
  }
  const trust = buildTrustStore(material, tenantCas.list());
  const credentials = new ReloadableServerCredentials(serverContextOptions(material, trust));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (err, p) => (err === null ? resolve(p) : reject(err))),
  );
  return {
    address: `127.0.0.1:${port}`,
    calls: counters.calls,
    counters,
    audit,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
