/**
 * Re-encryption after a system-epoch rotation, in process (real stores,
 * metadata machine and inline pipeline; keys from a fake key source):
 * shared and isolated chunks move to the new epoch under a new writeId with
 * the same chunk id and tenant epoch, the old placement is retired, the
 * per-epoch count falls to zero, and the plaintext is unchanged. A chunk
 * whose first shard is unreadable is deferred to repair; a stale record is
 * not overwritten. A reader holding the old record re-reads the metadata
 * once when the old shards are gone (ChunkStore.read).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { KeyMaterial } from '@tessera/crypto';
import type { Slot } from '@tessera/storage';
import { ChunkStore } from '../src/data/chunk-store.js';
import type { NodeKeys } from '../src/data/node-keys.js';
import { ChunkPipeline, type ChunkKeySet } from '../src/data/pipeline/index.js';
import type { MetadataProposer } from '../src/data/proposer.js';
import type { ClusterShardIo } from '../src/fabric/shard-io.js';
import { Reencrypter } from '../src/maintenance/reencrypt.js';
import { NodeLiveness } from '../src/maintenance/topology.js';
import type { ChunkRecord, TenantRecord } from '../src/metadata/types.js';
import { MaintenanceCluster, quietLogger, slot } from './support/maintenance-cluster.js';

const PLACEMENT: readonly Slot[] = [slot('n1', 'd1'), slot('n2', 'd1'), slot('n3', 'd1'), slot('n1', 'd2'), slot('n2', 'd2'), slot('n3', 'd2')];
const ISOLATED: TenantRecord = { id: 'acme', policy: 'isolated', caCertPem: 'x', caCrlPem: 'x', state: 'active', quotaBytes: 0, keyEpoch: 3, kekVersion: 1 };
const SHARED: TenantRecord = { ...ISOLATED, id: 'beta', policy: 'shared' };

/** Key sets by epoch, as the node's key source would hand them out. */
class FakeKeys {
  current = 1;
  private readonly masters = new Map<number, KeyMaterial>();
  private readonly dedup = KeyMaterial.generate();
  private readonly tdks = new Map<number, KeyMaterial>();
  private readonly tik = KeyMaterial.generate();

  currentSystemEpoch(): number {
    return this.current;
  }

  /** What a gateway seals new chunks with: the current epoch, taken once when the put starts. */
  async writeKeySet(tenant: TenantRecord): Promise<ChunkKeySet> {
    return this.readKeySet(tenant, this.current, 3);
  }

  async readKeySet(tenant: TenantRecord, sysEpoch: number, tenEpoch: number): Promise<ChunkKeySet> {
    const master = this.of(this.masters, sysEpoch);
    if (tenant.policy === 'shared') return { policy: 'shared', sysEpoch, master, dedupKey: this.dedup };
    return { policy: 'isolated', sysEpoch, master, tenant: tenant.id, tenEpoch, tdk: this.of(this.tdks, tenEpoch), tik: this.tik };
  }

  private of(map: Map<number, KeyMaterial>, epoch: number): KeyMaterial {
    let key = map.get(epoch);
    if (key === undefined) map.set(epoch, (key = KeyMaterial.generate()));
    return key;
  }
}

let pipeline: ChunkPipeline;
let cluster: MaintenanceCluster;
let keys: FakeKeys;
let reencrypter: Reencrypter;
const deferred: ChunkRecord[] = [];

beforeAll(async () => {
  pipeline = await ChunkPipeline.start({ workers: 0 });
});

afterAll(async () => {
  await pipeline.close();
});

beforeEach(async () => {
  cluster = await MaintenanceCluster.start(['n1', 'n2', 'n3'], ['d1', 'd2', 'd3']);
  for (const tenant of [ISOLATED, SHARED]) await cluster.proposer.propose({ op: 'upsertTenant', timeMs: Date.now(), tenant });
  keys = new FakeKeys();
  deferred.length = 0;
  reencrypter = new Reencrypter({
    machine: cluster.machine,
    proposer: cluster.proposer,
    readBarrier: cluster.readBarrier,
    io: cluster,
    keys,
    pipeline,
    liveness: new NodeLiveness('n1'),
    pool: 'default',
    clock: Date.now,
    logger: quietLogger(),
    needsRepair: (record) => deferred.push(record),
  });
});

afterEach(async () => {
  await cluster.close();
});

/** Seals `plaintext` for `tenant` under the current keys and commits it on PLACEMENT. */
async function storeChunk(tenant: TenantRecord, plaintext: Buffer): Promise<ChunkRecord> {
  const set = await keys.readKeySet(tenant, keys.current, 3);
  const chunkId = await pipeline.identify(plaintext, set);
  const stripe = await pipeline.seal(plaintext, set, chunkId, 4, 2);
  return cluster.commitStripe(chunkId, randomBytes(16), stripe.shards, PLACEMENT, { k: 4, m: 2, size: plaintext.length, sysEpoch: set.sysEpoch, tenEpoch: tenant.policy === 'isolated' ? 3 : 0 });
}

function chunkStore(io: ClusterShardIo = cluster as unknown as ClusterShardIo): ChunkStore {
  return new ChunkStore({
    localNodeId: 'n1',
    machine: cluster.machine,
    proposer: cluster.proposer as unknown as MetadataProposer,
    readBarrier: cluster.readBarrier,
    pipeline,
    keys: keys as unknown as NodeKeys,
    io,
    pool: 'default',
    erasure: { k: 4, m: 2 },
    clock: Date.now,
    logger: quietLogger(),
  });
}

async function deleteShards(record: ChunkRecord): Promise<void> {
  for (const s of record.slots) await cluster.stores.get(s.nodeId)!.deleteShard(s.deviceId, { chunkId: record.chunkId, writeId: record.writeId, shardIndex: s.shardIndex });
}

describe('re-encryption', () => {
  it('moves shared and isolated chunks to the new system epoch under new writeIds; plaintext, chunk id and tenant epoch unchanged', async () => {
    const sharedText = randomBytes(300_000);
    const isolatedText = randomBytes(70_000);
    const shared = await storeChunk(SHARED, sharedText);
    const isolated = await storeChunk(ISOLATED, isolatedText);
    expect(cluster.machine.chunksInEpoch(1)).toBe(2);
    // Nothing to do before a rotation.
    expect(await reencrypter.turn(10)).toBe(0);

    keys.current = 2;
    expect(reencrypter.progress()).toMatchObject({ targetEpoch: 2, remaining: { '1': 2 }, rewritten: 0 });
    expect(await reencrypter.turn(10)).toBe(2);
    expect(reencrypter.progress()).toMatchObject({ targetEpoch: 2, remaining: {}, rewritten: 2, failed: 0 });
    expect(cluster.machine.chunksInEpoch(1)).toBe(0);
    expect(cluster.machine.chunksInEpoch(2)).toBe(2);

    const reader = chunkStore();
    for (const [before, tenant, text] of [[shared, SHARED, sharedText], [isolated, ISOLATED, isolatedText]] as const) {
      const after = cluster.machine.chunk(before.chunkId)!;
      expect(after).toMatchObject({ sysEpoch: 2, tenEpoch: before.tenEpoch, size: before.size, state: 'live' });
      expect(after.writeId.equals(before.writeId)).toBe(false);
      expect(after.retired).toEqual([{ writeId: before.writeId, slots: before.slots, retiredAtMs: expect.any(Number) as number }]);
      // The old shards are gone now (as after gcGrace): the new placement alone reads back.
      await deleteShards(before);
      expect((await reader.read(tenant, after)).equals(text)).toBe(true);
    }
    // The old keys cannot open the new envelope (it names epoch 2).
    const after = cluster.machine.chunk(shared.chunkId)!;
    const stale = { ...after, sysEpoch: 1 };
    await expect(chunkStore().read(SHARED, stale)).rejects.toMatchObject({ code: expect.stringMatching(/^CRYPTO_/) as string });
  });

  it('a reader holding the old record re-reads the metadata once and reads the new placement', async () => {
    const text = randomBytes(200_000);
    const before = await storeChunk(SHARED, text);
    keys.current = 2;
    await reencrypter.turn(10);
    await deleteShards(before);
    expect((await chunkStore().read(SHARED, before)).equals(text)).toBe(true);
    // A record that did not move fails as it is (no loop).
    const moved = cluster.machine.chunk(before.chunkId)!;
    await deleteShards(moved);
    await expect(chunkStore().read(SHARED, moved)).rejects.toMatchObject({ code: ErrorCodes.CHUNK_UNRECOVERABLE });
  });

  it('defers a chunk whose first data shard is unreadable to repair, and tries it again later', async () => {
    const record = await storeChunk(SHARED, randomBytes(100_000));
    await cluster.stores.get('n1')!.deleteShard('d1', { chunkId: record.chunkId, writeId: record.writeId, shardIndex: 0 });
    keys.current = 2;
    expect(await reencrypter.rewrite(record, 2)).toBe('deferred');
    expect(deferred.map((r) => r.chunkId)).toEqual([record.chunkId]);
    expect(cluster.machine.chunk(record.chunkId)!.sysEpoch).toBe(1);
  });

  it('does not overwrite a record whose writeId changed meanwhile', async () => {
    const record = await storeChunk(SHARED, randomBytes(50_000));
    keys.current = 2;
    expect(await reencrypter.rewrite(record, 2)).toBe('rewritten');
    // The same (now stale) record again: the commit is refused as stale, nothing changes.
    const now = cluster.machine.chunk(record.chunkId)!;
    expect(await reencrypter.rewrite(record, 2)).toBe('stale');
    expect(cluster.machine.chunk(record.chunkId)!.writeId.equals(now.writeId)).toBe(true);
  });

  it('counts a chunk it cannot open as failed and leaves it in place', async () => {
    const record = await storeChunk(SHARED, randomBytes(50_000));
    keys.current = 2;
    // The record claims another size than the envelope holds: the header check refuses it.
    const lying = { ...record, size: record.size + 1 };
    expect(await reencrypter.rewrite(lying, 2)).toBe('failed');
    expect(cluster.machine.chunk(record.chunkId)!.writeId.equals(record.writeId)).toBe(true);
  });
});

/**
 * A gateway racing a system-epoch rotation (issue #8): it took the epoch-1
 * keys and is writing shards when the rotation, the re-encryption of every
 * old chunk and SetMinDecryptEpoch{2} happen. Whichever way the race goes, no
 * chunk is ever committed under a retired epoch and every acknowledged chunk
 * reads back.
 */
describe('a gateway racing the rotation', () => {
  /** Shard I/O whose new-shard writes wait until `release` is called (the gateway is mid-write). */
  function heldIo(): { io: ClusterShardIo; writing: Promise<void>; release: () => void } {
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const writing = new Promise<void>((resolve) => (started = resolve));
    const io = {
      writeNew: async (s: Slot, w: Parameters<MaintenanceCluster['writeNew']>[1]) => {
        started();
        await gate;
        return cluster.writeNew(s, w);
      },
      readShard: (s: Slot, k: Parameters<MaintenanceCluster['readShard']>[1]) => cluster.readShard(s, k),
      writeShard: (s: Slot, w: Parameters<MaintenanceCluster['writeShard']>[1]) => cluster.writeShard(s, w),
      hasShard: (s: Slot, k: Parameters<MaintenanceCluster['hasShard']>[1]) => cluster.hasShard(s, k),
    };
    return { io: io as unknown as ClusterShardIo, writing, release };
  }

  const setMin = (epoch: number) => cluster.proposer.propose({ op: 'setMinDecryptEpoch', timeMs: Date.now(), epoch });

  it('a commit that lands after SetMinDecryptEpoch is refused as retriable EPOCH_RETIRED, and the retry seals under the new epoch', async () => {
    const old = await storeChunk(SHARED, randomBytes(80_000));
    const clientId = await cluster.harness.openSession(Date.now(), SHARED.id);
    const text = randomBytes(150_000);
    const held = heldIo();
    const put = chunkStore(held.io).put(SHARED, { clientId, seq: 1, ackedThrough: 0 }, text);
    put.catch(() => undefined);
    await held.writing;

    // The rotation completes while the gateway's epoch-1 shards are in flight.
    keys.current = 2;
    expect(await reencrypter.turn(10)).toBe(1);
    expect(cluster.machine.chunk(old.chunkId)!.sysEpoch).toBe(2);
    expect(await setMin(2)).toMatchObject({ kind: 'ok' });
    held.release();

    await expect(put).rejects.toMatchObject({ code: ErrorCodes.EPOCH_RETIRED, retriable: true });
    expect(cluster.machine.chunksInEpoch(1)).toBe(0);
    const chunkId = await pipeline.identify(text, await keys.writeKeySet(SHARED));
    expect(cluster.machine.chunk(chunkId)).toBeUndefined();

    // The client's retry takes the current keys and is acknowledged under epoch 2.
    const again = await chunkStore().put(SHARED, { clientId, seq: 2, ackedThrough: 1 }, text);
    const record = cluster.machine.chunk(again.chunkId)!;
    expect(record).toMatchObject({ sysEpoch: 2, state: 'live' });
    expect((await chunkStore().read(SHARED, record)).equals(text)).toBe(true);
  });

  it('a commit that lands before SetMinDecryptEpoch keeps the old epoch alive until re-encryption moves it', async () => {
    const clientId = await cluster.harness.openSession(Date.now(), SHARED.id);
    const text = randomBytes(120_000);
    const held = heldIo();
    const put = chunkStore(held.io).put(SHARED, { clientId, seq: 1, ackedThrough: 0 }, text);
    await held.writing;
    keys.current = 2;
    held.release();
    const { chunkId } = await put;
    expect(cluster.machine.chunk(chunkId)).toMatchObject({ sysEpoch: 1, state: 'live' });

    // Epoch 1 still has a live chunk: retiring it now is refused.
    expect(await setMin(2)).toMatchObject({ kind: 'error' });
    expect(cluster.machine.minDecryptEpoch()).toBe(0);
    expect(await reencrypter.turn(10)).toBe(1);
    expect(cluster.machine.chunksInEpoch(1)).toBe(0);
    expect(await setMin(2)).toMatchObject({ kind: 'ok' });
    expect(cluster.machine.minDecryptEpoch()).toBe(2);
    const record = cluster.machine.chunk(chunkId)!;
    expect(record.sysEpoch).toBe(2);
    expect((await chunkStore().read(SHARED, record)).equals(text)).toBe(true);
  });
});
