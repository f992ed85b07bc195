import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { PeerSender } from '../src/index.js';
import type { PeerSenderOptions, UnreachableReason } from '../src/index.js';

/** A link whose writes complete only when the test says so. */
class ManualLink {
  readonly batches: string[][] = [];
  private pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private arrivals: (() => void)[] = [];

  write = (batch: readonly string[]): Promise<void> => {
    this.batches.push([...batch]);
    for (const a of this.arrivals.splice(0)) a();
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  };

  /** Resolves once `n` batches have been handed to the link. */
  async batchesWritten(n: number): Promise<void> {
    while (this.batches.length < n) await new Promise<void>((r) => this.arrivals.push(r));
  }

  complete(): void {
    this.pending.shift()?.resolve();
  }

  fail(): void {
    this.pending.shift()?.reject(new Error('stream broken'));
  }
}

function sender(link: ManualLink, overrides: Partial<PeerSenderOptions<string>> = {}) {
  const unreachable: UnreachableReason[] = [];
  const s = new PeerSender<string>({
    peer: 'n2',
    maxQueuedMessages: 4,
    maxQueuedBytes: 100,
    maxBatchMessages: 3,
    maxBatchBytes: 50,
    sizeOf: (m) => m.length,
    write: link.write,
    onUnreachable: (_peer, reason) => unreachable.push(reason),
    ...overrides,
  });
  return { s, unreachable };
}

describe('PeerSender', () => {
  it('batches messages sent in the same tick, up to the batch limits', async () => {
    const link = new ManualLink();
    const { s } = sender(link, { maxQueuedMessages: 10 });
    for (const m of ['a', 'b', 'c', 'd', 'e']) expect(s.send(m)).toBe(true);
    await link.batchesWritten(1);
    expect(link.batches[0]).toEqual(['a', 'b', 'c']);
    link.complete();
    await link.batchesWritten(2);
    expect(link.batches[1]).toEqual(['d', 'e']);
    link.complete();
  });

  it('respects the batch byte limit but never splits a single large message', async () => {
    const link = new ManualLink();
    const { s } = sender(link, { maxBatchBytes: 10, maxQueuedBytes: 1000 });
    s.send('x'.repeat(30));
    s.send('y'.repeat(4));
    s.send('z'.repeat(4));
    await link.batchesWritten(1);
    expect(link.batches[0]).toEqual(['x'.repeat(30)]);
    link.complete();
    await link.batchesWritten(2);
    expect(link.batches[1]).toEqual(['yyyy', 'zzzz']);
    link.complete();
  });

  it('drops and reports the peer unreachable once per episode when the queue is full (messages)', async () => {
    const link = new ManualLink();
    const { s, unreachable } = sender(link, { maxBatchMessages: 1 });
    s.send('1');
    await link.batchesWritten(1); // '1' is in flight; the queue is empty
    for (const m of ['2', '3', '4', '5']) expect(s.send(m)).toBe(true);
    expect(s.send('6')).toBe(false);
    expect(s.send('7')).toBe(false);
    expect(unreachable).toEqual(['queue-full']);
    expect(s.stats()).toMatchObject({ queuedMessages: 4, droppedMessages: 2 });
    // The link moves again: everything queued is written.
    for (let n = 2; n <= 5; n++) {
      link.complete();
      await link.batchesWritten(n);
    }
    link.complete();
    await s.flushed();
    expect(s.stats()).toMatchObject({ queuedMessages: 0, queuedBytes: 0, sentMessages: 5 });
    expect(link.batches.flat()).toEqual(['1', '2', '3', '4', '5']);
    // A new overflow is a new episode, reported again.
    for (const m of ['a', 'b', 'c', 'd', 'e']) s.send(m);
    await link.batchesWritten(6);
    s.send('f');
    expect(s.send('g')).toBe(false);
    expect(unreachable).toEqual(['queue-full', 'queue-full']);
  });

  it('drops when the queue is full by bytes', async () => {
    const link = new ManualLink();
    const { s, unreachable } = sender(link, { maxQueuedMessages: 100, maxQueuedBytes: 10, maxBatchMessages: 1 });
    s.send('a');
    await link.batchesWritten(1);
    expect(s.send('x'.repeat(8))).toBe(true);
    expect(s.send('yyy')).toBe(false);
    expect(s.stats().queuedBytes).toBe(8);
    expect(unreachable).toEqual(['queue-full']);
  });

  it('reports a failed write and continues with the next batch', async () => {
    const link = new ManualLink();
    const { s, unreachable } = sender(link, { maxBatchMessages: 1 });
    s.send('a');
    s.send('b');
    await link.batchesWritten(1);
    link.fail();
    await link.batchesWritten(2);
    expect(unreachable).toEqual(['write-failed']);
    link.complete();
    await Promise.resolve();
    expect(link.batches).toEqual([['a'], ['b']]);
  });

  it('refuses messages after close and validates its limits', async () => {
    const link = new ManualLink();
    const { s } = sender(link);
    s.close();
    expect(s.send('a')).toBe(false);
    expect(() => sender(link, { maxQueuedBytes: 0 })).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT }));
  });
});
