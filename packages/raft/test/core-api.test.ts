/**
 * The RaftCore contract: configuration validation, the Ready/advance protocol,
 * and purity (no clock, no Math.random).
 */
import { ErrorCodes, isTesseraError } from '@tessera/common';
import { describe, expect, it, vi } from 'vitest';
import { MemoryRaftStorage, RaftCore } from '../src/index.js';
import { Cluster, text } from './raft-harness.js';

const base = () => ({ id: 'a', storage: MemoryRaftStorage.bootstrap({ voters: ['a'], learners: [] }), electionTick: 10, heartbeatTick: 1, random: () => 0 });

describe('RaftCore contract', () => {
  it('refuses an invalid configuration with RAFT_BAD_CONFIG', () => {
    for (const bad of [{ id: '' }, { heartbeatTick: 0 }, { electionTick: 1 }, { maxInflightMsgs: 0 }, { maxSizePerMsg: 0 }, { applied: 99 }]) {
      let code: string | undefined;
      try {
        new RaftCore({ ...base(), ...bad });
      } catch (err) {
        code = isTesseraError(err) ? err.code : 'other';
      }
      expect([bad, code]).toEqual([bad, ErrorCodes.RAFT_BAD_CONFIG]);
    }
  });

  it('requires advance() before the next ready(), and only for the outstanding Ready', () => {
    const config = base();
    const core = new RaftCore(config);
    core.campaign();
    const rd = core.ready();
    config.storage.save({ entries: rd.entries, ...(rd.hardState ? { hardState: rd.hardState } : {}) });
    expect(core.hasReady()).toBe(false);
    expect(() => core.ready()).toThrow(/advance/);
    expect(() => core.advance({ ...rd })).toThrow(/not outstanding/);
    core.advance(rd);
    // The single voter's own fsync committed its no-op: the next Ready carries it.
    expect(core.hasReady()).toBe(true);
    expect(core.ready().committedEntries.map((e) => e.index)).toEqual([2]);
  });

  it('steps and ticks between ready() and advance() are allowed (the driver persists asynchronously)', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    c.core('a').propose(text('x'));
    const rd = c.node('a').core.ready();
    for (const m of rd.parallelMessages) c.send(m);
    c.deliver();
    c.processReady('b');
    c.processReady('c');
    c.deliver(); // acks arrive while a is still persisting
    c.tick('a', 1);
    c.node('a').storage.save({ entries: rd.entries, ...(rd.hardState ? { hardState: rd.hardState } : {}) });
    c.node('a').core.advance(rd);
    c.stabilize();
    expect(c.appliedData('a')).toEqual(['x']);
  });

  it('never reads the clock or Math.random', () => {
    const random = vi.spyOn(Math, 'random');
    const now = vi.spyOn(Date, 'now');
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    for (let i = 0; i < 10; i++) c.core('a').propose(text(`p${i}`));
    c.tickAll(30);
    c.stabilize();
    expect(random).not.toHaveBeenCalled();
    expect(now).not.toHaveBeenCalled();
    random.mockRestore();
    now.mockRestore();
  });

  it('rejects an empty proposal batch and numbers a batch contiguously', () => {
    const c = new Cluster(['a']);
    c.elect('a');
    expect(() => c.core('a').proposeMany([])).toThrow();
    expect(c.core('a').proposeMany([text('x'), text('y')])).toEqual({ kind: 'appended', index: 3, term: 2 });
    c.stabilize();
    expect(c.appliedData('a')).toEqual(['x', 'y']);
  });
});
