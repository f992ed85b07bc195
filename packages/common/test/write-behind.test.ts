import { afterEach, describe, expect, it, vi } from 'vitest';
import { WriteBehind, type DurableKv, type KvOp, type KvWriteOptions } from '../src/durable/index.js';

/** A store whose writes finish only when the test says so. */
function manualKv(): { kv: DurableKv; writes: Array<{ ops: readonly KvOp[]; options: KvWriteOptions; finish: (err?: Error) => void }> } {
  const writes: Array<{ ops: readonly KvOp[]; options: KvWriteOptions; finish: (err?: Error) => void }> = [];
  const kv = {
    crashSimulated: false,
    write: (ops: readonly KvOp[], options: KvWriteOptions) =>
      new Promise<void>((resolve, reject) => writes.push({ ops, options, finish: (err) => (err === undefined ? resolve() : reject(err)) })),
  } as unknown as DurableKv;
  return { kv, writes };
}

const put = (n: number): KvOp => ({ type: 'put', key: Buffer.from([n]), value: Buffer.from([n]) });
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('WriteBehind', () => {
  it('writes one batch at a time, in order, and coalesces the requests made meanwhile into one batch built when it starts', async () => {
    const { kv, writes } = manualKv();
    let state = 0;
    const written: number[] = [];
    const behind = new WriteBehind(kv, () => {
      const at = state;
      return { ops: [put(at)], written: () => written.push(at) };
    });
    state = 1;
    behind.request(false);
    expect(writes).toHaveLength(1);
    for (const next of [2, 3, 4, 5]) {
      state = next;
      behind.request(false);
    }
    expect(writes).toHaveLength(1);
    writes[0]!.finish();
    await tick();
    // The second batch is built when it starts: it carries the latest state (5), once.
    expect(writes).toHaveLength(2);
    expect(writes[1]!.ops).toEqual([put(5)]);
    writes[1]!.finish();
    await behind.drain();
    expect(written).toEqual([1, 5]);
    expect(writes).toHaveLength(2);
  });

  describe('with gatherMs', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('an idle store waits gatherMs for more requests, then writes them as one batch built when it starts', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const { kv, writes } = manualKv();
      let state = 0;
      const behind = new WriteBehind(kv, () => ({ ops: [put(state)] }), { gatherMs: 10 });
      for (const next of [1, 2, 3]) {
        state = next;
        behind.request(false);
      }
      vi.advanceTimersByTime(9);
      expect(writes).toHaveLength(0);
      vi.advanceTimersByTime(1);
      expect(writes.map((w) => w.ops)).toEqual([[put(3)]]);
      writes[0]!.finish();
      await behind.drain();
      vi.advanceTimersByTime(100);
      expect(writes).toHaveLength(1);
    });

    it('a synced request and drain start a gathering write at once, and its timer then writes nothing more', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const { kv, writes } = manualKv();
      const behind = new WriteBehind(kv, () => ({ ops: [put(0)] }), { gatherMs: 10 });
      behind.request(false);
      behind.request(true);
      expect(writes.map((w) => w.options.sync)).toEqual([true]);
      writes[0]!.finish();
      await tick();
      behind.request(false);
      expect(writes).toHaveLength(1);
      const drained = behind.drain();
      expect(writes).toHaveLength(2);
      writes[1]!.finish();
      await drained;
      vi.advanceTimersByTime(100);
      expect(writes).toHaveLength(2);
    });
  });

  it('syncs a coalesced batch when any of its requests asked for a sync', async () => {
    const { kv, writes } = manualKv();
    const behind = new WriteBehind(kv, () => ({ ops: [put(0)] }));
    behind.request(false);
    behind.request(true);
    behind.request(false);
    writes[0]!.finish();
    await tick();
    expect(writes.map((w) => w.options.sync)).toEqual([false, true]);
    writes[1]!.finish();
    await behind.drain();
  });

  it('after a failed write starts no other, rejects drain and throws on the next request', async () => {
    const { kv, writes } = manualKv();
    const behind = new WriteBehind(kv, () => ({ ops: [put(0)] }));
    behind.request(false);
    behind.request(false);
    const failure = new Error('disk full');
    writes[0]!.finish(failure);
    await expect(behind.drain()).rejects.toBe(failure);
    expect(behind.failed).toBe(failure);
    expect(writes).toHaveLength(1);
    expect(() => behind.request(false)).toThrow(failure);
    expect(writes).toHaveLength(1);
  });

  it('treats a batch that cannot be built as a failed write', async () => {
    const { kv, writes } = manualKv();
    const failure = new Error('encode failed');
    const behind = new WriteBehind(kv, () => {
      throw failure;
    });
    behind.request(false);
    expect(writes).toHaveLength(0);
    await expect(behind.drain()).rejects.toBe(failure);
  });

  it('drains at once when nothing was asked', async () => {
    const { kv } = manualKv();
    await expect(new WriteBehind(kv, () => ({ ops: [] })).drain()).resolves.toBeUndefined();
  });
});
