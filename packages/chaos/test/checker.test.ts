import { describe, expect, it } from 'vitest';
import type { KvInput, KvOutput, Operation, RegisterInput, RegisterOutput } from '../src/index.js';
import { checkHistory, formatCheckResult, kvModel, registerModel } from '../src/index.js';

type RegOp = Operation<RegisterInput, RegisterOutput>;
let nextClient = 0;
const write = (call: number, ret: number | undefined, value: number): RegOp => ({
  clientId: nextClient++,
  call,
  ret,
  input: { f: 'write', value },
  output: ret === undefined ? undefined : { f: 'write' },
});
const read = (call: number, ret: number | undefined, value: number | null): RegOp => ({
  clientId: nextClient++,
  call,
  ret,
  input: { f: 'read' },
  output: ret === undefined ? undefined : { f: 'read', value },
});
const cas = (call: number, ret: number | undefined, from: number, to: number, ok: boolean): RegOp => ({
  clientId: nextClient++,
  call,
  ret,
  input: { f: 'cas', from, to },
  output: ret === undefined ? undefined : { f: 'cas', ok },
});
const verdictOf = (history: RegOp[]): string => checkHistory(registerModel, history).verdict;

describe('register histories with known verdicts', () => {
  it('accepts an empty history', () => {
    expect(verdictOf([])).toBe('linearizable');
  });

  it('accepts a sequential write then read, and a read of the initial nil', () => {
    expect(verdictOf([read(0, 1, null), write(2, 3, 1), read(4, 5, 1)])).toBe('linearizable');
  });

  it('rejects a read of nil after a completed write', () => {
    expect(verdictOf([write(0, 1, 1), read(2, 3, null)])).toBe('not-linearizable');
  });

  it('accepts reads of either value while a write is in flight', () => {
    expect(verdictOf([write(0, 10, 1), read(1, 2, null), read(3, 4, 1)])).toBe('linearizable');
  });

  it('rejects a read that goes back to the old value once the new one was seen', () => {
    expect(verdictOf([write(0, 10, 1), read(1, 2, 1), read(3, 4, null)])).toBe('not-linearizable');
  });

  it('rejects a stale read after two completed writes', () => {
    expect(verdictOf([write(0, 1, 1), write(2, 3, 2), read(4, 5, 1)])).toBe('not-linearizable');
  });

  it('treats equal timestamps as overlapping', () => {
    expect(verdictOf([write(0, 5, 1), read(5, 6, null)])).toBe('linearizable');
  });

  it('applies compare-and-set only when the value matches', () => {
    expect(verdictOf([write(0, 1, 1), cas(2, 3, 1, 2, true), read(4, 5, 2)])).toBe('linearizable');
    expect(verdictOf([write(0, 1, 1), cas(2, 3, 1, 2, false)])).toBe('not-linearizable');
    expect(verdictOf([write(0, 1, 1), cas(2, 3, 7, 2, false), read(4, 5, 1)])).toBe('linearizable');
    expect(verdictOf([write(0, 1, 1), cas(2, 3, 7, 2, true)])).toBe('not-linearizable');
  });

  describe('unknown outcomes (Jepsen :info)', () => {
    it('accepts a timed-out write that is observed later', () => {
      expect(verdictOf([write(0, undefined, 1), read(5, 6, null), read(7, 8, 1)])).toBe('linearizable');
    });

    it('accepts a timed-out write that is never observed', () => {
      expect(verdictOf([write(0, undefined, 1), read(5, 6, null), read(7, 8, null)])).toBe('linearizable');
    });

    it('rejects a timed-out write observed before it was invoked', () => {
      expect(verdictOf([read(0, 1, 1), write(2, undefined, 1)])).toBe('not-linearizable');
    });

    it('rejects a timed-out write that is observed and then undone', () => {
      expect(verdictOf([write(0, undefined, 1), read(2, 3, 1), read(4, 5, null)])).toBe('not-linearizable');
    });

    it('lets a timed-out cas take effect or not', () => {
      expect(verdictOf([write(0, 1, 1), cas(2, undefined, 1, 2, true), read(4, 5, 1), read(6, 7, 2)])).toBe('linearizable');
      expect(verdictOf([write(0, 1, 1), cas(2, undefined, 1, 2, true), read(4, 5, 1)])).toBe('linearizable');
    });

    it('drops unknown-outcome reads, which constrain nothing', () => {
      const result = checkHistory(registerModel, [write(0, 1, 1), read(2, undefined, 5), read(3, 4, 1)]);
      expect(result.verdict).toBe('linearizable');
      expect(result.operations).toBe(2);
    });
  });

  it('checks keyed registers independently', () => {
    const a: RegOp = { clientId: 1, call: 0, ret: 1, input: { f: 'write', key: 'a', value: 1 }, output: { f: 'write' } };
    const b: RegOp = { clientId: 2, call: 2, ret: 3, input: { f: 'read', key: 'b' }, output: { f: 'read', value: null } };
    const c: RegOp = { clientId: 3, call: 4, ret: 5, input: { f: 'read', key: 'a' }, output: { f: 'read', value: 1 } };
    const result = checkHistory(registerModel, [a, b, c]);
    expect(result).toMatchObject({ verdict: 'linearizable', partitions: 2 });
  });
});

describe('failure report', () => {
  it('names the longest linearizable prefix and the operation that cannot be placed', () => {
    const stale = read(6, 7, 1);
    const history = [write(0, 1, 1), write(2, 3, 2), read(4, 5, 2), stale];
    const result = checkHistory(registerModel, history);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.failure?.prefix.map((p) => p.op)).toEqual(history.slice(0, 3));
    expect(result.failure?.prefix.map((p) => p.stateAfter)).toEqual(['1', '2', '2']);
    expect(result.failure?.stateAtFailure).toBe('2');
    expect(result.failure?.blocking).toBe(stale);
    const text = formatCheckResult(registerModel, result);
    expect(text).toContain('verdict: not-linearizable');
    expect(text).toContain('cannot be placed');
    expect(text).toContain('read -> 1');
  });

  it('lists the pending operations none of which fits next', () => {
    const history = [write(0, 1, 1), cas(2, 10, 5, 6, true), read(3, 4, 9)];
    const result = checkHistory(registerModel, history);
    expect(result.failure?.prefix.map((p) => p.op)).toEqual([history[0]]);
    expect(result.failure?.blocking).toBe(history[2]);
    expect(result.failure?.candidates).toEqual([history[1]]);
  });
});

describe('time budget', () => {
  it('yields unknown when the budget is exhausted', () => {
    let clock = 0;
    const result = checkHistory(registerModel, [write(0, 1, 1), read(2, 3, 1)], { timeBudgetMs: 10, now: () => (clock += 1000) });
    expect(result).toMatchObject({ verdict: 'unknown', unknownReason: 'time-budget' });
    expect(formatCheckResult(registerModel, result)).toContain('time budget ran out');
  });

  it('yields unknown when the memo table outgrows its bound', () => {
    const history = [write(0, 10, 1), write(0, 10, 2), write(0, 10, 3), read(11, 12, 3)];
    expect(checkHistory(registerModel, history).verdict).toBe('linearizable');
    const result = checkHistory(registerModel, history, { maxMemoEntries: 1 });
    expect(result).toMatchObject({ verdict: 'unknown', unknownReason: 'memory-budget' });
    expect(formatCheckResult(registerModel, result)).toContain('memo-table bound ran out');
  });

  it('still proves a violation in one part when another part exhausts its budget', () => {
    const keyed = (key: string, op: RegOp): RegOp => ({ ...op, input: { ...op.input, key } });
    const hard = [write(0, 10, 1), write(0, 10, 2), write(0, 10, 3), read(11, 12, 3)].map((op) => keyed('hard', op));
    const broken = [write(0, 1, 1), read(2, 3, null)].map((op) => keyed('broken', op));
    const result = checkHistory(registerModel, [...hard, ...broken], { maxMemoEntries: 1 });
    expect(result.verdict).toBe('not-linearizable');
    expect(result.failure?.blocking).toBe(broken[1]);
  });
});

describe('key-value histories', () => {
  let c = 0;
  const kv = (call: number, ret: number | undefined, input: KvInput, output: KvOutput): Operation<KvInput, KvOutput> => ({
    clientId: c++,
    call,
    ret,
    input,
    output: ret === undefined ? undefined : output,
  });

  it('starts every key at "" and appends, puts and deletes', () => {
    const history = [
      kv(0, 1, { f: 'get', key: 'x' }, { value: '' }),
      kv(2, 3, { f: 'append', key: 'x', value: 'a' }, null),
      kv(4, 5, { f: 'append', key: 'x', value: 'b' }, null),
      kv(6, 7, { f: 'get', key: 'x' }, { value: 'ab' }),
      kv(8, 9, { f: 'put', key: 'y', value: 'q' }, null),
      kv(10, 11, { f: 'delete', key: 'x' }, null),
      kv(12, 13, { f: 'get', key: 'x' }, { value: '' }),
      kv(14, 15, { f: 'get', key: 'y' }, { value: 'q' }),
    ];
    expect(checkHistory(kvModel, history)).toMatchObject({ verdict: 'linearizable', partitions: 2 });
  });

  it('rejects a lost append and reports its key', () => {
    const history = [
      kv(0, 1, { f: 'append', key: 'x', value: 'a' }, null),
      kv(2, 3, { f: 'put', key: 'y', value: 'z' }, null),
      kv(4, 5, { f: 'get', key: 'x' }, { value: '' }),
    ];
    const result = checkHistory(kvModel, history);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.failure?.blocking).toBe(history[2]);
    expect(formatCheckResult(kvModel, result)).toContain('get "x" -> ""');
  });

  it('accepts an unknown-outcome append seen or not', () => {
    const history = [
      kv(0, undefined, { f: 'append', key: 'x', value: 'a' }, null),
      kv(2, 3, { f: 'get', key: 'x' }, { value: '' }),
      kv(4, 5, { f: 'get', key: 'x' }, { value: 'a' }),
    ];
    expect(checkHistory(kvModel, history).verdict).toBe('linearizable');
  });

  it('gives the same verdict without partitioning', () => {
    const { partition: _ignored, ...unpartitioned } = kvModel;
    const history = [
      kv(0, 1, { f: 'put', key: 'x', value: 'a' }, null),
      kv(0, 3, { f: 'put', key: 'y', value: 'b' }, null),
      kv(4, 5, { f: 'get', key: 'y' }, { value: 'b' }),
      kv(6, 7, { f: 'get', key: 'x' }, { value: 'a' }),
    ];
    expect(checkHistory(unpartitioned, history)).toMatchObject({ verdict: 'linearizable', partitions: 1 });
    const bad = [...history, kv(8, 9, { f: 'get', key: 'x' }, { value: 'b' })];
    expect(checkHistory(unpartitioned, bad).verdict).toBe('not-linearizable');
    expect(checkHistory(kvModel, bad).verdict).toBe('not-linearizable');
  });
});
