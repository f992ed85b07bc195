/**
 * gRPC requests by method and code on a real Tessera port: handled calls,
 * calls the authorization interceptor refuses (they never reach a handler)
 * and unknown methods; no label carries a tenant or principal.
 */
import * as grpc from '@grpc/grpc-js';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tesseraV1 } from '@tessera/wire';
import { registerRpcMetrics } from '../src/index.js';
import { sampleValue, samples } from './support/exposition.js';
import { CERTS, createTestPki, type TestPki } from './support/pki.js';
import { invoke, type AnyMethod } from './support/rpc.js';
import { connect, startStubPort, type StubPort } from './support/servers.js';

const STAT = tesseraV1().Data.service.StatObject as unknown as AnyMethod;
const TENANT_USAGE = tesseraV1().Admin.service.TenantUsage as unknown as AnyMethod;

let pki: TestPki;
let port: StubPort;
const clients: grpc.Client[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  port = await startStubPort('client', pki.files(CERTS.node1), { tenantCas: await pki.registry() });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await port.server.close(0);
  await pki.cleanup();
});

async function client(cert: string): Promise<grpc.Client> {
  const { client: c } = await connect(port.server.address, pki.files(cert));
  clients.push(c);
  return c;
}

describe('gRPC server metrics', () => {
  it('counts calls by port, service, method and final code, refusals included, with no tenant in any label', async () => {
    const registry = new Registry();
    registerRpcMetrics(registry, () => [port.server, undefined]);
    const acme = await client(CERTS.acmeClient);
    expect((await invoke(acme, STAT, [{ name: 'acme-secret-object.txt' }])).code).toBe(grpc.status.OK);
    expect((await invoke(acme, STAT, [{ name: 'another.txt' }])).code).toBe(grpc.status.OK);
    // A tenant client calling an admin method: refused by the authorization interceptor.
    expect((await invoke(acme, TENANT_USAGE, [{}])).code).toBe(grpc.status.PERMISSION_DENIED);
    // A method the port does not serve: answered UNIMPLEMENTED before any interceptor.
    const unknown = { ...STAT, path: '/tessera.v1.Data/acme-secret-method' } as AnyMethod;
    expect((await invoke(acme, unknown, [{}])).code).toBe(grpc.status.UNIMPLEMENTED);

    const body = await registry.metrics();
    const base = { port: 'client', service: 'tessera.v1.Data', method: 'StatObject' };
    expect(sampleValue(body, 'tessera_grpc_requests_total', { ...base, code: 'OK' })).toBe(2);
    expect(sampleValue(body, 'tessera_grpc_requests_total', { port: 'client', service: 'tessera.v1.Admin', method: 'TenantUsage', code: 'PERMISSION_DENIED' })).toBe(1);
    const all = samples(body);
    for (const s of all) expect(Object.values(s.labels).join(' ')).not.toMatch(/acme|secret|spiffe/);
    expect(all.some((s) => s.labels['method'] === 'acme-secret-method')).toBe(false);
  });
});
