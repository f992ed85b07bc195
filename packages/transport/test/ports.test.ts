/**
 * What every port offers besides its services: health checking, reflection,
 * explicit message limits, loopback binding, and only its own services.
 */
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { service as healthService } from 'grpc-health-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { MAX_MESSAGE_BYTES, packageDefinition, tesseraV1 } from '@tessera/wire';
import { CHANNEL_OPTIONS, ClientTls, channelOptions, startTesseraServer } from '../src/index.js';
import type { AnyMethod } from './support/rpc.js';
import { invoke } from './support/rpc.js';
import { CERTS, TRUST_DOMAIN, createTestPki } from './support/pki.js';
import type { TestPki } from './support/pki.js';
import { startStubPort } from './support/servers.js';
import type { StubPort } from './support/servers.js';

let pki: TestPki;
let clientPort: StubPort;
let clientTls: ClientTls;
const clients: grpc.Client[] = [];

function newClient(overrides: grpc.ChannelOptions = {}): grpc.Client {
  const c = new grpc.Client(clientPort.server.address, clientTls.credentials, channelOptions({ 'grpc.use_local_subchannel_pool': 1, ...overrides }));
  clients.push(c);
  return c;
}

beforeAll(async () => {
  pki = await createTestPki();
  clientPort = await startStubPort('client', pki.files(CERTS.node1), { tenantCas: await pki.registry() });
  clientTls = await ClientTls.create({ trustDomain: TRUST_DOMAIN, tls: pki.files(CERTS.acmeClient), expect: { kinds: ['node'] } });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await clientPort.server.close(0);
  await pki.cleanup();
});

describe('every port', () => {
  it('binds loopback by default and reports the bound port', () => {
    expect(clientPort.server.host).toBe('127.0.0.1');
    expect(clientPort.server.port).toBeGreaterThan(0);
    expect(clientPort.server.address).toBe(`127.0.0.1:${clientPort.server.port}`);
  });

  it('answers health checks for the server and each of its services', async () => {
    const check = healthService['Check'] as unknown as AnyMethod;
    const client = newClient();
    for (const service of ['', 'tessera.v1.Data', 'tessera.v1.Admin']) {
      const status = await new Promise<string>((resolve, reject) => {
        client.makeUnaryRequest(check.path, check.requestSerialize as (v: unknown) => Buffer, check.responseDeserialize as (b: Buffer) => { status: string }, { service }, (err, res) =>
          err !== null || res === undefined ? reject(err) : resolve(res.status),
        );
      });
      expect(status, service).toBe('SERVING');
    }
    clientPort.server.health.setStatus('tessera.v1.Data', 'NOT_SERVING');
    const after = await new Promise<string>((resolve, reject) => {
      client.makeUnaryRequest(check.path, check.requestSerialize as (v: unknown) => Buffer, check.responseDeserialize as (b: Buffer) => { status: string }, { service: 'tessera.v1.Data' }, (err, res) =>
        err !== null || res === undefined ? reject(err) : resolve(res.status),
      );
    });
    expect(after).toBe('NOT_SERVING');
    clientPort.server.health.setStatus('tessera.v1.Data', 'SERVING');
  });

  it('lists exactly its own services by reflection', async () => {
    const defs: protoLoader.ServiceDefinition[] = [];
    new ReflectionService(packageDefinition()).addToServer({ addService: (d) => void defs.push(d as unknown as protoLoader.ServiceDefinition) });
    const info = Object.values(defs[0] ?? {})[0] as unknown as AnyMethod;
    const client = newClient();
    const call = client.makeBidiStreamRequest(
      info.path,
      info.requestSerialize as (v: unknown) => Buffer,
      info.responseDeserialize as (b: Buffer) => { listServicesResponse?: { service: { name: string }[] } },
    );
    const names = await new Promise<string[]>((resolve, reject) => {
      call.on('data', (res: { listServicesResponse?: { service: { name: string }[] } }) => resolve((res.listServicesResponse?.service ?? []).map((s) => s.name)));
      call.on('error', reject);
      call.write({ listServices: '*' });
    });
    call.end();
    expect(names.sort()).toEqual(['tessera.v1.Admin', 'tessera.v1.Data', 'tessera.v1.Kv']);
  });

  it('refuses messages above the limit with RESOURCE_EXHAUSTED naming the sizes', async () => {
    const put = tesseraV1().Data.service.PutChunk as unknown as AnyMethod;
    const client = newClient({ 'grpc.max_send_message_length': 2 * MAX_MESSAGE_BYTES });
    const before = clientPort.counters.messages.get('/tessera.v1.Data/PutChunk') ?? 0;
    const outcome = await invoke(client, put, [{ header: { size: String(MAX_MESSAGE_BYTES + 1) } }, { data: Buffer.alloc(MAX_MESSAGE_BYTES + 1) }]);
    expect(outcome.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(outcome.details).toMatch(/larger than max/);
    // The header reached the handler, the oversized frame did not.
    expect((clientPort.counters.messages.get('/tessera.v1.Data/PutChunk') ?? 0) - before).toBeLessThanOrEqual(1);
  });

  it('clients refuse to send above the limit too', async () => {
    const put = tesseraV1().Data.service.PutChunk as unknown as AnyMethod;
    const outcome = await invoke(newClient(), put, [{ header: { size: String(MAX_MESSAGE_BYTES + 1) } }, { data: Buffer.alloc(MAX_MESSAGE_BYTES + 1) }]);
    expect(outcome.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });

  it('refuses to serve a service that belongs to another port', async () => {
    await expect(
      startTesseraServer({ port: 'peer', trustDomain: TRUST_DOMAIN, tls: pki.files(CERTS.node1), services: { Data: {} }, watch: false }),
    ).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
  });

  it('hands a handler the principal taken from the certificate, whatever the metadata says', async () => {
    const seen: string[] = [];
    const server = await startTesseraServer({
      port: 'client',
      trustDomain: TRUST_DOMAIN,
      tls: pki.files(CERTS.node1),
      tenantCas: await pki.registry(),
      watch: false,
      services: {
        Data: {
          StatObject: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
            seen.push(server.principalOf(call).spiffeId);
            cb(null, {});
          },
        },
      },
    });
    try {
      const client = new grpc.Client(server.address, clientTls.credentials, channelOptions());
      clients.push(client);
      const md = new grpc.Metadata();
      md.set('x-spiffe-id', 'spiffe://tessera.test/admin/root');
      md.set('x-forwarded-client-cert', 'URI=spiffe://tessera.test/tenant/beta/admin/bob');
      const stat = tesseraV1().Data.service.StatObject as unknown as AnyMethod;
      expect((await invoke(client, stat, [{ name: 'x' }], md)).code).toBe(grpc.status.OK);
      expect(seen).toEqual(['spiffe://tessera.test/tenant/acme/client/app']);
    } finally {
      await server.close(0);
    }
  });
});

describe('channel options', () => {
  it('set keepalive 10 s / 5 s, reconnect backoff 100 ms to 2 s and the message limit; overrides win', () => {
    expect(CHANNEL_OPTIONS).toMatchObject({
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 2_000,
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    });
    expect(channelOptions({ 'grpc.max_reconnect_backoff_ms': 500 })['grpc.max_reconnect_backoff_ms']).toBe(500);
  });
});
