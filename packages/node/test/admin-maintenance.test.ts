/**
 * Admin MaintenanceStatus, StartScrub and Compact (issues #8/#9) and the
 * redundancy line of ClusterOverview: over a real in-memory metadata
 * machine (compaction commits through it), a real repair queue, and a
 * stand-in for the rest of the leader's maintenance.
 */
import type * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { StateRole } from '@tessera/raft';
import { ERROR_CODE_METADATA, LEADER_METADATA } from '@tessera/transport';
import type { CompactResponse, MaintenanceStatusResponse, StartScrubResponse } from '@tessera/wire';
import { maintenanceHandlers, type MaintenanceAdminView } from '../src/admin/maintenance.js';
import { redundancyOf, type MaintenanceControl } from '../src/admin/maintenance-wire.js';
import { operatorHandlers } from '../src/admin/operator.js';
import type { PlacementScrubProgress } from '../src/maintenance/placement-scrub.js';
import { RepairQueue, type RepairReport, type RepairTask } from '../src/maintenance/repair-queue.js';
import { Harness, T0, chunkCommit, chunkIdOf, deleteCmd, keyTagOf, putCmd, topologyAndTenants } from './support/metadata-fixtures.js';

type Outcome<Res> = { ok: true; value: Res } | { ok: false; code: string | undefined; leader: string | undefined; grpcCode: number | undefined };

function call<Req, Res>(handler: grpc.handleUnaryCall<Req, Res>, request: Partial<Req>): Promise<Outcome<Res>> {
  return new Promise((resolve) => {
    handler({ request } as unknown as grpc.ServerUnaryCall<Req, Res>, (err, value) => {
      if (err !== null && err !== undefined) {
        const status = err as Partial<grpc.StatusObject>;
        const code = status.metadata?.get(ERROR_CODE_METADATA)[0];
        const leader = status.metadata?.get(LEADER_METADATA)[0];
        resolve({ ok: false, code: typeof code === 'string' ? code : undefined, leader: typeof leader === 'string' ? leader : undefined, grpcCode: status.code });
      } else resolve({ ok: true, value: value as Res });
    });
  });
}

function ok<Res>(outcome: Outcome<Res>): Res {
  if (!outcome.ok) throw new Error(`call failed: ${outcome.code ?? '?'}`);
  return outcome.value;
}

const PASS: PlacementScrubProgress = { scanned: 10, total: 10, missing: 0, corrupt: 0, badDevice: 0, unreachable: 0, underProtected: 0, repaired: 0, queued: 0, startedAt: T0, finishedAt: T0 + 500 };

/** The leader's maintenance: a real repair queue, the rest scripted. */
class FakeMaintenance implements MaintenanceControl {
  running = false;
  last: PlacementScrubProgress | undefined = undefined;
  passes = 0;
  deviceState: 'disabled' | 'running' | 'resting' = 'resting';
  readonly queue: RepairQueue;
  readonly placementScrub = {
    progress: (): PlacementScrubProgress => (this.running ? { ...PASS, scanned: 3, finishedAt: 0, startedAt: T0 + 1_000 } : (this.last ?? PASS)),
    lastPass: (): PlacementScrubProgress | undefined => this.last,
    passesCompleted: (): number => this.passes,
    isRunning: (): boolean => this.running,
  };
  readonly evacuator = { status: () => [{ nodeId: 'n2', deviceId: 'd1', state: 'evacuating' as const, remaining: 4, done: false }] };
  readonly reencrypter = { progress: () => ({ targetEpoch: 3, remaining: { '2': 5, '1': 1 }, rewritten: 7, failed: 1, deferred: 2 }) };
  readonly deviceScrubber = { status: () => ({ badRecords: 2, quarantined: 2, rounds: 4, bytesScanned: 1 << 20 }) };

  constructor(run: (task: RepairTask) => Promise<RepairReport>) {
    let t = T0;
    this.queue = new RepairQueue(run, { concurrency: 1, clock: () => (t += 5) });
  }

  deviceScrubState(): 'disabled' | 'running' | 'resting' {
    return this.deviceState;
  }

  startPlacementScrub(): boolean {
    if (this.running) return false;
    this.running = true;
    return true;
  }

  startDeviceScrub(): 'started' | 'running' | 'disabled' {
    return this.deviceState === 'resting' ? 'started' : this.deviceState;
  }
}

const task = (n: number, reason: RepairTask['reason']): RepairTask => ({ chunkId: chunkIdOf(n), writeId: Buffer.alloc(16, n), judged: [], reason, knownBad: [0], vacate: [] });

interface Fixture {
  readonly h: Harness;
  readonly m: FakeMaintenance;
  readonly handlers: ReturnType<typeof maintenanceHandlers>;
  leader: boolean;
  started: boolean;
}

/** Tenant a: keyTag 1 put twice (the first superseded, releasing chunk 1), keyTag 2 put then deleted; tenant b: nothing. */
async function fixture(): Promise<Fixture> {
  const h = await Harness.inMemory();
  for (const r of await h.run(...topologyAndTenants([{ id: 'a' }, { id: 'b' }]), ...[1, 2].map((n) => ({ op: 'commitChunk' as const, timeMs: T0, chunk: chunkCommit(n) })))) {
    expect(r.kind).not.toBe('error');
  }
  const c = await h.openSession();
  const s = (seq: number) => ({ clientId: c, seq, ackedThrough: seq - 1 });
  await h.run(
    { op: 'addPendingRef', timeMs: T0, session: s(1), tenant: 'a', chunkId: chunkIdOf(1) },
    { op: 'addPendingRef', timeMs: T0, session: s(2), tenant: 'a', chunkId: chunkIdOf(2) },
  );
  expect(await h.one(putCmd('a', s(3), keyTagOf(1), [chunkIdOf(1)]))).toMatchObject({ kind: 'delta' });
  expect(await h.one(putCmd('a', s(4), keyTagOf(1), [chunkIdOf(2)]))).toMatchObject({ kind: 'delta' });
  expect(await h.one(deleteCmd('a', s(5), keyTagOf(2)))).toMatchObject({ kind: 'delta' });
  const m = new FakeMaintenance(async (t) => (t.reason === 'missing' ? { outcome: 'ok', moved: [{ shardIndex: 0, from: { nodeId: 'n1', deviceId: 'd1' }, to: { nodeId: 'n3', deviceId: 'd1' }, rebuilt: true }] } : { outcome: 'stale', moved: [] }));
  const f: Fixture = { h, m, leader: true, started: true, handlers: undefined as never };
  const view: MaintenanceAdminView = {
    localNodeId: 'n1',
    machine: h.machine,
    raft: { status: () => ({ id: 'n1', role: f.leader ? StateRole.Leader : StateRole.Follower, lead: f.leader ? 'n1' : 'n2', term: 3, commit: 1, applied: 1, confState: { voters: ['n1', 'n2', 'n3'], learners: [] } }) },
    readBarrier: async () => undefined,
    propose: (command) => h.one(command),
    maintenance: () => (f.started ? m : undefined),
    // Tombstones expire after an hour: the one of keyTag 2 is not due at T0.
    tombstoneTtlMs: 3_600_000,
    clock: () => T0 + 10,
  };
  return Object.assign(f, { handlers: maintenanceHandlers(view) });
}

afterEach(async () => {
  await Harness.closeAll();
});

describe('redundancyOf', () => {
  it('is full only after a clean pass with no repair waiting or running', () => {
    expect(redundancyOf(undefined, { queued: 0, running: 0 })).toBe('unknown');
    expect(redundancyOf(PASS, { queued: 0, running: 0 })).toBe('full');
    expect(redundancyOf(PASS, { queued: 1, running: 0 })).toBe('repairing');
    expect(redundancyOf(undefined, { queued: 0, running: 1 })).toBe('repairing');
    for (const bad of ['missing', 'corrupt', 'badDevice', 'unreachable', 'underProtected'] as const) {
      expect(redundancyOf({ ...PASS, [bad]: 1 }, { queued: 0, running: 0 }), bad).toBe('degraded');
    }
  });
});

describe('Admin MaintenanceStatus', () => {
  it('reports scrub passes, the repair queue with counters and history (chunk ids cut to 16 hex digits), evacuations, re-encryption and the device scrub', async () => {
    const { handlers, m } = await fixture();
    m.queue.enqueue(task(7, 'missing'));
    m.queue.enqueue(task(8, 'device'));
    await m.queue.idle();
    m.last = { ...PASS, missing: 2, queued: 2, repaired: 1 };
    m.passes = 3;
    const res = ok(await call(handlers.MaintenanceStatus, {}));
    expect(res.nodeId).toBe('n1');
    expect(res.placementScrub).toMatchObject({ running: false, passes: '3', last: { missing: '2', queued: '2', repaired: '1', startedMs: String(T0), finishedMs: String(T0 + 500) } });
    expect(res.placementScrub?.current).toBeUndefined();
    expect(res.repairs?.counts).toEqual([
      { reason: 'device', outcome: 'stale', count: '1' },
      { reason: 'missing', outcome: 'ok', count: '1' },
    ]);
    const history = res.repairs?.history ?? [];
    expect(history.map((h) => [h.chunk, h.reason, h.outcome])).toEqual([
      ['0707070707070707', 'missing', 'ok'],
      ['0808080808080808', 'device', 'stale'],
    ]);
    expect(history[0]?.moved).toEqual([{ shardIndex: 0, from: 'n1/d1', to: 'n3/d1', rebuilt: true }]);
    expect(res.repairs).toMatchObject({ queued: 0, running: 0, shardsMoved: '1' });
    expect(res.evacuations).toEqual([{ nodeId: 'n2', deviceId: 'd1', state: 'evacuating', remaining: '4', done: false }]);
    expect(res.reencryption).toEqual({
      available: true,
      targetEpoch: '3',
      remaining: [
        { epoch: '1', chunks: '1' },
        { epoch: '2', chunks: '5' },
      ],
      rewritten: '7',
      failed: '1',
      deferred: '2',
    });
    expect(res.deviceScrub).toEqual({ nodeId: 'n1', state: 'resting', badRecords: '2', quarantined: '2', rounds: '4', bytesScanned: String(1 << 20) });
    expect(res.redundancy).toBe('degraded');
    // Tenant a has a superseded delta; b has nothing; no compaction applied yet.
    expect(res.compaction).toEqual({ last: [], pendingTenants: 1 });
  });

  it('shows the pass under way next to the last finished one', async () => {
    const { handlers, m } = await fixture();
    m.last = PASS;
    m.running = true;
    const res = ok(await call(handlers.MaintenanceStatus, {}));
    expect(res.placementScrub).toMatchObject({ running: true, current: { scanned: '3', total: '10', finishedMs: '0' }, last: { scanned: '10' } });
    expect(res.redundancy).toBe('full');
  });

  it('a follower answers NOT_LEADER naming the leader; before maintenance starts the answer is retriable', async () => {
    const f = await fixture();
    f.leader = false;
    for (const outcome of [await call(f.handlers.MaintenanceStatus, {}), await call(f.handlers.StartScrub, {}), await call(f.handlers.Compact, { tenant: '' })]) {
      expect(outcome).toMatchObject({ ok: false, code: ErrorCodes.RAFT_NOT_LEADER, leader: 'n2' });
    }
    f.leader = true;
    f.started = false;
    expect(await call(f.handlers.MaintenanceStatus, {})).toMatchObject({ ok: false, grpcCode: 14 /* UNAVAILABLE */ });
  });
});

describe('Admin StartScrub', () => {
  it('starts a placement pass now, or reports the one running; wakes the device scrub when asked', async () => {
    const { handlers, m } = await fixture();
    const first = ok(await call(handlers.StartScrub, {}));
    expect(first).toMatchObject({ nodeId: 'n1', placement: 'started', device: '' });
    expect(first.placementScrub).toMatchObject({ running: true, current: { startedMs: String(T0 + 1_000) } });
    expect(ok(await call(handlers.StartScrub, { device: true }))).toMatchObject({ placement: 'running', device: 'started' });
    m.deviceState = 'disabled';
    expect(ok(await call(handlers.StartScrub, { deviceOnly: true }))).toMatchObject({ placement: '', device: 'disabled' });
  });

  it('device_only is served by any node (its own device scrub)', async () => {
    const f = await fixture();
    f.leader = false;
    const res: StartScrubResponse = ok(await call(f.handlers.StartScrub, { deviceOnly: true }));
    expect(res).toMatchObject({ placement: '', device: 'started' });
    expect(f.m.running).toBe(false);
  });
});

describe('Admin Compact', () => {
  it('commits compaction for every tenant with work and returns what the committed result dropped and released', async () => {
    const { handlers, h } = await fixture();
    const res: CompactResponse = ok(await call(handlers.Compact, { tenant: '' }));
    expect(res.remaining).toBe(0);
    expect(res.compacted).toHaveLength(1);
    const [a] = res.compacted ?? [];
    expect(a).toMatchObject({ tenant: 'a', dropped: '1', released: '1' });
    expect(Number(a!.index)).toBe(h.machine.appliedIndex());
    expect(Number(a!.timeMs)).toBeGreaterThanOrEqual(T0);
    // Nothing left: a second call commits nothing.
    expect(ok(await call(handlers.Compact, { tenant: '' }))).toEqual({ compacted: [], remaining: 0 });
    const status: MaintenanceStatusResponse = ok(await call(handlers.MaintenanceStatus, {}));
    expect(status.compaction).toEqual({ last: [{ tenant: 'a', index: a!.index, timeMs: a!.timeMs, dropped: '1', released: '1' }], pendingTenants: 0 });
  });

  it('compacts one named tenant; an unknown tenant is NOT_FOUND; a tenant with nothing to compact commits nothing', async () => {
    const { handlers, h } = await fixture();
    const before = h.machine.appliedIndex();
    expect(ok(await call(handlers.Compact, { tenant: 'b' }))).toEqual({ compacted: [], remaining: 0 });
    expect(h.machine.appliedIndex()).toBe(before);
    expect(await call(handlers.Compact, { tenant: 'nope' })).toMatchObject({ ok: false, code: ErrorCodes.NOT_FOUND });
    expect((ok(await call(handlers.Compact, { tenant: 'a' })).compacted ?? []).map((c) => c.tenant)).toEqual(['a']);
  });
});

describe('ClusterOverview redundancy line', () => {
  it('the leader reports its last pass and the redundancy; a follower says unknown', async () => {
    const f = await fixture();
    const view = (leader: boolean) =>
      operatorHandlers({
        localNodeId: 'n1',
        machine: f.h.machine,
        readBarrier: async () => undefined,
        propose: (command) => f.h.one(command),
        localUsedBytes: () => undefined,
        profile: { k: 2, m: 1 },
        raft: { status: () => ({ id: 'n1', role: leader ? StateRole.Leader : StateRole.Follower, lead: 'n1', term: 3, commit: 1, applied: 1, confState: { voters: ['n1'], learners: [] } }) },
        clusterId: () => 'c',
        progress: () => new Map(),
        clock: () => T0,
        maintenance: () => f.m,
      });
    f.m.last = { ...PASS, underProtected: 2 };
    const leader = ok(await call(view(true).ClusterOverview, {}));
    expect(leader).toMatchObject({ scrubKnown: true, redundancy: 'degraded', underProtected: '2', lastScrub: { underProtected: '2', finishedMs: String(T0 + 500) } });
    f.m.last = PASS;
    expect(ok(await call(view(true).ClusterOverview, {}))).toMatchObject({ redundancy: 'full', underProtected: '0' });
    const follower = ok(await call(view(false).ClusterOverview, {}));
    expect(follower).toMatchObject({ scrubKnown: false, redundancy: 'unknown' });
    expect(follower.lastScrub).toBeUndefined();
  });
});
