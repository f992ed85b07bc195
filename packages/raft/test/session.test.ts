import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionTable, decodeSessionTable, encodeSessionTable, type SessionLimits } from '../src/session/index.js';

const text = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s));
const str = (b: Uint8Array): string => Buffer.from(b).toString();

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof TesseraError) return err.code;
    throw err;
  }
  return undefined;
}

describe('session table', () => {
  it('answers a retry of an applied request from the recorded reply without applying it again', () => {
    const table = new SessionTable();
    const client = table.openSession(1_000);
    let applied = 0;
    const run = (): Uint8Array => text(`result-${++applied}`);
    const first = table.apply({ clientId: client, seq: 1, ackedThrough: 0 }, 1_001, run);
    const retry = table.apply({ clientId: client, seq: 1, ackedThrough: 0 }, 1_002, run);
    expect(first).toEqual({ reply: text('result-1'), duplicate: false });
    expect(retry).toEqual({ reply: text('result-1'), duplicate: true });
    expect(applied).toBe(1);
  });

  it('rejects a request at or below the acknowledged mark as stale and forgets acknowledged replies', () => {
    const table = new SessionTable();
    const client = table.openSession(0);
    for (let seq = 1; seq <= 3; seq++) table.apply({ clientId: client, seq, ackedThrough: 0 }, 0, () => text(String(seq)));
    expect(table.replyCount).toBe(3);
    table.apply({ clientId: client, seq: 4, ackedThrough: 2 }, 0, () => text('4'));
    expect([...table.session(client)!.replies.keys()]).toEqual([3, 4]);
    let ran = false;
    const code = errorCode(() =>
      table.apply({ clientId: client, seq: 2, ackedThrough: 1 }, 0, () => {
        ran = true;
        return text('again');
      }),
    );
    expect(code).toBe(ErrorCodes.RAFT_SESSION_STALE);
    expect(ran).toBe(false);
  });

  it('refuses requests from a client that never opened a session, and malformed requests', () => {
    const table = new SessionTable();
    expect(errorCode(() => table.apply({ clientId: 7, seq: 1, ackedThrough: 0 }, 0, () => text('x')))).toBe(ErrorCodes.RAFT_SESSION_EXPIRED);
    const client = table.openSession(0);
    expect(errorCode(() => table.apply({ clientId: client, seq: 0, ackedThrough: 0 }, 0, () => text('x')))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(errorCode(() => table.apply({ clientId: client, seq: 2, ackedThrough: 2 }, 0, () => text('x')))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(errorCode(() => table.apply({ clientId: client, seq: 1.5, ackedThrough: 0 }, 0, () => text('x')))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(errorCode(() => table.apply({ clientId: client, seq: 1, ackedThrough: 0 }, -1, () => text('x')))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });

  it('bounds replies per client: a forgotten reply makes its retry an unknown outcome, never a re-apply', () => {
    const table = new SessionTable({ maxRepliesPerClient: 2 });
    const client = table.openSession(0);
    for (let seq = 1; seq <= 3; seq++) table.apply({ clientId: client, seq, ackedThrough: 0 }, 0, () => text(String(seq)));
    expect([...table.session(client)!.replies.keys()]).toEqual([2, 3]);
    let ran = false;
    const code = errorCode(() =>
      table.apply({ clientId: client, seq: 1, ackedThrough: 0 }, 0, () => {
        ran = true;
        return text('again');
      }),
    );
    expect(code).toBe(ErrorCodes.RAFT_SESSION_EXPIRED);
    expect(ran).toBe(false);
    // A seq above everything forgotten is still new.
    expect(table.apply({ clientId: client, seq: 4, ackedThrough: 0 }, 0, () => text('4')).duplicate).toBe(false);
  });

  it('bounds replies in total and by bytes, taking them from the least recently active client first', () => {
    const table = new SessionTable({ maxTotalReplies: 3, maxTotalReplyBytes: 1_000 });
    const idle = table.openSession(0);
    const busy = table.openSession(0);
    table.apply({ clientId: idle, seq: 1, ackedThrough: 0 }, 0, () => text('i1'));
    table.apply({ clientId: idle, seq: 2, ackedThrough: 0 }, 0, () => text('i2'));
    table.apply({ clientId: busy, seq: 1, ackedThrough: 0 }, 0, () => text('b1'));
    table.apply({ clientId: busy, seq: 2, ackedThrough: 0 }, 0, () => text('b2'));
    expect(table.replyCount).toBe(3);
    expect([...table.session(idle)!.replies.keys()]).toEqual([2]);
    expect(table.session(idle)!.evictedThrough).toBe(1);

    const bytes = new SessionTable({ maxTotalReplyBytes: 10 });
    const c = bytes.openSession(0);
    bytes.apply({ clientId: c, seq: 1, ackedThrough: 0 }, 0, () => new Uint8Array(6));
    bytes.apply({ clientId: c, seq: 2, ackedThrough: 0 }, 0, () => new Uint8Array(6));
    expect([...bytes.session(c)!.replies.keys()]).toEqual([2]);
    expect(errorCode(() => bytes.apply({ clientId: c, seq: 3, ackedThrough: 0 }, 0, () => new Uint8Array(70_000)))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });

  it('expires idle sessions by leader timestamps, which never run backwards', () => {
    const table = new SessionTable({ sessionTtlMs: 100 });
    const a = table.openSession(1_000);
    const b = table.openSession(1_000);
    table.apply({ clientId: b, seq: 1, ackedThrough: 0 }, 1_080, () => text('b'));
    // A leader whose clock is behind does not move time back...
    table.advanceTo(500);
    expect(table.size).toBe(2);
    // ...and 101 ms after a's last activity, a is gone but b is not.
    table.advanceTo(1_101);
    expect(table.session(a)).toBeUndefined();
    expect(table.session(b)).toBeDefined();
    expect(errorCode(() => table.apply({ clientId: a, seq: 1, ackedThrough: 0 }, 1_101, () => text('a')))).toBe(ErrorCodes.RAFT_SESSION_EXPIRED);
    // Activity keeps a session alive.
    table.apply({ clientId: b, seq: 2, ackedThrough: 1 }, 1_170, () => text('b2'));
    table.advanceTo(1_260);
    expect(table.session(b)).toBeDefined();
    table.advanceTo(1_271);
    expect(table.size).toBe(0);
    expect(table.replyCount).toBe(0);
  });

  it('drops the least recently active session beyond maxSessions and never reuses a client id', () => {
    const table = new SessionTable({ maxSessions: 2 });
    const a = table.openSession(0);
    const b = table.openSession(0);
    table.apply({ clientId: a, seq: 1, ackedThrough: 0 }, 1, () => text('a'));
    const c = table.openSession(2);
    expect(table.session(b)).toBeUndefined();
    expect(table.session(a)).toBeDefined();
    table.closeSession(c, 3);
    const d = table.openSession(4);
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(d).toBeGreaterThan(c);
  });
});

describe('session table: interleaved out-of-order retries (property)', () => {
  // A schedule delivers requests of a few clients, each possibly many times
  // and in any order (retries, duplicated and delayed messages). A client
  // learns the reply of a delivery unless the reply is lost, and its
  // low-water mark is the longest prefix of seqs it has replies for.
  const deliveryArb = fc.record({ client: fc.nat(2), seq: fc.integer({ min: 1, max: 8 }), replyLost: fc.boolean() });

  const limitsArb = fc.oneof(
    fc.constant<Partial<SessionLimits>>({}),
    fc.record({ maxRepliesPerClient: fc.integer({ min: 1, max: 3 }), maxTotalReplies: fc.integer({ min: 1, max: 6 }) }),
  );

  it('applies each request at most once, answers retries with the same reply, and is stale only below the mark', () => {
    fc.assert(
      fc.property(fc.array(deliveryArb, { maxLength: 60 }), fc.nat(60), limitsArb, (schedule, snapshotAt, limits) => {
        let table = new SessionTable(limits);
        const generous = Object.keys(limits).length === 0;
        const ids = [table.openSession(0), table.openSession(0), table.openSession(0)];
        const applied = new Map<string, Uint8Array>();
        const received = ids.map(() => new Set<number>());
        const marks = ids.map(() => 0);
        let applyCount = 0;
        schedule.forEach((delivery, step) => {
          if (step === snapshotAt) table = decodeSessionTable(encodeSessionTable(table), limits);
          const id = ids[delivery.client]!;
          const key = `${id}/${delivery.seq}`;
          const ackedThrough = Math.min(marks[delivery.client]!, delivery.seq - 1);
          try {
            const outcome = table.apply({ clientId: id, seq: delivery.seq, ackedThrough }, step, () => {
              applyCount++;
              expect(applied.has(key)).toBe(false);
              const reply = text(`${key}@${step}`);
              applied.set(key, reply);
              return reply;
            });
            expect(str(outcome.reply)).toBe(str(applied.get(key)!));
            if (!delivery.replyLost) {
              received[delivery.client]!.add(delivery.seq);
              let mark = marks[delivery.client]!;
              while (received[delivery.client]!.has(mark + 1)) mark++;
              marks[delivery.client] = mark;
            }
          } catch (err) {
            if (isTesseraError(err, ErrorCodes.RAFT_SESSION_STALE)) {
              // Only a request the client already has the reply to can be stale.
              expect(received[delivery.client]!.has(delivery.seq)).toBe(true);
              expect(applied.has(key)).toBe(true);
            } else if (isTesseraError(err, ErrorCodes.RAFT_SESSION_EXPIRED)) {
              expect(generous).toBe(false);
            } else {
              throw err;
            }
          }
        });
        expect(applyCount).toBe(applied.size);
      }),
      { numRuns: 300 },
    );
  });
});

describe('session table snapshots', () => {
  const historyArb = fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('open' as const), at: fc.nat(1_000) }),
      fc.record({
        kind: fc.constant('apply' as const),
        client: fc.nat(5),
        seq: fc.integer({ min: 1, max: 10 }),
        acked: fc.nat(9),
        at: fc.nat(1_000),
        reply: fc.uint8Array({ maxLength: 8 }),
      }),
    ),
    { maxLength: 40 },
  );

  type History = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

  function build(history: History, limits: Partial<SessionLimits>): SessionTable {
    const table = new SessionTable(limits);
    for (const step of history) {
      if (step.kind === 'open') {
        table.openSession(step.at);
        continue;
      }
      try {
        table.apply({ clientId: step.client + 1, seq: step.seq, ackedThrough: Math.min(step.acked, step.seq - 1) }, step.at, () => step.reply);
      } catch (err) {
        if (!(err instanceof TesseraError)) throw err;
      }
    }
    return table;
  }

  it('round-trips canonically: decode(encode(t)) encodes to the same bytes and behaves the same', () => {
    const limits = { maxRepliesPerClient: 4, maxTotalReplies: 12, sessionTtlMs: 300 };
    fc.assert(
      fc.property(historyArb, historyArb, (history, more) => {
        const original = build(history, limits);
        const bytes = encodeSessionTable(original);
        const copy = decodeSessionTable(bytes, limits);
        expect(encodeSessionTable(copy)).toEqual(bytes);
        expect(copy.replyCount).toBe(original.replyCount);
        // Continuing both with the same commands keeps them identical.
        const replay = (table: SessionTable): Buffer => {
          for (const step of more) {
            if (step.kind === 'open') table.openSession(step.at);
            else {
              try {
                table.apply({ clientId: step.client + 1, seq: step.seq, ackedThrough: Math.min(step.acked, step.seq - 1) }, step.at, () => step.reply);
              } catch (err) {
                if (!(err instanceof TesseraError)) throw err;
              }
            }
          }
          return encodeSessionTable(table);
        };
        expect(replay(copy)).toEqual(replay(original));
      }),
      { numRuns: 200 },
    );
  });

  it('decoder: arbitrary bytes only ever produce a TesseraError, and whatever decodes is canonical', () => {
    const valid = encodeSessionTable(build([{ kind: 'open', at: 5 }, { kind: 'apply', client: 0, seq: 2, acked: 0, at: 6, reply: new Uint8Array([1, 2]) }], {}));
    const mutated = fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })).map(([pos, byte]) => {
      const copy = Buffer.from(valid);
      copy[pos] = byte;
      return copy;
    });
    const input = fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated, fc.uint8Array({ maxLength: 60 }).map((tail) => Buffer.concat([Buffer.from('TSES\x01', 'latin1'), tail])));
    fc.assert(
      fc.property(input, (bytes) => {
        try {
          const table = decodeSessionTable(bytes);
          expect(encodeSessionTable(table)).toEqual(Buffer.from(bytes));
        } catch (err) {
          expect(err).toBeInstanceOf(TesseraError);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('decoder rejects trailing bytes and hostile counts', () => {
    const bytes = encodeSessionTable(new SessionTable());
    expect(errorCode(() => decodeSessionTable(Buffer.concat([bytes, Buffer.from([0])])))).toBe(ErrorCodes.CODEC_TRAILING_BYTES);
    const hostile = Buffer.from(bytes);
    hostile.writeUInt32BE(0xffff_ffff, hostile.length - 4);
    expect(errorCode(() => decodeSessionTable(hostile))).toBe(ErrorCodes.CODEC_TRUNCATED);
  });
});
