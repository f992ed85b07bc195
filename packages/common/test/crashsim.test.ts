import { ErrorCodes, isTesseraError } from '@tessera/common';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { crashSimEnabled, openDurableKv, simulatePowerLoss } from '../src/durable/crashsim.js';
import type { DurableKv, KvOp, KvRange } from '../src/durable/level-kv.js';
import { tempDirs } from '../src/testing/temp-dirs.js';

const dirs = tempDirs('tessera-crashsim-');
afterEach(() => dirs.cleanup());

const b = (s: string): Buffer => Buffer.from(s);
const put = (k: string, v: string): KvOp => ({ type: 'put', key: b(k), value: b(v) });
const del = (k: string): KvOp => ({ type: 'del', key: b(k) });

async function dump(kv: DurableKv, range: KvRange = {}): Promise<Array<[string, string]>> {
  return (await kv.entries(range)).map(([k, v]) => [k.toString(), v.toString()]);
}

async function reopen(dir: string, crashSim = true): Promise<DurableKv> {
  return openDurableKv(dir, { crashSim });
}

describe('crash simulation switch', () => {
  it('is inert unless TESSERA_CRASHSIM=1 or the option says otherwise', () => {
    expect(crashSimEnabled({ env: {} })).toBe(false);
    expect(crashSimEnabled({ env: { TESSERA_CRASHSIM: '0' } })).toBe(false);
    expect(crashSimEnabled({ env: { TESSERA_CRASHSIM: '1' } })).toBe(true);
    expect(crashSimEnabled({ env: { TESSERA_CRASHSIM: '1' }, crashSim: false })).toBe(false);
    expect(crashSimEnabled({ env: {}, crashSim: true })).toBe(true);
  });
});

describe('crash-simulating LevelDB', () => {
  it('shows un-synced writes to reads and loses them on crash', async () => {
    const dir = await dirs.make();
    const kv = await reopen(dir);
    expect(kv.crashSimulated).toBe(true);
    await kv.write([put('a', '1')], { sync: true });
    await kv.write([put('b', '2'), del('a')], { sync: false });
    expect(await kv.get(b('a'))).toBeUndefined();
    expect((await kv.get(b('b')))?.toString()).toBe('2');
    expect(await dump(kv)).toEqual([['b', '2']]);
    await kv.crash();
    const after = await reopen(dir);
    expect(await dump(after)).toEqual([['a', '1']]);
    await after.close();
  });

  it('makes earlier un-synced writes durable with the next synced batch', async () => {
    const dir = await dirs.make();
    const kv = await reopen(dir);
    await kv.write([put('a', '1')], { sync: false });
    await kv.write([put('b', '2')], { sync: false });
    await kv.write([put('c', '3')], { sync: true });
    await kv.write([put('d', '4')], { sync: false });
    await kv.crash();
    const after = await reopen(dir);
    expect(await dump(after)).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
    await after.close();
  });

  it('flush() covers every earlier write', async () => {
    const dir = await dirs.make();
    const kv = await reopen(dir);
    await kv.write([put('a', '1')], { sync: false });
    await kv.flush();
    await kv.crash();
    const after = await reopen(dir);
    expect(await dump(after)).toEqual([['a', '1']]);
    await after.close();
  });

  it('can keep a prefix of the un-synced batches, never a later one alone (torn log tail)', async () => {
    const dir = await dirs.make();
    const kv = await reopen(dir);
    await kv.write([put('a', '1')], { sync: false });
    await kv.write([put('b', '2')], { sync: false });
    await kv.write([put('c', '3')], { sync: false });
    await kv.crash({ keepUnsyncedBatches: 2 });
    const after = await reopen(dir);
    expect(await dump(after)).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    await after.close();
  });

  it('keeps un-synced writes on a clean close', async () => {
    const dir = await dirs.make();
    const kv = await reopen(dir);
    await kv.write([put('a', '1')], { sync: false });
    await kv.close();
    const after = await reopen(dir);
    expect(await dump(after)).toEqual([['a', '1']]);
    await after.close();
  });

  it('without simulation behaves like kill -9: un-synced writes survive a crash', async () => {
    const dir = await dirs.make();
    const kv = await openDurableKv(dir, { crashSim: false });
    expect(kv.crashSimulated).toBe(false);
    await kv.write([put('a', '1')], { sync: false });
    await kv.crash();
    const after = await openDurableKv(dir, { crashSim: false });
    expect(await dump(after)).toEqual([['a', '1']]);
    await after.close();
  });

  it('merges held writes with the disk for ranges, reverse order and limits', async () => {
    const dir = await dirs.make();
    const kv = await reopen(dir);
    await kv.write([put('a', 'd'), put('b', 'd'), put('c', 'd'), put('e', 'd')], { sync: true });
    await kv.write([del('b'), put('d', 'h'), put('c', 'h')], { sync: false });
    expect(await dump(kv)).toEqual([
      ['a', 'd'],
      ['c', 'h'],
      ['d', 'h'],
      ['e', 'd'],
    ]);
    expect(await dump(kv, { gt: b('a'), lt: b('e') })).toEqual([
      ['c', 'h'],
      ['d', 'h'],
    ]);
    expect(await dump(kv, { reverse: true, limit: 2 })).toEqual([
      ['e', 'd'],
      ['d', 'h'],
    ]);
    expect(await dump(kv, { gte: b('b'), lte: b('c'), limit: 1 })).toEqual([['c', 'h']]);
    expect(await dump(kv, { limit: 0 })).toEqual([]);
    await kv.close();
  });

  it('a failing batch rejects with STORAGE_IO naming the errno, and applies nothing', async () => {
    const dir = await dirs.make();
    for (const crashSim of [true, false]) {
      const kv = await openDurableKv(`${dir}/${String(crashSim)}`, { crashSim });
      kv.setWriteFault(() => {
        throw Object.assign(new Error('no space left on device, write'), { code: 'ENOSPC' });
      });
      const failed = kv.write([put('a', '1')], { sync: true });
      await expect(failed).rejects.toMatchObject({ code: ErrorCodes.STORAGE_IO, message: 'storage write failed (ENOSPC)' });
      expect(await kv.get(b('a'))).toBeUndefined();
      kv.setWriteFault(undefined);
      await kv.write([put('a', '2')], { sync: true });
      expect((await kv.get(b('a')))?.toString()).toBe('2');
      await kv.close();
    }
  });

  it('applies writes in call order even when a fault stalls one of them', async () => {
    const dir = await dirs.make();
    const kv = await reopen(dir);
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    kv.setWriteFault(async (ops) => {
      if (ops[0]?.type === 'put' && Buffer.from(ops[0].value).toString() === 'slow') await stalled;
    });
    const first = kv.write([put('k', 'slow')], { sync: true });
    const second = kv.write([put('k', 'fast')], { sync: false });
    release();
    await Promise.all([first, second]);
    expect((await kv.get(b('k')))?.toString()).toBe('fast');
    await kv.close();
  });

  it('simulatePowerLoss() crashes every open simulated store of the process at once', async () => {
    const [d1, d2] = [await dirs.make(), await dirs.make()];
    const raft = await reopen(d1);
    const machine = await reopen(d2);
    await raft.write([put('a', '1')], { sync: true });
    await raft.write([put('b', '2')], { sync: false });
    await machine.write([put('c', '3')], { sync: false });
    await simulatePowerLoss();
    await expect(raft.get(b('a'))).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CLOSED });
    const [raft2, machine2] = [await reopen(d1), await reopen(d2)];
    expect(await dump(raft2)).toEqual([['a', '1']]);
    expect(await dump(machine2)).toEqual([]);
    await Promise.all([raft2.close(), machine2.close()]);
  });

  it('rejects use after crash or close with STORAGE_CLOSED', async () => {
    const dir = await dirs.make();
    const kv = await reopen(dir);
    await kv.crash();
    await expect(kv.write([put('a', '1')], { sync: true })).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CLOSED });
    await expect(kv.get(b('a'))).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CLOSED });
    await expect(kv.entries({})).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CLOSED });
    await kv.close(); // idempotent
  });

  it('a write queued before a crash but not yet started is refused, not persisted', async () => {
    const dir = await dirs.make();
    const kv = await reopen(dir);
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    kv.setWriteFault(async () => {
      started();
      await stalled;
    });
    const inFlight = kv.write([put('a', '1')], { sync: true });
    const queued = kv.write([put('b', '2')], { sync: true });
    await firstStarted;
    const crashed = kv.crash();
    release();
    await inFlight;
    const queuedError = await queued.catch((err: unknown) => err);
    expect(isTesseraError(queuedError, ErrorCodes.STORAGE_CLOSED)).toBe(true);
    await crashed;
    const after = await reopen(dir);
    expect(await dump(after)).toEqual([['a', '1']]);
    await after.close();
  });
});

// Model-based property: any sequence of synced and un-synced batches, read
// back through arbitrary ranges, then a crash keeping an arbitrary prefix of
// the un-synced tail, leaves exactly what the model says.
const keyArb = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
const opArb = fc.oneof(
  fc.record({ type: fc.constant('put' as const), key: keyArb, value: fc.string({ maxLength: 4 }) }),
  fc.record({ type: fc.constant('del' as const), key: keyArb }),
);
const batchArb = fc.record({ ops: fc.array(opArb, { minLength: 1, maxLength: 4 }), sync: fc.boolean() });
const rangeArb = fc.record(
  {
    gte: keyArb,
    lt: keyArb,
    reverse: fc.boolean(),
    limit: fc.integer({ min: 0, max: 6 }),
  },
  { requiredKeys: [] },
);

type ModelOp = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

function applyModel(state: Map<string, string>, ops: readonly ModelOp[]): void {
  for (const op of ops) {
    if (op.type === 'put') state.set(op.key, op.value);
    else state.delete(op.key);
  }
}

function modelRange(state: Map<string, string>, range: { gte?: string; lt?: string; reverse?: boolean; limit?: number }): Array<[string, string]> {
  let rows = [...state.entries()]
    .filter(([k]) => (range.gte === undefined || k >= range.gte) && (range.lt === undefined || k < range.lt))
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  if (range.reverse === true) rows = rows.reverse();
  return range.limit === undefined ? rows : rows.slice(0, range.limit);
}

describe('crash-simulating LevelDB (model-based)', () => {
  it('matches a model of visible and durable state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batchArb, { maxLength: 8 }), fc.array(rangeArb, { maxLength: 3 }), fc.nat(8), async (batches, ranges, keep) => {
        const dir = await dirs.make('model');
        const kv = await reopen(dir);
        const visible = new Map<string, string>();
        for (const batch of batches) {
          const ops: KvOp[] = batch.ops.map((op) => (op.type === 'put' ? put(op.key, op.value) : del(op.key)));
          await kv.write(ops, { sync: batch.sync });
          applyModel(visible, batch.ops);
        }
        for (const range of ranges) {
          const kvRange: KvRange = {
            ...(range.gte !== undefined ? { gte: b(range.gte) } : {}),
            ...(range.lt !== undefined ? { lt: b(range.lt) } : {}),
            ...(range.reverse !== undefined ? { reverse: range.reverse } : {}),
            ...(range.limit !== undefined ? { limit: range.limit } : {}),
          };
          expect(await dump(kv, kvRange)).toEqual(modelRange(visible, range));
        }
        // Durable: everything up to the last synced batch, then `keep` of the rest.
        const lastSync = batches.map((x) => x.sync).lastIndexOf(true);
        const survivors = batches.slice(0, lastSync + 1 + keep);
        const durable = new Map<string, string>();
        for (const batch of survivors) applyModel(durable, batch.ops);
        await kv.crash({ keepUnsyncedBatches: keep });
        const after = await reopen(dir);
        expect(await dump(after)).toEqual(modelRange(durable, {}));
        await after.close();
      }),
      { numRuns: 25 },
    );
  });
});
