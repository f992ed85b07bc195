/**
 * Membership safety rules of Admin RemoveMember (src/admin/removal.ts, mounted
 * through the membership handlers' `beforeRemove`): refused while the node's
 * devices hold current shards (NODE_HOLDS_SHARDS) and when fewer than three
 * voters would remain (TOO_FEW_VOTERS), both unless forced; a forced removal
 * is logged with the principal and what it overrode, and reported to the
 * audit hook.
 */
import type * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, Logger } from '@tessera/common';
import { StateRole, type ConfChange, type ConfState, type RaftNode } from '@tessera/raft';
import { ERROR_CODE_METADATA, membershipHandlers, type Principal } from '@tessera/transport';
import type { RemoveMemberRequest__Output, RemoveMemberResponse } from '@tessera/wire';
import { judgeRemoval, removalGuard, takeOutOfPlacement, type RemovalRecord } from '../src/admin/removal.js';
import { Harness, T0, chunkCommit, topologyAndTenants } from './support/metadata-fixtures.js';

afterEach(async () => {
  await Harness.closeAll();
});

describe('judgeRemoval', () => {
  const facts = { force: false, voter: true, votersAfter: 4, chunksOnNode: 0 };

  it('allows a drained member when enough voters remain, overriding nothing', () => {
    expect(judgeRemoval(facts)).toEqual({ kind: 'allowed', overridden: [] });
    expect(judgeRemoval({ ...facts, voter: false, votersAfter: 3 })).toEqual({ kind: 'allowed', overridden: [] });
    // A learner's removal changes no voter count, even in a small group.
    expect(judgeRemoval({ ...facts, voter: false, votersAfter: 1 })).toEqual({ kind: 'allowed', overridden: [] });
  });

  it('refuses a member holding shards, and one leaving fewer than three voters; shards are named first', () => {
    expect(judgeRemoval({ ...facts, chunksOnNode: 7 })).toMatchObject({ kind: 'refused', code: ErrorCodes.NODE_HOLDS_SHARDS });
    expect(judgeRemoval({ ...facts, votersAfter: 2 })).toMatchObject({ kind: 'refused', code: ErrorCodes.TOO_FEW_VOTERS });
    expect(judgeRemoval({ ...facts, votersAfter: 1 })).toMatchObject({ kind: 'refused', code: ErrorCodes.TOO_FEW_VOTERS });
    expect(judgeRemoval({ ...facts, votersAfter: 2, chunksOnNode: 1 })).toMatchObject({ kind: 'refused', code: ErrorCodes.NODE_HOLDS_SHARDS });
  });

  it('force lets both through and lists what it overrode', () => {
    expect(judgeRemoval({ ...facts, force: true })).toEqual({ kind: 'allowed', overridden: [] });
    expect(judgeRemoval({ ...facts, force: true, chunksOnNode: 3, votersAfter: 2 })).toEqual({ kind: 'allowed', overridden: ['node-holds-shards', 'too-few-voters'] });
  });
});

const admin: Principal = { kind: 'admin', name: 'ops', spiffeId: 'spiffe://test.example/admin/ops', trustDomain: 'test.example' };

interface Fixture {
  readonly h: Harness;
  readonly handlers: ReturnType<typeof membershipHandlers>;
  readonly changes: Array<{ change: ConfChange; force: boolean }>;
  readonly lines: Array<Record<string, unknown>>;
  readonly allowed: RemovalRecord[];
  conf: ConfState;
}

/**
 * The metadata table of topologyAndTenants (n1-n3, device d1 each) plus an
 * empty n4; chunk 1 has a slot on n1, n2 and n3. Voters n1-n4, learner n5.
 */
async function fixture(): Promise<Fixture> {
  const h = await Harness.inMemory();
  const results = await h.run(
    ...topologyAndTenants([{ id: 'a' }]),
    { op: 'registerNode', timeMs: T0, node: { nodeId: 'n4', address: '127.0.0.1:704' } },
    { op: 'addDevice', timeMs: T0, device: { nodeId: 'n4', deviceId: 'd1', pool: 'default', capacityBytes: 1 << 30, state: 'healthy' } },
    { op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1) },
  );
  for (const r of results) expect(r.kind).not.toBe('error');
  const f: Fixture = { h, changes: [], lines: [], allowed: [], conf: { voters: ['n1', 'n2', 'n3', 'n4'], learners: ['n5'] }, handlers: undefined as never };
  const node = {
    status: () => ({ id: 'n1', role: StateRole.Leader, lead: 'n1', term: 3, commit: 9, applied: 9, confState: f.conf }),
    proposeConfChange: async (change: ConfChange, options: { force?: boolean } = {}) => {
      f.changes.push({ change, force: options.force === true });
      if (change.type === 'removeNode') f.conf = { voters: f.conf.voters.filter((v) => v !== change.nodeId), learners: f.conf.learners.filter((v) => v !== change.nodeId) };
      return f.conf;
    },
  } as unknown as RaftNode<unknown>;
  const beforeRemove = removalGuard({
    machine: h.machine,
    readBarrier: async () => undefined,
    principalOf: () => admin,
    logger: new Logger({ level: 'info', sink: { write: (line) => f.lines.push(JSON.parse(line) as Record<string, unknown>) } }),
    onAllowed: (record) => f.allowed.push(record),
  });
  const view = { node, clusterId: () => 'c-1', progress: () => new Map(), snapshotIndex: () => 0, firstLogIndex: () => 1 };
  const afterRemove = async (removal: { id: string }): Promise<void> => {
    await takeOutOfPlacement({ machine: h.machine, proposer: { propose: (cmd) => h.one(cmd) }, clock: () => T0 + 5, logger: new Logger({ level: 'error', sink: { write: () => undefined } }) }, removal.id);
  };
  return Object.assign(f, { handlers: membershipHandlers(view, { beforeRemove, afterRemove }) });
}

type Outcome = { ok: true } | { ok: false; code: string | undefined; status: grpc.status | undefined };

function remove(f: Fixture, id: string, force = false): Promise<Outcome> {
  return new Promise((resolve) => {
    const call = { request: { id, force }, getAuthContext: () => ({}) } as unknown as grpc.ServerUnaryCall<RemoveMemberRequest__Output, RemoveMemberResponse>;
    f.handlers.RemoveMember(call, (err) => {
      if (err === null || err === undefined) return resolve({ ok: true });
      const e = err as Partial<grpc.StatusObject>;
      const code = e.metadata?.get(ERROR_CODE_METADATA)[0];
      resolve({ ok: false, code: typeof code === 'string' ? code : undefined, status: e.code });
    });
  });
}

describe('RemoveMember with the safety rules', () => {
  it('refuses a node whose device holds a current shard (FAILED_PRECONDITION, NODE_HOLDS_SHARDS), changing nothing', async () => {
    const f = await fixture();
    expect(await remove(f, 'n3')).toEqual({ ok: false, code: ErrorCodes.NODE_HOLDS_SHARDS, status: 9 });
    expect(f.changes).toEqual([]);
    expect(f.allowed).toEqual([]);
  });

  it('removes a drained node (failed device repaired away) and a learner, overriding nothing and logging no override', async () => {
    const f = await fixture();
    expect(await remove(f, 'n4')).toEqual({ ok: true });
    expect(await remove(f, 'n5')).toEqual({ ok: true });
    expect(f.changes).toEqual([
      { change: { type: 'removeNode', nodeId: 'n4' }, force: false },
      { change: { type: 'removeNode', nodeId: 'n5' }, force: false },
    ]);
    expect(f.allowed).toEqual([
      { memberId: 'n4', principal: admin.spiffeId, forced: false, overridden: [] },
      { memberId: 'n5', principal: admin.spiffeId, forced: false, overridden: [] },
    ]);
    expect(f.lines.filter((l) => l['level'] === 'info')).toEqual([]);
    // The removed node's device left placement: no gateway puts a new shard on a node that is gone.
    expect(f.h.machine.devices().find((d) => d.nodeId === 'n4')?.state).toBe('failed');
    expect(f.h.machine.devices().find((d) => d.nodeId === 'n3')?.state).toBe('healthy');
  });

  it('takes a force-removed node\'s devices out of placement, so repair moves what it still held', async () => {
    const f = await fixture();
    expect(await remove(f, 'n3', true)).toEqual({ ok: true });
    expect(f.h.machine.devices().find((d) => d.nodeId === 'n3')?.state).toBe('failed');
    // Only healthy, degraded or evacuating devices change; failed or removed ones stay as they are.
    expect(await takeOutOfPlacement({ machine: f.h.machine, proposer: { propose: (cmd) => f.h.one(cmd) }, clock: () => T0, logger: new Logger({ level: 'error', sink: { write: () => undefined } }) }, 'n3')).toBe(0);
  });

  it('counts current slots only: once repair moved chunk 1 off n3, n3 may go', async () => {
    const f = await fixture();
    expect(await remove(f, 'n3')).toMatchObject({ code: ErrorCodes.NODE_HOLDS_SHARDS });
    const record = f.h.machine.chunk(Buffer.alloc(32, 1))!;
    // A repair in place: same writeId, the n3 slot now on n4 (the n3 slot goes to the retired list).
    const moved = await f.h.one({
      op: 'replacePlacement',
      timeMs: T0 + 1,
      chunkId: Buffer.from(record.chunkId),
      oldWriteId: Buffer.from(record.writeId),
      newWriteId: Buffer.from(record.writeId),
      slots: record.slots.map((s) => (s.nodeId === 'n3' ? { ...s, nodeId: 'n4' } : s)),
      sysEpoch: record.sysEpoch,
      tenEpoch: record.tenEpoch,
      gatewayTimeMs: T0 + 1,
    });
    expect(moved.kind).not.toBe('error');
    expect(await remove(f, 'n3')).toEqual({ ok: true });
  });

  it('refuses a removal leaving two voters (TOO_FEW_VOTERS) unless forced; force reaches Raft and is logged with the principal', async () => {
    const f = await fixture();
    expect(await remove(f, 'n4')).toEqual({ ok: true });
    // n1-n3 are voters and hold shards: both rules apply; the shards are named.
    expect(await remove(f, 'n2')).toMatchObject({ ok: false, code: ErrorCodes.NODE_HOLDS_SHARDS });
    expect(await remove(f, 'n2', true)).toEqual({ ok: true });
    expect(f.changes.at(-1)).toEqual({ change: { type: 'removeNode', nodeId: 'n2' }, force: true });
    expect(f.allowed.at(-1)).toEqual({ memberId: 'n2', principal: admin.spiffeId, forced: true, overridden: ['node-holds-shards', 'too-few-voters'] });
    const forced = f.lines.filter((l) => l['level'] === 'info');
    expect(forced).toHaveLength(1);
    expect(forced[0]).toMatchObject({ member: 'n2', principal: admin.spiffeId, overridden: 'node-holds-shards,too-few-voters' });
  });

  it('a voter-count refusal alone: a drained voter of three', async () => {
    const f = await fixture();
    f.conf = { voters: ['n1', 'n2', 'n4'], learners: [] };
    expect(await remove(f, 'n4')).toEqual({ ok: false, code: ErrorCodes.TOO_FEW_VOTERS, status: 9 });
    expect(f.changes).toEqual([]);
  });
});
