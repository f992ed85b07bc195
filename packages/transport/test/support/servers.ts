/** Starting Tessera ports and clients with stub services, for tests. */
import * as grpc from '@grpc/grpc-js';
import { serviceDefinition } from '@tessera/wire';
import type { ServiceName } from '@tessera/wire';
import { ClientTls, MemoryAuditSink, PORT_SERVICES, createClient, startTesseraServer } from '../../src/index.js';
import type { PortKind, ServerExpectation, TenantCaRegistry, TenantResourceIndex, TesseraServer, TlsFiles } from '../../src/index.js';
import { newCounters, stubService } from './rpc.js';
import type { StubCounters } from './rpc.js';
import { TRUST_DOMAIN } from './pki.js';

export interface StubPort {
  readonly server: TesseraServer;
  /** Handler invocations by method path. */
  readonly calls: Map<string, number>;
  readonly counters: StubCounters;
  readonly audit: MemoryAuditSink;
}

export async function startStubPort(
  port: PortKind,
  tls: TlsFiles,
  // watch false: reloads only when the test calls reload() (no file watcher racing the test's own steps).
  extra: { tenantCas?: TenantCaRegistry; resources?: TenantResourceIndex; debounceMs?: number; watch?: false } = {},
): Promise<StubPort> {
  const counters = newCounters();
  const audit = new MemoryAuditSink();
  const services: Partial<Record<ServiceName, grpc.UntypedServiceImplementation>> = {};
  for (const name of PORT_SERVICES[port]) services[name] = stubService(serviceDefinition(name), counters);
  const server = await startTesseraServer({
    port,
    trustDomain: TRUST_DOMAIN,
    tls,
    services,
    audit,
    watch: extra.watch ?? { debounceMs: extra.debounceMs ?? 20, sighup: true },
    ...(extra.tenantCas !== undefined ? { tenantCas: extra.tenantCas } : {}),
    ...(extra.resources !== undefined ? { resources: extra.resources } : {}),
  });
  return { server, calls: counters.calls, counters, audit };
}

/** A generic client on a fresh channel (no subchannel sharing between tests). */
export async function connect(
  address: string,
  tls: TlsFiles,
  expect: ServerExpectation = { kinds: ['node'] },
): Promise<{ client: grpc.Client; tls: ClientTls }> {
  const clientTls = await ClientTls.create({ trustDomain: TRUST_DOMAIN, tls, expect });
  const client = createClient(grpc.Client, address, clientTls, { 'grpc.use_local_subchannel_pool': 1 });
  return { client, tls: clientTls };
}
