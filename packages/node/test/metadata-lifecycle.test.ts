/**
 * Chunk lifecycle, pending-reference expiry, compaction, retired placements
 * and tenant purge in the metadata state machine (issue #8), one rule at a time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { EntryType } from '@tessera/raft';
import { encodeMetadataCommand, type MetadataCommand } from '../src/metadata/commands.js';
import { decodeMetadataImage, encodeMetadataImage } from '../src/metadata/image.js';
import { MetadataMachine } from '../src/metadata/machine.js';
import type { PlacementSlot } from '../src/metadata/types.js';
import { Harness, T0, chunkCommit, chunkIdOf, deleteCmd, keyTagOf, putCmd, topologyAndTenants } from './support/metadata-fixtures.js';

const GRACE = 1000;
const wid = (n: number): Buffer => Buffer.alloc(16, n);

/** Nodes n1..n3 (plus n4 with device d1, and d2 on n1), tenants a and b, gcGrace 1 s, chunks 1..3 committed at T0. */
async function setup(): Promise<Harness> {
  const h = await Harness.inMemory();
  const results = await h.run(
    ...topologyAndTenants([{ id: 'a' }, { id: 'b' }]),
    { op: 'registerNode', timeMs: T0, node: { nodeId: 'n4', address: '127.0.0.1:7004' } },
    { op: 'addDevice', timeMs: T0, device: { nodeId: 'n4', deviceId: 'd1', pool: 'default', capacityBytes: 1 << 30, state: 'healthy' } },
    { op: 'addDevice', timeMs: T0, device: { nodeId: 'n1', deviceId: 'd2', pool: 'default', capacityBytes: 1 << 30, state: 'healthy' } },
    { op: 'setGcGrace', timeMs: T0, gcGraceMs: GRACE },
    ...[1, 2, 3].map((n) => ({ op: 'commitChunk' as const, timeMs: T0, chunk: chunkCommit(n) })),
  );
  for (const r of results) expect(r.kind).not.toBe('error');
  return h;
}

/** A client of tenant `tenant` issuing consecutive session sequence numbers. */
async function client(h: Harness, tenant = 'a'): Promise<{ next: () => { clientId: number; seq: number; ackedThrough: number }; id: number }> {
  const id = await h.openSession(h.machine.leaderTimeMs(), tenant);
  let seq = 0;
  return { id, next: () => ({ clientId: id, seq: ++seq, ackedThrough: seq - 1 }) };
}

const clock = (timeMs: number): MetadataCommand => ({ op: 'clock', timeMs });
const gcDelete = (n: number, writeId = wid(n), timeMs = T0 + GRACE): MetadataCommand => ({ op: 'chunkDelete', timeMs, chunkId: chunkIdOf(n), writeId });
const gone = (n: number, writeId = wid(n), timeMs = T0 + GRACE): MetadataCommand => ({ op: 'chunkGone', timeMs, chunkId: chunkIdOf(n), writeId });

function replace(n: number, oldWriteId: Buffer, newWriteId: Buffer, slots: readonly PlacementSlot[], timeMs: number, sysEpoch = 1): MetadataCommand {
  return { op: 'replacePlacement', timeMs, chunkId: chunkIdOf(n), oldWriteId, newWriteId, slots, sysEpoch, tenEpoch: 0, gatewayTimeMs: timeMs };
}

const movedSlots = chunkCommit(1).slots.map((s) => (s.shardIndex === 0 ? { ...s, nodeId: 'n4' } : s));

describe('chunk lifecycle: live → deleting → gone', () => {
  it('GC condemns an unreferenced record only after gcGrace and only for its writeId; then gone removes it', async () => {
    const h = await setup();
    expect(await h.one(gcDelete(1, wid(1), T0 + GRACE - 1))).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_IN_USE });
    expect(h.machine.gcCandidates(T0 + GRACE - 1, 10)).toEqual([]);
    expect(h.machine.gcCandidates(T0 + GRACE, 10).map((c) => c.chunkId[0]).sort()).toEqual([1, 2, 3]);
    expect(await h.one(gcDelete(1, wid(9)))).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_STALE_WRITE_ID });
    expect(await h.one(gcDelete(1))).toMatchObject({ kind: 'ok' });
    expect(h.machine.chunk(chunkIdOf(1))).toMatchObject({ state: 'deleting', deletingAtMs: T0 + GRACE });
    expect(h.machine.chunksInEpoch(1)).toBe(2);
    expect(await h.one(gcDelete(1))).toMatchObject({ kind: 'ok' }); // a retried proposal
    expect(h.machine.deletingChunks(10).map((c) => c.chunkId[0])).toEqual([1]);
    expect(h.machine.gcCandidates(T0 + GRACE, 10).map((c) => c.chunkId[0]).sort()).toEqual([2, 3]);
    // Nodes learn to delete its shards by reconciliation.
    expect([...h.machine.shardsExpectedOn('n1')].filter((s) => s.chunkId[0] === 1)).toEqual([{ chunkId: chunkIdOf(1), writeId: wid(1), shardIndex: 0, deviceId: 'd1', disposition: 'deleting' }]);
    expect(h.machine.isKnownWriteId(wid(1))).toBe(true);
    expect(await h.one(gone(1, wid(9)))).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_STALE_WRITE_ID });
    expect(await h.one(gone(2))).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_IN_USE }); // still live
    expect(await h.one(gone(1))).toMatchObject({ kind: 'ok' });
    expect(h.machine.chunk(chunkIdOf(1))).toBeUndefined();
    expect(h.machine.isKnownWriteId(wid(1))).toBe(false);
    expect([...h.machine.shardsExpectedOn('n1')].some((s) => s.chunkId[0] === 1)).toBe(false);
    expect(await h.one(gone(1))).toMatchObject({ kind: 'ok' });
    expect(await h.one(gcDelete(1))).toMatchObject({ kind: 'ok' });
  });

  it('refuses to condemn a chunk any tenant references or holds pending', async () => {
    const h = await setup();
    const ca = await client(h, 'a');
    const cb = await client(h, 'b');
    await h.run(
      { op: 'addPendingRef', timeMs: T0, session: ca.next(), tenant: 'a', chunkId: chunkIdOf(1) },
      putCmd('a', ca.next(), keyTagOf(1), [chunkIdOf(1)]),
      { op: 'addPendingRef', timeMs: T0, session: cb.next(), tenant: 'b', chunkId: chunkIdOf(2) },
    );
    expect(h.machine.gcCandidates(T0 + GRACE, 10).map((c) => c.chunkId[0])).toEqual([3]);
    expect(await h.one(gcDelete(2, wid(2), T0 + GRACE - 1))).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_IN_USE });
    expect(await h.one(gcDelete(1))).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_IN_USE });
    expect(h.machine.chunk(chunkIdOf(1))?.state).toBe('live');
  });

  it('a deleting chunk cannot be referenced (retriable CHUNK_GONE), and a new upload of its content commits a new record', async () => {
    const h = await setup();
    const c = await client(h);
    await h.one(gcDelete(1));
    expect(await h.one({ op: 'addPendingRef', timeMs: T0 + GRACE, session: c.next(), tenant: 'a', chunkId: chunkIdOf(1) })).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_GONE, retriable: true });
    const now = T0 + GRACE + 5;
    expect(await h.one({ op: 'commitChunk', timeMs: now, chunk: chunkCommit(1, { writeId: wid(0x51), gatewayTimeMs: now }) })).toMatchObject({ kind: 'chunk', existing: false });
    expect(h.machine.chunk(chunkIdOf(1))).toMatchObject({ state: 'live', committedAtMs: now, deletingAtMs: 0, retired: [] });
    expect(h.machine.isKnownWriteId(wid(1))).toBe(false); // the condemned shards are orphans now
    expect(h.machine.chunksInEpoch(1)).toBe(3);
    // GC's late chunkGone for the old writeId cannot remove the new record.
    expect(await h.one(gone(1, wid(1), now))).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_STALE_WRITE_ID });
    expect(await h.one({ op: 'addPendingRef', timeMs: now, session: c.next(), tenant: 'a', chunkId: chunkIdOf(1) })).toMatchObject({ kind: 'ok' });
  });

  it('a PutObject naming a chunk GC condemned after the upload fails with retriable CHUNK_GONE', async () => {
    const h = await setup();
    const c = await client(h);
    await h.one({ op: 'addPendingRef', timeMs: T0, session: c.next(), tenant: 'a', chunkId: chunkIdOf(1) });
    // GC cannot take it while the pending reference lives...
    expect(await h.one(gcDelete(1, wid(1), T0 + GRACE - 1))).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_IN_USE });
    // ...the pending reference expires at gcGrace, GC condemns the chunk, and the late PutObject is refused.
    expect(await h.one(gcDelete(1, wid(1), T0 + GRACE))).toMatchObject({ kind: 'ok' });
    expect(await h.one(putCmd('a', c.next(), keyTagOf(1), [chunkIdOf(1)], undefined, T0 + GRACE))).toMatchObject({ kind: 'error', code: ErrorCodes.NOT_FOUND });
  });
});

describe('pending-reference expiry', () => {
  it('drops pending references gcGrace after they were added, at any entry, so an abandoned upload becomes collectable', async () => {
    const h = await setup();
    const c = await client(h);
    await h.one({ op: 'addPendingRef', timeMs: T0 + 100, session: c.next(), tenant: 'a', chunkId: chunkIdOf(1) });
    await h.one(clock(T0 + 100 + GRACE - 1));
    expect(h.machine.holdsReference('a', chunkIdOf(1), c.id)).toBe(true);
    expect(h.machine.gcCandidates(T0 + 2 * GRACE, 10).map((x) => x.chunkId[0]).sort()).toEqual([2, 3]);
    await h.one(clock(T0 + 100 + GRACE));
    expect(h.machine.holdsReference('a', chunkIdOf(1), c.id)).toBe(false);
    expect(h.machine.gcCandidates(T0 + 2 * GRACE, 10).map((x) => x.chunkId[0]).sort()).toEqual([1, 2, 3]);
  });

  it('re-adding a pending reference restarts its grace', async () => {
    const h = await setup();
    const c = await client(h);
    await h.run(
      { op: 'addPendingRef', timeMs: T0, session: c.next(), tenant: 'a', chunkId: chunkIdOf(1) },
      { op: 'addPendingRef', timeMs: T0 + 600, session: c.next(), tenant: 'a', chunkId: chunkIdOf(1) },
      clock(T0 + GRACE + 10),
    );
    expect(h.machine.holdsReference('a', chunkIdOf(1), c.id)).toBe(true);
    expect(await h.one(putCmd('a', c.next(), keyTagOf(1), [chunkIdOf(1)], undefined, T0 + GRACE + 20))).toMatchObject({ kind: 'delta' });
  });
});

describe('compaction', () => {
  it('drops superseded versions and releases their references; usage does not change; tombstones go after their TTL', async () => {
    const h = await setup();
    const c = await client(h);
    await h.run(
      { op: 'addPendingRef', timeMs: T0, session: c.next(), tenant: 'a', chunkId: chunkIdOf(1) },
      putCmd('a', c.next(), keyTagOf(1), [chunkIdOf(1)]), // seq 1
      { op: 'addPendingRef', timeMs: T0, session: c.next(), tenant: 'a', chunkId: chunkIdOf(2) },
      putCmd('a', c.next(), keyTagOf(1), [chunkIdOf(2)]), // seq 2
      { op: 'addPendingRef', timeMs: T0, session: c.next(), tenant: 'a', chunkId: chunkIdOf(3) },
      putCmd('a', c.next(), keyTagOf(2), [chunkIdOf(3)]), // seq 3
      deleteCmd('a', c.next(), keyTagOf(2), T0 + 10), // seq 4
    );
    const usage = h.machine.tenantUsage('a');
    expect(h.machine.compactionCandidates(10, 1000)).toEqual([{ tenant: 'a', upToSeq: 4, supersededDeltas: 2, expiredTombstones: false }]);
    // The committed result says what went: seq 1 (chunk 1) and seq 3 (chunk 3), superseded.
    expect(await h.one({ op: 'compact', timeMs: T0 + 20, tenant: 'a', upToSeq: 4, tombstoneTtlMs: 1000 })).toMatchObject({ kind: 'compacted', tenant: 'a', dropped: 2, released: 2, leaderTimeMs: T0 + 20 });
    expect([1, 2, 3, 4].map((s) => h.machine.delta('a', s) !== undefined)).toEqual([false, true, false, true]);
    expect(h.machine.holdsReference('a', chunkIdOf(1))).toBe(false);
    expect(h.machine.holdsReference('a', chunkIdOf(2))).toBe(true);
    expect(h.machine.holdsReference('a', chunkIdOf(3))).toBe(false);
    expect(h.machine.tenantUsage('a')).toEqual(usage);
    expect(h.machine.gcCandidates(T0 + GRACE, 10).map((x) => x.chunkId[0]).sort()).toEqual([1, 3]);
    expect(h.machine.compactionCandidates(10, 1000)).toEqual([]);
    // The tombstone expires 1 s after its leader time.
    await h.one(clock(T0 + 1010));
    expect(h.machine.compactionCandidates(10, 1000)).toEqual([{ tenant: 'a', upToSeq: 4, supersededDeltas: 0, expiredTombstones: true }]);
    const expired = await h.one({ op: 'compact', timeMs: T0 + 1010, tenant: 'a', upToSeq: 4, tombstoneTtlMs: 1000 });
    expect(expired).toMatchObject({ kind: 'compacted', dropped: 1, released: 0 });
    // The node remembers each tenant's last compaction for operators (Admin MaintenanceStatus).
    expect(h.machine.lastCompactions().get('a')).toEqual({ index: expired.index, leaderTimeMs: T0 + 1010, dropped: 1, released: 0 });
    expect(h.machine.delta('a', 4)).toBeUndefined();
    expect(h.machine.currentObjects('a')).toEqual(new Map([[keyTagOf(1).toString('hex'), 2]]));
    expect(h.machine.compactionCandidates(10, 1000)).toEqual([]);
    expect(h.machine.tenantUsage('a')).toEqual(usage);
  });

  it('keeps the latest delta at or below upToSeq and everything above it', async () => {
    const h = await setup();
    const c = await client(h);
    await h.run(putCmd('a', c.next(), keyTagOf(1), []), putCmd('a', c.next(), keyTagOf(1), []), putCmd('a', c.next(), keyTagOf(1), []));
    await h.one({ op: 'compact', timeMs: T0, tenant: 'a', upToSeq: 2, tombstoneTtlMs: 0 });
    expect([1, 2, 3].map((s) => h.machine.delta('a', s) !== undefined)).toEqual([false, true, true]);
    expect(h.machine.latestObject('a', keyTagOf(1))?.sequence).toBe(3);
    expect(await h.one({ op: 'compact', timeMs: T0, tenant: 'zz', upToSeq: 2, tombstoneTtlMs: 0 })).toMatchObject({ kind: 'error', code: ErrorCodes.NOT_FOUND });
  });
});

describe('retired placements (repair, re-encryption)', () => {
  it('re-encryption commits a new writeId atomically; the old placement is retired, kept gcGrace, then dropped', async () => {
    const h = await setup();
    expect(h.machine.chunksInEpochBelow(2, 10).map((c) => c.chunkId[0])).toEqual([1, 2, 3]);
    const at = T0 + 50;
    expect(await h.one(replace(1, wid(1), wid(0x61), chunkCommit(1).slots, at, 2))).toMatchObject({ kind: 'ok' });
    expect(await h.one(replace(1, wid(1), wid(0x61), chunkCommit(1).slots, at, 2))).toMatchObject({ kind: 'ok' }); // retried
    expect(h.machine.chunk(chunkIdOf(1))).toMatchObject({ writeId: wid(0x61), sysEpoch: 2, retired: [{ writeId: wid(1), slots: chunkCommit(1).slots, retiredAtMs: at }] });
    expect([h.machine.chunksInEpoch(1), h.machine.chunksInEpoch(2)]).toEqual([2, 1]);
    expect(h.machine.chunksInEpochBelow(2, 10).map((c) => c.chunkId[0])).toEqual([2, 3]);
    expect(h.machine.isKnownWriteId(wid(1))).toBe(true);
    expect([...h.machine.shardsExpectedOn('n2')].filter((s) => s.chunkId[0] === 1).map((s) => s.disposition).sort()).toEqual(['live', 'retired']);
    expect(await h.one(replace(1, wid(1), wid(0x62), chunkCommit(1).slots, at, 2))).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_STALE_WRITE_ID });
    expect(h.machine.retiredOlderThan(at + GRACE - 1 - GRACE)).toEqual([]);
    expect(await h.one({ op: 'dropRetired', timeMs: at + GRACE - 1, chunkId: chunkIdOf(1), writeId: wid(1) })).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_IN_USE });
    expect(h.machine.retiredOlderThan(at)).toEqual([{ chunkId: chunkIdOf(1), writeId: wid(1), retiredAtMs: at }]);
    expect(await h.one({ op: 'dropRetired', timeMs: at + GRACE, chunkId: chunkIdOf(1), writeId: wid(1) })).toMatchObject({ kind: 'ok' });
    expect(h.machine.chunk(chunkIdOf(1))?.retired).toEqual([]);
    expect(h.machine.isKnownWriteId(wid(1))).toBe(false);
    // Once every chunk moved, the old epoch can be retired.
    expect(await h.one({ op: 'setMinDecryptEpoch', timeMs: at + GRACE, epoch: 2 })).toMatchObject({ kind: 'error' });
    for (const n of [2, 3]) await h.one(replace(n, wid(n), wid(0x60 + n), chunkCommit(n).slots, at + GRACE, 2));
    expect(await h.one({ op: 'setMinDecryptEpoch', timeMs: at + GRACE, epoch: 2 })).toMatchObject({ kind: 'ok' });
    expect(await h.one(replace(1, wid(0x61), wid(0x71), chunkCommit(1).slots, at + GRACE, 1))).toMatchObject({ kind: 'error', code: ErrorCodes.EPOCH_RETIRED });
  });

  it('a repair that keeps the writeId retires only the moved slots; bad placements are refused', async () => {
    const h = await setup();
    expect(await h.one(replace(1, wid(1), wid(1), movedSlots, T0))).toMatchObject({ kind: 'ok' });
    expect(h.machine.chunk(chunkIdOf(1))?.retired).toEqual([{ writeId: wid(1), slots: [chunkCommit(1).slots[0]], retiredAtMs: T0 }]);
    expect(h.machine.chunksOnDevice('n1', 'd1', 10).map((c) => c.chunkId[0])).toEqual([2, 3]);
    expect(h.machine.chunksOnDevice('n4', 'd1', 10).map((c) => c.chunkId[0])).toEqual([1]);
    expect([...h.machine.shardsExpectedOn('n1')].filter((s) => s.chunkId[0] === 1)).toEqual([{ chunkId: chunkIdOf(1), writeId: wid(1), shardIndex: 0, deviceId: 'd1', disposition: 'retired' }]);
    expect(await h.one(replace(1, wid(1), wid(1), movedSlots, T0))).toMatchObject({ kind: 'ok' }); // nothing moved: no-op
    expect(h.machine.chunk(chunkIdOf(1))?.retired).toHaveLength(1);
    expect(await h.one(replace(2, wid(2), wid(0x72), movedSlots.slice(0, 2), T0))).toMatchObject({ kind: 'error', code: ErrorCodes.INVALID_ARGUMENT });
    expect(await h.one(replace(2, wid(2), wid(0x72), movedSlots.map((s) => ({ ...s, deviceId: 'nope' })), T0))).toMatchObject({ kind: 'error', code: ErrorCodes.UNKNOWN_DEVICE });
    expect(await h.one(replace(2, wid(2), wid(3), movedSlots, T0))).toMatchObject({ kind: 'error', code: ErrorCodes.INVALID_ARGUMENT }); // writeId of chunk 3
    expect(await h.one({ ...replace(2, wid(2), wid(0x72), movedSlots, T0), gatewayTimeMs: T0 - 11 * 60_000 } as MetadataCommand)).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_COMMIT_REJECTED });
    expect(await h.one(replace(9, wid(9), wid(0x79), movedSlots, T0))).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_GONE });
  });
});

describe('disable and purge', () => {
  it('purge drops every delta, reference and pending reference of the tenant and keeps it shredded; others are untouched', async () => {
    const h = await setup();
    const ca = await client(h, 'a');
    const cb = await client(h, 'b');
    await h.run(
      { op: 'addPendingRef', timeMs: T0, session: ca.next(), tenant: 'a', chunkId: chunkIdOf(1) },
      { op: 'addPendingRef', timeMs: T0, session: ca.next(), tenant: 'a', chunkId: chunkIdOf(2) },
      putCmd('a', ca.next(), keyTagOf(1), [chunkIdOf(1), chunkIdOf(2)]),
      { op: 'addPendingRef', timeMs: T0, session: ca.next(), tenant: 'a', chunkId: chunkIdOf(3) },
      { op: 'addPendingRef', timeMs: T0, session: cb.next(), tenant: 'b', chunkId: chunkIdOf(2) },
      putCmd('b', cb.next(), keyTagOf(1), [chunkIdOf(2)]),
    );
    expect(await h.one({ op: 'disableTenant', timeMs: T0, tenant: 'a' })).toMatchObject({ kind: 'ok' });
    expect(h.machine.tenant('a')?.state).toBe('disabled');
    expect(await h.one(putCmd('a', ca.next(), keyTagOf(2), []))).toMatchObject({ kind: 'error', code: ErrorCodes.TENANT_NOT_ACTIVE });
    expect(await h.one({ op: 'purgeTenant', timeMs: T0, tenant: 'a' })).toMatchObject({ kind: 'ok' });
    expect(h.machine.tenant('a')?.state).toBe('shredded');
    expect(h.machine.tenantUsage('a')).toEqual({ logicalBytes: 0, objects: 0 });
    expect(h.machine.delta('a', 1)).toBeUndefined();
    expect(h.machine.holdsAnyReference('a', chunkIdOf(3))).toBe(false);
    // Chunks only tenant a held are collectable; the one b references is not.
    expect(h.machine.gcCandidates(T0 + GRACE, 10).map((x) => x.chunkId[0]).sort()).toEqual([1, 3]);
    expect(h.machine.tenantUsage('b')).toEqual({ logicalBytes: 1002 + 'sealed-payload'.length, objects: 1 });
    // Idempotent, and a late copy of an older state does not revive the tenant.
    expect(await h.one({ op: 'purgeTenant', timeMs: T0, tenant: 'a' })).toMatchObject({ kind: 'ok' });
    expect(await h.one({ op: 'disableTenant', timeMs: T0, tenant: 'a' })).toMatchObject({ kind: 'ok' });
    expect(h.machine.tenant('a')?.state).toBe('shredded');
    const record = h.machine.tenant('a');
    if (record === undefined) throw new Error('tenant a missing');
    expect(await h.one({ op: 'upsertTenant', timeMs: T0, tenant: { ...record, state: 'active' } })).toMatchObject({ kind: 'error', code: ErrorCodes.TENANT_NOT_ACTIVE });
    expect(await h.one({ op: 'purgeTenant', timeMs: T0, tenant: 'nobody' })).toMatchObject({ kind: 'error', code: ErrorCodes.NOT_FOUND });
  });
});

describe('queries and persistence', () => {
  it('pages the chunks of a device in chunk-id order', async () => {
    const h = await setup();
    await h.run(...[4, 5, 6].map((n) => ({ op: 'commitChunk' as const, timeMs: T0, chunk: chunkCommit(n) })));
    const seen: number[] = [];
    let after: Buffer | undefined;
    for (;;) {
      const page = h.machine.chunksOnDevice('n2', 'd1', 2, after);
      if (page.length === 0) break;
      seen.push(...page.map((c) => c.chunkId[0] as number));
      after = page[page.length - 1]?.chunkId;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(h.machine.chunksInEpochBelow(2, 2, { epoch: 1, chunkId: chunkIdOf(2) }).map((c) => c.chunkId[0])).toEqual([3, 4]);
  });

  it('the new state (deleting, retired, gcGrace, expiry queue) survives reopen and snapshot/restore with an equal digest', async () => {
    const h = await setup();
    const c = await client(h);
    await h.run(
      gcDelete(3),
      replace(1, wid(1), wid(0x61), chunkCommit(1).slots, T0 + GRACE, 2),
      { op: 'addPendingRef', timeMs: T0 + GRACE, session: c.next(), tenant: 'a', chunkId: chunkIdOf(2) },
    );
    const digest = h.machine.digest();
    await h.machine.flush();
    const reopened = await MetadataMachine.open(h.kv);
    expect(reopened.digest()).toBe(digest);
    expect(reopened.gcGraceMs()).toBe(GRACE);
    const other = await Harness.inMemory();
    await other.machine.restore({ data: await h.machine.snapshot(), metadata: { index: h.machine.appliedIndex(), term: 1, confState: { voters: [], learners: [] } } });
    expect(other.machine.digest()).toBe(digest);
    // Derived state came back too: the pending reference still expires on time, the indexes answer alike.
    const next = { term: 1, index: h.machine.appliedIndex() + 1, type: EntryType.Normal, data: encodeMetadataCommand(clock(T0 + 2 * GRACE)) };
    for (const m of [h.machine, other.machine]) {
      expect(m.isKnownWriteId(wid(1))).toBe(true);
      expect(m.deletingChunks(10).map((x) => x.chunkId[0])).toEqual([3]);
      expect(m.holdsReference('a', chunkIdOf(2), c.id)).toBe(true);
      await m.apply([next]);
      expect(m.holdsReference('a', chunkIdOf(2), c.id)).toBe(false);
    }
    expect(other.machine.digest()).toBe(h.machine.digest());
  });

  it('an image with deleting and retired records decodes to the same bytes, and mutated images only ever give TesseraErrors', async () => {
    const h = await setup();
    await h.run(gcDelete(3), replace(1, wid(1), wid(1), movedSlots, T0 + GRACE), replace(2, wid(2), wid(0x62), chunkCommit(2).slots, T0 + GRACE, 2));
    const image = Buffer.from(await h.machine.snapshot());
    const decoded = decodeMetadataImage(image);
    expect(encodeMetadataImage(decoded.state, decoded.appliedIndex).equals(image)).toBe(true);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat({ max: 40 }), (at, value, cut) => {
        const bytes = Buffer.from(image.subarray(0, Math.max(0, image.length - cut)));
        if (bytes.length > 0) bytes[at % bytes.length] = value;
        try {
          const { state, appliedIndex } = decodeMetadataImage(bytes);
          // Whatever decodes is canonical.
          expect(encodeMetadataImage(state, appliedIndex).equals(bytes)).toBe(true);
        } catch (err) {
          if (!(err instanceof TesseraError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
