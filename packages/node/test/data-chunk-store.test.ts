/**
 * The gateway's chunk store against a real metadata machine (a fake proposer
 * applies every proposal, as the committed log would), the real pipeline
 * (inline) and an in-memory shard I/O whose nodes can be made to hang — a
 * paused or cut-off node holds a call until its deadline:
 *  - a shard write that hangs moves to the next slot after the write
 *    timeout, and the record names only slots that answered;
 *  - a data shard read that hangs is hedged with parity after the hedge
 *    delay, and the plaintext comes back intact.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Logger } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import type { ShardKey, Slot } from '@tessera/storage';
import { ChunkStore } from '../src/data/chunk-store.js';
import type { NodeKeys } from '../src/data/node-keys.js';
import { ChunkPipeline } from '../src/data/pipeline/index.js';
import type { MetadataProposer } from '../src/data/proposer.js';
import type { ClusterShardIo } from '../src/fabric/shard-io.js';
import type { MetadataCommand } from '../src/metadata/commands.js';
import type { MetadataResult } from '../src/metadata/machine.js';
import { Harness, T0, topologyAndTenants } from './support/metadata-fixtures.js';
import { generateKeys, sharedSet } from './pipeline-fixtures.js';

const dirs = tempDirs('tessera-chunk-store-');
let pipeline: ChunkPipeline | undefined;
afterAll(async () => {
  await pipeline?.close();
  await Harness.closeAll();
  await dirs.cleanup();
});

const silent = new Logger({ level: 'error', sink: { write: () => undefined } });
const keyId = (slot: Slot, key: ShardKey): string => `${slot.nodeId}/${slot.deviceId}/${Buffer.from(key.chunkId).toString('hex')}/${Buffer.from(key.writeId).toString('hex')}/${key.shardIndex}`;

/** Shards in memory; calls to a node in `hanging` never answer. */
class FakeShardIo {
  readonly stored = new Map<string, Uint8Array>();
  readonly hanging = new Set<string>();
  readonly writes: Slot[] = [];
  /** Settles the writes held by hanging nodes (as a node's late answer would). */
  readonly late: Array<() => void> = [];

  async writeNew(slot: Slot, write: ShardKey & { payload: Uint8Array }): Promise<void> {
    this.writes.push(slot);
    if (this.hanging.has(slot.nodeId)) return new Promise((resolve) => this.late.push(resolve));
    this.stored.set(keyId(slot, write), Uint8Array.from(write.payload));
  }

  async readShard(slot: Slot, key: ShardKey): Promise<Uint8Array> {
    if (this.hanging.has(slot.nodeId)) return new Promise(() => undefined);
    const bytes = this.stored.get(keyId(slot, key));
    if (bytes === undefined) throw new Error('no such shard');
    return bytes;
  }
}

async function rig(): Promise<{ store: ChunkStore; io: FakeShardIo; h: Harness }> {
  const h = await Harness.create(dirs);
  await h.run(...topologyAndTenants([{ id: 'a' }]));
  // A second device on every node: room to re-place shards.
  for (const nodeId of ['n1', 'n2', 'n3']) await h.one({ op: 'addDevice', timeMs: T0, device: { nodeId, deviceId: 'd2', pool: 'default', capacityBytes: 1 << 30, state: 'healthy' } });
  pipeline ??= await ChunkPipeline.start({ workers: 0 });
  const set = sharedSet(generateKeys());
  const keys = { writeKeySet: async () => set, readKeySet: async () => set } as unknown as NodeKeys;
  const proposer = {
    isLeader: () => true,
    propose: async (command: MetadataCommand): Promise<MetadataResult> => h.one({ ...command, timeMs: Date.now() } as MetadataCommand),
  } as unknown as MetadataProposer;
  const io = new FakeShardIo();
  const store = new ChunkStore({
    localNodeId: 'n1',
    machine: h.machine,
    proposer,
    readBarrier: async () => undefined,
    pipeline,
    keys,
    io: io as unknown as ClusterShardIo,
    pool: 'default',
    erasure: { k: 2, m: 1 },
    clock: Date.now,
    logger: silent,
    readHedgeMs: 50,
    writeSlotTimeoutMs: 50,
  });
  return { store, io, h };
}

describe('ChunkStore with a paused node', () => {
  it('moves a hanging shard write to the next slot after the write timeout; the record names only slots that answered', async () => {
    const { store, io, h } = await rig();
    io.hanging.add('n2');
    const tenant = h.machine.tenant('a')!;
    const clientId = await h.openSession(Date.now());
    const plaintext = randomBytes(100_000);
    const { chunkId } = await store.put(tenant, { clientId, seq: 1, ackedThrough: 0 }, plaintext);
    const record = h.machine.chunk(chunkId)!;
    expect(record.slots.map((s) => s.nodeId)).not.toContain('n2');
    expect(io.writes.some((s) => s.nodeId === 'n2')).toBe(true);
    expect(store.stats.slotsReplaced).toBeGreaterThanOrEqual(1);
    // ...and the chunk reads back from what was committed.
    io.hanging.clear();
    expect((await store.read(tenant, record)).equals(plaintext)).toBe(true);
  });

  it("gives the stripe's memory back only once every shard write settled, a late one to a replaced slot included", async () => {
    const { store, io, h } = await rig();
    const released: unknown[] = [];
    const spy = vi.spyOn(pipeline!, 'release').mockImplementation((stripe) => void released.push(stripe));
    try {
      io.hanging.add('n2');
      const tenant = h.machine.tenant('a')!;
      const clientId = await h.openSession(Date.now());
      await store.put(tenant, { clientId, seq: 1, ackedThrough: 0 }, randomBytes(100_000));
      expect(io.late.length).toBeGreaterThanOrEqual(1);
      // The chunk is committed, but the timed-out write to n2 may still read the stripe.
      await new Promise((resolve) => setImmediate(resolve));
      expect(released).toHaveLength(0);
      for (const settle of io.late.splice(0)) settle();
      await vi.waitFor(() => expect(released).toHaveLength(1));
    } finally {
      spy.mockRestore();
    }
  });

  it('stores a duplicate as a reference only, whether it sealed first (duplicates rare) or identified first (duplicates common)', async () => {
    const { store, io, h } = await rig();
    const tenant = h.machine.tenant('a')!;
    const clientId = await h.openSession(Date.now());
    const plaintext = randomBytes(50_000);
    const first = await store.put(tenant, { clientId, seq: 1, ackedThrough: 0 }, plaintext);
    const writes = io.writes.length;
    const identify = vi.spyOn(pipeline!, 'identify');
    const release = vi.spyOn(pipeline!, 'release');
    try {
      let seq = 2;
      // Duplicates were rare: the first duplicate is sealed (id computed once) and its stripe given back.
      const again = await store.put(tenant, { clientId, seq, ackedThrough: seq - 1 }, plaintext);
      expect(again.chunkId.equals(first.chunkId)).toBe(true);
      expect(identify).not.toHaveBeenCalled();
      expect(release).toHaveBeenCalledTimes(1);
      // A run of duplicates: the gateway switches to identifying first (no seal for a duplicate).
      while (identify.mock.calls.length === 0 && seq < 40) {
        seq++;
        await store.put(tenant, { clientId, seq, ackedThrough: seq - 1 }, plaintext);
      }
      expect(identify).toHaveBeenCalled();
      expect(io.writes.length).toBe(writes);
      expect(store.stats.chunksDeduplicated).toBe(seq - 1);
    } finally {
      identify.mockRestore();
      release.mockRestore();
    }
  });

  it('hedges a hanging data shard read with parity and returns the plaintext intact', async () => {
    const { store, io, h } = await rig();
    const tenant = h.machine.tenant('a')!;
    const clientId = await h.openSession(Date.now());
    const plaintext = randomBytes(100_000);
    const { chunkId } = await store.put(tenant, { clientId, seq: 1, ackedThrough: 0 }, plaintext);
    const record = h.machine.chunk(chunkId)!;
    // The node holding data shard 0 pauses (and holds no parity shard of this chunk).
    const paused = record.slots.find((s) => s.shardIndex === 0)!.nodeId;
    if (record.slots.some((s) => s.shardIndex >= record.k && s.nodeId === paused)) return expect.fail('fixture: paused node holds the parity shard');
    io.hanging.add(paused);
    const degradedBefore = store.stats.degradedReads;
    expect((await store.read(tenant, record)).equals(plaintext)).toBe(true);
    expect(store.stats.degradedReads).toBe(degradedBefore + 1);
  });
});
