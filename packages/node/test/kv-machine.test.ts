import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import { EntryType, openDurableKv, type DurableKv, type Entry } from '@tessera/raft';
import { encodeKvCommand, type SessionRef } from '../src/kv/commands.js';
import { KvMachine, decodeSnapshotData } from '../src/kv/machine.js';

const dirs = tempDirs('tessera-kv-machine-');
afterAll(() => dirs.cleanup());

const b = (s: string): Buffer => Buffer.from(s);
let nextIndex = 1;
const entry = (data: Uint8Array, type: Entry['type'] = EntryType.Normal): Entry => ({ term: 1, index: nextIndex++, type, data });
const put = (session: SessionRef, key: string, value: string, timeMs = 1_000): Entry => entry(encodeKvCommand({ op: 'put', timeMs, session, key: b(key), value: b(value) }));
const del = (session: SessionRef, key: string): Entry => entry(encodeKvCommand({ op: 'delete', timeMs: 1_000, session, key: b(key) }));

async function fresh(options: { crashSim?: boolean; syncEveryEntries?: number; writeGatherMs?: number } = {}): Promise<{ kv: DurableKv; m: KvMachine; dir: string }> {
  const dir = await dirs.make();
  const kv = await openDurableKv(dir, { crashSim: options.crashSim ?? false });
  return {
    kv,
    dir,
    m: await KvMachine.open(kv, {
      ...(options.syncEveryEntries !== undefined ? { syncEveryEntries: options.syncEveryEntries } : {}),
      ...(options.writeGatherMs !== undefined ? { writeGatherMs: options.writeGatherMs } : {}),
    }),
  };
}

async function session(m: KvMachine): Promise<number> {
  const [r] = await m.apply([entry(encodeKvCommand({ op: 'openSession', timeMs: 1_000 }))]);
  if (r?.kind !== 'session') throw new Error('no session');
  return r.clientId;
}

describe('kv state machine', () => {
  it('applies puts and deletes once per (client, seq): a retry gets the first answer', async () => {
    const { m, kv } = await fresh();
    const c = await session(m);
    const first = put({ clientId: c, seq: 1, ackedThrough: 0 }, 'a', '1');
    const [r1] = await m.apply([first]);
    expect(r1).toEqual({ kind: 'put', index: first.index, duplicate: false });
    // The same request again (a client retry), after another write changed the key.
    const [, r2] = await m.apply([put({ clientId: c, seq: 2, ackedThrough: 1 }, 'a', '2'), put({ clientId: c, seq: 1, ackedThrough: 0 }, 'a', '1')]);
    expect(r2).toMatchObject({ kind: 'error', code: ErrorCodes.RAFT_SESSION_STALE });
    const retry = put({ clientId: c, seq: 3, ackedThrough: 2 }, 'b', 'x');
    await m.apply([retry]);
    const [r3] = await m.apply([put({ clientId: c, seq: 3, ackedThrough: 2 }, 'b', 'y')]);
    expect(r3).toEqual({ kind: 'put', index: retry.index, duplicate: true });
    expect(m.get(b('a'))?.toString()).toBe('2');
    expect(m.get(b('b'))?.toString()).toBe('x');
    const [d1] = await m.apply([del({ clientId: c, seq: 4, ackedThrough: 3 }, 'a')]);
    const [d2] = await m.apply([del({ clientId: c, seq: 5, ackedThrough: 4 }, 'a')]);
    expect(d1).toMatchObject({ kind: 'delete', existed: true, duplicate: false });
    expect(d2).toMatchObject({ kind: 'delete', existed: false, duplicate: false });
    await kv.close();
  });

  it('refuses writes of unknown sessions and malformed commands deterministically, and passes no-ops and conf changes', async () => {
    const { m, kv } = await fresh();
    const results = await m.apply([
      put({ clientId: 99, seq: 1, ackedThrough: 0 }, 'a', '1'),
      entry(Uint8Array.of(1, 200)),
      entry(new Uint8Array(0)),
      entry(Uint8Array.of(1, 2, 3), EntryType.ConfChange),
    ]);
    expect(results.map((r) => r.kind === 'error' ? r.code : r.kind)).toEqual([ErrorCodes.RAFT_SESSION_EXPIRED, ErrorCodes.CODEC_TRUNCATED, 'none', 'none']);
    expect(m.size).toBe(0);
    expect(m.appliedIndex()).toBe(nextIndex - 1);
    await kv.close();
  });

  it('persists state, sessions and applied index together and reopens with them', async () => {
    const { m, kv, dir } = await fresh();
    const c = await session(m);
    await m.apply([put({ clientId: c, seq: 1, ackedThrough: 0 }, 'k', 'v'), del({ clientId: c, seq: 2, ackedThrough: 1 }, 'nothing')]);
    const applied = m.appliedIndex();
    await m.flush();
    await kv.close();
    const kv2 = await openDurableKv(dir, { crashSim: false });
    const again = await KvMachine.open(kv2);
    expect(again.appliedIndex()).toBe(applied);
    expect(again.get(b('k'))?.toString()).toBe('v');
    // The session table came back too: a retry of the last request is answered, not applied.
    const [dup] = await again.apply([del({ clientId: c, seq: 2, ackedThrough: 1 }, 'nothing')]);
    expect(dup).toMatchObject({ kind: 'delete', existed: false, duplicate: true });
    await kv2.close();
  });

  it('writes nothing for batches of no-ops (only the applied index moved) until a change or a sync; a reopen replays them', async () => {
    const { m, kv, dir } = await fresh({ syncEveryEntries: 5 });
    const writes: number[] = [];
    const write = kv.write.bind(kv);
    kv.write = (ops, options) => {
      writes.push(ops.length);
      return write(ops, options);
    };
    const c = await session(m);
    await m.flush();
    const stored = m.appliedIndex();
    expect(writes).toHaveLength(1);
    // The metadata machine's commands and empty entries are no-ops here.
    await m.apply([entry(new Uint8Array(0))]);
    await m.apply([entry(new Uint8Array(0)), entry(Uint8Array.of(1, 2, 3), EntryType.ConfChange)]);
    await m.flush();
    expect(writes).toHaveLength(1);
    const noopsApplied = m.appliedIndex();
    await kv.close();
    const reopened = await KvMachine.open(await openDurableKv(dir, { crashSim: false }), { syncEveryEntries: 5 });
    // The stored applied index is the last change's: the no-ops after it are replayed from the log.
    expect(reopened.appliedIndex()).toBe(stored);
    expect(noopsApplied).toBeGreaterThan(stored);
    // A change writes again, and so does the periodic sync even when only no-ops came.
    const [r] = await reopened.apply([put({ clientId: c, seq: 1, ackedThrough: 0 }, 'k', 'v')]);
    expect(r).toMatchObject({ kind: 'put', duplicate: false });
    await reopened.flush();
    expect(reopened.durableAppliedIndex()).toBeLessThan(reopened.appliedIndex());
    const putIndex = reopened.appliedIndex();
    for (let i = 0; i < 5; i++) await reopened.apply([entry(new Uint8Array(0))]);
    await reopened.flush();
    // The sync fell due 5 entries after the reopen, on a no-op.
    expect(reopened.durableAppliedIndex()).toBe(stored + 5);
    expect(reopened.durableAppliedIndex()).toBeGreaterThan(putIndex);
  });

  it('loses un-synced applies in a power loss, but keeps a synced batch and everything before it', async () => {
    const { m, kv, dir } = await fresh({ crashSim: true, syncEveryEntries: 3 });
    nextIndex = 1;
    const c = await session(m); // 1 entry
    await m.apply([put({ clientId: c, seq: 1, ackedThrough: 0 }, 'a', '1')]); // 2: not synced
    await m.apply([put({ clientId: c, seq: 2, ackedThrough: 1 }, 'b', '2')]); // 3: synced
    await m.flush();
    const synced = m.durableAppliedIndex();
    expect(synced).toBe(m.appliedIndex());
    await m.apply([put({ clientId: c, seq: 3, ackedThrough: 2 }, 'c', '3')]); // not synced
    await kv.crash();
    const after = await KvMachine.open(await openDurableKv(dir, { crashSim: true }));
    expect(after.appliedIndex()).toBe(synced);
    expect(after.get(b('b'))?.toString()).toBe('2');
    expect(after.get(b('c'))).toBeUndefined();
  });

  it('snapshots to canonical bytes and restores the same state (and sessions) elsewhere', async () => {
    const a = await fresh();
    const c = await session(a.m);
    await a.m.apply([put({ clientId: c, seq: 1, ackedThrough: 0 }, 'z', '26'), put({ clientId: c, seq: 2, ackedThrough: 1 }, 'a', '1')]);
    const image = await a.m.snapshot();
    const target = await fresh();
    await target.m.apply([entry(encodeKvCommand({ op: 'openSession', timeMs: 1 }))]);
    const cc = await session(target.m);
    await target.m.apply([put({ clientId: cc, seq: 1, ackedThrough: 0 }, 'gone', 'x')]);
    await target.m.restore({ metadata: { index: a.m.appliedIndex(), term: 1, confState: { voters: ['n1'], learners: [] } }, data: image });
    expect(target.m.appliedIndex()).toBe(a.m.appliedIndex());
    expect(target.m.get(b('gone'))).toBeUndefined();
    expect(target.m.scan(new Uint8Array(0), new Uint8Array(0), 10).pairs.map(([k, v]) => `${k}=${v}`)).toEqual(['a=1', 'z=26']);
    expect(Buffer.from(await target.m.snapshot()).equals(Buffer.from(image))).toBe(true);
    const [dup] = await target.m.apply([put({ clientId: c, seq: 2, ackedThrough: 1 }, 'a', 'again')]);
    expect(dup).toMatchObject({ kind: 'put', duplicate: true });
    await a.kv.close();
    await target.kv.close();
  });

  it('gathers the applies made on an idle store for writeGatherMs into one batch (flush writes it at once)', async () => {
    const { m, kv } = await fresh({ writeGatherMs: 60_000 });
    const c = await session(m);
    await m.flush();
    const batches: number[] = [];
    kv.setWriteFault((ops) => {
      batches.push(ops.length);
    });
    for (let seq = 1; seq <= 5; seq++) await m.apply([put({ clientId: c, seq, ackedThrough: seq - 1 }, seq % 2 === 0 ? 'b' : 'c', String(seq))]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(batches).toEqual([]);
    await m.flush();
    // Keys b and c once each, plus applied index and sessions.
    expect(batches).toEqual([4]);
  });

  it('answers an apply before its write lands, and coalesces the applies made meanwhile into one batch', async () => {
    const { m, kv, dir } = await fresh({ writeGatherMs: 0 });
    const c = await session(m);
    await m.flush();
    let release: () => void = () => undefined;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const batches: number[] = [];
    kv.setWriteFault(async (ops) => {
      batches.push(ops.length);
      if (batches.length === 1) await stalled;
    });
    // The first write stalls (a slow disk); the apply is answered from memory anyway.
    const [first] = await m.apply([put({ clientId: c, seq: 1, ackedThrough: 0 }, 'a', '1')]);
    expect(first).toMatchObject({ kind: 'put', duplicate: false });
    for (let seq = 2; seq <= 6; seq++) await m.apply([put({ clientId: c, seq, ackedThrough: seq - 1 }, seq % 2 === 0 ? 'b' : 'c', String(seq))]);
    expect(m.get(b('c'))?.toString()).toBe('5');
    expect(batches).toHaveLength(1);
    release();
    await m.flush();
    // Five applies, one batch behind the stalled one: keys b and c once each, plus applied index and sessions.
    expect(batches).toEqual([3, 4]);
    kv.setWriteFault(undefined);
    const applied = m.appliedIndex();
    await kv.close();
    const again = await KvMachine.open(await openDurableKv(dir, { crashSim: false }));
    expect(again.appliedIndex()).toBe(applied);
    expect([again.get(b('a'))?.toString(), again.get(b('b'))?.toString(), again.get(b('c'))?.toString()]).toEqual(['1', '6', '5']);
  });

  it('after a failed write lands nothing more and fails the next apply (the node stops)', async () => {
    const { m, kv, dir } = await fresh();
    const c = await session(m);
    await m.flush();
    const durableBefore = m.appliedIndex();
    const failure = new TesseraError(ErrorCodes.INTERNAL, 'disk full');
    let writes = 0;
    kv.setWriteFault(() => {
      writes++;
      if (writes === 1) throw failure;
    });
    await m.apply([put({ clientId: c, seq: 1, ackedThrough: 0 }, 'a', '1')]);
    await expect(m.flush()).rejects.toBe(failure);
    await expect(m.apply([put({ clientId: c, seq: 2, ackedThrough: 1 }, 'b', '2')])).rejects.toBe(failure);
    expect(writes).toBe(1);
    kv.setWriteFault(undefined);
    await kv.close();
    // What is on disk is the state before the failed batch, whole: the log replays the rest.
    const again = await KvMachine.open(await openDurableKv(dir, { crashSim: false }));
    expect(again.appliedIndex()).toBe(durableBefore);
    expect(again.get(b('a'))).toBeUndefined();
  });

  it('a restore waits for the writes in flight and its state is what stays on disk', async () => {
    const source = await fresh();
    const sc = await session(source.m);
    await source.m.apply([put({ clientId: sc, seq: 1, ackedThrough: 0 }, 'kept', 'yes')]);
    const image = await source.m.snapshot();
    const target = await fresh();
    const tc = await session(target.m);
    await target.m.flush();
    let release: () => void = () => undefined;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    target.kv.setWriteFault(async () => stalled);
    await target.m.apply([put({ clientId: tc, seq: 1, ackedThrough: 0 }, 'stale', 'x')]);
    const restoring = target.m.restore({ metadata: { index: source.m.appliedIndex(), term: 1, confState: { voters: ['n1'], learners: [] } }, data: image });
    release();
    await restoring;
    target.kv.setWriteFault(undefined);
    await target.m.flush();
    await target.kv.close();
    const again = await KvMachine.open(await openDurableKv(target.dir, { crashSim: false }));
    expect(again.appliedIndex()).toBe(source.m.appliedIndex());
    expect(again.get(b('stale'))).toBeUndefined();
    expect(again.get(b('kept'))?.toString()).toBe('yes');
    await source.kv.close();
  });

  it('scans a range in byte order, bounded by count and bytes', async () => {
    const { m, kv } = await fresh();
    const c = await session(m);
    const keys = ['b', 'a', 'c/1', 'c/2', 'd'];
    await m.apply(keys.map((k, i) => put({ clientId: c, seq: i + 1, ackedThrough: i }, k, k.repeat(3))));
    expect(m.scan(b('b'), b('d'), 10).pairs.map(([k]) => k.toString())).toEqual(['b', 'c/1', 'c/2']);
    expect(m.scan(new Uint8Array(0), new Uint8Array(0), 2)).toMatchObject({ more: true });
    expect(m.scan(new Uint8Array(0), new Uint8Array(0), 10, 5).pairs).toHaveLength(2);
    await kv.close();
  });

  it('decodes arbitrary snapshot images only into TesseraErrors (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        try {
          decodeSnapshotData(Buffer.concat([Buffer.from('TKVS\x01'), bytes]));
        } catch (err) {
          if (!(err instanceof TesseraError)) throw err;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
