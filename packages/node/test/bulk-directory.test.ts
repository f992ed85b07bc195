/**
 * Where shard writes find a peer's bulk port: a configured override wins,
 * otherwise the peer is asked once (PutShard meanwhile), misses are retried
 * after a while, and a failed connection makes the node ask again.
 */
import { describe, expect, it } from 'vitest';
import type { BulkClients } from '@tessera/transport';
import { BulkDirectory } from '../src/fabric/bulk-directory.js';

const clients = {} as BulkClients;

function directory(answers: Record<string, string | Error>, now: { t: number }, override?: Record<string, string>): { dir: BulkDirectory; asked: string[]; settle: () => Promise<void> } {
  const asked: string[] = [];
  const pending: Array<Promise<unknown>> = [];
  const dir = new BulkDirectory({
    clients,
    describe: (peer) => {
      asked.push(peer);
      const answer = answers[peer] ?? '';
      const p = answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      pending.push(p.catch(() => undefined));
      return p;
    },
    ...(override !== undefined ? { override: (peer: string) => override[peer] } : {}),
    retryMs: 1000,
    clock: () => now.t,
  });
  return { dir, asked, settle: async () => void (await Promise.all(pending)) };
}

describe('BulkDirectory', () => {
  it('asks a peer once and then uses its answer; PutShard until the answer is in', async () => {
    const now = { t: 0 };
    const { dir, asked, settle } = directory({ 'p:1': '127.0.0.1:9001' }, now);
    expect(dir.bulkAddressOf('p:1')).toBeUndefined();
    expect(dir.bulkAddressOf('p:1')).toBeUndefined();
    await settle();
    expect(dir.bulkAddressOf('p:1')).toBe('127.0.0.1:9001');
    expect(asked).toEqual(['p:1']);
  });

  it('a peer without a bulk port, a malformed answer or a failed question is asked again after retryMs', async () => {
    const now = { t: 0 };
    const { dir, asked, settle } = directory({ 'none:1': '', 'bad:1': 'not an address', 'down:1': new Error('unreachable') }, now);
    for (const peer of ['none:1', 'bad:1', 'down:1']) expect(dir.bulkAddressOf(peer)).toBeUndefined();
    await settle();
    now.t = 999;
    for (const peer of ['none:1', 'bad:1', 'down:1']) expect(dir.bulkAddressOf(peer)).toBeUndefined();
    expect(asked).toHaveLength(3);
    now.t = 1001;
    for (const peer of ['none:1', 'bad:1', 'down:1']) dir.bulkAddressOf(peer);
    expect(asked).toHaveLength(6);
  });

  it('a failed bulk connection makes the next write ask again', async () => {
    const now = { t: 0 };
    const answers: Record<string, string> = { 'p:1': '127.0.0.1:9001' };
    const { dir, asked, settle } = directory(answers, now);
    dir.bulkAddressOf('p:1');
    await settle();
    answers['p:1'] = '127.0.0.1:9002';
    dir.failed('p:1');
    expect(dir.bulkAddressOf('p:1')).toBeUndefined();
    await settle();
    expect(dir.bulkAddressOf('p:1')).toBe('127.0.0.1:9002');
    expect(asked).toEqual(['p:1', 'p:1']);
  });

  it('a configured override wins and nobody is asked', () => {
    const { dir, asked } = directory({}, { t: 0 }, { 'p:1': '127.0.0.1:7777' });
    expect(dir.bulkAddressOf('p:1')).toBe('127.0.0.1:7777');
    expect(asked).toEqual([]);
  });
});
