import type * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { StateRole, type ProgressStatus } from '@tessera/raft';
import { ERROR_CODE_METADATA } from '@tessera/transport';
import type { DeviceStatus } from '@tessera/wire';
import { operatorHandlers, type OperatorView } from '../src/admin/operator.js';
import { Harness, T0, chunkCommit, chunkIdOf, keyTagOf, putCmd, topologyAndTenants } from './support/metadata-fixtures.js';

type Outcome<Res> = { ok: true; value: Res } | { ok: false; code: string | undefined; details: string | undefined };

/** Calls a unary handler the way grpc-js does and collects the answer. */
function call<Req, Res>(handler: grpc.handleUnaryCall<Req, Res>, request: Partial<Req>): Promise<Outcome<Res>> {
  return new Promise((resolve) => {
    handler({ request } as unknown as grpc.ServerUnaryCall<Req, Res>, (err, value) => {
      if (err !== null && err !== undefined) {
        const meta = (err as Partial<grpc.StatusObject>).metadata?.get(ERROR_CODE_METADATA)[0];
        resolve({ ok: false, code: typeof meta === 'string' ? meta : undefined, details: (err as Partial<grpc.StatusObject>).details });
      } else resolve({ ok: true, value: value as Res });
    });
  });
}

function ok<Res>(outcome: Outcome<Res>): Res {
  if (!outcome.ok) throw new Error(`call failed: ${outcome.code ?? '?'} ${outcome.details ?? ''}`);
  return outcome.value;
}

const progressOf = (recentActive: boolean, match: number): ProgressStatus => ({ match, next: match + 1, state: 'replicate' as ProgressStatus['state'], isLearner: false, recentActive, inflight: 0 });

interface Fixture {
  readonly h: Harness;
  readonly handlers: ReturnType<typeof operatorHandlers>;
  readonly barriers: { count: number };
  progress: Map<string, ProgressStatus>;
}

/** Three nodes with one 1 GiB device each in pool `default`, tenant `a` with one object of chunks 1 and 2 (n1 is this node). */
async function fixture(): Promise<Fixture> {
  const h = await Harness.inMemory();
  for (const r of await h.run(...topologyAndTenants([{ id: 'a' }, { id: 'b' }]), ...[1, 2].map((n) => ({ op: 'commitChunk' as const, timeMs: T0, chunk: chunkCommit(n) })))) {
    expect(r.kind).not.toBe('error');
  }
  const c = await h.openSession();
  await h.run(
    { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) },
    { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 2, ackedThrough: 1 }, tenant: 'a', chunkId: chunkIdOf(2) },
  );
  expect(await h.one(putCmd('a', { clientId: c, seq: 3, ackedThrough: 2 }, keyTagOf(1), [chunkIdOf(1), chunkIdOf(2)], Buffer.from('p')))).toMatchObject({ kind: 'delta' });
  const barriers = { count: 0 };
  const f: Fixture = { h, barriers, progress: new Map(), handlers: undefined as never };
  const view: OperatorView = {
    localNodeId: 'n1',
    machine: h.machine,
    readBarrier: async () => {
      barriers.count++;
    },
    propose: (command) => h.one(command),
    localUsedBytes: (deviceId) => (deviceId === 'd1' ? 4096 : undefined),
    profile: { k: 2, m: 1 },
    raft: {
      status: () => ({
        id: 'n1',
        role: StateRole.Leader,
        lead: 'n1',
        term: 7,
        commit: h.machine.appliedIndex(),
        applied: h.machine.appliedIndex(),
        confState: { voters: ['n1', 'n2', 'n3'], learners: ['n4'], members: [{ id: 'n2', incarnationId: 'inc-2', address: '127.0.0.1:702' }] },
      }),
    },
    clusterId: () => 'cluster-1',
    progress: () => f.progress,
    clock: () => T0 + 1,
  };
  return Object.assign(f, { handlers: operatorHandlers(view) });
}

afterEach(async () => {
  await Harness.closeAll();
});

describe('Admin operator handlers: devices', () => {
  it('lists the committed device table after a read barrier, measuring only this node\'s devices', async () => {
    const { handlers, barriers } = await fixture();
    const res = ok(await call(handlers.ListDevices, {}));
    expect(barriers.count).toBe(1);
    const devices = res.devices as DeviceStatus[];
    expect(devices.map((d) => `${d.nodeId}/${d.deviceId}`)).toEqual(['n1/d1', 'n2/d1', 'n3/d1']);
    expect(devices[0]).toMatchObject({ pool: 'default', state: 'healthy', capacityBytes: String(1 << 30), usedBytes: '4096', usedKnown: true, chunks: '2' });
    // Another node's usage is not replicated: not measured here.
    expect(devices[1]).toMatchObject({ usedBytes: '0', usedKnown: false, chunks: '2' });
  });

  it('proposes a device state change and answers with the committed device', async () => {
    const { h, handlers } = await fixture();
    const res = ok(await call(handlers.SetDeviceState, { nodeId: 'n2', deviceId: 'd1', state: 'evacuating' }));
    expect(res.device).toMatchObject({ nodeId: 'n2', deviceId: 'd1', state: 'evacuating' });
    expect(h.machine.devices().find((d) => d.nodeId === 'n2')?.state).toBe('evacuating');
  });

  it('refuses a transition the state machine forbids, an unknown device and an unknown state, changing nothing', async () => {
    const { h, handlers } = await fixture();
    ok(await call(handlers.SetDeviceState, { nodeId: 'n2', deviceId: 'd1', state: 'failed' }));
    expect(await call(handlers.SetDeviceState, { nodeId: 'n2', deviceId: 'd1', state: 'healthy' })).toMatchObject({ ok: false, code: ErrorCodes.DEVICE_BAD_TRANSITION });
    expect(await call(handlers.SetDeviceState, { nodeId: 'n9', deviceId: 'd1', state: 'degraded' })).toMatchObject({ ok: false, code: ErrorCodes.UNKNOWN_DEVICE });
    const applied = h.machine.appliedIndex();
    expect(await call(handlers.SetDeviceState, { nodeId: 'n1', deviceId: 'd1', state: 'broken' })).toMatchObject({ ok: false, code: ErrorCodes.INVALID_ARGUMENT });
    expect(h.machine.appliedIndex()).toBe(applied);
    expect(h.machine.devices().find((d) => d.nodeId === 'n2')?.state).toBe('failed');
  });
});

describe('Admin operator handlers: tenants', () => {
  it('reports logical bytes, objects and quota from the committed state', async () => {
    const { handlers, barriers } = await fixture();
    const res = ok(await call(handlers.TenantUsage, { tenant: 'a' }));
    expect(barriers.count).toBe(1);
    expect(res).toEqual({ tenant: 'a', logicalBytes: String(1001 + 1002 + 1), objects: '1', quotaBytes: '0' });
    expect(ok(await call(handlers.TenantUsage, { tenant: 'b' }))).toMatchObject({ logicalBytes: '0', objects: '0' });
    expect(await call(handlers.TenantUsage, { tenant: 'nobody' })).toMatchObject({ ok: false, code: ErrorCodes.NOT_FOUND });
  });

  it('sets a quota keeping every other tenant field, and the state machine enforces it', async () => {
    const { h, handlers } = await fixture();
    const before = h.machine.tenant('a');
    const res = ok(await call(handlers.SetTenantQuota, { tenant: 'a', quotaBytes: '2500' }));
    expect(res).toMatchObject({ tenant: 'a', quotaBytes: '2500', logicalBytes: '2004' });
    expect(h.machine.tenant('a')).toEqual({ ...before, quotaBytes: 2500 });
    // Growing past the quota is refused; 0 lifts it.
    const c = await h.openSession(T0, 'a');
    await h.one({ op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) });
    expect(await h.one(putCmd('a', { clientId: c, seq: 2, ackedThrough: 1 }, keyTagOf(2), [chunkIdOf(1)], Buffer.alloc(0)))).toMatchObject({ kind: 'error', code: ErrorCodes.QUOTA_EXCEEDED });
    ok(await call(handlers.SetTenantQuota, { tenant: 'a', quotaBytes: '0' }));
    expect(await h.one(putCmd('a', { clientId: c, seq: 3, ackedThrough: 2 }, keyTagOf(2), [chunkIdOf(1)], Buffer.alloc(0)))).toMatchObject({ kind: 'delta' });
  });

  it('refuses an unknown tenant and an out-of-range quota', async () => {
    const { handlers } = await fixture();
    expect(await call(handlers.SetTenantQuota, { tenant: 'nobody', quotaBytes: '1' })).toMatchObject({ ok: false, code: ErrorCodes.NOT_FOUND });
    expect(await call(handlers.SetTenantQuota, { tenant: 'a', quotaBytes: '18446744073709551615' })).toMatchObject({ ok: false, code: ErrorCodes.INVALID_ARGUMENT });
  });
});

describe('Admin operator handlers: cluster overview', () => {
  it('reports members with the leader\'s progress, devices, pool fill with its level, tolerance, epochs and gcGrace', async () => {
    const f = await fixture();
    f.progress = new Map([
      ['n1', progressOf(true, 20)],
      ['n2', progressOf(true, 19)],
      ['n3', progressOf(false, 3)],
    ]);
    const res = ok(await call(f.handlers.ClusterOverview, {}));
    expect(res.raft).toMatchObject({ clusterId: 'cluster-1', leaderId: 'n1', term: '7', nodeId: 'n1', stateDigest: f.h.machine.digest() });
    expect(res.raft?.members?.map((m) => [m.identity?.id, m.role, m.matchIndex, m.reachable])).toEqual([
      ['n1', 'MEMBER_ROLE_VOTER', '20', true],
      ['n2', 'MEMBER_ROLE_VOTER', '19', true],
      ['n3', 'MEMBER_ROLE_VOTER', '3', false],
      ['n4', 'MEMBER_ROLE_LEARNER', '0', false],
    ]);
    expect(res.devices).toHaveLength(3);
    expect(res.minDecryptEpoch).toBe(String(f.h.machine.minDecryptEpoch()));
    expect(res.gcGraceMs).toBe('600000');
    expect(res.nodes).toBe(3);
    // Pool fill: n1 measured (4096), n2 and n3 from committed shards (ceil(1001/2) + ceil(1002/2) each).
    const [pool] = res.pools ?? [];
    expect(pool).toMatchObject({ pool: 'default', usedBytes: String(4096 + 2 * (501 + 501)), capacityBytes: String(3 * (1 << 30)), level: 'ok', nodes: 3, devices: 3, k: 2, m: 1 });
    // n3 is unreachable from the leader: 2 placeable devices cannot hold 2+1 shards.
    expect(pool).toMatchObject({ fullRedundancy: false, nodeFailures: 0, deviceFailures: 0 });
  });

  it('counts every node live on a follower, and failure tolerance follows the device states', async () => {
    const f = await fixture();
    const healthy = ok(await call(f.handlers.ClusterOverview, {}));
    expect(healthy.pools?.[0]).toMatchObject({ fullRedundancy: true, nodeFailures: 1, deviceFailures: 1, tolerance: 'can lose 1 node or 1 device' });
    ok(await call(f.handlers.SetDeviceState, { nodeId: 'n3', deviceId: 'd1', state: 'failed' }));
    const degraded = ok(await call(f.handlers.ClusterOverview, {}));
    // A failed device holds no usable space and takes no shards.
    expect(degraded.pools?.[0]).toMatchObject({ capacityBytes: String(2 * (1 << 30)), fullRedundancy: false, nodeFailures: 0 });
    expect(degraded.devices?.find((d) => d.nodeId === 'n3')?.state).toBe('failed');
  });
});
