import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptEntryError } from '../src/errors.js';
import { openDurableKv } from '../src/storage/crashsim.js';
import type { DurableKv, KvOp } from '../src/storage/level-kv.js';
import { LevelRaftStorage, type LevelRaftStorageOptions } from '../src/storage/level.js';
import { MetaKind, entryKey, entryRangeEnd, metaKey } from '../src/storage/level-records.js';
import { MemoryRaftStorage } from '../src/storage/memory.js';
import type { Entry, RaftStorage, Snapshot } from '../src/types.js';
import { tempDirs } from '@tessera/common/testing';

const dirs = tempDirs('tessera-levelraft-');
const opened: DurableKv[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((kv) => kv.close()));
  await dirs.cleanup();
});

async function kvAt(dir: string, crashSim = true): Promise<DurableKv> {
  const kv = await openDurableKv(dir, { crashSim });
  opened.push(kv);
  return kv;
}

const BOOT: LevelRaftStorageOptions = { group: 7, nodeId: 'n1', init: { kind: 'bootstrap', address: '127.0.0.1:7001' } };

function entry(index: number, term: number, data = `e${index}`): Entry {
  return { index, term, type: 'normal', data: Uint8Array.from(Buffer.from(data)) };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof TesseraError) return err.code;
    throw err;
  }
  return undefined;
}

async function rejectionCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TesseraError) return err.code;
    throw err;
  }
  return undefined;
}

describe('LevelRaftStorage: bootstrap and identity', () => {
  it('refuses to start on an empty store without bootstrap or join', async () => {
    const kv = await kvAt(await dirs.make());
    await expect(LevelRaftStorage.open(kv, { group: 1, nodeId: 'n1' })).rejects.toMatchObject({ code: ErrorCodes.RAFT_NOT_BOOTSTRAPPED });
  });

  it('bootstrap commits a one-voter configuration with a random cluster id and incarnation id', async () => {
    const dir = await dirs.make();
    const kv = await kvAt(dir);
    const store = await LevelRaftStorage.open(kv, BOOT);
    const id = store.identity();
    expect(id.nodeId).toBe('n1');
    expect(id.clusterId).toMatch(/^[0-9a-f]{32}$/);
    expect(id.incarnationId).toMatch(/^[0-9a-f]{32}$/);
    expect(id.clusterId).not.toBe(id.incarnationId);
    expect(store.initialState()).toEqual({
      hardState: { term: 1, vote: '', commit: 1 },
      confState: { voters: ['n1'], learners: [], members: [{ id: 'n1', incarnationId: id.incarnationId, address: '127.0.0.1:7001' }], removed: [] },
    });
    expect([store.firstIndex(), store.lastIndex(), store.term(1)]).toEqual([2, 1, 1]);
    expect(store.snapshot().metadata.index).toBe(1);

    // Reopening needs no flag and keeps the identity; a second bootstrap elsewhere differs.
    await kv.close();
    const again = await LevelRaftStorage.open(await kvAt(dir), { group: 7, nodeId: 'n1' });
    expect(again.identity()).toEqual(id);
    const other = await LevelRaftStorage.open(await kvAt(await dirs.make()), BOOT);
    expect(other.identity().clusterId).not.toBe(id.clusterId);
    expect(other.identity().incarnationId).not.toBe(id.incarnationId);
  });

  it('a joining member starts empty, learns its cluster id once, and keeps it', async () => {
    const dir = await dirs.make();
    const kv = await kvAt(dir);
    const store = await LevelRaftStorage.open(kv, { group: 1, nodeId: 'n2', init: { kind: 'join' } });
    expect(store.identity().clusterId).toBe('');
    expect([store.firstIndex(), store.lastIndex()]).toEqual([1, 0]);
    expect(store.initialState().hardState).toEqual({ term: 0, vote: '', commit: 0 });
    await store.adoptClusterId('c0ffee');
    expect(await rejectionCode(store.adoptClusterId('other'))).toBe(ErrorCodes.RAFT_WRONG_CLUSTER);
    await kv.close();
    const again = await LevelRaftStorage.open(await kvAt(dir), { group: 1, nodeId: 'n2' });
    expect(again.identity().clusterId).toBe('c0ffee');
    expect(again.identity().incarnationId).toBe(store.identity().incarnationId);
  });

  it('a wiped member that rejoins under its old id gets a new incarnation id', async () => {
    const first = await LevelRaftStorage.open(await kvAt(await dirs.make()), { group: 1, nodeId: 'n2', init: { kind: 'join', clusterId: 'c' } });
    const wiped = await LevelRaftStorage.open(await kvAt(await dirs.make()), { group: 1, nodeId: 'n2', init: { kind: 'join', clusterId: 'c' } });
    expect(wiped.identity().incarnationId).not.toBe(first.identity().incarnationId);
  });

  it('refuses a store made for another node id', async () => {
    const kv = await kvAt(await dirs.make());
    await LevelRaftStorage.open(kv, BOOT);
    await expect(LevelRaftStorage.open(kv, { group: 7, nodeId: 'n9' })).rejects.toMatchObject({ code: ErrorCodes.RAFT_BAD_CONFIG });
  });

  it('keeps groups sharing one LevelDB apart', async () => {
    const kv = await kvAt(await dirs.make());
    const a = await LevelRaftStorage.open(kv, { ...BOOT, group: 1 });
    const b = await LevelRaftStorage.open(kv, { ...BOOT, group: 2 });
    await a.save({ entries: [entry(2, 1), entry(3, 1)] });
    await b.save({ entries: [entry(2, 1)] });
    const a2 = await LevelRaftStorage.open(kv, { group: 1, nodeId: 'n1' });
    const b2 = await LevelRaftStorage.open(kv, { group: 2, nodeId: 'n1' });
    expect([a2.lastIndex(), b2.lastIndex()]).toEqual([3, 2]);
    expect(a2.identity().clusterId).not.toBe(b2.identity().clusterId);
  });
});

describe('LevelRaftStorage: persistence', () => {
  it('writes truncate + append + hard state as one synced batch that deletes the replaced keys', async () => {
    const kv = await kvAt(await dirs.make());
    const store = await LevelRaftStorage.open(kv, BOOT);
    await store.save({ entries: [entry(2, 1), entry(3, 1), entry(4, 1), entry(5, 1)] });
    const writes: Array<{ ops: readonly KvOp[]; sync: boolean }> = [];
    kv.setWriteFault((ops, options) => {
      writes.push({ ops, sync: options.sync });
    });
    await store.save({ hardState: { term: 2, vote: 'n1', commit: 2 }, entries: [entry(3, 2)] });
    expect(writes).toHaveLength(1);
    expect(writes[0]!.sync).toBe(true);
    const keys = writes[0]!.ops.map((op) => `${op.type}:${Buffer.from(op.key).toString('hex')}`);
    expect(keys).toEqual([
      `del:${entryKey(7, 4).toString('hex')}`,
      `del:${entryKey(7, 5).toString('hex')}`,
      `put:${entryKey(7, 3).toString('hex')}`,
      `put:${metaKey(7, MetaKind.HardState).toString('hex')}`,
    ]);
    const onDisk = await kv.entries({ gte: entryKey(7, 0), lt: entryRangeEnd(7) });
    expect(onDisk).toHaveLength(2);
    expect(store.entries(2, 4).map((e) => [e.index, e.term])).toEqual([
      [2, 1],
      [3, 2],
    ]);
  });

  it('an un-synced update is lost by a simulated power failure; a synced one survives', async () => {
    const dir = await dirs.make();
    const kv = await kvAt(dir);
    const store = await LevelRaftStorage.open(kv, BOOT);
    await store.save({ hardState: { term: 2, vote: 'n1', commit: 1 }, entries: [entry(2, 2)] });
    await store.save({ hardState: { term: 2, vote: 'n1', commit: 2 }, entries: [] }, { sync: false });
    expect(store.initialState().hardState.commit).toBe(2);
    await kv.crash();
    const after = await LevelRaftStorage.open(await kvAt(dir), { group: 7, nodeId: 'n1' });
    expect(after.initialState().hardState).toEqual({ term: 2, vote: 'n1', commit: 1 });
    expect(after.lastIndex()).toBe(2);
  });

  it('keeps the corruption-repair marker of the hard state across a restart', async () => {
    const dir = await dirs.make();
    const kv = await kvAt(dir);
    const store = await LevelRaftStorage.open(kv, BOOT);
    await store.save({ hardState: { term: 3, vote: '', commit: 1, repairUntil: 42 }, entries: [] });
    await kv.close();
    const after = await LevelRaftStorage.open(await kvAt(dir), { group: 7, nodeId: 'n1' });
    expect(after.initialState().hardState).toEqual({ term: 3, vote: '', commit: 1, repairUntil: 42 });
    await after.save({ hardState: { term: 3, vote: '', commit: 1 }, entries: [] });
    expect(after.initialState().hardState.repairUntil).toBeUndefined();
  });

  it('installs a snapshot atomically, replacing the log, and survives restart', async () => {
    const dir = await dirs.make();
    const kv = await kvAt(dir);
    const store = await LevelRaftStorage.open(kv, BOOT);
    await store.save({ entries: [entry(2, 1), entry(3, 1)] });
    const snapshot: Snapshot = { metadata: { index: 10, term: 3, confState: { voters: ['n1', 'n2', 'n3'], learners: [] } }, data: Uint8Array.from([1, 2, 3]) };
    await store.save({ snapshot, entries: [entry(11, 3)], hardState: { term: 3, vote: '', commit: 10 } });
    await kv.crash();
    const after = await LevelRaftStorage.open(await kvAt(dir), { group: 7, nodeId: 'n1' });
    expect([after.firstIndex(), after.lastIndex(), after.term(10)]).toEqual([11, 11, 3]);
    expect(after.snapshot()).toEqual(snapshot);
    expect(after.initialState().confState).toEqual(snapshot.metadata.confState);
    expect(await kv.crashSimulated).toBe(true);
    expect(codeOf(() => after.entries(3, 4))).toBe(ErrorCodes.RAFT_LOG_COMPACTED);
  });

  it('installs a snapshot that is not newer when told to (a corrupt replica repairing)', async () => {
    const kv = await kvAt(await dirs.make());
    const store = await LevelRaftStorage.open(kv, BOOT);
    await store.save({ entries: [entry(2, 1), entry(3, 1)], hardState: { term: 1, vote: '', commit: 3 } });
    const leaders = { ...store.snapshot(), data: Uint8Array.from([5]) };
    await store.save({ snapshot: leaders, entries: [] });
    expect([store.firstIndex(), store.lastIndex(), store.snapshot().data[0]]).toEqual([2, 1, 5]);
    expect(await kv.entries({ gte: entryKey(7, 0), lt: entryRangeEnd(7) })).toEqual([]);
  });

  it('a crash in the middle of a snapshot install leaves the old state, whole', async () => {
    const dir = await dirs.make();
    const kv = await kvAt(dir);
    const store = await LevelRaftStorage.open(kv, BOOT);
    await store.save({ entries: [entry(2, 1), entry(3, 1)] });
    // The install's batch is handed to the disk, then power fails before the fsync completes.
    kv.setWriteFault(() => {
      throw Object.assign(new Error('power lost'), { code: 'EIO' });
    });
    const snapshot: Snapshot = { metadata: { index: 10, term: 3, confState: { voters: ['n1'], learners: [] } }, data: Uint8Array.from([9]) };
    expect(await rejectionCode(store.save({ snapshot, entries: [] }))).toBe(ErrorCodes.RAFT_STORAGE);
    await kv.crash();
    const after = await LevelRaftStorage.open(await kvAt(dir), { group: 7, nodeId: 'n1' });
    expect([after.firstIndex(), after.lastIndex(), after.snapshot().metadata.index]).toEqual([2, 3, 1]);
  });

  it('records snapshots, compacts only up to them, and remembers the compaction point', async () => {
    const dir = await dirs.make();
    const kv = await kvAt(dir);
    const store = await LevelRaftStorage.open(kv, BOOT);
    await store.save({ entries: [entry(2, 1), entry(3, 2), entry(4, 2)] });
    const conf = { voters: ['n1'], learners: [] };
    expect(await rejectionCode(store.createSnapshot(1, conf, new Uint8Array(0)))).toBe(ErrorCodes.RAFT_SNAPSHOT_OUT_OF_DATE);
    expect(await rejectionCode(store.createSnapshot(5, conf, new Uint8Array(0)))).toBe(ErrorCodes.RAFT_LOG_UNAVAILABLE);
    const snap = await store.createSnapshot(3, conf, Uint8Array.from([7]));
    expect(snap.metadata).toEqual({ index: 3, term: 2, confState: conf });
    expect(await rejectionCode(store.compact(4))).toBe(ErrorCodes.RAFT_STORAGE);
    await store.compact(3);
    expect([store.firstIndex(), store.term(3), store.lastIndex()]).toEqual([4, 2, 4]);
    await kv.crash();
    const after = await LevelRaftStorage.open(await kvAt(dir), { group: 7, nodeId: 'n1' });
    expect([after.firstIndex(), after.term(3), after.lastIndex(), after.entries(4, 5)[0]!.term]).toEqual([4, 2, 4, 2]);
    expect(codeOf(() => after.term(2))).toBe(ErrorCodes.RAFT_LOG_COMPACTED);
    expect(await kv.crashSimulated).toBe(true);
  });

  it('refuses an append that would leave a gap', async () => {
    const store = await LevelRaftStorage.open(await kvAt(await dirs.make()), BOOT);
    expect(await rejectionCode(store.save({ entries: [entry(5, 1)] }))).toBe(ErrorCodes.RAFT_STORAGE);
  });
});

describe('LevelRaftStorage: checksums', () => {
  async function storeWithEntries(dir: string): Promise<DurableKv> {
    const kv = await kvAt(dir);
    const store = await LevelRaftStorage.open(kv, BOOT);
    await store.save({ hardState: { term: 2, vote: 'n1', commit: 3 }, entries: [entry(2, 1), entry(3, 2), entry(4, 2)] });
    return kv;
  }

  async function flipByte(kv: DurableKv, key: Buffer, at: number): Promise<void> {
    const value = (await kv.get(key))!;
    value[at] = value[at]! ^ 0x40;
    await kv.write([{ type: 'put', key, value }], { sync: true });
  }

  it('a corrupt entry on disk is reported with its index on every read, and never truncated', async () => {
    const dir = await dirs.make();
    const kv = await storeWithEntries(dir);
    await flipByte(kv, entryKey(7, 3), 14);
    const store = await LevelRaftStorage.open(kv, { group: 7, nodeId: 'n1' });
    expect(store.corruptIndexes()).toEqual([3]);
    expect(store.initialState().hardState).toEqual({ term: 2, vote: 'n1', commit: 3 });
    expect(store.lastIndex()).toBe(4);
    let caught: unknown;
    try {
      store.entries(2, 5);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CorruptEntryError);
    expect(caught).toMatchObject({ code: ErrorCodes.RAFT_CORRUPT_LOG, index: 3 });
    expect(codeOf(() => store.term(3))).toBe(ErrorCodes.RAFT_CORRUPT_LOG);
    expect(store.entries(2, 3)).toHaveLength(1);
    expect(store.term(4)).toBe(2);
    // Writing a new hard state leaves the corrupt record where it is.
    await store.save({ hardState: { term: 3, vote: '', commit: 3 }, entries: [] });
    expect(await kv.get(entryKey(7, 3))).toBeDefined();
    expect((await LevelRaftStorage.open(kv, { group: 7, nodeId: 'n1' })).corruptIndexes()).toEqual([3]);
  });

  it('a record moved under another index, a torn record and a missing key are all corruption', async () => {
    const dir = await dirs.make();
    const kv = await storeWithEntries(dir);
    const four = (await kv.get(entryKey(7, 4)))!;
    await kv.write(
      [
        { type: 'put', key: entryKey(7, 2), value: four },
        { type: 'del', key: entryKey(7, 3) },
        { type: 'put', key: entryKey(7, 4), value: four.subarray(0, 3) },
        { type: 'put', key: entryKey(7, 5), value: four },
      ],
      { sync: true },
    );
    const store = await LevelRaftStorage.open(kv, { group: 7, nodeId: 'n1' });
    expect(store.corruptIndexes()).toEqual([2, 3, 4, 5]);
    expect(store.lastIndex()).toBe(5);
  });

  it('an entry altered in memory fails its checksum on the next read', async () => {
    const kv = await storeWithEntries(await dirs.make());
    const store = await LevelRaftStorage.open(kv, { group: 7, nodeId: 'n1' });
    const [held] = store.entries(2, 3);
    const bytes = held!.data as Uint8Array;
    bytes[0] = bytes[0]! ^ 1;
    expect(codeOf(() => store.entries(2, 3))).toBe(ErrorCodes.RAFT_CORRUPT_LOG);
  });

  it('a corrupt hard state refuses to open; corrupt snapshot data fails snapshot()', async () => {
    const dir = await dirs.make();
    const kv = await storeWithEntries(dir);
    await (await LevelRaftStorage.open(kv, { group: 7, nodeId: 'n1' })).createSnapshot(3, { voters: ['n1'], learners: [] }, Uint8Array.from([1, 2, 3]));
    await flipByte(kv, metaKey(7, MetaKind.SnapshotData), 0);
    const store = await LevelRaftStorage.open(kv, { group: 7, nodeId: 'n1' });
    expect(codeOf(() => store.snapshot())).toBe(ErrorCodes.RAFT_CORRUPT_LOG);
    await flipByte(kv, metaKey(7, MetaKind.HardState), 6);
    await expect(LevelRaftStorage.open(kv, { group: 7, nodeId: 'n1' })).rejects.toMatchObject({ code: ErrorCodes.RAFT_CORRUPT_LOG });
  });
});

describe('LevelRaftStorage: disk failures', () => {
  it('ENOSPC surfaces as RAFT_STORAGE and the store refuses every later write', async () => {
    const kv = await kvAt(await dirs.make());
    const store = await LevelRaftStorage.open(kv, BOOT);
    await store.save({ entries: [entry(2, 1)] });
    kv.setWriteFault(() => {
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    });
    const failed = store.save({ entries: [entry(3, 1)], hardState: { term: 1, vote: '', commit: 3 } });
    await expect(failed).rejects.toMatchObject({ code: ErrorCodes.RAFT_STORAGE, message: 'raft storage failed: storage write failed (ENOSPC)' });
    expect(store.lastIndex()).toBe(2);
    expect(store.initialState().hardState.commit).toBe(1);
    expect(isTesseraError(store.failed, ErrorCodes.RAFT_STORAGE)).toBe(true);
    kv.setWriteFault(undefined);
    expect(await rejectionCode(store.save({ entries: [entry(3, 1)] }))).toBe(ErrorCodes.RAFT_STORAGE);
    expect(await rejectionCode(store.compact(1))).toBe(ErrorCodes.RAFT_STORAGE);
  });
});

// Model-based: any sequence of saves, snapshot installs, snapshot records,
// compactions and crash-restarts leaves the LevelDB store answering exactly
// as MemoryRaftStorage (the reference) does.
type Command =
  | { kind: 'append'; from: number; count: number; bump: boolean }
  | { kind: 'hardState'; term: number; commit: number; sync: boolean }
  | { kind: 'install'; ahead: number }
  | { kind: 'record'; back: number }
  | { kind: 'compact'; back: number }
  | { kind: 'restart'; crash: boolean };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('append' as const), from: fc.nat(6), count: fc.integer({ min: 1, max: 4 }), bump: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hardState' as const), term: fc.nat(9), commit: fc.nat(20), sync: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('install' as const), ahead: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('record' as const), back: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const), back: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), crash: fc.boolean() }) },
);

function observe(store: RaftStorage): unknown {
  const first = store.firstIndex();
  const last = store.lastIndex();
  return {
    first,
    last,
    boundaryTerm: store.term(first - 1),
    entries: last >= first ? store.entries(first, last + 1).map((e) => [e.index, e.term, Buffer.from(e.data).toString()]) : [],
    initial: store.initialState(),
    snapshot: store.snapshot().metadata,
    snapshotData: Array.from(store.snapshot().data),
  };
}

describe('LevelRaftStorage (model-based against MemoryRaftStorage)', () => {
  it('matches the reference store through writes, snapshots, compaction and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 14 }), async (commands) => {
        const dir = await dirs.make('model');
        let kv = await kvAt(dir);
        let level = await LevelRaftStorage.open(kv, BOOT);
        const model = new MemoryRaftStorage({ snapshot: level.snapshot(), hardState: level.initialState().hardState });
        let term = 1;
        let serial = 0;
        for (const cmd of commands) {
          switch (cmd.kind) {
            case 'append': {
              // Entries up to a snapshot are committed and never rewritten (Raft's log
              // matching): an append may overwrite only the tail after the latest snapshot.
              // (Rewriting below a recorded snapshot left both stores with a log shorter than
              // their snapshot — a state Raft never produces; the model then refused to compact.)
              const from = Math.max(model.firstIndex(), model.snapshot().metadata.index + 1, model.lastIndex() + 1 - cmd.from);
              if (cmd.bump) term++;
              const entries = Array.from({ length: cmd.count }, (_, i) => entry(from + i, term, `v${serial++}`));
              model.save({ entries });
              await level.save({ entries });
              break;
            }
            case 'hardState': {
              const hardState = { term: cmd.term, vote: cmd.term % 2 === 0 ? 'n1' : '', commit: cmd.commit };
              // An un-synced write is durable only once a later sync covers it.
              if (cmd.sync) model.save({ hardState, entries: [] });
              else model.write({ hardState, entries: [] });
              await level.save({ hardState, entries: [] }, { sync: cmd.sync });
              break;
            }
            case 'install': {
              const index = model.snapshot().metadata.index + cmd.ahead;
              term++;
              const snapshot: Snapshot = { metadata: { index, term, confState: { voters: ['n1', `s${index}`], learners: [] } }, data: Uint8Array.from([index & 0xff]) };
              model.save({ snapshot, entries: [] });
              await level.save({ snapshot, entries: [] });
              break;
            }
            case 'record': {
              const index = model.lastIndex() - cmd.back;
              if (index <= model.snapshot().metadata.index) break;
              const conf = { voters: ['n1'], learners: [`l${index}`] };
              model.createSnapshot(index, conf, Uint8Array.from([index & 0xff, 1]));
              await level.createSnapshot(index, conf, Uint8Array.from([index & 0xff, 1]));
              break;
            }
            case 'compact': {
              const index = model.snapshot().metadata.index - cmd.back;
              if (index < model.firstIndex()) break;
              model.compact(index);
              await level.compact(index);
              break;
            }
            case 'restart': {
              if (cmd.crash) {
                await kv.crash();
                model.crash();
              } else {
                await kv.close(); // a clean exit keeps un-synced writes, as the OS would
                model.sync();
              }
              kv = await kvAt(dir);
              level = await LevelRaftStorage.open(kv, { group: 7, nodeId: 'n1' });
              break;
            }
          }
          expect(observe(level)).toEqual(observe(model));
        }
      }),
      { numRuns: 30 },
    );
  });
});
