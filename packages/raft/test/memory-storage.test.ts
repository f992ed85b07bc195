/**
 * MemoryRaftStorage: the storage contract (errors for compacted and
 * unavailable indexes, atomic save), CRC32C on every read, and power-loss
 * semantics (writes not covered by a completed sync are lost by `crash()`).
 */
import { ErrorCodes, isTesseraError } from '@tessera/common';
import { describe, expect, it } from 'vitest';
import { MemoryRaftStorage, crc32c, parseMutations, envMutations } from '../src/index.js';
import { entry } from './raft-harness.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return isTesseraError(err) ? err.code : 'not a TesseraError';
  }
  return undefined;
};

describe('MemoryRaftStorage', () => {
  it('serves entries, terms and indexes; errors on compacted and unavailable indexes', () => {
    const s = MemoryRaftStorage.bootstrap({ voters: ['a'], learners: [] });
    s.save({ entries: [entry(2, 2, 'x'), entry(3, 2, 'y'), entry(4, 3, 'z')], hardState: { term: 3, vote: 'a', commit: 4 } });
    expect([s.firstIndex(), s.lastIndex(), s.term(1), s.term(4)]).toEqual([2, 4, 1, 3]);
    expect(s.entries(2, 5).map((e) => e.index)).toEqual([2, 3, 4]);
    // The size budget still returns at least one entry.
    expect(s.entries(2, 5, 1).map((e) => e.index)).toEqual([2]);
    s.createSnapshot(3, { voters: ['a'], learners: [] }, new Uint8Array([1]));
    s.compact(3);
    expect([s.firstIndex(), s.term(3)]).toEqual([4, 2]);
    expect(codeOf(() => s.entries(3, 4))).toBe(ErrorCodes.RAFT_LOG_COMPACTED);
    expect(codeOf(() => s.term(2))).toBe(ErrorCodes.RAFT_LOG_COMPACTED);
    expect(codeOf(() => s.term(5))).toBe(ErrorCodes.RAFT_LOG_UNAVAILABLE);
    expect(codeOf(() => s.entries(4, 6))).toBe(ErrorCodes.RAFT_LOG_UNAVAILABLE);
    expect(codeOf(() => s.createSnapshot(3, { voters: [], learners: [] }, new Uint8Array()))).toBe(ErrorCodes.RAFT_SNAPSHOT_OUT_OF_DATE);
    expect(codeOf(() => s.compact(4))).toBe(ErrorCodes.RAFT_STORAGE);
    expect(s.initialState()).toEqual({ hardState: { term: 3, vote: 'a', commit: 4 }, confState: { voters: ['a'], learners: [] } });
  });

  it('save truncates the conflicting suffix and appends in one step; refuses gaps', () => {
    const s = new MemoryRaftStorage();
    s.save({ entries: [entry(1, 1), entry(2, 1), entry(3, 1)] });
    s.save({ entries: [entry(2, 2, 'new')] });
    expect(s.rawEntries().map((e) => [e.index, e.term])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(codeOf(() => s.save({ entries: [entry(9, 2)] }))).toBe(ErrorCodes.RAFT_STORAGE);
  });

  it('a snapshot in a save replaces the whole log, even an older one (corruption repair)', () => {
    const s = MemoryRaftStorage.bootstrap({ voters: ['a'], learners: [] });
    s.save({ entries: [entry(2, 2), entry(3, 2), entry(4, 2)] });
    s.createSnapshot(4, { voters: ['a'], learners: [] }, new Uint8Array());
    s.save({ snapshot: { metadata: { index: 3, term: 2, confState: { voters: ['a'], learners: [] } }, data: new Uint8Array() }, entries: [entry(4, 3)] });
    expect([s.firstIndex(), s.lastIndex(), s.term(4), s.snapshot().metadata.index]).toEqual([4, 4, 3, 3]);
  });

  it('power loss drops every write not covered by a completed sync', () => {
    const s = new MemoryRaftStorage();
    s.save({ entries: [entry(1, 1, 'durable')], hardState: { term: 1, vote: 'a', commit: 1 } });
    s.write({ entries: [entry(2, 1, 'pending')], hardState: { term: 2, vote: 'b', commit: 1 } });
    expect(s.lastIndex()).toBe(2);
    expect(s.hasUnsyncedWrites()).toBe(true);
    s.crash();
    expect(s.lastIndex()).toBe(1);
    expect(s.initialState().hardState).toEqual({ term: 1, vote: 'a', commit: 1 });
    s.write({ entries: [entry(2, 1, 'again')] });
    s.sync();
    s.crash();
    expect(s.lastIndex()).toBe(2);
  });

  it('verifies each entry CRC32C on every read; corruption is a RAFT_CORRUPT_LOG error', () => {
    const s = new MemoryRaftStorage();
    s.save({ entries: [entry(1, 1, 'a'), entry(2, 1, 'b')] });
    expect(s.isIntact()).toBe(true);
    expect(s.corruptEntry(2)).toBe(true);
    expect(s.isIntact()).toBe(false);
    expect(s.entries(1, 2).length).toBe(1);
    expect(codeOf(() => s.entries(1, 3))).toBe(ErrorCodes.RAFT_CORRUPT_LOG);
    expect(codeOf(() => s.term(2))).toBe(ErrorCodes.RAFT_CORRUPT_LOG);
    // Corruption is on disk: it survives a crash.
    s.crash();
    expect(codeOf(() => s.term(2))).toBe(ErrorCodes.RAFT_CORRUPT_LOG);
    s.corruptSnapshot();
    expect(codeOf(() => s.snapshot())).toBe(ErrorCodes.RAFT_CORRUPT_LOG);
  });
});

describe('checksum and mutations', () => {
  it('crc32c matches the Castagnoli check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.from('6789'), crc32c(Buffer.from('12345')))).toBe(0xe3069283);
  });

  it('TESSERA_MUTATE parsing: inert unless set, unknown names refused', () => {
    expect(parseMutations(undefined).size).toBe(0);
    expect(parseMutations('').size).toBe(0);
    expect([...parseMutations('commit-old-term, truncate-committed')]).toEqual(['commit-old-term', 'truncate-committed']);
    expect(codeOf(() => parseMutations('nope'))).toBe(ErrorCodes.RAFT_BAD_CONFIG);
    // Another package's planted bug is not Raft's, and not an error either.
    expect(parseMutations('ack-before-fsync').size).toBe(0);
    // The test process itself runs without planted bugs.
    expect(envMutations().size).toBe(0);
  });
});
