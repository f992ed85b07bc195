/**
 * Fabric between two in-process peer ports over real mTLS, each node with a
 * real ShardStore on temp folders: shards stored remotely and read back
 * remotely and locally, range reads, every refused stream, damaged records,
 * ClusterShardIo routing, ForwardPropose with its NOT_LEADER answer, and the
 * authorization table keeping everything but node principals out.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError, type ErrorCode } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import { crc32c } from '@tessera/erasure';
import { createTenantCa, issueCertificate } from '@tessera/launcher';
import { NotLeaderError } from '@tessera/raft';
import { RECORD_HEADER_BYTES, ShardStore, type ShardKey } from '@tessera/storage';
import { ClientTls, RpcFailure, createClient, rpcFailure, startTesseraServer, type TesseraServer, type TlsFiles } from '@tessera/transport';
import { tesseraV1, type FabricClient, type PutShardFrame } from '@tessera/wire';
import { FabricClients } from '../src/fabric/peer-client.js';
import { fabricService } from '../src/fabric/service.js';
import { ClusterShardIo } from '../src/fabric/shard-io.js';
import { TRUST_DOMAIN, createTestPki, type TestPki } from './support/pki.js';

const MiB = 1024 * 1024;
const LOCAL_POOL = { 'grpc.use_local_subchannel_pool': 1 };
const dirs = tempDirs('tessera-fabric-');

interface Peer {
  readonly id: string;
  readonly store: ShardStore;
  readonly server: TesseraServer;
  readonly devicePaths: Map<string, string>;
  readonly proposals: Array<{ group: number; command: Buffer }>;
}

let pki: TestPki;
const peers = new Map<string, Peer>();
let clients: FabricClients;
let raw: FabricClient;
let rawTls: ClientTls;
const extraClients: Array<{ close(): void }> = [];

/** A fake leader: echoes the group and command; a command starting 0xff answers as a follower whose leader is n3. */
async function fakePropose(proposals: Peer['proposals'], group: number, command: Buffer): Promise<Buffer> {
  proposals.push({ group, command });
  if (command[0] === 0xff) throw new NotLeaderError('n3');
  return Buffer.concat([Buffer.from([group]), command]);
}

async function startPeer(id: string, deviceIds: readonly string[]): Promise<Peer> {
  const devicePaths = new Map<string, string>();
  for (const d of deviceIds) devicePaths.set(d, await dirs.make(`${id}-${d}`));
  const store = await ShardStore.open({
    nodeId: id,
    devices: deviceIds.map((deviceId) => ({ deviceId, path: devicePaths.get(deviceId)!, capacityBytes: 256 * MiB })),
    maxExtentBytes: 64 * MiB,
    crashSim: false,
    healthCheckIntervalMs: 0,
  });
  const proposals: Peer['proposals'] = [];
  const server = await startTesseraServer({
    port: 'peer',
    trustDomain: TRUST_DOMAIN,
    tls: await pki.node(id),
    services: { Fabric: fabricService({ store, propose: (group, command) => fakePropose(proposals, group, command) }) },
    watch: false,
  });
  const peer = { id, store, server, devicePaths, proposals };
  peers.set(id, peer);
  return peer;
}

const peer = (id: string): Peer => peers.get(id)!;
const addressOf = (id: string): string => peer(id).server.address;

let seed = 0;
function freshKey(shardIndex = 0): ShardKey {
  seed++;
  return { chunkId: Buffer.alloc(32, seed), writeId: randomBytes(16), shardIndex };
}

/** Sends frames as they are (no client-side checks) and returns the failure, or undefined on success. */
function rawPut(frames: readonly PutShardFrame[]): Promise<TesseraError | undefined> {
  return new Promise((resolve) => {
    const call = raw.putShard(new grpc.Metadata(), { deadline: Date.now() + 10_000 }, (err) => resolve(err === null ? undefined : rpcFailure(err)));
    call.on('error', () => undefined);
    for (const f of frames) call.write(f);
    call.end();
  });
}

function rawHeader(key: ShardKey, deviceId: string, length: number, crc: number): PutShardFrame {
  return { header: { key, deviceId, sysEpoch: '1', gatewayTimeMs: String(Date.now()), length: String(length), crc32c: crc } };
}

async function refusal(promise: Promise<unknown>): Promise<TesseraError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(TesseraError);
    return err as TesseraError;
  }
  throw new Error('expected a refusal');
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<TesseraError> {
  const err = await refusal(promise);
  expect(err.code).toBe(code);
  return err;
}

beforeAll(async () => {
  pki = await createTestPki();
  await startPeer('n1', ['a']);
  await startPeer('n2', ['b', 'c']);
  clients = await FabricClients.create({ trustDomain: TRUST_DOMAIN, tls: await pki.node('n1'), watch: false }, { channelOptions: LOCAL_POOL });
  rawTls = await ClientTls.create({ trustDomain: TRUST_DOMAIN, tls: await pki.node('n1'), expect: { kinds: ['node'] } });
  raw = createClient(tesseraV1().Fabric, addressOf('n2'), rawTls, LOCAL_POOL);
}, 30_000);

afterAll(async () => {
  clients?.close();
  raw?.close();
  rawTls?.close();
  for (const c of extraClients) c.close();
  for (const p of peers.values()) {
    await p.server.close(0);
    await p.store.close();
  }
  await dirs.cleanup();
  await pki?.cleanup();
});

describe('PutShard and GetShard', () => {
  it('stores a multi-frame shard remotely; remote and local reads return the same bytes', async () => {
    const key = freshKey(2);
    const payload = randomBytes(2 * MiB + 12_345);
    await clients.putShard(addressOf('n2'), { deviceId: 'b', ...key, payload, sysEpoch: 4, gatewayTime: 1_700_000_000_000 });
    // The receipt came after the store resolved: the record is there now.
    const local = await peer('n2').store.readShard('b', key);
    expect(local.payload.equals(payload)).toBe(true);
    expect(local).toMatchObject({ sysEpoch: 4, gatewayTime: 1_700_000_000_000 });
    const remote = await clients.getShard(addressOf('n2'), key, 'b');
    expect(remote.equals(payload)).toBe(true);
  });

  it('reads a range, and an empty shard', async () => {
    const key = freshKey();
    const payload = randomBytes(3 * MiB);
    await clients.putShard(addressOf('n2'), { deviceId: 'c', ...key, payload, sysEpoch: 1, gatewayTime: 1 });
    const part = await clients.getShard(addressOf('n2'), key, 'c', { range: { offset: MiB - 10, length: MiB + 20 } });
    expect(part.equals(payload.subarray(MiB - 10, 2 * MiB + 10))).toBe(true);
    const tail = await clients.getShard(addressOf('n2'), key, 'c', { range: { offset: 3 * MiB - 7 } });
    expect(tail.equals(payload.subarray(3 * MiB - 7))).toBe(true);
    await expectCode(clients.getShard(addressOf('n2'), key, 'c', { range: { offset: 3 * MiB, length: 1 } }), ErrorCodes.INVALID_ARGUMENT);

    const empty = freshKey();
    await clients.putShard(addressOf('n2'), { deviceId: 'c', ...empty, payload: Buffer.alloc(0), sysEpoch: 1, gatewayTime: 1 });
    expect((await clients.getShard(addressOf('n2'), empty, 'c')).length).toBe(0);
  });

  it('refuses a payload whose CRC-32C does not match, and stores nothing', async () => {
    const key = freshKey();
    const payload = randomBytes(1000);
    const err = await rawPut([rawHeader(key, 'b', payload.length, crc32c(payload) ^ 1), { data: payload }]);
    expect(err?.code).toBe(ErrorCodes.CHECKSUM_MISMATCH);
    expect(await peer('n2').store.hasShard('b', key)).toBe(false);
  });

  it('refuses frames over 1 MiB, lengths that do not add up, and streams out of order', async () => {
    const key = freshKey();
    const big = randomBytes(MiB + 1);
    const small = randomBytes(100);
    const cases: Array<[string, PutShardFrame[]]> = [
      ['frame over 1 MiB', [rawHeader(key, 'b', big.length, crc32c(big)), { data: big }]],
      ['fewer bytes than announced', [rawHeader(key, 'b', 101, crc32c(small)), { data: small }]],
      ['more bytes than announced', [rawHeader(key, 'b', 99, crc32c(small)), { data: small }]],
      ['data before the header', [{ data: small }, rawHeader(key, 'b', 100, crc32c(small))]],
      ['no header at all', []],
      ['second header', [rawHeader(key, 'b', 100, crc32c(small)), rawHeader(key, 'b', 100, crc32c(small)), { data: small }]],
      ['short write id', [rawHeader({ ...key, writeId: Buffer.alloc(15) }, 'b', 100, crc32c(small)), { data: small }]],
      ['over the shard bound', [rawHeader(key, 'b', 64 * MiB, 0)]],
    ];
    for (const [what, frames] of cases) {
      const err = await rawPut(frames);
      expect(err?.code, what).toBe(ErrorCodes.INVALID_ARGUMENT);
      expect((err as RpcFailure).status, what).toBe(grpc.status.INVALID_ARGUMENT);
    }
    expect(await peer('n2').store.hasShard('b', key)).toBe(false);
  });

  it('answers UNKNOWN_DEVICE for a device the node does not have, NOT_FOUND for a missing shard', async () => {
    const key = freshKey();
    await expectCode(clients.putShard(addressOf('n2'), { deviceId: 'zz', ...key, payload: randomBytes(10), sysEpoch: 1, gatewayTime: 1 }), ErrorCodes.UNKNOWN_DEVICE);
    await expectCode(clients.getShard(addressOf('n2'), key, 'zz'), ErrorCodes.UNKNOWN_DEVICE);
    await expectCode(clients.getShard(addressOf('n2'), key, 'b'), ErrorCodes.NOT_FOUND);
  });

  it('a damaged record is an error status, never bad bytes', async () => {
    const key = freshKey();
    const location = await peer('n2').store.putShard('c', { ...key, payload: randomBytes(5000), sysEpoch: 1, gatewayTime: 1 });
    const file = path.join(peer('n2').devicePaths.get('c')!, 'extents', `${location.extentId.toString(16).padStart(8, '0')}.ext`);
    const handle = await fs.open(file, 'r+');
    const at = location.offset + RECORD_HEADER_BYTES + 1234;
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0x5a;
    await handle.write(byte, 0, 1, at);
    await handle.close();
    await expectCode(clients.getShard(addressOf('n2'), key, 'c'), ErrorCodes.CHECKSUM_MISMATCH);
  });
});

describe('HasShard', () => {
  it('answers present with the payload length, absent for another shard, and UNKNOWN_DEVICE for a device the node lacks', async () => {
    const key = freshKey(3);
    const payload = randomBytes(12_345);
    await clients.putShard(addressOf('n2'), { deviceId: 'b', ...key, payload, sysEpoch: 2, gatewayTime: 7 });
    expect(await clients.hasShard(addressOf('n2'), key, 'b')).toEqual({ present: true, length: 12_345 });
    expect(await clients.hasShard(addressOf('n2'), key, 'c')).toEqual({ present: false, length: 0 });
    expect(await clients.hasShard(addressOf('n2'), { ...key, shardIndex: 4 }, 'b')).toEqual({ present: false, length: 0 });
    await expectCode(clients.hasShard(addressOf('n2'), key, 'zz'), ErrorCodes.UNKNOWN_DEVICE);
    // Deleted (tombstoned) records are absent.
    await peer('n2').store.deleteShard('b', key);
    expect(await clients.hasShard(addressOf('n2'), key, 'b')).toEqual({ present: false, length: 0 });
  });

  it('refuses a malformed key', async () => {
    const bad = await new Promise<TesseraError>((resolve) =>
      raw.hasShard({ key: { chunkId: Buffer.alloc(3), writeId: randomBytes(16), shardIndex: 0 }, deviceId: 'b' }, (err) => resolve(rpcFailure(err!))),
    );
    expect(bad.code).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('ClusterShardIo', () => {
  it('routes local slots to the store and remote slots over Fabric', async () => {
    const io = new ClusterShardIo({ localNodeId: 'n1', store: peer('n1').store, clients, addressOf: (id) => (peers.has(id) ? addressOf(id) : undefined) });
    const local = { nodeId: 'n1', deviceId: 'a' };
    const remote = { nodeId: 'n2', deviceId: 'b' };
    const k1 = freshKey(0);
    const k2 = freshKey(1);
    const p1 = randomBytes(70_000);
    const p2 = randomBytes(1_500_000);
    await io.writeNew(local, { ...k1, payload: p1, sysEpoch: 3, gatewayTime: 5 });
    await io.writeNew(remote, { ...k2, payload: p2, sysEpoch: 3, gatewayTime: 5 });
    expect((await peer('n1').store.readShard('a', k1)).payload.equals(p1)).toBe(true);
    expect((await peer('n2').store.readShard('b', k2)).payload.equals(p2)).toBe(true);
    expect(Buffer.from(await io.readShard(local, k1)).equals(p1)).toBe(true);
    expect(Buffer.from(await io.readShard(remote, k2)).equals(p2)).toBe(true);

    // A repair write to another node (e.g. rebuilding shard 1 onto n2/c).
    await io.writeShard({ nodeId: 'n2', deviceId: 'c' }, { ...k2, payload: p2, sysEpoch: 3, gatewayTime: 5, purpose: 'repair' });
    expect((await peer('n2').store.readShard('c', k2)).payload.equals(p2)).toBe(true);

    // HasShard: the local slot from the store, the remote one over Fabric.
    expect(await io.hasShard(local, k1)).toEqual({ present: true, length: p1.length });
    expect(await io.hasShard(remote, k2)).toEqual({ present: true, length: p2.length });
    expect(await io.hasShard(local, k2)).toEqual({ present: false, length: 0 });
    expect(await io.hasShard({ nodeId: 'n2', deviceId: 'c' }, k1)).toEqual({ present: false, length: 0 });

    const unknown = await expectCode(io.readShard({ nodeId: 'n9', deviceId: 'x' }, k1), ErrorCodes.TRANSPORT_PEER_UNREACHABLE);
    expect(unknown.retriable).toBe(true);
    expect((await refusal(io.writeNew({ nodeId: 'n9', deviceId: 'x' }, { ...k1, payload: p1, sysEpoch: 3, gatewayTime: 5 }))).retriable).toBe(true);
  });
});

describe('ForwardPropose', () => {
  it('proposes on the peer and returns its encoded result', async () => {
    const before = peer('n2').proposals.length;
    const result = await clients.forwardPropose(addressOf('n2'), 1, Buffer.from([1, 2, 3]));
    expect(result.equals(Buffer.from([1, 1, 2, 3]))).toBe(true);
    expect(peer('n2').proposals.slice(before)).toEqual([{ group: 1, command: Buffer.from([1, 2, 3]) }]);
  });

  it('a follower answers RAFT_NOT_LEADER with the leader hint', async () => {
    const err = await expectCode(clients.forwardPropose(addressOf('n2'), 1, Buffer.from([0xff])), ErrorCodes.RAFT_NOT_LEADER);
    expect(err).toBeInstanceOf(RpcFailure);
    expect(err).toMatchObject({ leader: 'n3', retriable: true, status: grpc.status.UNAVAILABLE });
  });

  it('refuses commands over 1 MiB (client and server)', async () => {
    const before = peer('n2').proposals.length;
    const big = Buffer.alloc(MiB + 1, 1);
    await expectCode(clients.forwardPropose(addressOf('n2'), 1, big), ErrorCodes.INVALID_ARGUMENT);
    const served = await new Promise<TesseraError | undefined>((resolve) =>
      raw.forwardPropose({ group: 1, command: big }, new grpc.Metadata(), { deadline: Date.now() + 10_000 }, (err) => resolve(err === null ? undefined : rpcFailure(err))),
    );
    expect(served?.code).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(peer('n2').proposals.length).toBe(before);
  });
});

describe('FabricClients', () => {
  it('refuses calls once closed', async () => {
    const closed = await FabricClients.create({ trustDomain: TRUST_DOMAIN, tls: await pki.node('n1'), watch: false }, { channelOptions: LOCAL_POOL });
    expect((await clientsAfterClose(closed)).every((code) => code === ErrorCodes.TRANSPORT_CLOSED)).toBe(true);
  });

  async function clientsAfterClose(c: FabricClients): Promise<ErrorCode[]> {
    c.close();
    const key = freshKey();
    return [
      (await refusal(c.putShard(addressOf('n2'), { deviceId: 'b', ...key, payload: randomBytes(10), sysEpoch: 1, gatewayTime: 1 }))).code,
      (await refusal(c.getShard(addressOf('n2'), key, 'b'))).code,
      (await refusal(c.forwardPropose(addressOf('n2'), 1, Buffer.from([1])))).code,
      (await refusal(c.hasShard(addressOf('n2'), key, 'b'))).code,
    ];
  }
});

describe('authorization on the peer port', () => {
  async function pool(tls: TlsFiles): Promise<FabricClients> {
    const c = await FabricClients.create({ trustDomain: TRUST_DOMAIN, tls, watch: false }, { channelOptions: LOCAL_POOL, shardTimeoutMs: 10_000 });
    extraClients.push(c);
    return c;
  }

  async function expectRefusedEverywhere(c: FabricClients): Promise<ErrorCode[]> {
    const before = peer('n2').proposals.length;
    const key = freshKey();
    const codes = [
      (await refusal(c.putShard(addressOf('n2'), { deviceId: 'b', ...key, payload: randomBytes(10), sysEpoch: 1, gatewayTime: 1 }))).code,
      (await refusal(c.getShard(addressOf('n2'), key, 'b'))).code,
      (await refusal(c.forwardPropose(addressOf('n2'), 1, Buffer.from([1])))).code,
      (await refusal(c.hasShard(addressOf('n2'), key, 'b'))).code,
    ];
    expect(await peer('n2').store.hasShard('b', key)).toBe(false);
    expect(peer('n2').proposals.length).toBe(before);
    return codes;
  }

  it('refuses cluster admins and key managers (node principals only)', async () => {
    const admin = await pool(await pki.admin());
    expect(await expectRefusedEverywhere(admin)).toEqual(Array(4).fill(ErrorCodes.TRANSPORT_PERMISSION_DENIED));
    const km = await pool(await pki.issue('keymanager-km1', { kind: 'keymanager', id: 'km1' }));
    expect(await expectRefusedEverywhere(km)).toEqual(Array(4).fill(ErrorCodes.TRANSPORT_PERMISSION_DENIED));
  });

  it('refuses a tenant certificate (the peer port trusts no tenant CA)', async () => {
    const tenantCaDir = path.join(pki.root, 'tenant-acme-ca');
    await createTenantCa({ dir: tenantCaDir, trustDomain: TRUST_DOMAIN, tenant: 'acme' });
    const issued = await issueCertificate({ caDir: tenantCaDir, outDir: path.join(pki.root, 'tenant-certs'), identity: { kind: 'tenant-client', tenant: 'acme', name: 'app' } });
    const cluster = await pki.node('n1');
    const tenant = await pool({ certFile: issued.certFile, keyFile: issued.keyFile, caFile: cluster.caFile, crlFile: cluster.crlFile });
    const codes = await expectRefusedEverywhere(tenant);
    for (const code of codes) expect([ErrorCodes.TRANSPORT_PEER_UNREACHABLE, ErrorCodes.TRANSPORT_UNAUTHENTICATED, ErrorCodes.TRANSPORT_PERMISSION_DENIED]).toContain(code);
  });
});
