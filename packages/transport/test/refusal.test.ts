/**
 * K2: every gRPC port is TLS 1.3 with a required, verified, unrevoked client
 * certificate; A1: identities come only from the chain. Each refused client
 * gets no application data: the call fails and the handler never runs.
 */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tesseraV1 } from '@tessera/wire';
import type { AnyMethod } from './support/rpc.js';
import { invoke } from './support/rpc.js';
import { CERTS, createTestPki, impersonatingCa } from './support/pki.js';
import type { TestPki } from './support/pki.js';
import { connect, startStubPort } from './support/servers.js';
import type { StubPort } from './support/servers.js';
import { createClusterCa, issueCertificate } from '@tessera/launcher';
import path from 'node:path';

const STAT = tesseraV1().Data.service.StatObject as unknown as AnyMethod;
const EXCHANGE = tesseraV1().Raft.service.Exchange as unknown as AnyMethod;
const TENANT_USAGE = tesseraV1().Admin.service.TenantUsage as unknown as AnyMethod;
const STAT_PATH = '/tessera.v1.Data/StatObject';
const statAcme = [{ name: 'a.txt' }];

let pki: TestPki;
let clientPort: StubPort;
let peerPort: StubPort;
const clients: grpc.Client[] = [];

async function statAs(files: Parameters<typeof connect>[1]): Promise<grpc.status> {
  const { client } = await connect(clientPort.server.address, files);
  clients.push(client);
  return (await invoke(client, STAT, statAcme)).code;
}

function statCount(): number {
  return clientPort.calls.get(STAT_PATH) ?? 0;
}

beforeAll(async () => {
  pki = await createTestPki();
  clientPort = await startStubPort('client', pki.files(CERTS.node1), { tenantCas: await pki.registry() });
  peerPort = await startStubPort('peer', pki.files(CERTS.node1));
});

afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all([clientPort.server.close(0), peerPort.server.close(0)]);
  await pki.cleanup();
});

describe('refused clients get no application data', () => {
  it('control: a tenant client of acme reads its own object', async () => {
    const before = statCount();
    expect(await statAs(pki.files(CERTS.acmeClient))).toBe(grpc.status.OK);
    expect(statCount()).toBe(before + 1);
  });

  it('plaintext client', async () => {
    const before = statCount();
    const client = new grpc.Client(clientPort.server.address, grpc.credentials.createInsecure());
    clients.push(client);
    expect((await invoke(client, STAT, statAcme)).code).toBe(grpc.status.UNAVAILABLE);
    expect(statCount()).toBe(before);
  });

  it('TLS 1.2 client (valid certificate, TLS ≤ 1.2 only)', async () => {
    const files = pki.files(CERTS.acmeClient);
    const outcome = await new Promise<{ secured: boolean; data: number; error: string }>((resolve) => {
      let secured = false;
      let data = 0;
      const socket = tls.connect({
        host: '127.0.0.1',
        port: clientPort.server.port,
        maxVersion: 'TLSv1.2',
        cert: readFileSync(files.certFile),
        key: readFileSync(files.keyFile),
        ca: readFileSync(files.caFile),
        ALPNProtocols: ['h2'],
        checkServerIdentity: () => undefined,
      });
      socket.on('secureConnect', () => {
        secured = true;
      });
      socket.on('data', (chunk: Buffer) => {
        data += chunk.length;
      });
      socket.on('error', (err) => resolve({ secured, data, error: err.message }));
      socket.on('close', () => resolve({ secured, data, error: '' }));
    });
    expect(outcome.secured).toBe(false);
    expect(outcome.data).toBe(0);
    expect(outcome.error).toMatch(/protocol version/i);
  });

  it('client certificate from an unknown CA', async () => {
    const before = statCount();
    const otherCa = path.join(pki.root, 'other-ca');
    await createClusterCa({ dir: otherCa, trustDomain: 'tessera.test' });
    await issueCertificate({ caDir: otherCa, outDir: path.join(pki.root, 'other'), identity: { kind: 'admin', name: 'root' } });
    const files = {
      ...pki.files(CERTS.admin),
      certFile: path.join(pki.root, 'other', 'admin-root.crt'),
      keyFile: path.join(pki.root, 'other', 'admin-root.key'),
    };
    expect(await statAs(files)).toBe(grpc.status.UNAVAILABLE);
    expect(statCount()).toBe(before);
  });

  it('revoked client certificate (CRL)', async () => {
    const files = await pki.issue('tenant-acme-client-revoked', { kind: 'tenant-client', tenant: 'acme', name: 'gone' }, pki.tenantCaDirs.acme);
    // Revoked by acme's CA: the registry carries acme's CRL.
    const { loadCa, revoke } = await import('@tessera/launcher');
    await revoke(await loadCa(pki.tenantCaDirs.acme), { certFile: files.certFile });
    const registry = await pki.registry();
    const port = await startStubPort('client', pki.files(CERTS.node1), { tenantCas: registry });
    try {
      const { client } = await connect(port.server.address, files);
      clients.push(client);
      expect((await invoke(client, STAT, statAcme)).code).toBe(grpc.status.UNAVAILABLE);
      expect(port.calls.get(STAT_PATH) ?? 0).toBe(0);
      // Control: an unrevoked acme certificate works on the same port.
      const ok = await connect(port.server.address, pki.files(CERTS.acmeClient));
      clients.push(ok.client);
      expect((await invoke(ok.client, STAT, statAcme)).code).toBe(grpc.status.OK);
    } finally {
      await port.server.close(0);
    }
  });

  it('tenant identity issued by the cluster CA', async () => {
    const before = statCount();
    const forged = await impersonatingCa(pki, pki.clusterCaDir, { kind: 'tenant', tenant: 'acme' });
    const files = await pki.issue('forged-acme-client', { kind: 'tenant-client', tenant: 'acme', name: 'mallory' }, forged);
    expect(await statAs(files)).toBe(grpc.status.UNAUTHENTICATED);
    expect(statCount()).toBe(before);
    expect(clientPort.audit.events).toContainEqual(
      expect.objectContaining({ type: 'rpc.unauthenticated', reason: 'not-issued-by-tenant-ca' }),
    );
  });

  it('node identity issued by a tenant CA', async () => {
    const before = statCount();
    const forged = await impersonatingCa(pki, pki.tenantCaDirs.acme, { kind: 'cluster' });
    const files = await pki.issue('forged-node', { kind: 'node', id: 'n9' }, forged);
    const { client } = await connect(clientPort.server.address, files);
    clients.push(client);
    expect((await invoke(client, STAT, statAcme)).code).toBe(grpc.status.UNAUTHENTICATED);
    expect(statCount()).toBe(before);
  });

  it('no client certificate', async () => {
    const before = statCount();
    const files = pki.files(CERTS.admin);
    const credentials = grpc.credentials.createSsl(readFileSync(files.caFile), null, null, { checkServerIdentity: () => undefined });
    const client = new grpc.Client(clientPort.server.address, credentials, { 'grpc.ssl_target_name_override': 'localhost' });
    clients.push(client);
    expect((await invoke(client, STAT, statAcme)).code).toBe(grpc.status.UNAVAILABLE);
    expect(statCount()).toBe(before);
  });

  it('a tenant principal cannot even complete a handshake on the peer port', async () => {
    const { client } = await connect(peerPort.server.address, pki.files(CERTS.acmeAdmin));
    clients.push(client);
    expect((await invoke(client, EXCHANGE, [{ seq: '1', messages: [] }])).code).toBe(grpc.status.UNAVAILABLE);
    expect(peerPort.calls.get('/tessera.v1.Raft/Exchange') ?? 0).toBe(0);
  });

  it('a cluster admin reaches the peer port but may not speak Raft', async () => {
    const { client } = await connect(peerPort.server.address, pki.files(CERTS.admin));
    clients.push(client);
    expect((await invoke(client, EXCHANGE, [{ seq: '1', messages: [] }])).code).toBe(grpc.status.PERMISSION_DENIED);
    expect(peerPort.calls.get('/tessera.v1.Raft/Exchange') ?? 0).toBe(0);
    // Control: a node may.
    const node = await connect(peerPort.server.address, pki.files(CERTS.node2));
    clients.push(node.client);
    expect((await invoke(node.client, EXCHANGE, [{ seq: '1', messages: [] }])).code).toBe(grpc.status.OK);
    expect(peerPort.calls.get('/tessera.v1.Raft/Exchange')).toBe(1);
  });

  it('the client refuses a server whose identity is not the expected one', async () => {
    const { client } = await connect(clientPort.server.address, pki.files(CERTS.acmeClient), { spiffeId: 'spiffe://tessera.test/node/n2' });
    clients.push(client);
    const before = statCount();
    expect((await invoke(client, STAT, statAcme)).code).toBe(grpc.status.UNAVAILABLE);
    expect(statCount()).toBe(before);
  });

  it('errors to callers are generic', async () => {
    // A request still naming a tenant (Data requests name none: they act on the caller's own tenant).
    const usageOf = [{ tenant: 'acme' }];
    // Control: acme's tenant admin may ask about acme.
    const acme = await connect(clientPort.server.address, pki.files(CERTS.acmeAdmin));
    clients.push(acme.client);
    expect((await invoke(acme.client, TENANT_USAGE, usageOf)).code).toBe(grpc.status.OK);
    // Beta's tenant admin naming acme gets nothing but a generic status.
    const { client } = await connect(clientPort.server.address, pki.files(CERTS.betaAdmin));
    clients.push(client);
    const outcome = await invoke(client, TENANT_USAGE, usageOf);
    expect(outcome).toEqual({ code: grpc.status.PERMISSION_DENIED, details: 'permission denied' });
    const event = clientPort.audit.events.at(-1);
    expect(event).toMatchObject({ type: 'rpc.denied', reason: 'foreign-tenant-field', field: 'tenant', principal: 'spiffe://tessera.test/tenant/beta/admin/bob' });
    // The audit record names the field, never its value (the tenant named).
    expect(JSON.stringify(event)).not.toContain('acme');
  });
});
