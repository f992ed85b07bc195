import { describe, expect, it } from 'vitest';
import { waitFor } from './node-cluster.js';
import { InProcNetwork } from '../src/transport/inproc.js';
import type { RaftEnvelope } from '../src/transport/types.js';
import { MessageType, type Message } from '../src/types.js';

function envelope(from: string, to: string, index: number, group = 1): RaftEnvelope {
  const message: Message = {
    type: MessageType.App,
    from,
    to,
    term: 1,
    logTerm: 0,
    index,
    entries: [{ term: 1, index: index + 1, type: 'normal', data: Uint8Array.from([index & 0xff]) }],
    commit: 0,
    reject: false,
    rejectHint: 0,
  };
  return { group, clusterId: 'c', fromIncarnation: 'i', message };
}

function listen(net: InProcNetwork, id: string, group = 1): RaftEnvelope[] {
  const got: RaftEnvelope[] = [];
  net.endpoint(id).subscribe(group, (env) => got.push(env));
  return got;
}

describe('in-process transport', () => {
  it('delivers in order per link, later (never inside send)', async () => {
    const net = new InProcNetwork();
    const got = listen(net, 'b');
    const a = net.endpoint('a');
    for (let i = 0; i < 5; i++) expect(a.send(envelope('a', 'b', i))).toBe(true);
    expect(got).toHaveLength(0);
    await waitFor('delivery', () => got.length === 5);
    expect(got.map((e) => e.message.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses to queue for an unknown peer or a group nobody serves', () => {
    const net = new InProcNetwork();
    listen(net, 'b', 1);
    const a = net.endpoint('a');
    expect(a.send(envelope('a', 'nobody', 0))).toBe(false);
    expect(a.send(envelope('a', 'b', 0, 2))).toBe(false);
    expect(net.stats.droppedUnknown).toBe(2);
  });

  it('bounds each link: a stalled peer fills its queue, further sends are dropped, unstalling delivers the queue', async () => {
    const net = new InProcNetwork({ queueCapacity: 3 });
    const got = listen(net, 'b');
    const a = net.endpoint('a');
    net.stall('a', 'b');
    const accepted = [0, 1, 2, 3, 4].map((i) => a.send(envelope('a', 'b', i)));
    expect(accepted).toEqual([true, true, true, false, false]);
    expect(a.queued('b')).toBe(3);
    expect(net.stats.droppedFull).toBe(2);
    net.unstall('a', 'b');
    await waitFor('the queue to drain', () => got.length === 3);
    expect(got.map((e) => e.message.index)).toEqual([0, 1, 2]);
    expect(a.send(envelope('a', 'b', 9))).toBe(true);
  });

  it('cuts links both ways or one way (asymmetric partitions), silently, until healed', async () => {
    const net = new InProcNetwork();
    const atA = listen(net, 'a');
    const atB = listen(net, 'b');
    const a = net.endpoint('a');
    const b = net.endpoint('b');
    net.cut('a', 'b', true);
    expect(a.send(envelope('a', 'b', 1))).toBe(true);
    expect(b.send(envelope('b', 'a', 2))).toBe(true);
    await waitFor('b -> a delivery', () => atA.length === 1);
    expect(net.isCut('a', 'b')).toBe(true);
    expect(net.isCut('b', 'a')).toBe(false);
    net.isolate('b');
    b.send(envelope('b', 'a', 3));
    // A link's state applies when a message would arrive.
    await waitFor('the isolated message to be lost', () => net.stats.lost === 2);
    net.healAll();
    a.send(envelope('a', 'b', 4));
    await waitFor('a -> b after heal', () => atB.length === 1);
    expect(atB[0]!.message.index).toBe(4);
    expect(atA.map((e) => e.message.index)).toEqual([2]);
    expect(net.stats.lost).toBe(2);
  });

  it('hands the receiver its own copy, and lets tests drop and observe', async () => {
    const net = new InProcNetwork();
    const got = listen(net, 'b');
    const seen: number[] = [];
    net.observe((_from, _to, env) => seen.push(env.message.index));
    const removeFilter = net.addFilter((_from, _to, env) => env.message.index === 1);
    const a = net.endpoint('a');
    const original = envelope('a', 'b', 0);
    a.send(original);
    a.send(envelope('a', 'b', 1));
    await waitFor('delivery', () => got.length === 1);
    (got[0]!.message.entries[0]!.data as Uint8Array)[0] = 99;
    expect(original.message.entries[0]!.data[0]).toBe(0);
    removeFilter();
    a.send(envelope('a', 'b', 1));
    await waitFor('second delivery', () => got.length === 2);
    expect(seen).toEqual([0, 1]);
  });

  it('stops delivering after unsubscribe', async () => {
    const net = new InProcNetwork();
    const got: RaftEnvelope[] = [];
    const unsubscribe = net.endpoint('b').subscribe(1, (env) => got.push(env));
    const a = net.endpoint('a');
    a.send(envelope('a', 'b', 0));
    unsubscribe();
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toHaveLength(0);
    expect(net.stats.lost).toBe(1);
    expect(a.send(envelope('a', 'b', 1))).toBe(false);
  });
});
