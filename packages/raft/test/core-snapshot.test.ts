/**
 * Snapshots and compaction (dissertation ch. 5; etcd
 * snapshot_succeed_via_app_resp_behind.txt, slow_follower_after_compaction.txt,
 * behaviour) and membership surviving compaction.
 */
import { describe, expect, it } from 'vitest';
import { RaftCore, type Snapshot } from '../src/index.js';
import { Cluster, message, text } from './raft-harness.js';

/** Snapshot the node's applied state and compact its log up to it. */
function compact(c: Cluster, id: string): Snapshot {
  const n = c.node(id);
  const s = n.storage.createSnapshot(n.appliedIndex, n.core.confState(), text(`state@${n.appliedIndex}`));
  n.storage.compact(n.appliedIndex);
  return s;
}

describe('snapshots', () => {
  it('a follower far behind a compacted log receives the leader snapshot, then the entries after it', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    c.isolate('c');
    for (let i = 0; i < 10; i++) c.core('a').propose(text(`p${i}`));
    c.stabilize();
    compact(c, 'a');
    c.core('a').propose(text('after'));
    c.stabilize();
    c.heal();
    c.tick('a', 1);
    c.stabilize();
    const n = c.node('c');
    expect(n.restoredSnapshots.map((s) => s.metadata.index)).toEqual([12]);
    expect(c.appliedData('c')).toEqual(['after']);
    expect(n.storage.snapshot().metadata.index).toBe(12);
    expect(c.core('c').status()).toMatchObject({ commit: 13, lastIndex: 13 });
  });

  it('a snapshot older than the follower commit index is ignored', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    for (let i = 0; i < 5; i++) c.core('a').propose(text(`p${i}`));
    c.stabilize();
    const old: Snapshot = { metadata: { index: 4, term: 2, confState: c.core('b').confState() }, data: text('old') };
    c.core('b').step(message({ type: 'snap', from: 'a', to: 'b', term: 2, snapshot: old }));
    const rd = c.node('b').core.ready();
    expect(rd.snapshot).toBeUndefined();
    // The reply tells the leader where b really is.
    expect(rd.messages.find((m) => m.type === 'appResp')).toMatchObject({ index: 7, reject: false });
    c.node('b').core.advance(rd);
    expect(c.core('b').status().commit).toBe(7);
  });

  it('a snapshot whose last entry the follower already holds keeps the entries after it', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    for (let i = 0; i < 5; i++) c.core('a').propose(text(`p${i}`));
    // b gets all entries but does not learn they are committed.
    c.processReady('a');
    c.deliver((m) => m.to !== 'c');
    c.processReady('b');
    c.queue = [];
    expect(c.core('b').status()).toMatchObject({ lastIndex: 7, commit: 2 });
    const snap: Snapshot = { metadata: { index: 5, term: 2, confState: c.core('b').confState() }, data: text('s') };
    c.core('b').step(message({ type: 'snap', from: 'a', to: 'b', term: 2, snapshot: snap }));
    const rd = c.node('b').core.ready();
    expect(rd.snapshot).toBeUndefined();
    expect(c.core('b').status()).toMatchObject({ lastIndex: 7, commit: 5 });
  });

  it('a snapshot that conflicts with the follower log replaces the whole log', () => {
    const c = Cluster.withLogs({ a: { terms: [] }, b: { terms: [2, 2, 2], term: 3 }, c: { terms: [] } });
    const snap: Snapshot = { metadata: { index: 3, term: 3, confState: c.core('b').confState() }, data: text('s') };
    c.core('b').step(message({ type: 'snap', from: 'a', to: 'b', term: 3, snapshot: snap }));
    c.processReady('b');
    expect(c.node('b').storage.rawEntries()).toEqual([]);
    expect(c.node('b').storage.snapshot().metadata).toMatchObject({ index: 3, term: 3 });
    expect(c.core('b').status()).toMatchObject({ lastIndex: 3, commit: 3, applied: 3 });
  });

  it('the configuration survives two compactions and a restart (snapshot metadata + log)', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    c.addNode('d');
    expect(c.core('a').proposeConfChange({ type: 'addLearner', nodeId: 'd', incarnationId: 'i-d', address: 'x:1' }).kind).toBe('appended');
    c.stabilize();
    compact(c, 'b');
    expect(c.core('a').proposeConfChange({ type: 'promote', nodeId: 'd' }).kind).toBe('appended');
    c.core('a').propose(text('x'));
    c.stabilize();
    compact(c, 'b');
    expect(c.core('a').proposeConfChange({ type: 'addLearner', nodeId: 'e' }).kind).toBe('appended');
    c.stabilize();
    // b restarts from a store whose configuration lives in a snapshot plus one log entry.
    c.node('b').restart();
    c.stabilize();
    const cs = c.core('b').confState();
    expect(cs.voters).toEqual(['a', 'b', 'c', 'd']);
    expect(cs.learners).toEqual(['e']);
    expect(cs.members).toEqual([{ id: 'd', incarnationId: 'i-d', address: 'x:1' }]);
    // The restart replays the conf change between the snapshot and applied.
    const fresh = new RaftCore({ ...c.config(), id: 'b', storage: c.node('b').storage, applied: c.node('b').storage.lastIndex() });
    expect(fresh.confState()).toEqual(cs);
  });

  it('a crash between writing a received snapshot and syncing it leaves the old state, and the transfer is retried', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    c.isolate('c');
    for (let i = 0; i < 5; i++) c.core('a').propose(text(`p${i}`));
    c.stabilize();
    compact(c, 'a');
    c.heal();
    c.tick('a', 1);
    const n = c.node('c');
    let rd = undefined as ReturnType<typeof n.core.ready> | undefined;
    for (let i = 0; i < 10 && rd === undefined; i++) {
      c.processReady('a');
      c.deliver();
      if (!n.core.hasReady()) continue;
      const next = n.core.ready();
      if (next.snapshot !== undefined) {
        rd = next;
        break;
      }
      n.storage.save({ entries: next.entries, ...(next.hardState ? { hardState: next.hardState } : {}) });
      for (const m of next.messages) c.send(m);
      n.core.advance(next);
    }
    // c writes the snapshot it received, but power fails before the fsync.
    if (rd === undefined) throw new Error('no snapshot reached c');
    expect(rd.snapshot?.metadata.index).toBe(7);
    n.storage.write({ entries: rd.entries, ...(rd.snapshot ? { snapshot: rd.snapshot } : {}) });
    n.restart();
    expect(n.storage.snapshot().metadata.index).toBe(1);
    expect(c.core('c').status().lastIndex).toBe(2);
    // The leader's transfer failed (reported by the transport); it sends again.
    c.core('a').reportSnapshot('c', false);
    for (let i = 0; i < 5; i++) {
      c.tick('a', 1);
      c.stabilize();
    }
    expect(n.storage.snapshot().metadata.index).toBe(7);
    expect(c.core('c').status().commit).toBe(7);
  });
});
