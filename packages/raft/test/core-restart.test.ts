/**
 * Restarts: all nodes at once and in every order (etcd #14139 symptom), a
 * state machine that is ahead of the stored commit index (the commit index is
 * not synced on its own), and a snapshot that arrives while a Ready is being
 * persisted and applied.
 */
import { describe, expect, it } from 'vitest';
import { MemoryRaftStorage, RaftCore, type Snapshot } from '../src/index.js';
import { Cluster, entry, message, seeded, text } from './raft-harness.js';

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [xs.slice()];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('restarts', () => {
  it('restarting every node, simultaneously or one by one in every order, keeps every acknowledged entry', () => {
    for (const order of [['*'], ...permutations(['a', 'b', 'c'])]) {
      const c = new Cluster(['a', 'b', 'c'], { random: seeded(order.length + order.join('').charCodeAt(0)) });
      c.elect('a');
      for (let i = 0; i < 5; i++) c.core('a').propose(text(`p${i}`));
      c.stabilize();
      const acked = c.appliedData('a');
      if (order[0] === '*') {
        for (const id of ['a', 'b', 'c']) c.node(id).restart();
      } else {
        for (const id of order) {
          c.node(id).restart();
          c.tickAll(3);
          c.stabilize();
        }
      }
      for (let i = 0; i < 40 && c.leaders().length !== 1; i++) {
        c.tickAll(1);
        c.stabilize();
      }
      expect(c.leaders()).toHaveLength(1);
      const leader = c.leaders()[0] ?? 'a';
      c.core(leader).propose(text('after'));
      c.stabilize();
      for (const id of ['a', 'b', 'c']) {
        const log = c.node(id).storage.rawEntries().filter((e) => e.data.byteLength > 0).map((e) => new TextDecoder().decode(e.data));
        expect([order.join(''), log]).toEqual([order.join(''), [...acked, 'after']]);
      }
    }
  });

  it('accepts a state machine ahead of the stored commit index (commit-only changes are not synced)', () => {
    const storage = MemoryRaftStorage.bootstrap({ voters: ['a', 'b', 'c'], learners: [] });
    storage.save({ entries: [entry(2, 2), entry(3, 2, 'x'), entry(4, 2, 'y')], hardState: { term: 2, vote: 'a', commit: 2 } });
    const core = new RaftCore({ id: 'a', storage, applied: 4, electionTick: 10, heartbeatTick: 1, random: () => 0 });
    expect(core.status()).toMatchObject({ commit: 4, applied: 4 });
    expect(core.hasReady()).toBe(false);
    // But never beyond the stored log.
    expect(() => new RaftCore({ id: 'a', storage, applied: 9, electionTick: 10, heartbeatTick: 1, random: () => 0 })).toThrow(/applied index/);
  });

  it('a snapshot that arrives while a Ready is being applied supersedes it (no stale config, no going back)', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    c.core('a').proposeConfChange({ type: 'addLearner', nodeId: 'd' });
    c.processReady('a');
    c.deliver();
    c.processReady('b');
    c.deliver();
    c.processReady('a');
    c.deliver();
    // b takes a Ready that applies the conf change ...
    const b = c.node('b');
    const rd = b.core.ready();
    expect(rd.committedEntries.some((e) => e.type === 'confChange')).toBe(true);
    // ... and while it persists, a newer snapshot with another configuration arrives.
    const snap: Snapshot = { metadata: { index: 10, term: 2, confState: { voters: ['a', 'b', 'c'], learners: ['e'] } }, data: text('s') };
    b.core.step(message({ type: 'snap', from: 'a', to: 'b', term: 2, snapshot: snap }));
    b.storage.save({ entries: rd.entries, ...(rd.hardState ? { hardState: rd.hardState } : {}) });
    b.core.advance(rd);
    expect(b.core.confState().learners).toEqual(['e']);
    const next = b.core.ready();
    expect(next.snapshot?.metadata.index).toBe(10);
    expect(next.committedEntries).toEqual([]);
    b.storage.save({ entries: next.entries, ...(next.snapshot ? { snapshot: next.snapshot } : {}) });
    b.core.advance(next);
    expect(b.core.status()).toMatchObject({ applied: 10, commit: 10 });
    expect(b.core.confState().learners).toEqual(['e']);
  });
});
