/**
 * The corruption rule of DESIGN §4: a replica that finds a corrupt entry keeps
 * its HardState, stops voting and campaigning, asks the leader for a
 * snapshot, and votes again only once its log reaches its pre-corruption last
 * index. It never truncates on its own.
 */
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../src/index.js';
import { Cluster, message, seeded, text } from './raft-harness.js';

function setup(): Cluster {
  const c = new Cluster(['a', 'b', 'c'], { random: seeded(11) });
  c.elect('a');
  for (let i = 0; i < 6; i++) c.core('a').propose(text(`p${i}`));
  c.stabilize();
  const a = c.node('a');
  const snap: Snapshot = a.storage.createSnapshot(a.appliedIndex, a.core.confState(), text('sm'));
  a.storage.compact(snap.metadata.index - 2);
  return c;
}

describe('corrupt log entries', () => {
  it('a replica that reads a corrupt entry keeps its HardState, refuses to vote, and never truncates', () => {
    const c = setup();
    const b = c.node('b');
    const before = b.storage.durableHardState();
    const lastBefore = b.storage.lastIndex();
    expect(b.storage.corruptEntry(lastBefore)).toBe(true);
    // A vote request makes b read its last entry's term: corruption detected.
    c.core('b').step(message({ type: 'vote', from: 'c', to: 'b', term: 9, index: 100, logTerm: 9, transfer: true }));
    const s = c.core('b').status();
    expect(s.corrupt).toBe(true);
    const rd = c.processReady('b');
    expect(rd?.messages.find((m) => m.type === 'voteResp')?.reject ?? true).toBe(true);
    // The HardState is kept (never reset or rolled back): the term still only
    // moves forward, the commit index stays, and no vote was cast for c.
    const after = b.storage.durableHardState();
    expect(after.term).toBeGreaterThanOrEqual(before.term);
    expect(after.commit).toBeGreaterThanOrEqual(before.commit);
    expect(after.vote).not.toBe('c');
    expect(b.storage.lastIndex()).toBe(lastBefore);
    // It does not campaign either.
    c.isolate('b');
    c.tick('b', 50);
    expect(c.core('b').status().role).toBe('follower');
  });

  it('asks the leader for a snapshot, installs it, catches up, and votes again', () => {
    const c = setup();
    const b = c.node('b');
    const until = b.storage.lastIndex();
    b.storage.corruptEntry(until - 1);
    b.restart(); // the start-up replay or the next read finds it
    c.core('b').reportCorruption(until - 1);
    expect(c.core('b').status().corrupt).toBe(true);
    expect(c.core('b').propose(text('x'))).toEqual({ kind: 'rejected', reason: 'corrupt' });
    expect(c.core('b').readIndex(text('r'))).toEqual({ kind: 'rejected', reason: 'corrupt' });
    c.core('a').propose(text('more'));
    c.tick('a', 1);
    c.stabilize();
    const snaps = b.restoredSnapshots.map((s) => s.metadata.index);
    expect(snaps.length).toBeGreaterThan(0);
    expect(b.storage.isIntact()).toBe(true);
    expect(c.core('b').status()).toMatchObject({ corrupt: false, lastIndex: until + 1, commit: until + 1 });
    // Voting again: b can now help elect a leader without a.
    c.isolate('a');
    c.tick('b', 10);
    c.tick('c', 10);
    c.stabilize();
    c.tick('b', 10);
    c.stabilize();
    expect(c.leaders().filter((id) => id !== 'a').length).toBe(1);
  });

  it('a leader that finds a corrupt entry while replicating steps down', () => {
    const c = setup();
    c.isolate('c');
    c.core('a').propose(text('y'));
    c.stabilize();
    const a = c.node('a');
    a.storage.corruptEntry(a.storage.lastIndex() - 1);
    c.heal();
    // c is behind: sending it the missing entries reads the corrupt one.
    c.tick('a', 1);
    c.stabilize();
    expect(c.core('a').status()).toMatchObject({ role: 'follower', corrupt: true });
  });

  it('a corrupt replica that is behind the leader snapshot also repairs (snapshot older than its commit)', () => {
    const c = setup();
    const b = c.node('b');
    for (let i = 0; i < 3; i++) c.core('a').propose(text(`q${i}`));
    c.stabilize();
    b.storage.corruptEntry(b.storage.lastIndex());
    c.core('b').reportCorruption(b.storage.lastIndex());
    // The leader's snapshot is older than b's commit index: b installs it anyway.
    c.tick('a', 1);
    c.stabilize();
    expect(c.core('b').status().corrupt).toBe(false);
    expect(b.storage.isIntact()).toBe(true);
    expect(c.core('b').status().commit).toBe(c.core('a').status().commit);
  });

  it('the repair marker is part of the HardState: after a restart the replica still abstains until its log regrows', () => {
    const c = setup();
    const b = c.node('b');
    for (let i = 0; i < 3; i++) c.core('a').propose(text(`q${i}`));
    c.stabilize();
    const until = b.storage.lastIndex();
    b.storage.corruptEntry(until);
    c.core('b').reportCorruption(until);
    // b installs the leader's snapshot (older than its log) in the same batch as its marker;
    // the entries after it do not reach b yet.
    c.tick('a', 1);
    for (let i = 0; i < 10 && b.restoredSnapshots.length === 0; i++) {
      for (const id of ['a', 'b', 'c']) c.processReady(id);
      c.deliver();
    }
    c.cutLink('a', 'b');
    c.stabilize();
    expect(b.storage.initialState().hardState.repairUntil).toBe(until);
    expect(b.storage.lastIndex()).toBeLessThan(until);
    b.restart();
    expect(c.core('b').status().corrupt).toBe(true);
    c.core('b').step(message({ type: 'vote', from: 'c', to: 'b', term: 20, index: 100, logTerm: 20, transfer: true }));
    expect(c.processReady('b')?.messages.find((m) => m.type === 'voteResp')?.reject).toBe(true);
    // Once b holds the log up to `until` again, the marker is cleared (the
    // term-20 request made the others elect a new leader first, without b).
    c.heal();
    for (let i = 0; i < 40 && c.core('b').status().corrupt; i++) {
      c.tickAll(5);
      c.stabilize();
    }
    expect(c.core('b').status().corrupt).toBe(false);
    expect(b.storage.initialState().hardState.repairUntil ?? 0).toBe(0);
  });
});
