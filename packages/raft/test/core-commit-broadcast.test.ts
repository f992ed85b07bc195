/**
 * ADR 0024: with `deferCommitBroadcast`, a commit advance is not broadcast on
 * its own; the followers learn the new commit index from the next append, or
 * from the driver's delayed `flushCommitBroadcast`. A pending configuration
 * change is still broadcast at once. Without the option the core keeps etcd's
 * behaviour (pinned in core-replication.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Message, Ready } from '../src/index.js';
import { Cluster, text } from './raft-harness.js';

/** Proposes `data` on a, and runs one replication round up to a's Ready that applies it. */
function replicateOnce(c: Cluster, data: string): { applied: number[]; sent: Message[] } {
  c.core('a').propose(text(data));
  c.processReady('a');
  c.deliver();
  c.processReady('b');
  c.processReady('c');
  c.deliver((m) => m.to === 'a');
  const before = c.queue.length;
  const rd = c.processReady('a');
  return { applied: rd?.committedEntries.map((e) => e.index) ?? [], sent: c.queue.slice(before) };
}

const commitOnly = (sent: readonly Message[]): Message[] => sent.filter((m) => m.type === 'app' && m.entries.length === 0);

/** Every message of a Ready, parallel ones first. */
const sentIn = (rd: Ready | undefined): Message[] => [...(rd?.parallelMessages ?? []), ...(rd?.messages ?? [])];

/** Deferred mode, a leads, 'x' at index 3 committed and applied on a only (no commit-only append sent), acks delivered. */
function oneEntryCommittedOnTheLeader(): Cluster {
  const c = new Cluster(['a', 'b', 'c'], { deferCommitBroadcast: true });
  c.elect('a');
  replicateOnce(c, 'x');
  c.deliver();
  return c;
}

describe('deferred commit broadcast (ADR 0024)', () => {
  it('applies on the leader without sending a commit-only append; the next proposal carries the commit', () => {
    const c = new Cluster(['a', 'b', 'c'], { deferCommitBroadcast: true });
    c.elect('a');
    const first = replicateOnce(c, 'x');
    expect(first.applied).toEqual([3]);
    expect(commitOnly(first.sent)).toEqual([]);
    expect(c.core('a').commitBroadcastOwed()).toBe(true);
    expect(c.core('b').status().commit).toBe(2);

    c.core('a').propose(text('y'));
    const rd = c.processReady('a');
    const apps = rd?.parallelMessages.filter((m) => m.type === 'app') ?? [];
    expect(apps.map((m) => [m.to, m.commit, m.entries.map((e) => e.index)])).toEqual([
      ['b', 3, [4]],
      ['c', 3, [4]],
    ]);
    expect(c.core('a').commitBroadcastOwed()).toBe(false);
    c.deliver();
    c.processReady('b');
    expect(c.appliedData('b')).toEqual(['x']);
  });

  it('flushCommitBroadcast tells every follower when no append followed, once', () => {
    const c = oneEntryCommittedOnTheLeader();
    c.core('a').flushCommitBroadcast();
    const rd = c.processReady('a');
    expect(commitOnly(sentIn(rd)).map((m) => [m.to, m.commit])).toEqual([
      ['b', 3],
      ['c', 3],
    ]);
    expect(c.core('a').commitBroadcastOwed()).toBe(false);
    c.core('a').flushCommitBroadcast();
    expect(c.core('a').hasReady()).toBe(false);
    c.stabilize();
    expect(c.appliedData('b')).toEqual(['x']);
    expect(c.appliedData('c')).toEqual(['x']);
  });

  it('a flush while proposals wait for their Ready leaves the commit to their appends: one append per follower', () => {
    const c = oneEntryCommittedOnTheLeader();
    c.core('a').propose(text('y'));
    c.core('a').flushCommitBroadcast();
    const rd = c.processReady('a');
    const apps = sentIn(rd).filter((m) => m.type === 'app');
    expect(apps.map((m) => [m.to, m.commit, m.entries.length])).toEqual([
      ['b', 3, 1],
      ['c', 3, 1],
    ]);
    expect(c.core('a').commitBroadcastOwed()).toBe(false);
  });

  it('a follower that acknowledges after the commit moved learns it from the flush, not from its own ack', () => {
    const c = new Cluster(['a', 'b', 'c'], { deferCommitBroadcast: true });
    c.elect('a');
    c.core('a').propose(text('x'));
    c.processReady('a');
    c.deliver();
    c.processReady('b');
    c.processReady('c');
    // b's ack commits; c's ack arrives afterwards and moves nothing.
    c.deliver((m) => m.from === 'b');
    c.processReady('a');
    c.deliver((m) => m.from === 'c');
    c.processReady('a');
    expect(commitOnly(c.queue)).toEqual([]);
    c.core('a').flushCommitBroadcast();
    c.stabilize();
    expect(c.core('c').status().commit).toBe(3);
  });

  it('broadcasts at once while a configuration change is pending', () => {
    const c = new Cluster(['a', 'b', 'c'], { deferCommitBroadcast: true });
    c.elect('a');
    expect(c.core('a').proposeConfChange({ type: 'addLearner', nodeId: 'd' }).kind).toBe('appended');
    const round = (): Message[] => {
      c.processReady('a');
      c.deliver();
      c.processReady('b');
      c.processReady('c');
      c.deliver((m) => m.to === 'a');
      const before = c.queue.length;
      c.processReady('a');
      return c.queue.slice(before);
    };
    const sent = round();
    expect(commitOnly(sent).map((m) => [m.to, m.commit])).toEqual([
      ['b', 3],
      ['c', 3],
    ]);
    expect(c.core('a').commitBroadcastOwed()).toBe(false);
  });

  it('a leader that steps down owes nothing and a flush on a follower sends nothing', () => {
    const c = oneEntryCommittedOnTheLeader();
    expect(c.core('a').commitBroadcastOwed()).toBe(true);
    expect(c.core('a').transferLeader('b').kind).toBe('accepted');
    c.stabilize();
    expect(c.leaders()).toEqual(['b']);
    expect(c.core('a').commitBroadcastOwed()).toBe(false);
    c.core('a').flushCommitBroadcast();
    expect(c.core('a').hasReady()).toBe(false);
    // The new leader's no-op commits, and everyone applies x.
    c.core('b').flushCommitBroadcast();
    c.stabilize();
    for (const id of ['a', 'b', 'c']) expect(c.appliedData(id)).toEqual(['x']);
  });

  it('without the option a commit advance is broadcast at once (etcd)', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    const round = replicateOnce(c, 'x');
    expect(commitOnly(round.sent).map((m) => [m.to, m.commit])).toEqual([
      ['b', 3],
      ['c', 3],
    ]);
    expect(c.core('a').commitBroadcastOwed()).toBe(false);
  });
});
