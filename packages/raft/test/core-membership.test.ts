/**
 * Single-server membership changes (dissertation §4; Ongaro's 2015 raft-dev
 * fix; etcd confchange tests, behaviour) and the confchange codec.
 */
import fc from 'fast-check';
import { isTesseraError } from '@tessera/common';
import { describe, expect, it } from 'vitest';
import { applyConfChange, decodeConfChange, encodeConfChange, validateConfChange, type ConfChange } from '../src/index.js';
import { Cluster, message, text } from './raft-harness.js';

describe('membership changes', () => {
  it('refuses a change until the leader has committed an entry of its own term', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.core('a').campaign();
    // Elected, but the no-op is not committed yet.
    for (let i = 0; i < 4; i++) {
      for (const id of ['a', 'b', 'c']) c.processReady(id);
      c.deliver();
      if (c.core('a').status().role === 'leader') break;
    }
    expect(c.core('a').status().role).toBe('leader');
    expect(c.core('a').proposeConfChange({ type: 'addLearner', nodeId: 'd' })).toEqual({ kind: 'rejected', reason: 'leaderNotReady' });
    c.stabilize();
    expect(c.core('a').proposeConfChange({ type: 'addLearner', nodeId: 'd' }).kind).toBe('appended');
  });

  it('allows one change in flight: the next waits until the previous one is applied', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    expect(c.core('a').proposeConfChange({ type: 'addLearner', nodeId: 'd' }).kind).toBe('appended');
    expect(c.core('a').proposeConfChange({ type: 'addLearner', nodeId: 'e' })).toEqual({ kind: 'rejected', reason: 'confChangeInFlight' });
    c.stabilize();
    expect(c.core('a').proposeConfChange({ type: 'addLearner', nodeId: 'e' }).kind).toBe('appended');
  });

  it('a change takes effect when applied, not when appended or committed', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    c.core('a').proposeConfChange({ type: 'addLearner', nodeId: 'd' });
    c.processReady('a');
    expect(c.core('a').confState().learners).toEqual([]);
    c.stabilize();
    expect(c.core('a').confState().learners).toEqual(['d']);
  });

  it('a removed, partitioned node cannot disrupt the cluster when the partition heals', () => {
    const c = new Cluster(['a', 'b', 'c', 'd']);
    c.elect('a');
    c.isolate('d');
    c.core('a').proposeConfChange({ type: 'removeNode', nodeId: 'd' });
    c.stabilize();
    expect(c.core('a').confState().voters).toEqual(['a', 'b', 'c']);
    // d never learnt of its removal; it keeps timing out.
    for (let i = 0; i < 5; i++) {
      c.tick('d', 20);
      c.stabilize();
    }
    c.heal();
    for (let i = 0; i < 30; i++) {
      c.tickAll(1);
      c.stabilize();
    }
    expect(c.core('a').status()).toMatchObject({ role: 'leader', term: 2 });
    expect(c.core('b').status().term).toBe(2);
  });

  it('a learner catches up, never counts toward commit, stays a learner after restart, and is promoted', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    for (let i = 0; i < 5; i++) c.core('a').propose(text(`p${i}`));
    c.stabilize();
    c.addNode('d');
    c.core('a').proposeConfChange({ type: 'addLearner', nodeId: 'd' });
    c.stabilize();
    expect(c.appliedData('d')).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    c.node('d').restart();
    c.stabilize();
    expect(c.core('d').confState().learners).toEqual(['d']);
    // A learner does not campaign.
    c.isolate('d');
    c.tick('d', 50);
    expect(c.core('d').status().role).toBe('follower');
    c.heal();
    expect(c.core('a').proposeConfChange({ type: 'promote', nodeId: 'd' }).kind).toBe('appended');
    c.stabilize();
    expect(c.core('d').confState().voters).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a learner is never asked to vote and its vote is never counted', () => {
    const c = new Cluster(['a', 'b', 'c'], { learners: ['l'], preVote: false });
    c.core('a').campaign();
    const rd = c.processReady('a');
    expect(rd?.messages.filter((m) => m.type === 'vote').map((m) => m.to)).toEqual(['b', 'c']);
    c.queue = [];
    c.core('a').step(message({ type: 'voteResp', from: 'l', to: 'a', term: 2 }));
    expect(c.core('a').status().role).toBe('candidate');
    c.core('a').step(message({ type: 'voteResp', from: 'b', to: 'a', term: 2 }));
    expect(c.core('a').status().role).toBe('leader');
  });

  it('ids are never reused, and two-voter configurations need force', () => {
    const cs = { voters: ['a', 'b', 'c'], learners: [] };
    const removed = applyConfChange(cs, { type: 'removeNode', nodeId: 'c' });
    expect(removed).toMatchObject({ voters: ['a', 'b'], removed: ['c'] });
    expect(validateConfChange(removed, { type: 'addLearner', nodeId: 'c' })).toBe('invalidConfChange');
    expect(validateConfChange(cs, { type: 'removeNode', nodeId: 'c' })).toBe('twoVoters');
    expect(validateConfChange(cs, { type: 'removeNode', nodeId: 'c' }, { force: true })).toBeUndefined();
    // Growing from one voter passes through two: that step needs force too.
    const one = { voters: ['a'], learners: ['b'] };
    expect(validateConfChange(one, { type: 'promote', nodeId: 'b' })).toBe('twoVoters');
    expect(validateConfChange({ voters: ['a'], learners: [] }, { type: 'removeNode', nodeId: 'a' }, { force: true })).toBe('noVoters');
    expect(validateConfChange(cs, { type: 'promote', nodeId: 'a' })).toBe('invalidConfChange');
    expect(validateConfChange(cs, { type: 'addVoter', nodeId: 'z' })).toBe('invalidConfChange');
  });

  it('applying is total: an invalid change is a no-op on every replica', () => {
    const cs = { voters: ['a', 'b', 'c'], learners: [] };
    expect(applyConfChange(cs, { type: 'promote', nodeId: 'x' })).toBe(cs);
    expect(applyConfChange(cs, { type: 'addLearner', nodeId: 'a' })).toBe(cs);
  });
});

describe('confchange codec', () => {
  const ccArb = fc.record(
    {
      type: fc.constantFrom('addLearner', 'promote', 'addVoter', 'removeNode') as fc.Arbitrary<ConfChange['type']>,
      nodeId: fc.string({ minLength: 1, maxLength: 40 }),
      incarnationId: fc.string({ maxLength: 40 }),
      address: fc.string({ maxLength: 80 }),
      context: fc.uint8Array({ maxLength: 64 }),
    },
    { requiredKeys: ['type', 'nodeId'] },
  );

  it('round-trips every conf change', () => {
    fc.assert(
      fc.property(ccArb, (cc) => {
        const back = decodeConfChange(encodeConfChange(cc));
        expect({ ...back, context: back.context && Buffer.from(back.context) }).toEqual({
          ...cc,
          context: cc.context && Buffer.from(cc.context),
        });
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes only ever produce a TesseraError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeConfChange(bytes);
        } catch (err) {
          expect(isTesseraError(err)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
