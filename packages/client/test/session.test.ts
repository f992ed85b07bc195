/** Sequence numbers and the acked mark of a data session, with writes settling out of order. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionSeqs } from '../src/session.js';

describe('SessionSeqs', () => {
  it('acks only through the lowest open seq', () => {
    const s = new SessionSeqs('7');
    const [a, b, c] = [s.begin(), s.begin(), s.begin()];
    expect([a, b, c]).toEqual([1, 2, 3]);
    expect(s.ackedThrough()).toBe(0);
    s.settle(b);
    expect(s.ackedThrough()).toBe(0);
    s.settle(a);
    expect(s.ackedThrough()).toBe(2);
    expect(s.wire(c)).toEqual({ clientId: '7', seq: '3', ackedThrough: '2' });
    s.settle(c);
    expect(s.ackedThrough()).toBe(3);
  });

  it('never acks an open seq, whatever the order of settling', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }), fc.infiniteStream(fc.nat()), (ops, picks) => {
        const s = new SessionSeqs('1');
        const open: number[] = [];
        const it = picks[Symbol.iterator]();
        for (const begin of ops) {
          if (begin || open.length === 0) open.push(s.begin());
          else s.settle(open.splice(it.next().value % open.length, 1)[0]!);
          const acked = s.ackedThrough();
          expect(open.every((seq) => seq > acked)).toBe(true);
          for (const seq of open) expect(Number(s.wire(seq).ackedThrough)).toBeLessThan(seq);
        }
      }),
      { numRuns: 200 },
    );
  });
});
