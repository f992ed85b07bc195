/**
 * The bulk port (ADR 0026) over real mTLS: what a handler receives and what
 * the caller gets back, and the gRPC ports' security on it (K2, A1, O1): TLS
 * 1.3 only, a client certificate of the cluster CA required, principals from
 * the certificate, an allow-list per request kind, generic errors, bounds
 * enforced before a handler runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { createClusterCa, issueCertificate } from '@tessera/launcher';
import { MemoryAuditSink } from '../src/audit.js';
import { InMemoryTenantCaRegistry } from '../src/identity/tenant-registry.js';
import { BulkClients } from '../src/bulk/client.js';
import { encodePrefix, REQUEST_MAGIC } from '../src/bulk/frame.js';
import { BULK_ALPN, BulkServer, type BulkHandler, type BulkRequest } from '../src/bulk/server.js';
import { ClientTls } from '../src/client/channel.js';
import type { TlsFiles } from '../src/tls/material.js';
import { readFile } from 'node:fs/promises';
import { CERTS, createTestPki, TRUST_DOMAIN, type TestPki } from './support/pki.js';

const ECHO = 1;
const FAIL = 2;
const THROW = 3;
const MAX_PAYLOAD = 256 * 1024;

let pki: TestPki;
let server: BulkServer;
const audit = new MemoryAuditSink();
const received: Array<BulkRequest & { kind: number }> = [];
const opened: Array<{ close(): void }> = [];

function handler(kind: number, handle: (request: BulkRequest) => Promise<Uint8Array>): [number, BulkHandler] {
  return [kind, { name: `kind${kind}`, allow: ['node'], maxPayloadBytes: MAX_PAYLOAD, handle: (request) => (received.push({ ...request, kind }), handle(request)) }];
}

async function clientsFor(files: TlsFiles, expect: { kinds: ['node'] } | { spiffeId: string } = { kinds: ['node'] }): Promise<BulkClients> {
  const tlsClient = await ClientTls.create({ trustDomain: TRUST_DOMAIN, tls: files, expect });
  const clients = new BulkClients({ credentials: tlsClient.credentials });
  opened.push(clients, tlsClient);
  return clients;
}

async function failure(promise: Promise<unknown>): Promise<TesseraError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof TesseraError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  pki = await createTestPki();
  server = await BulkServer.start({
    trustDomain: TRUST_DOMAIN,
    tls: pki.files(CERTS.node1),
    audit,
    watch: false,
    handlers: new Map([
      handler(ECHO, async ({ principal, header, payload }) => Buffer.concat([Buffer.from(`${principal.spiffeId}|${header.toString()}|`), Buffer.from(String(payload.length))])),
      handler(FAIL, () => Promise.reject(new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, 'shard payload does not match its CRC-32C'))),
      handler(THROW, () => Promise.reject(new Error('secret internal detail /var/lib/x'))),
    ]),
  });
});

afterAll(async () => {
  for (const o of opened) o.close();
  await server.close();
  await pki.cleanup();
});

describe('bulk port', () => {
  it('a node sends requests; the handler sees its principal, header and payload intact', async () => {
    const clients = await clientsFor(pki.files(CERTS.node2));
    const payload = Buffer.alloc(200_000, 7);
    const before = received.length;
    const answer = await clients.request(server.address, ECHO, Buffer.from('head'), payload, 5000);
    expect(answer.toString()).toBe(`spiffe://${TRUST_DOMAIN}/node/n2|head|200000`);
    const got = received[before]!;
    expect(got.payload.equals(payload)).toBe(true);
    // Sequential requests reuse the connection; concurrent ones open more.
    const answers = await Promise.all([1, 2, 3, 4].map((i) => clients.request(server.address, ECHO, Buffer.from(`h${i}`), Buffer.alloc(i * 1000), 5000)));
    expect(answers.map((a) => a.toString().split('|').slice(1).join('|'))).toEqual(['h1|1000', 'h2|2000', 'h3|3000', 'h4|4000']);
    expect(received.length).toBe(before + 5);
  });

  it("a handler's TesseraError reaches the caller with its code; the next request works", async () => {
    const clients = await clientsFor(pki.files(CERTS.node2));
    const err = await failure(clients.request(server.address, FAIL, Buffer.alloc(0), Buffer.alloc(10), 5000));
    expect(err.code).toBe(ErrorCodes.CHECKSUM_MISMATCH);
    expect(err.message).toBe('shard payload does not match its CRC-32C');
    expect((await clients.request(server.address, ECHO, Buffer.from('again'), Buffer.alloc(1), 5000)).toString()).toContain('|again|');
  });

  it('anything else is INTERNAL with no detail (O1)', async () => {
    const clients = await clientsFor(pki.files(CERTS.node2));
    const err = await failure(clients.request(server.address, THROW, Buffer.alloc(0), Buffer.alloc(1), 5000));
    expect(err.code).toBe(ErrorCodes.INTERNAL);
    expect(err.message).toBe('internal error');
  });

  it('a principal kind the request does not allow is refused and audited; the handler never runs', async () => {
    const clients = await clientsFor(pki.files(CERTS.admin));
    const before = received.length;
    const err = await failure(clients.request(server.address, ECHO, Buffer.alloc(0), Buffer.alloc(1), 5000));
    expect(err.code).toBe(ErrorCodes.TRANSPORT_PERMISSION_DENIED);
    expect(err.message).toBe('permission denied');
    expect(received.length).toBe(before);
    expect(audit.events).toContainEqual(expect.objectContaining({ type: 'rpc.denied', port: 'bulk', method: `bulk/${ECHO}`, principal: `spiffe://${TRUST_DOMAIN}/admin/root`, reason: 'kind-not-allowed' }));
  });

  it('an unknown request kind and an oversize payload are refused from the prefix', async () => {
    const clients = await clientsFor(pki.files(CERTS.node2));
    const before = received.length;
    expect((await failure(clients.request(server.address, 99, Buffer.alloc(0), Buffer.alloc(1), 5000))).code).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    expect((await failure(clients.request(server.address, ECHO, Buffer.alloc(0), Buffer.alloc(MAX_PAYLOAD + 1), 5000))).code).toBe(ErrorCodes.CODEC_FIELD_TOO_LONG);
    expect(received.length).toBe(before);
    // Refusals close the connection; the next request gets a fresh one.
    expect((await clients.request(server.address, ECHO, Buffer.from('after'), Buffer.alloc(1), 5000)).toString()).toContain('|after|');
  });

  it('a tenant certificate never completes a handshake (cluster CA only)', async () => {
    const clients = await clientsFor(pki.files(CERTS.acmeClient));
    const before = received.length;
    expect((await failure(clients.request(server.address, ECHO, Buffer.alloc(0), Buffer.alloc(1), 5000))).code).toBe(ErrorCodes.TRANSPORT_PEER_UNREACHABLE);
    expect(received.length).toBe(before);
  });

  it('a client certificate from an unknown CA gets no application data', async () => {
    const otherCa = path.join(pki.root, 'bulk-other-ca');
    await createClusterCa({ dir: otherCa, trustDomain: TRUST_DOMAIN });
    await issueCertificate({ caDir: otherCa, outDir: path.join(pki.root, 'bulk-other'), identity: { kind: 'node', id: 'n7' } });
    const files = { ...pki.files(CERTS.node2), certFile: path.join(pki.root, 'bulk-other', 'node-n7.crt'), keyFile: path.join(pki.root, 'bulk-other', 'node-n7.key') };
    const clients = await clientsFor(files);
    const before = received.length;
    expect((await failure(clients.request(server.address, ECHO, Buffer.alloc(0), Buffer.alloc(1), 5000))).code).toBe(ErrorCodes.TRANSPORT_PEER_UNREACHABLE);
    expect(received.length).toBe(before);
  });

  it('TLS 1.2 and a missing client certificate get no application data', async () => {
    const files = pki.files(CERTS.node2);
    const attempt = (options: tls.ConnectionOptions): Promise<{ data: number }> =>
      new Promise((resolve) => {
        let data = 0;
        const socket = tls.connect({ host: '127.0.0.1', port: server.port, ca: readFileSync(files.caFile), ALPNProtocols: [BULK_ALPN], checkServerIdentity: () => undefined, ...options });
        socket.on('secureConnect', () => socket.write(Buffer.concat([encodePrefix(REQUEST_MAGIC, ECHO, 0, 1), Buffer.alloc(1)])));
        socket.on('data', (chunk: Buffer) => (data += chunk.length));
        socket.on('error', () => resolve({ data }));
        socket.on('close', () => resolve({ data }));
      });
    const before = received.length;
    expect((await attempt({ maxVersion: 'TLSv1.2', cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) })).data).toBe(0);
    expect((await attempt({})).data).toBe(0);
    expect(received.length).toBe(before);
  });

  it('malformed bytes from an authenticated node get a codec error and the connection closes', async () => {
    const files = pki.files(CERTS.node2);
    const outcome = await new Promise<{ data: Buffer; closed: boolean }>((resolve) => {
      const chunks: Buffer[] = [];
      const socket = tls.connect({
        host: '127.0.0.1',
        port: server.port,
        ca: readFileSync(files.caFile),
        cert: readFileSync(files.certFile),
        key: readFileSync(files.keyFile),
        ALPNProtocols: [BULK_ALPN],
        checkServerIdentity: () => undefined,
      });
      socket.on('secureConnect', () => socket.write(Buffer.from('GET / HTTP/1.1\r\n\r\n')));
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ data: Buffer.concat(chunks), closed: true }));
    });
    expect(outcome.closed).toBe(true);
    expect(outcome.data.subarray(16).toString()).toMatch(/^CODEC_BAD_MAGIC\n0\n/);
  });

  it('the client refuses a bulk port whose certificate is not the expected identity', async () => {
    const clients = await clientsFor(pki.files(CERTS.node2), { spiffeId: `spiffe://${TRUST_DOMAIN}/node/n9` });
    const before = received.length;
    expect((await failure(clients.request(server.address, ECHO, Buffer.alloc(0), Buffer.alloc(1), 5000))).code).toBe(ErrorCodes.TRANSPORT_PEER_UNREACHABLE);
    expect(received.length).toBe(before);
  });

  it('counts answered requests by kind and code, and the payload bytes handled (no caller-chosen label)', () => {
    const requests = new Map(server.counts.requestSamples().map((s) => [`${s.labels['kind']}/${s.labels['code']}`, s.value]));
    expect(requests.get(`kind${ECHO}/OK`)).toBeGreaterThanOrEqual(7);
    expect(requests.get(`kind${FAIL}/CHECKSUM_MISMATCH`)).toBe(1);
    expect(requests.get(`kind${THROW}/INTERNAL`)).toBe(1);
    expect(requests.get(`kind${ECHO}/TRANSPORT_PERMISSION_DENIED`)).toBe(1);
    // Unknown kinds and frames refused from their prefix share one label value.
    expect(requests.get('unknown/CODEC_VALUE_OUT_OF_RANGE')).toBe(1);
    expect([...requests.keys()].every((k) => /^(kind[123]|unknown)\/[A-Z_]+$/.test(k))).toBe(true);
    const bytes = new Map(server.counts.byteSamples().map((s) => [s.labels['kind'], s.value]));
    expect(bytes.get(`kind${ECHO}`)).toBeGreaterThanOrEqual(200_000);
  });

  it('closed clients refuse new requests', async () => {
    const clients = await clientsFor(pki.files(CERTS.node2));
    clients.close();
    expect((await failure(clients.request(server.address, ECHO, Buffer.alloc(0), Buffer.alloc(1), 5000))).code).toBe(ErrorCodes.TRANSPORT_CLOSED);
  });

  it('a reload takes a new CRL: a revoked node gets no new connection', async () => {
    const files = await pki.issue('node-n5', { kind: 'node', id: 'n5' });
    const before = await clientsFor(files);
    expect((await before.request(server.address, ECHO, Buffer.from('ok'), Buffer.alloc(1), 5000)).toString()).toContain('/node/n5|ok|');
    await pki.revokeCert('node-n5');
    await server.reload();
    expect(audit.events).toContainEqual(expect.objectContaining({ type: 'tls.reloaded', port: 'bulk' }));
    const after = await clientsFor(files);
    const count = received.length;
    expect((await failure(after.request(server.address, ECHO, Buffer.alloc(0), Buffer.alloc(1), 5000))).code).toBe(ErrorCodes.TRANSPORT_PEER_UNREACHABLE);
    expect(received.length).toBe(count);
  });
});

describe('a client-facing bulk port (tenant CAs trusted)', () => {
  it("takes a registered tenant's principal, follows registry changes, and keeps its allow-list", async () => {
    const registry = new InMemoryTenantCaRegistry();
    const seen: string[] = [];
    const tenantAudit = new MemoryAuditSink();
    const port = await BulkServer.start({
      trustDomain: TRUST_DOMAIN,
      tls: pki.files(CERTS.node1),
      tenantCas: registry,
      label: 'client-bulk',
      audit: tenantAudit,
      watch: false,
      handlers: new Map([[ECHO, { name: 'echo', allow: ['tenant-client', 'tenant-admin'], maxPayloadBytes: 1024, handle: async ({ principal }) => (seen.push(principal.spiffeId), Buffer.from('ok')) } satisfies BulkHandler]]),
    });
    try {
      const send = async (files: TlsFiles): Promise<string> => {
        const clients = await clientsFor(files);
        try {
          return (await clients.request(port.address, ECHO, Buffer.alloc(0), Buffer.alloc(1), 5000)).toString();
        } catch (err) {
          return err instanceof TesseraError ? err.code : 'not a TesseraError';
        }
      };
      // acme's CA is not registered yet: no handshake.
      expect(await send(pki.files(CERTS.acmeClient))).toBe(ErrorCodes.TRANSPORT_PEER_UNREACHABLE);
      registry.set('acme', await readFile(path.join(pki.tenantCaDirs.acme, 'ca.crt'), 'utf8'), await readFile(path.join(pki.tenantCaDirs.acme, 'ca.crl'), 'utf8'));
      const deadline = Date.now() + 5000;
      let answer = await send(pki.files(CERTS.acmeClient));
      while (answer !== 'ok' && Date.now() < deadline) answer = await send(pki.files(CERTS.acmeClient));
      expect(answer).toBe('ok');
      expect(seen).toContain(`spiffe://${TRUST_DOMAIN}/tenant/acme/client/app`);
      // beta is still unknown; a cluster admin completes the handshake but is not on the allow-list.
      expect(await send(pki.files(CERTS.betaClient))).toBe(ErrorCodes.TRANSPORT_PEER_UNREACHABLE);
      expect(await send(pki.files(CERTS.admin))).toBe(ErrorCodes.TRANSPORT_PERMISSION_DENIED);
      expect(tenantAudit.events).toContainEqual(expect.objectContaining({ type: 'rpc.denied', port: 'client-bulk', principal: `spiffe://${TRUST_DOMAIN}/admin/root` }));
    } finally {
      await port.close();
    }
  });
});
