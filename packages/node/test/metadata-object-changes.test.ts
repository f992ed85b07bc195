/**
 * The metadata machine's local journal of object changes (issue #12):
 * every change to a tenant's `latest` map is recorded, and every event that
 * replaces state wholesale makes an older cursor resync.
 */
import { describe, expect, it } from 'vitest';
import { TesseraError } from '@tessera/common';
import { EntryType } from '@tessera/raft';
import { encodeMetadataCommand, type MetadataCommand } from '../src/metadata/commands.js';
import { MetadataMachine } from '../src/metadata/machine.js';
import { ObjectChangeJournal, type ObjectChangeCursor, type ObjectChanges } from '../src/metadata/object-changes.js';
import { T0, deleteCmd, keyTagOf, putCmd } from './support/metadata-fixtures.js';
import { Replica } from './support/metadata-replica.js';

const tag = (n: number): string => keyTagOf(n).toString('hex');

function changed(answer: ObjectChanges): string[] {
  if (answer.kind !== 'changes') throw new Error(`expected changes, got ${answer.kind}`);
  return [...answer.changed].sort();
}

describe('object change journal', () => {
  it('answers resync without a cursor, then the distinct keyTags changed since each cursor', () => {
    const journal = new ObjectChangeJournal(100);
    const first = journal.since('a', undefined);
    expect(first.kind).toBe('resync');
    journal.changed('a', 'k1');
    journal.changed('a', 'k2');
    journal.changed('a', 'k1');
    journal.changed('b', 'k9');
    const second = journal.since('a', first.cursor);
    expect(changed(second)).toEqual(['k1', 'k2']);
    expect(changed(journal.since('a', second.cursor))).toEqual([]);
    journal.changed('a', 'k3');
    expect(changed(journal.since('a', second.cursor))).toEqual(['k3']);
    // An older cursor still covered sees everything since it.
    expect(changed(journal.since('a', first.cursor))).toEqual(['k1', 'k2', 'k3']);
  });

  it('resyncs a cursor older than the bound, counting every tenant toward it', () => {
    const journal = new ObjectChangeJournal(3);
    const a = journal.since('a', undefined).cursor;
    const b = journal.since('b', undefined).cursor;
    journal.changed('a', 'k1');
    journal.changed('b', 'k2');
    journal.changed('a', 'k3');
    expect(changed(journal.since('a', a))).toEqual(['k1', 'k3']);
    journal.changed('b', 'k4'); // pushes a's k1 out
    expect(journal.since('a', a).kind).toBe('resync');
    expect(changed(journal.since('b', b))).toEqual(['k2', 'k4']);
    journal.changed('b', 'k5'); // pushes b's k2 out
    expect(journal.since('b', b).kind).toBe('resync');
    // A cursor taken after the trimmed changes is still served.
    const resynced = journal.since('a', a).cursor;
    journal.changed('a', 'k6');
    expect(changed(journal.since('a', resynced))).toEqual(['k6']);
  });

  it('stays exact across many trims (the log compacts its storage)', () => {
    const journal = new ObjectChangeJournal(50);
    let cursor: ObjectChangeCursor = journal.since('a', undefined).cursor;
    for (let round = 0; round < 200; round++) {
      const keys = Array.from({ length: 1 + (round % 40) }, (_, i) => `k${round}-${i}`);
      for (const k of keys) journal.changed('a', k);
      const answer = journal.since('a', cursor);
      expect(changed(answer)).toEqual([...keys].sort());
      cursor = answer.cursor;
    }
  });

  it('resyncs a purged tenant, a cursor of another journal and a cursor it never issued', () => {
    const journal = new ObjectChangeJournal(10);
    const before = journal.since('a', undefined).cursor;
    journal.changed('a', 'k1');
    journal.tenantDropped('a');
    journal.changed('a', 'k2');
    expect(journal.since('a', before).kind).toBe('resync');
    const other = new ObjectChangeJournal(10);
    const foreign = other.since('a', undefined).cursor;
    expect(foreign.journal).not.toBe(journal.id);
    expect(journal.since('a', { ...foreign, journal: other.id }).kind).toBe('resync');
    const mine = journal.since('a', undefined).cursor;
    expect(journal.since('a', { ...mine, position: mine.position + 1 }).kind).toBe('resync');
    expect(journal.since('a', { ...mine, position: -1 }).kind).toBe('resync');
    expect(journal.since('b', mine).kind).toBe('resync'); // another tenant's cursor
    expect(() => new ObjectChangeJournal(0)).toThrow(TesseraError);
  });
});

function changedSince(r: Replica, cursor: ObjectChangeCursor, tenant = 'a'): string[] {
  return changed(r.machine.objectChangesSince(tenant, cursor));
}

describe('metadata machine: object changes', () => {
  it('journals puts, overwrites and deletes, and nothing for refusals or retried requests', async () => {
    const r = await Replica.start();
    const s = await r.session('a');
    let cursor = r.cursor();
    await r.run(putCmd('a', s(), keyTagOf(1), []));
    expect(changedSince(r, cursor)).toEqual([tag(1)]);
    expect(r.machine.currentSequence('a', tag(1))).toBe(1);
    cursor = r.cursor();
    await r.run(putCmd('a', s(), keyTagOf(1), []), putCmd('a', s(), keyTagOf(2), []));
    expect(changedSince(r, cursor)).toEqual([tag(1), tag(2)].sort());
    expect(r.machine.currentSequence('a', tag(1))).toBe(2);
    cursor = r.cursor();
    const del = s();
    await r.run(deleteCmd('a', del, keyTagOf(2)));
    expect(changedSince(r, cursor)).toEqual([tag(2)]);
    expect(r.machine.currentSequence('a', tag(2))).toBeUndefined();
    cursor = r.cursor();
    // A retry answered from the session table changes nothing; neither does a refused delta.
    await r.run(deleteCmd('a', del, keyTagOf(2)));
    const [refused] = await r.machine.apply([{ term: 1, index: r.machine.appliedIndex() + 1, type: EntryType.Normal, data: encodeMetadataCommand(putCmd('a', s(), keyTagOf(3), [Buffer.alloc(32, 9)])) }]);
    expect(refused?.kind).toBe('error');
    expect(changedSince(r, cursor)).toEqual([]);
    expect(changedSince(r, r.cursor('b'), 'b')).toEqual([]);
  });

  it('journals an expired tombstone that compaction drops, not the superseded deltas it drops', async () => {
    const r = await Replica.start();
    const s = await r.session('a');
    await r.run(putCmd('a', s(), keyTagOf(1), []), putCmd('a', s(), keyTagOf(1), []), putCmd('a', s(), keyTagOf(2), []), deleteCmd('a', s(), keyTagOf(2)));
    let cursor = r.cursor();
    await r.run({ op: 'compact', timeMs: T0 + 10, tenant: 'a', upToSeq: 10, tombstoneTtlMs: 1_000 });
    expect(changedSince(r, cursor)).toEqual([]); // superseded deltas only: `latest` did not change
    cursor = r.cursor();
    await r.run({ op: 'compact', timeMs: T0 + 2_000, tenant: 'a', upToSeq: 10, tombstoneTtlMs: 1_000 });
    expect(changedSince(r, cursor)).toEqual([tag(2)]);
    expect(r.machine.currentObjects('a')).toEqual(new Map([[tag(1), 2]]));
  });

  it('makes every cursor of a purged tenant resync', async () => {
    const r = await Replica.start();
    const s = await r.session('a');
    await r.run(putCmd('a', s(), keyTagOf(1), []));
    const cursor = r.cursor();
    const other = r.cursor('b');
    await r.run({ op: 'disableTenant', timeMs: T0, tenant: 'a' }, { op: 'purgeTenant', timeMs: T0, tenant: 'a' });
    expect(r.machine.objectChangesSince('a', cursor).kind).toBe('resync');
    expect(r.machine.currentObjects('a').size).toBe(0);
    expect(changedSince(r, other, 'b')).toEqual([]);
  });

  it('makes cursors resync after a restore, a reopen, or from another machine, and after the journal overruns', async () => {
    const r = await Replica.start({ objectJournalLimit: 4 });
    const s = await r.session('a');
    await r.run(putCmd('a', s(), keyTagOf(1), []));
    const snapshot = await r.machine.snapshot();
    let cursor = r.cursor();
    await r.run(putCmd('a', s(), keyTagOf(2), []));
    expect(changedSince(r, cursor)).toEqual([tag(2)]);
    // Restore (here to an older state): the journal cannot say what went back.
    await r.machine.restore({ data: snapshot, metadata: { index: 9, term: 1, confState: { voters: [], learners: [] } } });
    expect(r.machine.objectChangesSince('a', cursor).kind).toBe('resync');
    expect(r.machine.currentObjects('a')).toEqual(new Map([[tag(1), 1]]));
    // Reopen over the same store: a new machine, a new journal.
    cursor = r.cursor();
    const reopened = await MetadataMachine.open(r.kv);
    expect(reopened.objectChangesSince('a', cursor).kind).toBe('resync');
    const fresh = reopened.objectChangesSince('a', undefined).cursor;
    expect(r.machine.objectChangesSince('a', fresh).kind).toBe('resync');
    // Overrun: five changes through a journal of four.
    cursor = r.cursor();
    const s2 = await r.session('a');
    await r.run(...[3, 4, 5, 6].map((n) => putCmd('a', s2(), keyTagOf(n), [])));
    expect(changedSince(r, cursor)).toEqual([3, 4, 5, 6].map(tag).sort());
    await r.run(putCmd('a', s2(), keyTagOf(7), []));
    expect(r.machine.objectChangesSince('a', cursor).kind).toBe('resync');
  });

  it('leaves the replicated state alone: equal snapshots and digests whatever the journal held or was asked', async () => {
    const small = await Replica.start({ objectJournalLimit: 1 });
    const large = await Replica.start();
    for (const r of [small, large]) {
      const s = await r.session('a');
      await r.run(putCmd('a', s(), keyTagOf(1), []), deleteCmd('a', s(), keyTagOf(1)), putCmd('a', s(), keyTagOf(2), []));
    }
    small.machine.objectChangesSince('a', undefined);
    expect(small.machine.digest()).toBe(large.machine.digest());
    expect(Buffer.from(await small.machine.snapshot()).equals(Buffer.from(await large.machine.snapshot()))).toBe(true);
  });
});
