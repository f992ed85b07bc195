import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import { EntryType, openDurableKv } from '@tessera/raft';
import { encodeMetadataCommand } from '../src/metadata/commands.js';
import { MetadataMachine } from '../src/metadata/machine.js';
import { COMMIT_DEADLINE_MS, COMMIT_MAX_AHEAD_MS } from '../src/metadata/state.js';
import { Harness, T0, chunkCommit, chunkIdOf, deleteCmd, keyTagOf, putCmd, topologyAndTenants } from './support/metadata-fixtures.js';

const dirs = tempDirs('tessera-metadata-machine-');
afterAll(async () => {
  await Harness.closeAll();
  await dirs.cleanup();
});

/** A machine with 3 nodes, tenants `a` (shared) and `b` (given policy), and chunks 1..3 committed. */
async function setup(bPolicy: 'shared' | 'isolated' = 'shared', quotaBytes = 0): Promise<Harness> {
  const h = await Harness.create(dirs);
  const results = await h.run(
    ...topologyAndTenants([{ id: 'a', quotaBytes }, { id: 'b', policy: bPolicy }]),
    ...[1, 2, 3].map((n) => ({ op: 'commitChunk' as const, timeMs: T0, chunk: chunkCommit(n) })),
  );
  for (const r of results) expect(r.kind).not.toBe('error');
  return h;
}

describe('metadata state machine: topology', () => {
  it('registers nodes and devices and validates device state changes', async () => {
    const h = await setup();
    expect(h.machine.nodes().map((n) => n.nodeId).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(await h.one({ op: 'setDeviceState', timeMs: T0, nodeId: 'n1', deviceId: 'd1', state: 'evacuating' })).toMatchObject({ kind: 'ok' });
    expect(await h.one({ op: 'setDeviceState', timeMs: T0, nodeId: 'n1', deviceId: 'd1', state: 'degraded' })).toMatchObject({ kind: 'error', code: ErrorCodes.DEVICE_BAD_TRANSITION });
    expect(await h.one({ op: 'setDeviceState', timeMs: T0, nodeId: 'n9', deviceId: 'd1', state: 'failed' })).toMatchObject({ kind: 'error', code: ErrorCodes.UNKNOWN_DEVICE });
    expect(await h.one({ op: 'addDevice', timeMs: T0, device: { nodeId: 'n9', deviceId: 'd1', pool: 'p', capacityBytes: 1, state: 'healthy' } })).toMatchObject({ kind: 'error', code: ErrorCodes.NOT_FOUND });
    expect(h.machine.devices().find((d) => d.nodeId === 'n1')?.state).toBe('evacuating');
  });

  it('refuses a chunk placed on an unknown device', async () => {
    const h = await setup();
    const chunk = chunkCommit(9, { slots: chunkCommit(9).slots.map((s, i) => (i === 0 ? { ...s, deviceId: 'nope' } : s)) });
    expect(await h.one({ op: 'commitChunk', timeMs: T0, chunk })).toMatchObject({ kind: 'error', code: ErrorCodes.UNKNOWN_DEVICE });
    expect(h.machine.chunk(chunkIdOf(9))).toBeUndefined();
  });
});

describe('metadata state machine: chunk commits', () => {
  it('keeps the first record of a chunk id, and counts live chunks per system epoch', async () => {
    const h = await setup();
    expect(await h.one({ op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1, { writeId: Buffer.alloc(16, 0xee) }) })).toMatchObject({ kind: 'chunk', existing: true });
    expect(h.machine.chunk(chunkIdOf(1))?.writeId.equals(Buffer.alloc(16, 1))).toBe(true);
    expect(h.machine.chunk(chunkIdOf(1))).toMatchObject({ state: 'live', size: 1001, k: 2, m: 1, committedAtMs: T0 });
    expect(h.machine.chunksInEpoch(1)).toBe(3);
    await h.one({ op: 'commitChunk', timeMs: T0, chunk: chunkCommit(4, { sysEpoch: 2 }) });
    expect(h.machine.chunksInEpoch(2)).toBe(1);
  });

  it('accepts gateway time within [leader - 10 min, leader + 1 min] and rejects outside', async () => {
    const h = await setup();
    const at = (n: number, gatewayTimeMs: number) => h.one({ op: 'commitChunk', timeMs: T0, chunk: chunkCommit(n, { gatewayTimeMs }) });
    expect(await at(10, T0 - COMMIT_DEADLINE_MS)).toMatchObject({ kind: 'chunk' });
    expect(await at(11, T0 + COMMIT_MAX_AHEAD_MS)).toMatchObject({ kind: 'chunk' });
    expect(await at(12, T0 - COMMIT_DEADLINE_MS - 1)).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_COMMIT_REJECTED, retriable: true });
    expect(await at(13, T0 + COMMIT_MAX_AHEAD_MS + 1)).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_COMMIT_REJECTED });
    expect(h.machine.chunk(chunkIdOf(12))).toBeUndefined();
    expect(h.machine.chunk(chunkIdOf(13))).toBeUndefined();
  });

  it('sets the minimum decrypt epoch only once older epochs are empty, then rejects older chunk commits', async () => {
    const h = await setup();
    expect(await h.one({ op: 'setMinDecryptEpoch', timeMs: T0, epoch: 2 })).toMatchObject({ kind: 'error', code: ErrorCodes.INVALID_ARGUMENT });
    expect(h.machine.minDecryptEpoch()).toBe(0);
    const fresh = await Harness.create(dirs);
    await fresh.run(...topologyAndTenants([]), { op: 'setMinDecryptEpoch', timeMs: T0, epoch: 2 });
    expect(fresh.machine.minDecryptEpoch()).toBe(2);
    expect(await fresh.one({ op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1, { sysEpoch: 1 }) })).toMatchObject({ kind: 'error', code: ErrorCodes.EPOCH_RETIRED });
    expect(await fresh.one({ op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1, { sysEpoch: 2 }) })).toMatchObject({ kind: 'chunk', existing: false });
  });
});

describe('metadata state machine: references and deltas', () => {
  it('turns a session\'s pending references into references on PutObject, with sequence and leader time', async () => {
    const h = await setup();
    const c = await h.openSession();
    await h.run(
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) },
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 2, ackedThrough: 1 }, tenant: 'a', chunkId: chunkIdOf(2) },
    );
    expect(h.machine.holdsReference('a', chunkIdOf(1), c)).toBe(true);
    expect(h.machine.holdsReference('a', chunkIdOf(1))).toBe(false);
    const r = await h.one(putCmd('a', { clientId: c, seq: 3, ackedThrough: 2 }, keyTagOf(1), [chunkIdOf(1), chunkIdOf(2)], Buffer.from('p'), T0 + 5));
    expect(r).toMatchObject({ kind: 'delta', sequence: 1, leaderTimeMs: T0 + 5, duplicate: false });
    expect(h.machine.holdsReference('a', chunkIdOf(1))).toBe(true);
    const latest = h.machine.latestObject('a', keyTagOf(1));
    expect(latest?.sequence).toBe(1);
    expect(latest?.payload.toString()).toBe('p');
    expect(h.machine.tenantUsage('a')).toEqual({ logicalBytes: 1001 + 1002 + 1, objects: 1 });
    // A later object of the tenant may reuse a chunk it references through a live object.
    expect(await h.one(putCmd('a', { clientId: c, seq: 4, ackedThrough: 3 }, keyTagOf(2), [chunkIdOf(1)], Buffer.from('q')))).toMatchObject({ kind: 'delta', sequence: 2 });
  });

  it('NOT_FOUND when the tenant holds no reference: tenant B naming tenant A\'s chunks, shared and isolated', async () => {
    for (const policy of ['shared', 'isolated'] as const) {
      const h = await setup(policy);
      const ca = await h.openSession();
      const cb = await h.openSession(T0, 'b');
      await h.run(
        { op: 'addPendingRef', timeMs: T0, session: { clientId: ca, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) },
        putCmd('a', { clientId: ca, seq: 2, ackedThrough: 1 }, keyTagOf(1), [chunkIdOf(1)]),
        { op: 'addPendingRef', timeMs: T0, session: { clientId: ca, seq: 3, ackedThrough: 2 }, tenant: 'a', chunkId: chunkIdOf(2) },
      );
      // Live reference of A (chunk 1), pending reference of A (chunk 2), and a chunk nobody references (3).
      for (const [seq, chunk] of [[1, 1], [2, 2], [3, 3]] as const) {
        const r = await h.one(putCmd('b', { clientId: cb, seq, ackedThrough: seq - 1 }, keyTagOf(1), [chunkIdOf(chunk)]));
        expect(r).toMatchObject({ kind: 'error', code: ErrorCodes.NOT_FOUND });
      }
      // B using A's session id gets nothing either: the session is A's, so for B it does not exist
      // (B can neither write through it, nor stall it with acked-through, nor read its recorded replies).
      expect(await h.one(putCmd('b', { clientId: ca, seq: 1000, ackedThrough: 999 }, keyTagOf(1), [chunkIdOf(2)]))).toMatchObject({ kind: 'error', code: ErrorCodes.RAFT_SESSION_EXPIRED });
      expect(await h.one(putCmd('b', { clientId: ca, seq: 2, ackedThrough: 1 }, keyTagOf(1), [chunkIdOf(1)]))).toMatchObject({ kind: 'error', code: ErrorCodes.RAFT_SESSION_EXPIRED, duplicate: false });
      // ...and A's session is unharmed: its next write goes through.
      expect(await h.one({ op: 'addPendingRef', timeMs: T0, session: { clientId: ca, seq: 4, ackedThrough: 3 }, tenant: 'a', chunkId: chunkIdOf(3) })).toMatchObject({ kind: 'ok', duplicate: false });
      // A chunk id that does not exist at all looks the same as one that does.
      expect(await h.one(putCmd('b', { clientId: cb, seq: 4, ackedThrough: 3 }, keyTagOf(1), [chunkIdOf(77)]))).toMatchObject({ kind: 'error', code: ErrorCodes.NOT_FOUND });
      expect(h.machine.tenantUsage('b')).toEqual({ logicalBytes: 0, objects: 0 });
      expect(h.machine.holdsReference('b', chunkIdOf(1), cb)).toBe(false);
    }
  });

  it('a pending reference of another session of the same tenant does not count', async () => {
    const h = await setup();
    const c1 = await h.openSession();
    const c2 = await h.openSession();
    await h.one({ op: 'addPendingRef', timeMs: T0, session: { clientId: c1, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) });
    expect(await h.one(putCmd('a', { clientId: c2, seq: 1, ackedThrough: 0 }, keyTagOf(1), [chunkIdOf(1)]))).toMatchObject({ kind: 'error', code: ErrorCodes.NOT_FOUND });
  });

  it('a duplicate upload of content another tenant stored commits a pending reference and counts logical bytes', async () => {
    const h = await setup();
    const ca = await h.openSession();
    const cb = await h.openSession(T0, 'b');
    await h.run(
      { op: 'addPendingRef', timeMs: T0, session: { clientId: ca, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) },
      putCmd('a', { clientId: ca, seq: 2, ackedThrough: 1 }, keyTagOf(1), [chunkIdOf(1)], Buffer.alloc(0)),
    );
    // B uploads the same content: the gateway finds the live record and commits only a pending reference.
    expect(await h.one({ op: 'addPendingRef', timeMs: T0, session: { clientId: cb, seq: 1, ackedThrough: 0 }, tenant: 'b', chunkId: chunkIdOf(1) })).toMatchObject({ kind: 'ok', duplicate: false });
    expect(await h.one(putCmd('b', { clientId: cb, seq: 2, ackedThrough: 1 }, keyTagOf(5), [chunkIdOf(1)], Buffer.alloc(0)))).toMatchObject({ kind: 'delta' });
    expect(h.machine.tenantUsage('a').logicalBytes).toBe(1001);
    expect(h.machine.tenantUsage('b').logicalBytes).toBe(1001);
  });

  it('fails with retriable CHUNK_GONE for a pending reference to a chunk that is not live', async () => {
    const h = await setup();
    const c = await h.openSession();
    expect(await h.one({ op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(50) })).toMatchObject({
      kind: 'error',
      code: ErrorCodes.CHUNK_GONE,
      retriable: true,
    });
  });

  it('DeleteObject writes a tombstone: the object is gone and its bytes leave the usage', async () => {
    const h = await setup();
    const c = await h.openSession();
    await h.run(
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) },
      putCmd('a', { clientId: c, seq: 2, ackedThrough: 1 }, keyTagOf(1), [chunkIdOf(1)], Buffer.alloc(0)),
    );
    expect(await h.one(deleteCmd('a', { clientId: c, seq: 3, ackedThrough: 2 }, keyTagOf(1)))).toMatchObject({ kind: 'delta', sequence: 2 });
    expect(h.machine.latestObject('a', keyTagOf(1))).toBeUndefined();
    expect(h.machine.tenantUsage('a')).toEqual({ logicalBytes: 0, objects: 0 });
    // References of superseded versions stay until compaction releases them.
    expect(h.machine.holdsReference('a', chunkIdOf(1))).toBe(true);
  });

  it('enforces the quota on logical bytes, refuses unknown and inactive tenants, and keeps a tenant policy fixed', async () => {
    const h = await setup('shared', 1500);
    const c = await h.openSession();
    await h.run(
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) },
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 2, ackedThrough: 1 }, tenant: 'a', chunkId: chunkIdOf(2) },
    );
    expect(await h.one(putCmd('a', { clientId: c, seq: 3, ackedThrough: 2 }, keyTagOf(1), [chunkIdOf(1), chunkIdOf(2)], Buffer.alloc(0)))).toMatchObject({ kind: 'error', code: ErrorCodes.QUOTA_EXCEEDED });
    expect(await h.one(putCmd('a', { clientId: c, seq: 4, ackedThrough: 3 }, keyTagOf(1), [chunkIdOf(1)], Buffer.alloc(0)))).toMatchObject({ kind: 'delta' });
    // An unknown tenant: through another tenant's session it does not get that far; through its own it is NOT_FOUND.
    expect(await h.one(putCmd('zz', { clientId: c, seq: 5, ackedThrough: 4 }, keyTagOf(1), []))).toMatchObject({ kind: 'error', code: ErrorCodes.RAFT_SESSION_EXPIRED });
    const cz = await h.openSession(T0, 'zz');
    expect(await h.one(putCmd('zz', { clientId: cz, seq: 1, ackedThrough: 0 }, keyTagOf(1), []))).toMatchObject({ kind: 'error', code: ErrorCodes.NOT_FOUND });
    const tenant = h.machine.tenant('a');
    if (tenant === undefined) throw new Error('tenant a missing');
    expect(await h.one({ op: 'upsertTenant', timeMs: T0, tenant: { ...tenant, policy: 'isolated' } })).toMatchObject({ kind: 'error', code: ErrorCodes.INVALID_ARGUMENT });
    expect(h.machine.tenant('a')?.policy).toBe('shared');
    await h.one({ op: 'upsertTenant', timeMs: T0, tenant: { ...tenant, state: 'disabled' } });
    expect(await h.one(putCmd('a', { clientId: c, seq: 6, ackedThrough: 5 }, keyTagOf(2), [chunkIdOf(1)]))).toMatchObject({ kind: 'error', code: ErrorCodes.TENANT_NOT_ACTIVE });
  });
});

describe('metadata state machine: sessions, persistence and snapshots', () => {
  it('a retried PutObject applies once and returns the first answer, refusals included', async () => {
    const h = await setup();
    const c = await h.openSession();
    await h.one({ op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) });
    const put = putCmd('a', { clientId: c, seq: 2, ackedThrough: 1 }, keyTagOf(1), [chunkIdOf(1)], Buffer.alloc(0));
    const first = await h.one(put);
    const retry = await h.one({ ...put, timeMs: T0 + 100 });
    expect(first).toMatchObject({ kind: 'delta', sequence: 1, duplicate: false });
    expect(retry).toMatchObject({ kind: 'delta', sequence: 1, leaderTimeMs: T0, duplicate: true });
    expect(h.machine.tenantUsage('a')).toEqual({ logicalBytes: 1001, objects: 1 });
    const refused = putCmd('a', { clientId: c, seq: 3, ackedThrough: 2 }, keyTagOf(2), [chunkIdOf(3)]);
    expect(await h.one(refused)).toMatchObject({ kind: 'error', code: ErrorCodes.NOT_FOUND, duplicate: false });
    // Even once the tenant gained a reference, the retry answers what the first attempt got.
    await h.one({ op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 4, ackedThrough: 3 }, tenant: 'a', chunkId: chunkIdOf(3) });
    expect(await h.one(refused)).toMatchObject({ kind: 'error', code: ErrorCodes.RAFT_SESSION_STALE });
    expect(await h.one(putCmd('a', { clientId: 99, seq: 1, ackedThrough: 0 }, keyTagOf(1), []))).toMatchObject({ kind: 'error', code: ErrorCodes.RAFT_SESSION_EXPIRED });
  });

  it('leader time only moves forward: a Clock from a leader running behind changes nothing, deltas take the highest time', async () => {
    const h = await setup();
    await h.one({ op: 'clock', timeMs: T0 + 10_000 });
    await h.one({ op: 'clock', timeMs: T0 + 5_000 });
    expect(h.machine.leaderTimeMs()).toBe(T0 + 10_000);
    const c = await h.openSession(T0);
    await h.one({ op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) });
    expect(await h.one(putCmd('a', { clientId: c, seq: 2, ackedThrough: 1 }, keyTagOf(1), [chunkIdOf(1)], Buffer.alloc(0), T0 + 1))).toMatchObject({ kind: 'delta', leaderTimeMs: T0 + 10_000 });
  });

  it('passes no-ops, conf changes and malformed entries without changing the state', async () => {
    const h = await setup();
    const before = await h.machine.snapshot();
    const results = await h.machine.apply([
      { term: 1, index: 100, type: EntryType.Normal, data: new Uint8Array(0) },
      { term: 1, index: 101, type: EntryType.ConfChange, data: Uint8Array.of(1, 2) },
      { term: 1, index: 102, type: EntryType.Normal, data: Uint8Array.of(1, 99, 0) },
    ]);
    expect(results.map((r) => r.kind)).toEqual(['none', 'none', 'error']);
    expect(h.machine.appliedIndex()).toBe(102);
    // Only the applied index moved.
    expect(Buffer.from(await h.machine.snapshot()).subarray(13).equals(Buffer.from(before).subarray(13))).toBe(true);
  });

  it('writes nothing for batches of no-ops (only the applied index moved): a reopen replays them from the log', async () => {
    const h = await setup();
    await h.machine.flush();
    const stored = h.machine.appliedIndex();
    const digest = h.machine.digest();
    let writes = 0;
    const write = h.kv.write.bind(h.kv);
    h.kv.write = (ops, options) => {
      writes++;
      return write(ops, options);
    };
    // The Kv machine's commands reach this machine as empty entries.
    await h.machine.apply([{ term: 1, index: stored + 1, type: EntryType.Normal, data: new Uint8Array(0) }]);
    await h.machine.apply([{ term: 1, index: stored + 2, type: EntryType.ConfChange, data: Uint8Array.of(1, 2) }]);
    await h.machine.flush();
    expect(writes).toBe(0);
    expect(h.machine.appliedIndex()).toBe(stored + 2);
    await h.kv.close();
    const reopened = await MetadataMachine.open(await openDurableKv(h.dir, { crashSim: false }));
    expect(reopened.appliedIndex()).toBe(stored);
    expect(reopened.digest()).toBe(digest);
  });

  it('persists the state with its applied index and reopens to the same digest', async () => {
    const h = await setup();
    const c = await h.openSession();
    await h.run(
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) },
      putCmd('a', { clientId: c, seq: 2, ackedThrough: 1 }, keyTagOf(1), [chunkIdOf(1)]),
      { op: 'clock', timeMs: T0 + 1000 },
    );
    const digest = h.machine.digest();
    const applied = h.machine.appliedIndex();
    await h.machine.flush();
    await h.kv.close();
    const kv = await openDurableKv(h.dir, { crashSim: false });
    const reopened = await MetadataMachine.open(kv);
    expect(reopened.appliedIndex()).toBe(applied);
    expect(reopened.digest()).toBe(digest);
    expect(reopened.leaderTimeMs()).toBe(T0 + 1000);
    await kv.close();
  });

  it('a power loss keeps the state and applied index of the last synced batch together', async () => {
    const dir = await dirs.make();
    const kv = await openDurableKv(dir, { crashSim: true });
    const m = await MetadataMachine.open(kv, { syncEveryEntries: 3 });
    const h = { index: 1 };
    const entry = (cmd: Parameters<typeof encodeMetadataCommand>[0]) => ({ term: 1, index: h.index++, type: EntryType.Normal, data: encodeMetadataCommand(cmd) });
    await m.apply(topologyAndTenants([{ id: 'a' }]).map(entry));
    await m.flush();
    const synced = { digest: m.digest(), applied: m.appliedIndex() };
    expect(m.durableAppliedIndex()).toBe(synced.applied);
    await m.apply([entry({ op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1) })]);
    expect(m.chunk(chunkIdOf(1))).toBeDefined();
    await kv.crash();
    const kv2 = await openDurableKv(dir, { crashSim: true });
    const reopened = await MetadataMachine.open(kv2);
    expect(reopened.appliedIndex()).toBe(synced.applied);
    expect(reopened.digest()).toBe(synced.digest);
    expect(reopened.chunk(chunkIdOf(1))).toBeUndefined();
    await kv2.close();
  });

  it('snapshot then restore on another replica gives an equal digest and equal answers', async () => {
    const h = await setup();
    const c = await h.openSession();
    await h.run(
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) },
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 2, ackedThrough: 1 }, tenant: 'a', chunkId: chunkIdOf(2) },
      putCmd('a', { clientId: c, seq: 3, ackedThrough: 2 }, keyTagOf(1), [chunkIdOf(1)]),
    );
    const data = await h.machine.snapshot();
    const other = await Harness.create(dirs);
    await other.machine.restore({ data, metadata: { index: h.machine.appliedIndex(), term: 1, confState: { voters: [], learners: [] } } });
    expect(other.machine.digest()).toBe(h.machine.digest());
    expect(other.machine.holdsReference('a', chunkIdOf(2), c)).toBe(true);
    expect(other.machine.tenantUsage('a')).toEqual(h.machine.tenantUsage('a'));
    expect(Buffer.from(await other.machine.snapshot()).equals(Buffer.from(data))).toBe(true);
    // The restored replica answers a retry from its session table.
    expect(await other.one(putCmd('a', { clientId: c, seq: 3, ackedThrough: 2 }, keyTagOf(1), [chunkIdOf(1)]))).toMatchObject({ kind: 'delta', duplicate: true, sequence: 1 });
  });

  it('refuses a pending reference to a chunk that is not live without recording it: the same seq succeeds once the record is applied', async () => {
    const h = await setup('shared');
    const c = await h.openSession();
    const ref = { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(9) } as const;
    // Applied before the chunk record (a forwarded proposal overtaking the gateway's own commit).
    expect(await h.one(ref)).toMatchObject({ kind: 'error', code: ErrorCodes.CHUNK_GONE, retriable: true, duplicate: false });
    await h.one({ op: 'commitChunk', timeMs: T0, chunk: chunkCommit(9) });
    expect(await h.one(ref)).toMatchObject({ kind: 'ok', duplicate: false });
    expect(h.machine.holdsReference('a', chunkIdOf(9), c)).toBe(true);
    // A recorded success is answered from the session table, as before.
    expect(await h.one(ref)).toMatchObject({ kind: 'ok', duplicate: true });
  });
});
