/**
 * Housekeeping against a real MetadataMachine (a fake proposer applies every
 * proposal, as the committed log would) and an in-memory shard listing:
 * the leader's GC, gone, retired and compaction proposals, and every
 * node's reconciliation of its local shards (condemned, stray and orphan
 * shards; what must never be deleted).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Logger } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import type { ShardKey, ShardListing } from '@tessera/storage';
import type { MetadataCommand } from '../src/metadata/commands.js';
import type { MetadataResult } from '../src/metadata/machine.js';
import { COMMIT_DEADLINE_MS } from '../src/metadata/state.js';
import { DEFAULT_HOUSEKEEPING, Housekeeping, MAX_CLOCK_SKEW_MS, type HousekeepingConfig } from '../src/process/housekeeping.js';
import { Harness, T0, chunkCommit, chunkIdOf, keyTagOf, putCmd, deleteCmd, topologyAndTenants } from './support/metadata-fixtures.js';

const dirs = tempDirs('tessera-housekeeping-');
afterAll(async () => {
  await Harness.closeAll();
  await dirs.cleanup();
});

const GRACE = 60_000;
const ORPHAN_TTL = 3_600_000;
const silent = new Logger({ level: 'error', sink: { write: () => undefined } });

/** A shard store's listing and deletes, in memory. */
class FakeStore {
  readonly shards = new Map<string, Map<string, ShardListing>>();
  readonly deleted: Array<{ deviceId: string; key: ShardKey }> = [];

  add(deviceId: string, key: ShardKey, gatewayTime: number): void {
    let device = this.shards.get(deviceId);
    if (device === undefined) this.shards.set(deviceId, (device = new Map()));
    device.set(id(key), { key, payloadLength: 10, sysEpoch: 1, gatewayTime });
  }

  deviceIds(): string[] {
    return [...this.shards.keys()];
  }

  async listShards(deviceId: string, options: { after?: ShardKey; limit?: number } = {}): Promise<ShardListing[]> {
    const all = [...(this.shards.get(deviceId)?.values() ?? [])].sort((a, b) => (id(a.key) < id(b.key) ? -1 : 1));
    const start = options.after === undefined ? 0 : all.findIndex((l) => id(l.key) > id(options.after!));
    return start < 0 ? [] : all.slice(start, start + (options.limit ?? 1000));
  }

  async deleteShard(deviceId: string, key: ShardKey): Promise<boolean> {
    this.deleted.push({ deviceId, key });
    return this.shards.get(deviceId)?.delete(id(key)) ?? false;
  }

  has(deviceId: string, key: ShardKey): boolean {
    return this.shards.get(deviceId)?.has(id(key)) ?? false;
  }
}

function id(k: ShardKey): string {
  return `${Buffer.from(k.chunkId).toString('hex')}/${Buffer.from(k.writeId).toString('hex')}/${k.shardIndex}`;
}

interface Rig {
  readonly hk: Housekeeping;
  readonly h: Harness;
  readonly store: FakeStore;
  readonly proposed: MetadataCommand[];
  leader: boolean;
  /** This node's wall clock. */
  now: number;
}

async function rig(options: { leader?: boolean; config?: Partial<HousekeepingConfig> } = {}): Promise<Rig> {
  const h = await Harness.create(dirs);
  await h.run(...topologyAndTenants([{ id: 'a' }]), { op: 'setGcGrace', timeMs: T0, gcGraceMs: GRACE });
  const store = new FakeStore();
  const proposed: MetadataCommand[] = [];
  const state = { leader: options.leader ?? true, now: T0 };
  const hk = new Housekeeping({
    nodeId: 'n1',
    machine: h.machine,
    proposer: {
      isLeader: () => state.leader,
      propose: async (command: MetadataCommand): Promise<MetadataResult> => {
        proposed.push(command);
        return h.one({ ...command, timeMs: state.now } as MetadataCommand);
      },
    },
    store,
    readBarrier: async () => undefined,
    clock: () => state.now,
    config: { ...DEFAULT_HOUSEKEEPING, orphanTtlMs: ORPHAN_TTL, ...options.config },
    logger: silent,
  });
  return Object.assign(state, { hk, h, store, proposed });
}

/** Moves the group's leader time (and this node's clock) forward. */
async function advance(r: Rig, toMs: number): Promise<void> {
  r.now = toMs;
  await r.h.one({ op: 'clock', timeMs: toMs });
}

const ops = (r: Rig): string[] => r.proposed.map((c) => c.op);

describe('Housekeeping: the leader collects garbage from committed state only', () => {
  it('deletes an unreferenced chunk after gcGrace, then declares it gone after another gcGrace', async () => {
    const r = await rig();
    await r.h.one({ op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1) });
    await r.hk.leaderTurn();
    expect(ops(r)).toEqual([]);
    await advance(r, T0 + GRACE);
    await r.hk.leaderTurn();
    expect(ops(r)).toEqual(['chunkDelete']);
    expect(r.h.machine.chunk(chunkIdOf(1))?.state).toBe('deleting');
    await r.hk.leaderTurn();
    expect(ops(r)).toEqual(['chunkDelete']);
    await advance(r, T0 + 2 * GRACE);
    await r.hk.leaderTurn();
    expect(ops(r)).toEqual(['chunkDelete', 'chunkGone']);
    expect(r.h.machine.chunk(chunkIdOf(1))).toBeUndefined();
    expect(r.hk.stats).toMatchObject({ chunkDeletesProposed: 1, chunkGonesProposed: 1 });
  });

  it('never collects a chunk an object references; compaction releases superseded versions, then GC takes their chunks', async () => {
    const r = await rig({ config: { tombstoneTtlMs: 0 } });
    const c = await r.h.openSession();
    await r.h.run(
      { op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1) },
      { op: 'commitChunk', timeMs: T0, chunk: chunkCommit(2) },
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) },
      putCmd('a', { clientId: c, seq: 2, ackedThrough: 1 }, keyTagOf(1), [chunkIdOf(1)]),
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 3, ackedThrough: 2 }, tenant: 'a', chunkId: chunkIdOf(2) },
      putCmd('a', { clientId: c, seq: 4, ackedThrough: 3 }, keyTagOf(1), [chunkIdOf(2)]),
    );
    await advance(r, T0 + 10 * GRACE);
    await r.hk.leaderTurn();
    // The first version is superseded: compaction drops it and releases chunk 1 (in the same turn, GC had nothing yet).
    expect(ops(r)).toEqual(['compact']);
    await r.hk.leaderTurn();
    expect(r.proposed.filter((p) => p.op === 'chunkDelete')).toMatchObject([{ chunkId: chunkIdOf(1) }]);
    expect(r.h.machine.chunk(chunkIdOf(2))?.state).toBe('live');
    // Deleting the object leaves a tombstone; with a zero TTL compaction drops it and chunk 2 goes too.
    await r.h.one(deleteCmd('a', { clientId: c, seq: 5, ackedThrough: 4 }, keyTagOf(1), T0 + 10 * GRACE));
    await r.hk.leaderTurn();
    await r.hk.leaderTurn();
    expect(r.proposed.filter((p) => p.op === 'chunkDelete').map((p) => (p as { chunkId: Buffer }).chunkId)).toEqual([chunkIdOf(1), chunkIdOf(2)]);
  });

  it('drops retired placements after gcGrace', async () => {
    const r = await rig();
    await r.h.one({ op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1) });
    const c = await r.h.openSession();
    await r.h.run(
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) },
      putCmd('a', { clientId: c, seq: 2, ackedThrough: 1 }, keyTagOf(1), [chunkIdOf(1)]),
      { op: 'replacePlacement', timeMs: T0, chunkId: chunkIdOf(1), oldWriteId: Buffer.alloc(16, 1), newWriteId: Buffer.alloc(16, 9), slots: chunkCommit(1).slots, sysEpoch: 1, tenEpoch: 0, gatewayTimeMs: T0 },
    );
    await r.hk.leaderTurn();
    expect(ops(r)).not.toContain('dropRetired');
    await advance(r, T0 + GRACE);
    await r.hk.leaderTurn();
    expect(r.proposed.filter((p) => p.op === 'dropRetired')).toMatchObject([{ chunkId: chunkIdOf(1), writeId: Buffer.alloc(16, 1) }]);
    expect(r.h.machine.isKnownWriteId(Buffer.alloc(16, 1))).toBe(false);
  });

  it('keeps the configured gcGrace committed, and proposes nothing on a follower', async () => {
    const r = await rig({ config: { gcGraceMs: 5_000 } });
    await r.hk.leaderTurn();
    expect(r.proposed[0]).toMatchObject({ op: 'setGcGrace', gcGraceMs: 5_000 });
    expect(r.h.machine.gcGraceMs()).toBe(5_000);
    const f = await rig({ leader: false, config: { gcGraceMs: 5_000 } });
    await f.h.one({ op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1) });
    await advance(f, T0 + 10 * GRACE);
    await f.hk.leaderTurn();
    expect(f.proposed).toEqual([]);
  });
});

describe('Housekeeping: every node reconciles its shards with the committed table', () => {
  const key = (n: number, shardIndex: number, writeByte = n): ShardKey => ({ chunkId: chunkIdOf(n), writeId: Buffer.alloc(16, writeByte), shardIndex });

  it('keeps live and retired shards, deletes condemned and stray ones, and reclaims only old orphans', async () => {
    const r = await rig();
    const c = await r.h.openSession();
    await r.h.run(
      // Chunk 1: live, referenced; shard 0 is placed on n1/d1.
      { op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1) },
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) },
      putCmd('a', { clientId: c, seq: 2, ackedThrough: 1 }, keyTagOf(1), [chunkIdOf(1)]),
      // Chunk 3: placement replaced below; the old write stays retired (kept), the new one is live.
      { op: 'commitChunk', timeMs: T0, chunk: chunkCommit(3) },
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 3, ackedThrough: 2 }, tenant: 'a', chunkId: chunkIdOf(3) },
      putCmd('a', { clientId: c, seq: 4, ackedThrough: 3 }, keyTagOf(3), [chunkIdOf(3)]),
      // Chunk 2: unreferenced, condemned by GC below.
      { op: 'commitChunk', timeMs: T0, chunk: chunkCommit(2) },
    );
    await advance(r, T0 + GRACE);
    await r.hk.leaderTurn();
    expect(r.h.machine.chunk(chunkIdOf(2))?.state).toBe('deleting');
    // Replaced now, so its retired entry is younger than gcGrace (the leader keeps it).
    await r.h.one({ op: 'replacePlacement', timeMs: r.now, chunkId: chunkIdOf(3), oldWriteId: Buffer.alloc(16, 3), newWriteId: Buffer.alloc(16, 33), slots: chunkCommit(3).slots, sysEpoch: 1, tenEpoch: 0, gatewayTimeMs: r.now });

    const now = r.now;
    const live = key(1, 0);
    const retired = key(3, 0, 3);
    const replaced = key(3, 0, 33);
    const condemned = key(2, 0);
    const strayOld = key(1, 1); // shard 1 of chunk 1 is placed on n2, not here: a stray copy
    const strayYoung = key(1, 2);
    const orphanOld = key(7, 0);
    const orphanYoung = key(8, 0);
    // Shards the table names are kept however old they are (old enough here to be collected otherwise).
    const old = now - COMMIT_DEADLINE_MS - ORPHAN_TTL;
    r.store.add('d1', live, old);
    r.store.add('d1', retired, old);
    r.store.add('d1', replaced, old);
    r.store.add('d1', condemned, T0);
    r.store.add('d1', strayOld, now - COMMIT_DEADLINE_MS - 120_000);
    r.store.add('d1', strayYoung, now - 1_000);
    r.store.add('d1', orphanOld, now - ORPHAN_TTL - 1);
    r.store.add('d1', orphanYoung, now - ORPHAN_TTL + 60_000);
    await r.hk.reconcileTurn();
    for (const kept of [live, retired, replaced, strayYoung, orphanYoung]) expect(r.store.has('d1', kept), id(kept)).toBe(true);
    for (const gone of [condemned, strayOld, orphanOld]) expect(r.store.has('d1', gone), id(gone)).toBe(false);
    expect(r.hk.stats).toMatchObject({ shardsDeletedCondemned: 1, shardsDeletedStray: 1, shardsDeletedOrphan: 1, reconcilePasses: 1 });
  });

  it('reclaims no orphan while its clock is more than 5 min off the latest leader timestamp', async () => {
    const r = await rig();
    const orphan = key(7, 0);
    r.store.add('d1', orphan, T0 - ORPHAN_TTL - 1);
    r.now = T0 + MAX_CLOCK_SKEW_MS + 1;
    await r.hk.reconcileTurn();
    expect(r.store.has('d1', orphan)).toBe(true);
    expect(r.hk.stats.orphanPassesSkippedForSkew).toBe(1);
    // Back in step with the leader: the orphan goes.
    await advance(r, r.now);
    await r.hk.reconcileTurn();
    expect(r.store.has('d1', orphan)).toBe(false);
  });

  it('pages through a device with more shards than one listing page', async () => {
    const r = await rig();
    for (let i = 0; i < 2_500; i++) r.store.add('d1', { chunkId: Buffer.alloc(32, 200).fill(i % 250, 0, 1).fill(Math.floor(i / 250), 1, 2), writeId: Buffer.alloc(16, 200), shardIndex: 0 }, T0 - ORPHAN_TTL - 1);
    await r.hk.reconcileTurn();
    expect(r.hk.stats.shardsDeletedOrphan).toBe(2_500);
    expect(r.store.deviceIds().flatMap((d) => [...(r.store.shards.get(d)?.keys() ?? [])])).toEqual([]);
  });
});
