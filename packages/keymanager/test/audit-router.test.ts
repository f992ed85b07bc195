/** Where a key-manager process's own audit records go: the leader's batcher, the leader through a follower, or a bounded wait. */
import { describe, expect, it } from 'vitest';
import { SYSTEM_CHAIN, decodeChainRecord, type ChainRecord } from '@tessera/audit';
import { StateRole, type RaftNode } from '@tessera/raft';
import type { KmResult } from '../src/index.js';
import { AuditRouter } from '../src/process/audit-router.js';

function setup(): { router: AuditRouter; status: { role: StateRole; lead: string }; appended: ChainRecord[]; forwarded: Array<{ to: string; records: ChainRecord[] }>; failForward: { on: boolean } } {
  const status = { role: StateRole.Follower, lead: '' };
  const raft = { status: () => status } as unknown as RaftNode<KmResult>;
  const appended: ChainRecord[] = [];
  const batcher = { append: (r: readonly ChainRecord[]) => void appended.push(...r), lost: 0 };
  const forwarded: Array<{ to: string; records: ChainRecord[] }> = [];
  const failForward = { on: false };
  const router = new AuditRouter(raft, batcher, async (to, records) => {
    if (failForward.on) throw new Error('unreachable');
    forwarded.push({ to, records: records.map((b) => decodeChainRecord(b)) });
  });
  return { router, status, appended, forwarded, failForward };
}

const record = (i: number): ChainRecord => ({ chain: SYSTEM_CHAIN, record: { type: 'rpc.denied', principal: `spiffe://t/node/n${i}`, method: 'M', outcome: 'denied', reason: 'kind-not-allowed' } });

describe('AuditRouter', () => {
  it("appends through the batcher on the leader, forwards to the leader on a follower", async () => {
    const { router, status, appended, forwarded } = setup();
    status.role = StateRole.Leader;
    status.lead = 'km1';
    router.append([record(1)]);
    expect(appended).toHaveLength(1);
    status.role = StateRole.Follower;
    router.append([record(2)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(forwarded).toEqual([{ to: 'km1', records: [expect.objectContaining({ chain: SYSTEM_CHAIN, record: expect.objectContaining({ principal: 'spiffe://t/node/n2' }) })] }]);
    expect(router.lost).toBe(0);
  });

  it('keeps records while no leader is known and routes them once one is; counts what cannot be delivered', async () => {
    const { router, status, forwarded, failForward } = setup();
    router.append([record(1), record(2)]);
    router.flushPending();
    expect(forwarded).toHaveLength(0);
    status.lead = 'km2';
    router.flushPending();
    await new Promise((resolve) => setImmediate(resolve));
    expect(forwarded.flatMap((f) => f.records)).toHaveLength(2);
    failForward.on = true;
    router.append([record(3)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(router.lost).toBe(1);
  });
});
