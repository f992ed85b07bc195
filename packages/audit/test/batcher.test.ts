/**
 * The audit batcher both Raft groups use: group commit in bounded batches, the
 * arrival order kept, the bound on waiting records, a failing proposal (never
 * retried, never blocking what comes next), denial flushing and close.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { AuditBatcher, SYSTEM_CHAIN, type AuditBatcherOptions, type ChainRecord, type DenialEvent } from '../src/index.js';

const MINUTE = 60_000;
const rec = (i: number): ChainRecord => ({ chain: SYSTEM_CHAIN, record: { type: 'admin.action', principal: `p${i}`, outcome: 'ok' } });
const recs = (from: number, n: number): ChainRecord[] => Array.from({ length: n }, (_, i) => rec(from + i));
const principals = (batch: readonly ChainRecord[]): string[] => batch.map((r) => r.record.principal);

interface Proposal {
  readonly records: readonly ChainRecord[];
  readonly timeMs: number;
}

interface FakeGroup {
  readonly proposed: Proposal[];
  readonly propose: AuditBatcherOptions['propose'];
  release(): void;
}

/** A group that records each proposal, holds them until `release()` when `gated`, then answers. */
function fakeGroup(answer: (p: Proposal) => void | Promise<void> = () => undefined, gated = false): FakeGroup {
  let release: () => void = () => undefined;
  const gate = gated ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
  const proposed: Proposal[] = [];
  return {
    proposed,
    release: () => release(),
    propose: async (records, timeMs) => {
      const proposal = { records, timeMs };
      proposed.push(proposal);
      await gate;
      await answer(proposal);
    },
  };
}

function batcher(group: Pick<FakeGroup, 'propose'>, options: Partial<AuditBatcherOptions> = {}): AuditBatcher {
  return new AuditBatcher({ propose: group.propose, commandLimit: 100, unavailableCode: ErrorCodes.KM_UNAVAILABLE, clock: () => 7, ...options });
}

const denial = (principal: string, atMs: number): DenialEvent => ({ chain: SYSTEM_CHAIN, type: 'rpc.denied', principal, method: '/m', reason: 'kind-not-allowed', atMs });

describe('AuditBatcher: batching', () => {
  it('group-commits what arrives while a proposal is in flight, in bounded batches stamped by the clock', async () => {
    const group = fakeGroup(undefined, true);
    const b = batcher(group, { maxBatch: 3 });
    const first = b.record([rec(0)]);
    const rest = [b.record(recs(1, 2)), b.record([rec(3)]), b.record(recs(4, 4))];
    expect(b.queued).toBe(7);
    group.release();
    await Promise.all([first, ...rest]);
    // The first call alone, then whole calls up to three records; a call larger than a batch is split.
    expect(group.proposed.map((p) => p.records.length)).toEqual([1, 3, 3, 1]);
    expect(group.proposed.every((p) => p.timeMs === 7)).toBe(true);
    expect(b.batches).toBe(4);
    expect(b.queued).toBe(0);
  });

  it('never proposes more than the command limit, whatever maxBatch says', async () => {
    const group = fakeGroup();
    const b = batcher(group, { commandLimit: 4, maxBatch: 1_000 });
    await b.record(recs(0, 9));
    expect(group.proposed.map((p) => p.records.length)).toEqual([4, 4, 1]);
  });

  it('refuses a batch size or bound that would propose nothing', () => {
    const group = fakeGroup();
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => batcher(group, { maxBatch: bad })).toThrow(RangeError);
      expect(() => batcher(group, { commandLimit: bad })).toThrow(RangeError);
      expect(() => batcher(group, { maxQueued: bad })).toThrow(RangeError);
    }
  });

  it('resolves an empty record() at once without proposing', async () => {
    const group = fakeGroup();
    await batcher(group).record([]);
    expect(group.proposed).toEqual([]);
  });
});

describe('AuditBatcher: ordering', () => {
  it('proposes every record once, in the order the calls arrived, in batches of 1..maxBatch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.array(fc.record({ size: fc.integer({ min: 1, max: 9 }), yieldFirst: fc.boolean() }), { maxLength: 20 }), async (maxBatch, calls) => {
        const group = fakeGroup();
        const b = batcher(group, { maxBatch });
        const done: Array<Promise<void>> = [];
        let next = 0;
        for (const { size, yieldFirst } of calls) {
          // Some calls arrive while a proposal is in flight, some after it settled.
          if (yieldFirst) await Promise.resolve();
          done.push(b.record(recs(next, size)));
          next += size;
        }
        await Promise.all(done);
        expect(group.proposed.every((p) => p.records.length >= 1 && p.records.length <= maxBatch)).toBe(true);
        expect(group.proposed.flatMap((p) => principals(p.records))).toEqual(principals(recs(0, next)));
      }),
      { numRuns: 100 },
    );
  });
});

describe('AuditBatcher: bound and back-pressure', () => {
  it('refuses record() past maxQueued (retriable), counts append() past it lost, and frees room as batches go out', async () => {
    const group = fakeGroup(undefined, true);
    const warnings: Array<Record<string, unknown> | undefined> = [];
    const b = batcher(group, { maxQueued: 3, logger: { warn: (_msg, fields) => warnings.push(fields) } });
    const inFlight = b.record([rec(0)]); // taken at once: the batch in flight does not count
    const waiting = b.record(recs(1, 3));
    const refused = b.record([rec(4)]);
    await expect(refused).rejects.toMatchObject({ code: ErrorCodes.AUDIT_QUEUE_FULL, retriable: true });
    b.append(recs(5, 2));
    group.release();
    await Promise.all([inFlight, waiting]);
    expect(b.lost).toBe(2);
    expect(warnings).toEqual([{ count: 2, errorCode: ErrorCodes.AUDIT_QUEUE_FULL }]);
    await b.record(recs(7, 3));
    expect(group.proposed.flatMap((p) => principals(p.records))).toEqual(principals([...recs(0, 4), ...recs(7, 3)]));
  });

  it('refuses a single call larger than the bound', async () => {
    const group = fakeGroup();
    await expect(batcher(group, { maxQueued: 2 }).record(recs(0, 3))).rejects.toMatchObject({ code: ErrorCodes.AUDIT_QUEUE_FULL });
    expect(group.proposed).toEqual([]);
  });
});

describe('AuditBatcher: a failing proposal', () => {
  it('rejects every call of the batch with the refusal as is, and goes on with the next batch', async () => {
    const refusal = new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'audit records refused');
    let calls = 0;
    const group = fakeGroup(() => {
      if (calls++ === 1) throw refusal;
    });
    const b = batcher(group);
    const first = b.record([rec(0)]);
    const second = b.record([rec(1)]);
    const third = b.record([rec(2)]);
    await first;
    // The second and third calls went in one batch, the refused one.
    await expect(second).rejects.toBe(refusal);
    await expect(third).rejects.toBe(refusal);
    await b.record([rec(3)]);
    expect(group.proposed.map((p) => principals(p.records))).toEqual([['p0'], ['p1', 'p2'], ['p3']]);
  });

  it('reports anything but a TesseraError with the group\'s unavailable code, retriable, the cause kept', async () => {
    const cause = new Error('connection reset');
    const b = batcher(fakeGroup(() => Promise.reject(cause)), { unavailableCode: ErrorCodes.RAFT_NOT_LEADER });
    const err = await b.record([rec(0)]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TesseraError);
    expect(err).toMatchObject({ code: ErrorCodes.RAFT_NOT_LEADER, retriable: true, cause });
    expect((err as Error).message).not.toContain('connection reset');
  });

  it('counts the records of a failed fire-and-forget append as lost (once, never retried) and logs no record content', async () => {
    const warnings: Array<Record<string, unknown> | undefined> = [];
    const group = fakeGroup(() => {
      throw new TesseraError(ErrorCodes.RAFT_NOT_LEADER, 'not the leader');
    });
    const b = batcher(group, { logger: { warn: (_msg, fields) => warnings.push(fields) } });
    b.append(recs(0, 2));
    b.append([rec(2)]);
    await b.close();
    expect(b.lost).toBe(3);
    expect(group.proposed.flatMap((p) => principals(p.records))).toEqual(['p0', 'p1', 'p2']);
    expect(warnings).toEqual([
      { count: 2, errorCode: ErrorCodes.RAFT_NOT_LEADER },
      { count: 1, errorCode: ErrorCodes.RAFT_NOT_LEADER },
    ]);
  });

  it('keeps the committed part of a call larger than a batch and rejects the call when a later part fails', async () => {
    const group = fakeGroup((p) => {
      if (p.records[0]!.record.principal === 'p2') throw new TesseraError(ErrorCodes.RAFT_NOT_LEADER, 'not the leader');
    });
    const b = batcher(group, { maxBatch: 2 });
    await expect(b.record(recs(0, 5))).rejects.toMatchObject({ code: ErrorCodes.RAFT_NOT_LEADER });
    expect(group.proposed.map((p) => principals(p.records))).toEqual([['p0', 'p1'], ['p2', 'p3']]);
  });
});

describe('AuditBatcher: denials, flush and close', () => {
  it('aggregates denials per (principal, method, window) and appends only closed windows on flushDenials', async () => {
    const group = fakeGroup();
    const b = batcher(group, { clock: () => 10 * MINUTE });
    for (let i = 0; i < 50; i++) b.deny(denial('spiffe://td/admin/x', 3 * MINUTE + i));
    b.deny(denial('spiffe://td/admin/y', 3 * MINUTE));
    b.deny(denial('spiffe://td/admin/z', 10 * MINUTE)); // its window is still open
    b.flushDenials();
    await b.close();
    const records = group.proposed.flatMap((p) => p.records).map((r) => [r.record.principal, r.record.count]);
    expect(records.slice(0, 2)).toEqual([
      ['spiffe://td/admin/x', 50],
      ['spiffe://td/admin/y', 1],
    ]);
    // close() appended the open window too, in a later batch.
    expect(group.proposed.at(-1)!.records.map((r) => r.record.principal)).toEqual(['spiffe://td/admin/z']);
  });

  it('proposes nothing for a flush with no closed window', async () => {
    const group = fakeGroup();
    const b = batcher(group, { clock: () => 0 });
    b.deny(denial('p', 0));
    b.flushDenials();
    expect(group.proposed).toEqual([]);
    expect(b.queued).toBe(0);
  });

  it('close() waits for the batch in flight and everything queued behind it', async () => {
    const group = fakeGroup(undefined, true);
    const b = batcher(group, { maxBatch: 2 });
    const settled: string[] = [];
    void b.record([rec(0)]).then(() => settled.push('first'));
    b.append(recs(1, 3));
    const closed = b.close().then(() => settled.push('closed'));
    await Promise.resolve();
    expect(settled).toEqual([]);
    group.release();
    await closed;
    expect(settled).toEqual(['first', 'closed']);
    expect(group.proposed.flatMap((p) => principals(p.records))).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(b.lost).toBe(0);
  });
});
