/**
 * Linearizable reads by ReadIndex (§6.4; etcd read-only "safe" mode, no lease
 * reads) and leadership transfer (dissertation §3.10).
 */
import { describe, expect, it } from 'vitest';
import { Cluster, str, text } from './raft-harness.js';

describe('ReadIndex', () => {
  it('a new leader serves reads only after its no-op commits', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.core('a').campaign();
    for (let i = 0; i < 4 && c.core('a').status().role !== 'leader'; i++) {
      for (const id of ['a', 'b', 'c']) c.processReady(id);
      c.deliver();
    }
    expect(c.core('a').status().leaderCommitted).toBe(false);
    expect(c.core('a').readIndex(text('r1')).kind).toBe('accepted');
    c.processReady('a');
    expect(c.node('a').readStates).toEqual([]);
    c.stabilize();
    expect(c.node('a').readStates.map((r) => [str(r.requestCtx), r.index])).toEqual([['r1', 2]]);
  });

  it('records the commit index first, then needs a heartbeat quorum to confirm leadership', () => {
    const c = new Cluster(['a', 'b', 'c', 'd', 'e']);
    c.elect('a');
    c.core('a').propose(text('x'));
    c.stabilize();
    c.isolate('c');
    c.isolate('d');
    c.core('a').readIndex(text('r'));
    c.processReady('a');
    // Only b's ack arrives: a plus b is 2 of 5.
    c.deliver((m) => m.to === 'b');
    c.processReady('b');
    c.deliver();
    c.processReady('a');
    expect(c.node('a').readStates).toEqual([]);
    c.heal();
    c.core('a').readIndex(text('r2'));
    c.stabilize();
    // The later round confirms the earlier request as well, at the index recorded for each.
    expect(c.node('a').readStates.map((r) => [str(r.requestCtx), r.index])).toEqual([
      ['r', 3],
      ['r2', 3],
    ]);
  });

  it('a follower read goes through the leader read index, never the local state', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    c.cutLink('a', 'c');
    c.core('a').propose(text('x'));
    c.stabilize();
    expect(c.core('c').status().commit).toBe(2);
    c.heal();
    c.core('c').readIndex(text('rc'));
    const rd = c.processReady('c');
    expect(rd?.messages.map((m) => [m.type, m.to])).toEqual([['readIndex', 'a']]);
    c.stabilize();
    // The read index is the leader's (3), beyond what c had committed when it asked.
    expect(c.node('c').readStates.map((r) => [str(r.requestCtx), r.index])).toEqual([['rc', 3]]);
  });

  it('a deposed leader that has not noticed yet cannot complete a read', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    c.isolate('a');
    c.tick('b', 10);
    c.tick('c', 10);
    c.stabilize();
    c.tick('b', 10);
    c.stabilize();
    expect(c.leaders().sort()).toEqual(['a', 'b']);
    c.core('a').readIndex(text('stale'));
    c.stabilize();
    expect(c.node('a').readStates).toEqual([]);
  });
});

describe('leadership transfer', () => {
  it('catches the target up first, then sends TimeoutNow; the target wins at once', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    c.cutLink('a', 'c');
    for (let i = 0; i < 3; i++) c.core('a').propose(text(`p${i}`));
    c.stabilize();
    c.heal();
    c.sent.length = 0;
    expect(c.core('a').transferLeader('c').kind).toBe('accepted');
    c.stabilize();
    const toC = c.sent.filter((m) => m.to === 'c' && m.from === 'a').map((m) => m.type);
    expect(toC.indexOf('app')).toBeLessThan(toC.indexOf('timeoutNow'));
    expect(c.leaders()).toEqual(['c']);
    expect(c.core('c').status().term).toBe(3);
    expect(c.appliedData('c')).toEqual(['p0', 'p1', 'p2']);
  });

  it('refuses proposals during a transfer, and aborts it after an election timeout', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    c.isolate('c');
    c.core('a').transferLeader('c');
    expect(c.core('a').propose(text('x'))).toEqual({ kind: 'rejected', reason: 'transferInProgress' });
    expect(c.core('a').proposeConfChange({ type: 'addLearner', nodeId: 'z' })).toEqual({
      kind: 'rejected',
      reason: 'transferInProgress',
    });
    c.tick('a', 10);
    expect(c.core('a').status().leadTransferee).toBe('');
    expect(c.core('a').propose(text('x')).kind).toBe('appended');
  });

  it('a follower forwards a transfer request to the leader; invalid targets are refused', () => {
    const c = new Cluster(['a', 'b', 'c'], { learners: ['l'] });
    c.elect('a');
    expect(c.core('a').transferLeader('l')).toEqual({ kind: 'rejected', reason: 'invalidTransferTarget' });
    expect(c.core('a').transferLeader('a')).toEqual({ kind: 'rejected', reason: 'invalidTransferTarget' });
    expect(c.core('b').transferLeader('b').kind).toBe('accepted');
    c.stabilize();
    expect(c.leaders()).toEqual(['b']);
  });

  it('transfer under load: proposals refused during the transfer are definite, nothing appended is lost', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    const appended: string[] = [];
    for (let i = 0; i < 30; i++) {
      if (i === 10) c.core('a').transferLeader('b');
      const leader = c.leaders()[0] ?? 'a';
      const out = c.core(leader).propose(text(`p${i}`));
      if (out.kind === 'appended') appended.push(`p${i}`);
      else expect(['notLeader', 'rejected']).toContain(out.kind);
      c.processReady('a');
      c.processReady('b');
      c.processReady('c');
      c.deliver();
    }
    c.stabilize();
    expect(c.leaders()).toEqual(['b']);
    for (const id of ['a', 'b', 'c']) expect(c.appliedData(id)).toEqual(appended);
  });
});
