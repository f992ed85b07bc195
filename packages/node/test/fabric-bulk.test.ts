/**
 * Shard writes over the bulk port (ADR 0026) between in-process nodes over
 * real mTLS, each with a real ShardStore: the same stored record as
 * Fabric.PutShard, the same refusals (CRC, lengths, header, unknown device,
 * principals other than nodes), and PutShard still used for a peer with no
 * known bulk port.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError, type ErrorCode } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import { crc32c } from '@tessera/erasure';
import { ShardStore, type ShardKey } from '@tessera/storage';
import { BulkClients, BulkServer, ClientTls, startTesseraServer, type TesseraServer } from '@tessera/transport';
import type { PutShardHeader } from '@tessera/wire';
import { BULK_PUT_SHARD, bulkShardHandler, decodeBulkShardReceipt, encodeBulkShardHeader } from '../src/fabric/bulk-shard.js';
import { FabricClients } from '../src/fabric/peer-client.js';
import { fabricService } from '../src/fabric/service.js';
import { TRUST_DOMAIN, createTestPki, type TestPki } from './support/pki.js';

const MiB = 1024 * 1024;
const LOCAL_POOL = { 'grpc.use_local_subchannel_pool': 1 };
const dirs = tempDirs('tessera-fabric-bulk-');

let pki: TestPki;
let store: ShardStore;
let peerPort: TesseraServer;
let bulkPort: BulkServer;
let fabric: FabricClients;
let grpcOnly: FabricClients;
const closers: Array<{ close(): unknown }> = [];
let putShardCalls = 0;

let seed = 0;
function freshKey(shardIndex = 0): ShardKey {
  seed++;
  return { chunkId: Buffer.alloc(32, 0x80 + seed), writeId: randomBytes(16), shardIndex };
}

function header(key: ShardKey, deviceId: string, length: number, crc: number): PutShardHeader {
  return { key, deviceId, sysEpoch: '3', gatewayTimeMs: '1700000000000', length: String(length), crc32c: crc };
}

async function bulkAs(files: Awaited<ReturnType<TestPki['node']>>): Promise<BulkClients> {
  const tls = await ClientTls.create({ trustDomain: TRUST_DOMAIN, tls: files, expect: { kinds: ['node'] } });
  const clients = new BulkClients({ credentials: tls.credentials });
  closers.push(clients, tls);
  return clients;
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(TesseraError);
    expect((err as TesseraError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

beforeAll(async () => {
  pki = await createTestPki();
  store = await ShardStore.open({
    nodeId: 'n2',
    devices: [{ deviceId: 'b', path: await dirs.make('n2-b'), capacityBytes: 256 * MiB }],
    maxExtentBytes: 64 * MiB,
    crashSim: false,
    healthCheckIntervalMs: 0,
  });
  const service = fabricService({ store, propose: () => Promise.reject(new Error('not used')) });
  const countingPut = service['PutShard'] as (...args: unknown[]) => unknown;
  peerPort = await startTesseraServer({
    port: 'peer',
    trustDomain: TRUST_DOMAIN,
    tls: await pki.node('n2'),
    services: { Fabric: { ...service, PutShard: (...args: unknown[]) => (putShardCalls++, countingPut(...args)) } },
    watch: false,
  });
  bulkPort = await BulkServer.start({ trustDomain: TRUST_DOMAIN, tls: await pki.node('n2'), handlers: new Map([[BULK_PUT_SHARD, bulkShardHandler(store)]]), watch: false });
  const bulk = await bulkAs(await pki.node('n1'));
  const files = { trustDomain: TRUST_DOMAIN, tls: await pki.node('n1'), watch: false };
  fabric = await FabricClients.create(files, { channelOptions: LOCAL_POOL, bulk: { clients: bulk, bulkAddressOf: (a) => (a === peerPort.address ? bulkPort.address : undefined) } });
  grpcOnly = await FabricClients.create(files, { channelOptions: LOCAL_POOL });
}, 30_000);

afterAll(async () => {
  fabric?.close();
  grpcOnly?.close();
  for (const c of closers) c.close();
  await bulkPort?.close();
  await peerPort?.close(0);
  await store?.close();
  await dirs.cleanup();
  await pki?.cleanup();
});

describe('PutShard over the bulk port', () => {
  it('stores the same record as Fabric.PutShard, without a PutShard call', async () => {
    const key = freshKey(3);
    const payload = randomBytes(2 * MiB + 4321);
    const before = putShardCalls;
    await fabric.putShard(peerPort.address, { deviceId: 'b', ...key, payload, sysEpoch: 3, gatewayTime: 1_700_000_000_000 });
    expect(putShardCalls).toBe(before);
    const stored = await store.readShard('b', key);
    expect(stored.payload.equals(payload)).toBe(true);
    expect(stored).toMatchObject({ sysEpoch: 3, gatewayTime: 1_700_000_000_000 });
    // Read back remotely over gRPC, as every read goes.
    expect((await fabric.getShard(peerPort.address, key, 'b')).equals(payload)).toBe(true);
  });

  it('a peer without a known bulk port gets Fabric.PutShard', async () => {
    const key = freshKey();
    const before = putShardCalls;
    await grpcOnly.putShard(peerPort.address, { deviceId: 'b', ...key, payload: randomBytes(1000), sysEpoch: 1, gatewayTime: 1 });
    expect(putShardCalls).toBe(before + 1);
    expect(await store.hasShard('b', key)).toBe(true);
  });

  it('answers with the record offset', async () => {
    const bulk = await bulkAs(await pki.node('n1'));
    const key = freshKey();
    const payload = randomBytes(100);
    const body = await bulk.request(bulkPort.address, BULK_PUT_SHARD, encodeBulkShardHeader(header(key, 'b', 100, crc32c(payload))), payload, 5000);
    expect(decodeBulkShardReceipt(body)).toBeGreaterThanOrEqual(0);
    expect(await store.hasShard('b', key)).toBe(true);
  });

  it('refuses what PutShard refuses, and stores nothing', async () => {
    const bulk = await bulkAs(await pki.node('n1'));
    const key = freshKey();
    const payload = randomBytes(1000);
    const send = (h: Buffer, p: Buffer): Promise<Buffer> => bulk.request(bulkPort.address, BULK_PUT_SHARD, h, p, 5000);
    await expectCode(send(encodeBulkShardHeader(header(key, 'b', 1000, crc32c(payload) ^ 1)), payload), ErrorCodes.CHECKSUM_MISMATCH);
    await expectCode(send(encodeBulkShardHeader(header(key, 'b', 999, crc32c(payload))), payload), ErrorCodes.INVALID_ARGUMENT);
    await expectCode(send(encodeBulkShardHeader(header({ ...key, writeId: Buffer.alloc(15) }, 'b', 1000, crc32c(payload))), payload), ErrorCodes.INVALID_ARGUMENT);
    await expectCode(send(encodeBulkShardHeader(header(key, 'zz', 1000, crc32c(payload))), payload), ErrorCodes.UNKNOWN_DEVICE);
    await expectCode(send(Buffer.from([0xff, 0xff, 0xff]), payload), ErrorCodes.INVALID_ARGUMENT);
    await expectCode(send(Buffer.alloc(0), payload), ErrorCodes.INVALID_ARGUMENT);
    expect(await store.hasShard('b', key)).toBe(false);
  });

  it('refuses every principal but a node', async () => {
    const admin = await bulkAs(await pki.admin('root'));
    const key = freshKey();
    const payload = randomBytes(10);
    await expectCode(admin.request(bulkPort.address, BULK_PUT_SHARD, encodeBulkShardHeader(header(key, 'b', 10, crc32c(payload))), payload, 5000), ErrorCodes.TRANSPORT_PERMISSION_DENIED);
    expect(await store.hasShard('b', key)).toBe(false);
  });
});
