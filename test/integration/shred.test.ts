/**
 * Issue #9, crypto-shred end to end, across processes (one key manager,
 * three storage nodes, housekeeping brisk enough to act within a second or
 * two):
 *  - an isolated tenant's admin shreds it (`tessera tenant shred --schedule
 *    --delay 0`): the metadata leader purges it, every node drops its CA from
 *    the client port, its keys are KEK_DESTROYED even for an allow-listed
 *    node, its chunks are reclaimed; and K5 against a pre-shred copy of every
 *    node's data dir, opened offline: its chunk envelopes and delta payloads
 *    stay sealed to a holder of the system master key and the dedup key;
 *  - a shared-policy tenant's shred purges its metadata and reclaims the
 *    chunks nobody else references, while the chunk another tenant stores
 *    too stays, and that tenant reads every object back byte for byte;
 *  - the metadata leader is killed between the shred being scheduled and
 *    executed: the new leader purges, and the old one agrees once restarted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cp, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { connect as connectTls } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { ChunkKeys, KeyMaterial, aes256GcmOpen, deriveSharedChunkDek, openChunk, parseEnvelopeHeader, zeroize, type EnvelopeHeader } from '@tessera/crypto';
import { decode } from '@tessera/erasure';
import { tenantFromWire, type KeyManagerClient } from '@tessera/keymanager';
import { pollUntil, type ClusterTlsFiles } from '@tessera/launcher';
import { MetadataMachine, openDelta } from '@tessera/node';
import { openDurableKv } from '@tessera/raft';
import { ShardStore } from '@tessera/storage';
import { TesseraClient } from '@tessera/client';
import { sampleValue } from '../../packages/transport/test/support/exposition.js';
import { DataCluster, type TenantHandle } from './support/data-cluster.js';
import { json } from './support/km-processes.js';
import { FailureFlag } from './support/failures.js';

const KiB = 1024;
const CHUNK = 64 * KiB;
const SHARDS_PER_CHUNK = 6; // the default 4+2 profile
/** Housekeeping that acts within a second or two (as gc.test.ts; orphans get a wider margin on a loaded machine). */
const BRISK = ['--housekeeping-interval-ms', '200', '--gc-grace-ms', '1000', '--reconcile-interval-ms', '300', '--tombstone-ttl-ms', '1', '--orphan-ttl-ms', '5000'];
/** Bytes of an envelope header before the tenant id (DESIGN section 5: envelope v1). */
const ENVELOPE_FIXED_HEADER_BYTES = 77;
const TAG_BYTES = 16;

const failures = new FailureFlag();
const { track } = failures;
let cluster: DataCluster;
let iso: TenantHandle;
let sh: TenantHandle;
let other: TenantHandle;
/** An allow-listed node identity's key-manager client (what a process holding n1's key can ask). */
let n1Keys: KeyManagerClient;
/** Where each node's pre-shred data dir copy lives. */
const copies = new Map<string, string>();

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const codeOf = (err: unknown): string | undefined => (err as { code?: string } | undefined)?.code;

/** Objects per tenant; `common` is the same content in `sh` and `other` (shared chunks both reference). */
const common = randomBytes(CHUNK + 5); // 2 chunks, referenced by sh and other
const objects = {
  iso: { 'iso/big': randomBytes(2 * CHUNK + 100), 'iso/small': randomBytes(1_000) }, // 3 chunks + inline
  sh: { 'sh/big': randomBytes(2 * CHUNK), 'sh/small': randomBytes(2_000), 'sh/common': common }, // 2 own chunks + 2 shared + inline
  other: { 'other/big': randomBytes(CHUNK + CHUNK / 2), 'other/small': randomBytes(3_000), 'other/common': common }, // 2 own + 2 shared + inline
} as const;
const ISO_CHUNKS = 3;
const SH_OWN_CHUNKS = 2;

async function scrape(id: string): Promise<string> {
  const res = await fetch(`http://${cluster.launcher.node(id).ports.httpAddress}/metrics`);
  return res.text();
}

/** Shards reclaimed on every running node (condemned, or already gone when the node looked: as gc.test.ts). */
async function reclaimed(): Promise<number> {
  let sum = 0;
  for (const n of cluster.launcher.running()) {
    const body = await scrape(n.id);
    for (const reason of ['condemned', 'orphan']) sum += sampleValue(body, 'tessera_storage_shards_reclaimed_total', { reason }) ?? 0;
  }
  return sum;
}

/**
 * What one node's client port answers `tls` (a fresh client each time: a
 * refused handshake must not leave a channel in reconnect backoff):
 * 'accepted' (a stat of a missing object is NOT_FOUND), else the error code.
 */
async function answerOf(nodeId: string, tls: ClusterTlsFiles): Promise<string> {
  const client = await TesseraClient.connect({ tls, endpoints: [cluster.launcher.node(nodeId).ports.clientAddress], retryTimeoutMs: 0 });
  try {
    await client.stat('tessera-probe-does-not-exist');
    return 'stat answered';
  } catch (err) {
    return codeOf(err) === ErrorCodes.NOT_FOUND ? 'accepted' : (codeOf(err) ?? 'UNKNOWN');
  } finally {
    client.close();
  }
}

/**
 * Waits until every running node refuses `tenant`'s client certificate while
 * it serves `other`'s: the tenant's CA left the client port's registry (the
 * node applied the purge) and the port's TLS trust with it, so the handshake
 * fails (the client reports the node unreachable; `other`, at the same
 * moment, is served). Before that, once the key manager's invalidation
 * arrived, the tenant is still authenticated and answered KEK_DESTROYED.
 * Then the refusal is checked at the TLS layer itself (tlsVerdict).
 */
async function refusedEverywhere(tenant: TenantHandle, ids = cluster.raft.runningIds()): Promise<void> {
  let last: string[] = [];
  await pollUntil(
    `every node to refuse tenant ${tenant.id}'s certificate`,
    async () => {
      last = await Promise.all(ids.map(async (id) => `${await answerOf(id, tenant.client)}/${await answerOf(id, other.client)}`));
      return last.every((a) => a === `${ErrorCodes.TRANSPORT_PEER_UNREACHABLE}/accepted`);
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}; last answers ${tenant.id}/other (${ids.join(', ')}): ${last.join(', ')}`, { cause: err });
  });
  for (const id of ids) {
    expect(await tlsVerdict(id, tenant.client), id).toMatch(REFUSED_AT_TLS);
    expect(await tlsVerdict(id, other.client), id).toBe('served');
  }
}

/** A TLS-level refusal: the server ended the connection (with or without an alert Node reports) before any HTTP/2. */
const REFUSED_AT_TLS = /^(closed|ERR_SSL_)/;

/**
 * A bare TLS 1.3 connection to node `id`'s client port with `files`:
 * 'served' once the server speaks HTTP/2 to it (its SETTINGS frame: the
 * certificate was accepted), else how the server ended it before that (an
 * alert's Node error code, or 'closed').
 */
async function tlsVerdict(id: string, files: ClusterTlsFiles): Promise<string> {
  const address = cluster.launcher.node(id).ports.clientAddress;
  const colon = address.lastIndexOf(':');
  const [cert, key, ca] = await Promise.all([readFile(files.certFile), readFile(files.keyFile), readFile(files.caFile)]);
  return new Promise((resolve) => {
    const socket = connectTls({
      host: address.slice(0, colon),
      port: Number(address.slice(colon + 1)),
      cert,
      key,
      ca,
      ALPNProtocols: ['h2'],
      minVersion: 'TLSv1.3',
      // Only the server's verdict on our certificate matters here, not the name it serves under.
      checkServerIdentity: () => undefined,
    });
    socket.on('data', () => {
      socket.destroy();
      resolve('served');
    });
    socket.setTimeout(10_000, () => {
      socket.destroy();
      resolve('neither served nor refused');
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(err.code ?? 'ERROR');
    });
    socket.on('close', () => resolve('closed'));
  });
}

/** Whether node `id`'s whole log has the purge line for `tenant` (a line of JSON: msg, then fields). */
async function loggedPurge(id: string, tenant: string): Promise<boolean> {
  const log = await readFile(cluster.launcher.node(id).logFile, 'utf8');
  return log.split('\n').some((line) => line.includes('"msg":"tenant purged after its crypto-shred"') && line.includes(`"tenant":"${tenant}"`));
}

/** `tessera tenant shred --schedule --delay <delay>` as the tenant's admin; the key manager's shred status. */
async function scheduleShred(tenant: TenantHandle, delay: string): Promise<Record<string, unknown>> {
  return json(await cluster.kms.cli(['-o', 'json', 'tenant', 'shred', '--schedule', '--delay', delay], tenant.admin));
}

async function kmState(tenant: string): Promise<string> {
  return tenantFromWire(await cluster.kms.admin.call('GetTenant', { tenant }, { idempotent: true })).state;
}

/** `tessera tenant usage --tenant <id>` as the cluster admin, against the nodes' Admin service. */
async function usage(tenant: string): Promise<Record<string, unknown>> {
  const endpoints = cluster.launcher.running().map((n) => n.ports.clientAddress).join(',');
  const tls = cluster.launcher.adminTls;
  return json(
    await cluster.launcher.runCli(['-o', 'json', 'tenant', 'usage', '--tenant', tenant], {
      env: { TESSERA_DATA_ENDPOINT: endpoints, TESSERA_CERT: tls.certFile, TESSERA_KEY: tls.keyFile, TESSERA_CA: tls.caFile, TESSERA_CRL: tls.crlFile },
    }),
  );
}

async function readsBack(tls: ClusterTlsFiles, wanted: Record<string, Buffer>): Promise<void> {
  const client = await cluster.client(tls, { chunkSize: CHUNK });
  for (const [name, bytes] of Object.entries(wanted)) expect(sha(await client.getBuffer(name)), name).toBe(sha(bytes));
}

/** A key fetched with the node identity, as key material (the wire buffer is zeroed). */
async function keyOf(call: Promise<{ key: Buffer }>): Promise<KeyMaterial> {
  const res = await call;
  try {
    return KeyMaterial.fromBytes(res.key);
  } finally {
    zeroize(res.key);
  }
}

/** What the pre-shred copy holds for the isolated tenant: a chunk's envelope (rebuilt from its shards) and the tenant's deltas. */
interface CopiedIsolatedData {
  readonly envelope: Buffer;
  readonly header: EnvelopeHeader;
  readonly chunkIds: readonly Buffer[];
  readonly deltas: ReadonlyArray<{ header: Parameters<typeof openDelta>[0]; payload: Buffer }>;
}

/**
 * Opens the copies OFFLINE, as someone holding every pre-shred data dir
 * would: the metadata store of one copy (MetadataMachine over the copied
 * LevelDB), the iso object with chunks, and the first chunk's shards
 * collected from the copied device folders of whichever nodes hold them,
 * erasure-decoded into the envelope.
 */
async function readIsolatedFromCopies(): Promise<CopiedIsolatedData> {
  const kv = await openDurableKv(path.join(copies.get('n1')!, 'metadata'));
  const stores = new Map<string, ShardStore>();
  try {
    const machine = await MetadataMachine.open(kv);
    const deltas = [...machine.currentObjects('iso').values()].map((seq) => machine.delta('iso', seq)!);
    expect(deltas).toHaveLength(2);
    const chunked = deltas.find((d) => d.header.chunkRefs.length > 0)!;
    expect(chunked.header.chunkRefs).toHaveLength(ISO_CHUNKS);
    const chunkId = chunked.header.chunkRefs[0]!;
    const record = machine.chunk(chunkId)!;
    expect(record).toMatchObject({ state: 'live', k: 4, m: 2 });

    const shards: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(record.k + record.m).fill(undefined);
    let found = 0;
    for (const slot of record.slots) {
      if (found === record.k) break;
      let store = stores.get(slot.nodeId);
      if (store === undefined) {
        const dir = path.join(copies.get(slot.nodeId)!, 'devices');
        const devices = await readdir(dir);
        store = await ShardStore.open({
          nodeId: slot.nodeId,
          devices: devices.map((deviceId) => ({ deviceId, path: path.join(dir, deviceId), capacityBytes: 16 * 1024 ** 3 })),
          healthCheckIntervalMs: 0,
        });
        stores.set(slot.nodeId, store);
      }
      shards[slot.shardIndex] = (await store.readShard(slot.deviceId, { chunkId: record.chunkId, writeId: record.writeId, shardIndex: slot.shardIndex })).payload;
      found++;
    }
    expect(found).toBe(record.k);
    const envelopeLength = ENVELOPE_FIXED_HEADER_BYTES + 'iso'.length + record.size + TAG_BYTES;
    const envelope = Buffer.from(decode(shards, record.k, record.m, envelopeLength));
    const header = parseEnvelopeHeader(envelope);
    return { envelope, header, chunkIds: chunked.header.chunkRefs, deltas: deltas.map((d) => ({ header: d.header, payload: d.payload })) };
  } finally {
    for (const store of stores.values()) await store.close();
    await kv.close();
  }
}

beforeAll(async () => {
  cluster = await DataCluster.start({ nodes: 3, nodeArgs: BRISK });
  try {
    iso = await cluster.addTenant('iso', 'isolated');
    sh = await cluster.addTenant('sh', 'shared');
    other = await cluster.addTenant('other', 'shared');
    n1Keys = await cluster.kms.client(cluster.launcher.nodeTls('n1'));
  } catch (err) {
    failures.failed = true;
    throw err;
  }
}, 180_000);

afterAll(async () => {
  await cluster?.shutdown(failures.failed);
}, 60_000);

describe('crypto-shred end to end', () => {
  let copied: CopiedIsolatedData;

  it(
    'stores every tenant\'s objects and copies every node\'s data dir; the copy opens offline with the tenant\'s keys (control)',
    track(async () => {
      for (const [tenant, handle] of [['iso', iso], ['sh', sh], ['other', other]] as const) {
        const client = await cluster.client(handle.client, { chunkSize: CHUNK });
        for (const [name, bytes] of Object.entries(objects[tenant])) await client.put(bytes, name);
      }
      // Every replica applied everything before its data dir is copied (running: extents are
      // append-only, and LevelDB's log is written through to the file on every batch).
      for (const id of cluster.raft.runningIds()) await cluster.raft.waitCaughtUp(id);
      for (const n of cluster.launcher.nodes()) {
        const copy = path.join(cluster.root, 'pre-shred', n.id);
        await cp(n.dataDir, copy, { recursive: true });
        copies.set(n.id, copy);
      }

      copied = await readIsolatedFromCopies();
      expect(copied.header).toMatchObject({ policy: 'isolated', tenant: 'iso' });
      expect(copied.header.chunkId.equals(copied.chunkIds[0]!)).toBe(true);
      // Control: with the tenant's TDK and TIK (fetched as the allow-listed node n1) the copy opens,
      // so the failures after the shred are the keys' absence, not a broken reading of the copy.
      const master = await keyOf(n1Keys.call('GetMasterKey', { epoch: copied.header.sysEpoch }, { idempotent: true }));
      const tdk = await keyOf(n1Keys.call('GetDataKey', { tenant: 'iso', tenantEpoch: copied.header.tenEpoch }, { idempotent: true }));
      const tik = await keyOf(n1Keys.call('GetIndexKey', { tenant: 'iso' }, { idempotent: true }));
      const keys = ChunkKeys.isolated({ sysEpoch: copied.header.sysEpoch, master, tenant: 'iso', tenEpoch: copied.header.tenEpoch, tdk, tik });
      try {
        const plaintext = openChunk(copied.envelope, keys);
        const big = objects.iso['iso/big'];
        const slices = [0, 1, 2].map((i) => sha(big.subarray(i * CHUNK, (i + 1) * CHUNK)));
        expect(slices).toContain(sha(plaintext));
        for (const d of copied.deltas) expect(openDelta(d.header, d.payload, tdk).byteLength).toBeGreaterThan(0);
      } finally {
        keys.destroy();
        for (const k of [master, tdk, tik]) k.destroy();
      }
    }),
    120_000,
  );

  it(
    'an isolated tenant shredded by its admin: purged by the metadata leader, refused on every node, keys KEK_DESTROYED, chunks reclaimed',
    track(async () => {
      const before = await reclaimed();
      const status = await scheduleShred(iso, '0');
      expect(status).toMatchObject({ tenant: 'iso' });
      await pollUntil('the shred to execute in the key manager', async () => (await kmState('iso')) === 'shredded', { timeoutMs: 15_000, intervalMs: 50 });

      // The metadata leader purges; every node's client port drops the tenant's CA.
      await refusedEverywhere(iso);
      const purgedBy = await Promise.all(cluster.raft.runningIds().map(async (id) => ((await loggedPurge(id, 'iso')) ? id : undefined)));
      expect(purgedBy.filter((id) => id !== undefined)).toEqual([await cluster.raft.waitForLeader()]);
      // Another tenant is still served on every node.
      expect(await usage('iso')).toMatchObject({ tenant: 'iso', logicalBytes: 0, objects: 0 });

      // Even an allow-listed node gets no tenant key any more.
      await expect(n1Keys.call('GetDataKey', { tenant: 'iso', tenantEpoch: copied.header.tenEpoch }, { idempotent: true })).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
      await expect(n1Keys.call('GetDataKey', { tenant: 'iso' }, { idempotent: true })).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
      await expect(n1Keys.call('GetIndexKey', { tenant: 'iso' }, { idempotent: true })).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });

      // Its chunks, referenced by nobody else, are reclaimed on every node holding a shard.
      const expected = ISO_CHUNKS * SHARDS_PER_CHUNK;
      const grown = await pollUntil('the isolated tenant\'s shards reclaimed', async () => {
        const n = (await reclaimed()) - before;
        return n >= expected ? n : undefined;
      }, { timeoutMs: 30_000, intervalMs: 200 });
      expect(grown).toBe(expected);
    }),
    90_000,
  );

  it(
    'K5: the pre-shred copy stays sealed to a holder of the system master key and the dedup key',
    track(async () => {
      // Read the copy again after the shred: nothing about it changed, it is the attacker's.
      const again = await readIsolatedFromCopies();
      expect(again.envelope.equals(copied.envelope)).toBe(true);
      const { envelope, header } = again;
      expect(header).toMatchObject({ policy: 'isolated', tenant: 'iso' });

      // Everything the system keys give: fetched now, with the node identity.
      const master = await keyOf(n1Keys.call('GetMasterKey', { epoch: header.sysEpoch }, { idempotent: true }));
      const dedupKey = await keyOf(n1Keys.call('GetDedupKey', {}, { idempotent: true }));
      const shared = ChunkKeys.shared({ sysEpoch: header.sysEpoch, master, dedupKey });
      // The same master and dedup keys standing in for the destroyed TDK and TIK.
      const guessed = ChunkKeys.isolated({ sysEpoch: header.sysEpoch, master, tenant: 'iso', tenEpoch: header.tenEpoch, tdk: master, tik: dedupKey });
      const sharedDek = deriveSharedChunkDek({ alg: header.alg, sysEpoch: header.sysEpoch, master, chunkId: header.chunkId });
      try {
        expect(() => openChunk(envelope, shared)).toThrow(expect.objectContaining({ code: ErrorCodes.CRYPTO_KEY_MISMATCH }));
        expect(() => openChunk(envelope, () => shared)).toThrow(expect.objectContaining({ code: ErrorCodes.CRYPTO_KEY_MISMATCH }));
        expect(() => openChunk(envelope, guessed)).toThrow(expect.objectContaining({ code: ErrorCodes.CRYPTO_AUTH_FAILED }));
        // Bypassing the policy check: the shared-policy DEK for this chunk id, straight into AES-GCM with the header as AAD.
        const sealed = envelope.subarray(header.headerLength);
        expect(() => aes256GcmOpen(sharedDek, header.nonce, sealed, envelope.subarray(0, header.headerLength))).toThrow(
          expect.objectContaining({ code: ErrorCodes.CRYPTO_AUTH_FAILED }),
        );
        // The delta payloads (names, attributes, chunk order, inline bytes) need the TDK.
        expect(again.deltas).toHaveLength(2);
        for (const d of again.deltas) {
          expect(() => openDelta(d.header, d.payload, master)).toThrow(expect.objectContaining({ code: ErrorCodes.CRYPTO_AUTH_FAILED }));
          expect(() => openDelta(d.header, d.payload, dedupKey)).toThrow(expect.objectContaining({ code: ErrorCodes.CRYPTO_AUTH_FAILED }));
        }
      } finally {
        for (const k of [shared, guessed]) k.destroy();
        for (const k of [master, dedupKey, sharedDek]) k.destroy();
      }
      // And the keys that would open them are gone for every epoch the copy names.
      await expect(n1Keys.call('GetDataKey', { tenant: 'iso', tenantEpoch: header.tenEpoch }, { idempotent: true })).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
      for (const d of again.deltas) {
        await expect(n1Keys.call('GetDataKey', { tenant: 'iso', tenantEpoch: d.header.tenEpoch }, { idempotent: true })).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
      }
      await expect(n1Keys.call('GetIndexKey', { tenant: 'iso' }, { idempotent: true })).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
    }),
    60_000,
  );

  it(
    'a shared-policy tenant shredded: metadata gone, its own chunks reclaimed, the chunk another tenant references stays',
    track(async () => {
      const before = await reclaimed();
      await scheduleShred(sh, '0');
      await pollUntil('the shred to execute in the key manager', async () => (await kmState('sh')) === 'shredded', { timeoutMs: 15_000, intervalMs: 50 });
      await refusedEverywhere(sh);
      expect(await usage('sh')).toMatchObject({ tenant: 'sh', logicalBytes: 0, objects: 0 });

      const expected = SH_OWN_CHUNKS * SHARDS_PER_CHUNK;
      const grown = await pollUntil('the shared tenant\'s own shards reclaimed', async () => {
        const n = (await reclaimed()) - before;
        return n >= expected ? n : undefined;
      }, { timeoutMs: 30_000, intervalMs: 200 });
      expect(grown).toBe(expected);
      // The other tenant reads everything, the chunks it shared with the shredded tenant included.
      await readsBack(other.client, objects.other);
      expect(await usage('other')).toMatchObject({ tenant: 'other', objects: 3 });
    }),
    90_000,
  );

  it(
    'the metadata leader killed between the shred being scheduled and executed: the new leader purges, the old one agrees after its restart',
    track(async () => {
      const late = await cluster.addTenant('late', 'shared');
      const lateClient = await cluster.client(late.client, { chunkSize: CHUNK });
      await lateClient.put(randomBytes(CHUNK + 1), 'late/big');
      const oldLeader = await cluster.raft.waitForLeader();

      const status = await scheduleShred(late, '6s');
      const executeAt = Date.parse(String(status['executeAt']));
      await cluster.raft.kill9(oldLeader);
      // Killed before the shred executed.
      expect(Date.now()).toBeLessThan(executeAt);
      expect(await kmState('late')).toBe('shred-scheduled');

      await pollUntil('the shred to execute in the key manager', async () => (await kmState('late')) === 'shredded', { timeoutMs: 20_000, intervalMs: 100 });
      const newLeader = await cluster.raft.waitForLeader({ exclude: [oldLeader] });
      expect(newLeader).not.toBe(oldLeader);
      await refusedEverywhere(late);
      expect(await loggedPurge(newLeader, 'late')).toBe(true);

      await cluster.raft.restart(oldLeader);
      await cluster.waitReady();
      await cluster.raft.waitCaughtUp(oldLeader);
      expect(await loggedPurge(oldLeader, 'late')).toBe(false);
      expect(await answerOf(oldLeader, other.client)).toBe('accepted');
      expect(await answerOf(oldLeader, late.client)).toBe(ErrorCodes.TRANSPORT_PEER_UNREACHABLE);
      expect(await tlsVerdict(oldLeader, late.client)).toMatch(REFUSED_AT_TLS);
      expect(await tlsVerdict(oldLeader, other.client)).toBe('served');
      expect(await usage('late')).toMatchObject({ tenant: 'late', logicalBytes: 0, objects: 0 });
      await readsBack(other.client, objects.other);
    }),
    120_000,
  );
});
