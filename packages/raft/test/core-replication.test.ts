/**
 * Log replication and commitment (Raft paper Figure 2 "AppendEntries RPC",
 * §5.3, §5.4.2 and Figure 8) and the replication items of RAFT-CHECKLIST.md.
 */
import { ErrorCodes, isTesseraError } from '@tessera/common';
import { describe, expect, it } from 'vitest';
import { RaftLog } from '../src/core/log.js';
import { MemoryRaftStorage, type Entry } from '../src/index.js';
import { Cluster, entry, message, text } from './raft-harness.js';

const appendTo = (c: Cluster, id: string, m: Parameters<typeof message>[0]): void => {
  c.core(id).step(message(m));
};

function lastResp(c: Cluster, id: string) {
  const rd = c.node(id).core.ready();
  c.node(id).storage.save({ entries: rd.entries, ...(rd.hardState ? { hardState: rd.hardState } : {}) });
  c.node(id).core.advance(rd);
  return rd.messages.filter((m) => m.type === 'appResp').at(-1);
}

describe('AppendEntries receiver (Figure 2)', () => {
  it('replies false when the log has no entry at prevLogIndex with prevLogTerm, with a backtracking hint', () => {
    const c = Cluster.withLogs({ a: { terms: [] }, b: { terms: [2, 2], term: 3 }, c: { terms: [] } });
    appendTo(c, 'b', { type: 'app', from: 'a', to: 'b', term: 3, index: 5, logTerm: 3, entries: [] });
    const resp = lastResp(c, 'b');
    expect(resp).toMatchObject({ reject: true, index: 5, rejectHint: 3, logTerm: 2 });
  });

  it('deletes a conflicting entry and all that follow it, then appends', () => {
    const c = Cluster.withLogs({ a: { terms: [] }, b: { terms: [2, 2, 2], term: 3 }, c: { terms: [] } });
    appendTo(c, 'b', { type: 'app', from: 'a', to: 'b', term: 3, index: 2, logTerm: 2, entries: [entry(3, 3, 'x')] });
    const resp = lastResp(c, 'b');
    expect(resp).toMatchObject({ reject: false, index: 3 });
    expect(c.node('b').storage.rawEntries().map((e) => [e.index, e.term])).toEqual([
      [2, 2],
      [3, 3],
    ]);
  });

  it('sets commitIndex = min(leaderCommit, index of last new entry)', () => {
    const c = Cluster.withLogs({ a: { terms: [] }, b: { terms: [], term: 2 }, c: { terms: [] } });
    appendTo(c, 'b', { type: 'app', from: 'a', to: 'b', term: 2, index: 1, logTerm: 1, entries: [entry(2, 2), entry(3, 2)], commit: 10 });
    expect(c.core('b').status().commit).toBe(3);
    appendTo(c, 'b', { type: 'app', from: 'a', to: 'b', term: 2, index: 3, logTerm: 2, entries: [entry(4, 2)], commit: 2 });
    expect(c.core('b').status().commit).toBe(3);
  });

  it('truncates only from the first conflicting index: a stale append never deletes matching entries', () => {
    const c = Cluster.withLogs({ a: { terms: [] }, b: { terms: [2, 2, 2, 2], term: 2 }, c: { terms: [] } });
    // A delayed append carrying only entry 3 (already present, same term).
    appendTo(c, 'b', { type: 'app', from: 'a', to: 'b', term: 2, index: 2, logTerm: 2, entries: [entry(3, 2, 'b3')] });
    const resp = lastResp(c, 'b');
    expect(resp).toMatchObject({ reject: false, index: 3 });
    expect(c.node('b').storage.lastIndex()).toBe(5);
  });

  it('never truncates at or below the commit index (typed invariant error)', () => {
    const storage = MemoryRaftStorage.bootstrap({ voters: ['a'], learners: [] });
    storage.save({ entries: [entry(2, 2), entry(3, 2)] });
    const log = new RaftLog(storage, 1 << 20);
    log.commitTo(3);
    const attempt = (): void => {
      log.append([entry(3, 3)]);
    };
    expect(attempt).toThrow();
    try {
      attempt();
    } catch (err) {
      expect(isTesseraError(err, ErrorCodes.RAFT_INVARIANT)).toBe(true);
    }
    // The same through the AppendEntries path: a conflict at a committed index.
    expect(() => log.maybeAppend(1, 1, 3, [entry(2, 3)])).toThrow(/conflicts with committed/);
  });

  it('an append older than the commit index is acknowledged with the commit index, not applied', () => {
    const c = Cluster.withLogs({ a: { terms: [] }, b: { terms: [2, 2, 2], term: 2 }, c: { terms: [] } });
    appendTo(c, 'b', { type: 'app', from: 'a', to: 'b', term: 2, index: 4, logTerm: 2, entries: [], commit: 4 });
    lastResp(c, 'b');
    appendTo(c, 'b', { type: 'app', from: 'a', to: 'b', term: 2, index: 1, logTerm: 1, entries: [entry(2, 2, 'b2')], commit: 4 });
    expect(lastResp(c, 'b')).toMatchObject({ reject: false, index: 4 });
    expect(c.node('b').storage.lastIndex()).toBe(4);
  });
});

describe('commitment (§5.3, §5.4.2, Figure 8)', () => {
  /**
   * Figure 8 with three servers. Index 2 holds a's old-term entry (term 2) on
   * a only, and c's entry of term 3 on c only; b has neither. a wins term 4,
   * and b acknowledges index 2 before a's no-op reaches it.
   */
  function figure8(mutations: ReadonlySet<'commit-old-term'>): Cluster {
    const c = Cluster.withLogs(
      { a: { terms: [2], term: 3 }, b: { terms: [], term: 3 }, c: { terms: [3], term: 3 } },
      { mutations, maxSizePerMsg: 1 },
    );
    c.isolate('c');
    c.elect('a');
    return c;
  }

  it('a leader does not commit an entry of an earlier term by counting replicas (Figure 8)', () => {
    const c = figure8(new Set());
    expect(c.core('a').status().term).toBe(4);
    // b holds a's term-2 entry, but it commits only together with the term-4 no-op.
    expect(c.node('b').storage.rawEntries().map((e) => [e.index, e.term])).toEqual([
      [2, 2],
      [3, 4],
    ]);
    expect(c.core('a').status().commit).toBe(3);
  });

  it('Figure 8 replayed: old-term entry counted once b acked it, a then lost, c takes over — safe without the bug', () => {
    for (const planted of [false, true]) {
      const c = Cluster.withLogs(
        { a: { terms: [2], term: 3 }, b: { terms: [], term: 3 }, c: { terms: [3], term: 3 } },
        { mutations: new Set(planted ? ['commit-old-term'] : []), maxSizePerMsg: 1 },
      );
      c.isolate('c');
      c.core('a').campaign();
      // Run until b acknowledged index 2 (a's term-2 entry) but not the no-op.
      for (let i = 0; i < 20; i++) {
        for (const id of ['a', 'b']) c.processReady(id);
        // b receives the probe (and rejects it) and entry 2, but never the no-op.
        c.deliver((m) => !(m.to === 'b' && m.entries.some((e) => e.term === 4) && c.node('b').storage.lastIndex() >= 2));
        if (c.core('a').status().progress.get('b')?.match === 2) break;
      }
      for (const id of ['a', 'b']) c.processReady(id);
      const committedOnA = c.core('a').status().commit;
      const appliedOnA = c.node('a').applied.map((e) => [e.index, e.term]);
      // a is lost before its no-op reaches b; c (last term 3 > 2) wins with b's vote.
      c.heal();
      c.isolate('a');
      for (let round = 0; round < 5 && !c.leaders().includes('c'); round++) {
        c.tick('b', 10);
        c.tick('c', 10);
        c.stabilize();
      }
      expect(c.leaders()).toContain('c');
      const bLog = c.node('b').storage.rawEntries().map((e) => [e.index, e.term]);
      if (planted) {
        // The bug: a committed and applied (2, term 2), which c has just overwritten.
        expect(committedOnA).toBe(2);
        expect(appliedOnA).toContainEqual([2, 2]);
        expect(bLog).toContainEqual([2, 3]);
      } else {
        expect(committedOnA).toBe(1);
        expect(appliedOnA).toEqual([]);
      }
    }
  });

  it('replicates without waiting for a tick: a proposal is sent in its own Ready, and the commit in the Ready after the acks', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    c.core('a').propose(text('x'));
    const rd = c.node('a').core.ready();
    const apps = rd.parallelMessages.filter((m) => m.type === 'app');
    expect(apps.map((m) => m.to).sort()).toEqual(['b', 'c']);
    expect(apps.every((m) => m.entries.length === 1 && m.entries[0]?.index === 3)).toBe(true);
    c.node('a').storage.save({ entries: rd.entries, ...(rd.hardState ? { hardState: rd.hardState } : {}) });
    c.node('a').core.advance(rd);
    for (const m of apps) c.send(m);
    c.deliver();
    c.processReady('b');
    c.processReady('c');
    c.deliver((m) => m.to === 'a');
    // No tick in between: the acks commit index 3, and the very next Ready
    // applies it and tells both followers.
    const next = c.node('a').core.ready();
    expect(next.committedEntries.map((e) => e.index)).toEqual([3]);
    const commits = next.parallelMessages.filter((m) => m.type === 'app' && m.commit === 3);
    expect(commits.map((m) => m.to).sort()).toEqual(['b', 'c']);
  });

  it('the leader counts itself only after its own fsync (advance), never on append', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    c.core('a').propose(text('x'));
    const rd = c.node('a').core.ready();
    // Appends may go out in parallel with the leader's own write.
    expect(rd.parallelMessages.filter((m) => m.type === 'app')).toHaveLength(2);
    expect(c.core('a').status().progress.get('a')?.match).toBe(2);
    for (const m of rd.parallelMessages) c.send(m);
    c.deliver((m) => m.to === 'b');
    c.processReady('b');
    c.deliver();
    // b's ack alone is 1 of 3 (the leader's own copy is not durable yet).
    expect(c.core('a').status().commit).toBe(2);
    c.node('a').storage.save({ entries: rd.entries, ...(rd.hardState ? { hardState: rd.hardState } : {}) });
    c.node('a').core.advance(rd);
    expect(c.core('a').status().progress.get('a')?.match).toBe(3);
    expect(c.core('a').status().commit).toBe(3);
  });

  it('a leader does not commit without a voter majority, and learners neither block nor count', () => {
    const c = new Cluster(['a', 'b', 'c'], { learners: ['l1', 'l2'] });
    c.elect('a');
    c.cutLink('a', 'b');
    c.cutLink('a', 'c');
    c.core('a').propose(text('x'));
    c.stabilize();
    // Both learners have it; only the leader among the voters does.
    expect(c.node('l1').storage.lastIndex()).toBe(3);
    expect(c.core('a').status().commit).toBe(2);
    c.heal();
    c.isolate('l1');
    c.isolate('l2');
    c.tick('a', 1);
    c.stabilize();
    expect(c.core('a').status().commit).toBe(3);
  });

  it('duplicated, reordered and stale append responses never move matchIndex backwards', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    for (let i = 0; i < 5; i++) c.core('a').propose(text(`p${i}`));
    c.stabilize();
    expect(c.core('a').status().progress.get('b')?.match).toBe(7);
    // Old acknowledgements arrive again, in reverse order, then an old-term one.
    for (const index of [6, 3, 2]) appendTo(c, 'a', { type: 'appResp', from: 'b', to: 'a', term: 2, index });
    appendTo(c, 'a', { type: 'appResp', from: 'b', to: 'a', term: 1, index: 1 });
    // A stale rejection of an index below match is ignored too.
    appendTo(c, 'a', { type: 'appResp', from: 'b', to: 'a', term: 2, index: 4, reject: true, rejectHint: 1 });
    const pr = c.core('a').status().progress.get('b');
    expect(pr?.match).toBe(7);
    expect(pr?.state).toBe('replicate');
  });

  it('fast backtracking skips a long divergent suffix in a few round trips', () => {
    // b has 60 entries of term 2 that a (term 3 leader, 30 entries of term 3) never had.
    const c = Cluster.withLogs({
      a: { terms: Array.from({ length: 30 }, () => 3), term: 3 },
      b: { terms: Array.from({ length: 60 }, () => 2), term: 3 },
      c: { terms: Array.from({ length: 30 }, () => 3), term: 3 },
    });
    c.elect('a');
    const rejections = c.sent.filter((m) => m.type === 'appResp' && m.from === 'b' && m.reject).length;
    expect(rejections).toBeLessThanOrEqual(2);
    expect(c.node('b').storage.rawEntries().at(-1)).toMatchObject({ index: 32, term: 4 });
  });

  it('the uncommitted-size limit stops a leader that lost quorum from growing its log', () => {
    const c = new Cluster(['a', 'b', 'c'], { maxUncommittedEntriesSize: 100 });
    c.elect('a');
    c.isolate('a');
    const outcomes = Array.from({ length: 20 }, () => c.core('a').propose(new Uint8Array(30)).kind);
    // 30 + 30 + 30 fit in 100; the fourth would not.
    expect(outcomes.filter((k) => k === 'appended').length).toBe(3);
    expect(outcomes.at(-1)).toBe('rejected');
    expect(c.core('a').propose(new Uint8Array(30))).toEqual({ kind: 'rejected', reason: 'uncommittedSizeLimit' });
    // Once entries commit, the budget frees up again.
    c.heal();
    c.tick('a', 1);
    c.stabilize();
    expect(c.core('a').propose(new Uint8Array(30)).kind).toBe('appended');
  });

  it('a follower refuses proposals with NotLeader and the leader id when known', () => {
    const c = new Cluster(['a', 'b', 'c']);
    expect(c.core('b').propose(text('x'))).toEqual({ kind: 'notLeader', leader: '' });
    c.elect('a');
    expect(c.core('b').propose(text('x'))).toEqual({ kind: 'notLeader', leader: 'a' });
    expect(c.core('a').propose(text('x'))).toMatchObject({ kind: 'appended', index: 3, term: 2 });
  });
});

describe('flow control', () => {
  it('maxSizePerMsg splits a backlog into several appends (an oversized entry still travels alone)', () => {
    const c = new Cluster(['a', 'b', 'c'], { maxSizePerMsg: 100 });
    c.elect('a');
    c.isolate('b');
    for (let i = 0; i < 10; i++) c.core('a').propose(new Uint8Array(40));
    c.core('a').propose(new Uint8Array(500));
    c.stabilize();
    c.heal();
    c.sent.length = 0;
    c.tick('a', 1);
    c.stabilize();
    const apps = c.sent.filter((m) => m.type === 'app' && m.to === 'b' && m.entries.length > 0);
    for (const m of apps) {
      const size = m.entries.reduce((n, e: Entry) => n + e.data.byteLength + 24, 0);
      expect(m.entries.length === 1 || size <= 100).toBe(true);
    }
    expect(apps.some((m) => m.entries.length === 1 && (m.entries[0]?.data.byteLength ?? 0) === 500)).toBe(true);
    expect(c.node('b').storage.lastIndex()).toBe(13);
  });

  it('a slow follower has at most maxInflightMsgs appends outstanding, and at most maxInflightBytes', () => {
    for (const opts of [{ maxInflightMsgs: 3 }, { maxInflightMsgs: 100, maxInflightBytes: 200 }]) {
      const c = new Cluster(['a', 'b', 'c'], { ...opts, maxSizePerMsg: 1 });
      c.elect('a');
      c.cutLink('b', 'a'); // b receives but its acks are lost: the window never drains
      c.sent.length = 0;
      for (let i = 0; i < 50; i++) {
        c.core('a').propose(new Uint8Array(40));
        c.stabilize();
      }
      const toB = c.sent.filter((m) => m.type === 'app' && m.to === 'b' && m.entries.length > 0).length;
      const pr = c.core('a').status().progress.get('b');
      if (opts.maxInflightBytes === undefined) {
        expect(toB).toBe(3);
        expect(pr?.inflight).toBe(3);
      } else {
        expect(toB).toBeLessThanOrEqual(4); // 3 x 64 bytes < 200, the 4th crosses the limit
      }
      // c was never throttled.
      expect(c.node('c').storage.lastIndex()).toBe(52);
    }
  });

  it('a full window recovers when every message in it was lost (heartbeat response, then an empty probe)', () => {
    const c = new Cluster(['a', 'b', 'c'], { maxInflightMsgs: 2, maxSizePerMsg: 1 });
    c.elect('a');
    c.cutLink('a', 'b');
    for (let i = 0; i < 6; i++) c.core('a').propose(text(`p${i}`));
    c.stabilize();
    expect(c.node('b').storage.lastIndex()).toBe(2);
    expect(c.core('a').status().progress.get('b')?.inflight).toBe(2);
    c.heal();
    for (let i = 0; i < 10; i++) {
      c.tick('a', 1);
      c.stabilize();
    }
    expect(c.node('b').storage.lastIndex()).toBe(8);
  });
});
