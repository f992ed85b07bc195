/**
 * The access-grant rules of the metadata state machine (issue #9): only
 * pending requests are decided, approval opens the window at the leader
 * time, expiry only once the window ended by leader time, revocation, the
 * per-tenant bounds, the audit trail, purge — and that all of it survives
 * the snapshot image and the LevelDB store with the same digest.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { decodeMetadataImage, encodeMetadataImage, metadataDigest } from '../src/metadata/image.js';
import { MetadataMachine } from '../src/metadata/machine.js';
import { ACCESS_LIMITS } from '../src/access/types.js';
import { Harness, T0, topologyAndTenants } from './support/metadata-fixtures.js';
import { approveCmd, auditCmd, denyCmd, expiredCmd, grantOf, requestCmd, requestIdOf, revokeCmd } from './support/access-fixtures.js';

async function harness(): Promise<Harness> {
  const h = await Harness.inMemory();
  await h.run(...topologyAndTenants([{ id: 'acme' }, { id: 'bolt' }]));
  return h;
}

const refusal = (code: string) => expect.objectContaining({ kind: 'error', code });

describe('access requests and grants', () => {
  it('a request is pending until a decision; approval opens [leader time, + duration)', async () => {
    const h = await harness();
    expect(await h.one(requestCmd(1, { durationMs: 60_000 }))).toMatchObject({ kind: 'ok' });
    expect(h.machine.access().request('acme', requestIdOf(1))).toMatchObject({ state: 'pending', requester: 'ops', createdMs: T0 });
    expect(h.machine.access().activeGrants('ops', 'acme', T0)).toEqual([]);
    await h.one({ op: 'clock', timeMs: T0 + 5_000 });
    // The proposer's stamp is older than the leader time already applied: the state's "now" never moves back.
    expect(await h.one(approveCmd(1, T0 + 1_000))).toMatchObject({ kind: 'ok' });
    const grant = h.machine.access().request('acme', requestIdOf(1));
    expect(grant).toMatchObject({ state: 'approved', decidedBy: 'boss', notBeforeMs: T0 + 5_000, notAfterMs: T0 + 65_000 });
    expect(h.machine.access().activeGrants('ops', 'acme', T0 + 64_999)).toHaveLength(1);
    expect(h.machine.access().activeGrants('ops', 'acme', T0 + 65_000)).toEqual([]);
    // Only its requester holds it, on its tenant only.
    expect(h.machine.access().activeGrants('other', 'acme', T0 + 6_000)).toEqual([]);
    expect(h.machine.access().activeGrants('ops', 'bolt', T0 + 6_000)).toEqual([]);
  });

  it('only a pending request can be approved or denied', async () => {
    const h = await harness();
    await h.run(requestCmd(1), requestCmd(2));
    expect(await h.one(denyCmd(1))).toMatchObject({ kind: 'ok' });
    expect(await h.one(approveCmd(1))).toEqual(refusal(ErrorCodes.ACCESS_BAD_STATE));
    expect(await h.one(denyCmd(1))).toEqual(refusal(ErrorCodes.ACCESS_BAD_STATE));
    expect(await h.one(approveCmd(2))).toMatchObject({ kind: 'ok' });
    expect(await h.one(approveCmd(2))).toEqual(refusal(ErrorCodes.ACCESS_BAD_STATE));
    expect(await h.one(denyCmd(2))).toEqual(refusal(ErrorCodes.ACCESS_BAD_STATE));
    expect(h.machine.access().request('acme', requestIdOf(1))?.state).toBe('denied');
    expect(h.machine.access().request('acme', requestIdOf(2))?.state).toBe('approved');
  });

  it('requests and grants belong to their tenant: another tenant cannot decide, revoke or expire them', async () => {
    const h = await harness();
    await h.run(requestCmd(1), approveCmd(1), requestCmd(2));
    expect(await h.one(approveCmd(2, T0, 'bolt'))).toEqual(refusal(ErrorCodes.NOT_FOUND));
    expect(await h.one(denyCmd(2, T0, 'bolt'))).toEqual(refusal(ErrorCodes.NOT_FOUND));
    expect(await h.one(revokeCmd(1, T0, 'bolt'))).toEqual(refusal(ErrorCodes.NOT_FOUND));
    expect(await h.one(expiredCmd(1, T0 + 120_000, 'bolt'))).toEqual(refusal(ErrorCodes.NOT_FOUND));
    expect(h.machine.access().request('acme', requestIdOf(2))?.state).toBe('pending');
  });

  it('a request names an active tenant, and an unused request id', async () => {
    const h = await harness();
    expect(await h.one(requestCmd(1, { tenant: 'nobody' }))).toEqual(refusal(ErrorCodes.NOT_FOUND));
    await h.one(requestCmd(1));
    expect(await h.one(requestCmd(1))).toEqual(refusal(ErrorCodes.ACCESS_BAD_STATE));
    await h.one({ op: 'disableTenant', timeMs: T0, tenant: 'bolt' });
    expect(await h.one(requestCmd(2, { tenant: 'bolt' }))).toEqual(refusal(ErrorCodes.TENANT_NOT_ACTIVE));
  });

  it('expiry applies only once the window ended by leader time; a revoke ends a grant at once; both then no-ops', async () => {
    const h = await harness();
    await h.run(requestCmd(1, { durationMs: 10_000 }), approveCmd(1), requestCmd(2), approveCmd(2));
    expect(h.machine.access().dueExpiries(T0 + 9_999)).toEqual([]);
    expect(h.machine.access().dueExpiries(T0 + 10_000).map((d) => d.grantId)).toEqual([grantOf(1)]);
    expect(await h.one(expiredCmd(1, T0 + 9_999))).toEqual(refusal(ErrorCodes.ACCESS_BAD_STATE));
    expect(h.machine.access().request('acme', requestIdOf(1))?.state).toBe('approved');
    expect(await h.one(expiredCmd(1, T0 + 10_000))).toMatchObject({ kind: 'ok' });
    expect(h.machine.access().request('acme', requestIdOf(1))).toMatchObject({ state: 'expired', ending: 'window', endedMs: T0 + 10_000 });
    expect(await h.one(expiredCmd(1, T0 + 10_001))).toMatchObject({ kind: 'ok' });
    expect(await h.one(revokeCmd(2, T0 + 10_002))).toMatchObject({ kind: 'ok' });
    expect(h.machine.access().request('acme', requestIdOf(2))).toMatchObject({ state: 'expired', ending: 'revoked', endedBy: 'boss' });
    expect(h.machine.access().activeGrants('ops', 'acme', T0 + 10_003)).toEqual([]);
    expect(await h.one(revokeCmd(2, T0 + 10_004))).toMatchObject({ kind: 'ok' });
    // A pending request has no grant yet: nothing to revoke or expire.
    await h.one(requestCmd(3));
    expect(await h.one(revokeCmd(3))).toEqual(refusal(ErrorCodes.NOT_FOUND));
  });

  it('bounds open requests per tenant and keeps only the newest closed records', async () => {
    const h = await harness();
    for (let i = 1; i <= ACCESS_LIMITS.openPerTenant; i++) expect(await h.one(requestCmd(i))).toMatchObject({ kind: 'ok' });
    expect(await h.one(requestCmd(200))).toEqual(refusal(ErrorCodes.ACCESS_BAD_STATE));
    expect(await h.one(requestCmd(1, { tenant: 'bolt' }))).toMatchObject({ kind: 'ok' });
    for (let i = 1; i <= ACCESS_LIMITS.openPerTenant; i++) await h.one(denyCmd(i, T0 + i));
    const records = h.machine.access().records('acme');
    expect(records).toHaveLength(ACCESS_LIMITS.closedPerTenant);
    // The oldest denials went first.
    expect(records.map((r) => r.decidedMs).sort((a, b) => a - b)[0]).toBe(T0 + ACCESS_LIMITS.openPerTenant - ACCESS_LIMITS.closedPerTenant + 1);
    expect(await h.one(requestCmd(200))).toMatchObject({ kind: 'ok' });
  });
});

describe('the grant audit trail', () => {
  it('appends entries with the leader time, names only grants of the tenant, and keeps the newest', async () => {
    const h = await harness();
    await h.run(requestCmd(1), approveCmd(1));
    expect(await h.one(auditCmd(1, { timeMs: T0 + 7 }))).toMatchObject({ kind: 'ok' });
    expect(await h.one(auditCmd(undefined))).toMatchObject({ kind: 'ok' });
    expect(await h.one(auditCmd(1, { tenant: 'bolt' }))).toEqual(refusal(ErrorCodes.NOT_FOUND));
    expect(await h.one(auditCmd(9))).toEqual(refusal(ErrorCodes.NOT_FOUND));
    expect(h.machine.access().auditTrail('acme')).toEqual([
      expect.objectContaining({ seq: 1, timeMs: T0 + 7, grantId: grantOf(1), outcome: 'allowed', method: 'GetObject' }),
      expect.objectContaining({ seq: 2, timeMs: T0 + 7, grantId: Buffer.alloc(0), outcome: 'no-grant' }),
    ]);
    expect(h.machine.access().auditTrail('bolt')).toEqual([]);
  });

  it('drops the oldest entries beyond the bound (the digest still matches a restored copy)', async () => {
    const h = await harness();
    await h.run(requestCmd(1), approveCmd(1));
    const n = ACCESS_LIMITS.auditPerTenant + 5;
    await h.run(...Array.from({ length: n }, () => auditCmd(1, { method: 'StatObject' })));
    const trail = h.machine.access().auditTrail('acme');
    expect(trail).toHaveLength(ACCESS_LIMITS.auditPerTenant);
    expect(trail[0]?.seq).toBe(6);
    expect(trail.at(-1)?.seq).toBe(n);
    await h.machine.flush();
    const reopened = await MetadataMachine.open(h.kv);
    expect(reopened.digest()).toBe(h.machine.digest());
    expect(reopened.access().auditTrail('acme').map((e) => e.seq)).toEqual(trail.map((e) => e.seq));
  });
});

describe('persistence', () => {
  it('image, store and digest carry requests, grants and the trail; purge drops them', async () => {
    const h = await harness();
    await h.run(requestCmd(1), approveCmd(1), requestCmd(2), denyCmd(2), requestCmd(3, { mode: 'read-write' }), auditCmd(1), auditCmd(undefined), requestCmd(4, { tenant: 'bolt' }));
    const image = await h.machine.snapshot();
    const { state } = decodeMetadataImage(image);
    expect(encodeMetadataImage(state, h.machine.appliedIndex()).equals(Buffer.from(image))).toBe(true);
    expect(metadataDigest(state, h.machine.appliedIndex())).toBe(h.machine.digest());
    expect(state.access.records('acme').map((r) => r.state).sort()).toEqual(['approved', 'denied', 'pending']);
    await h.machine.flush();
    const reopened = await MetadataMachine.open(h.kv);
    expect(reopened.digest()).toBe(h.machine.digest());
    const before = h.machine.digest();
    await h.one(revokeCmd(1));
    expect(h.machine.digest()).not.toBe(before);

    await h.one({ op: 'purgeTenant', timeMs: T0, tenant: 'acme' });
    expect(h.machine.access().records('acme')).toEqual([]);
    expect(h.machine.access().auditTrail('acme')).toEqual([]);
    expect(h.machine.access().records('bolt')).toHaveLength(1);
    await h.machine.flush();
    const afterPurge = await MetadataMachine.open(h.kv);
    expect(afterPurge.digest()).toBe(h.machine.digest());
    expect(afterPurge.access().records('acme')).toEqual([]);
  });

  it('records when the last metadata entry was applied (monotonic) and its leader timestamp', async () => {
    let mono = 100;
    const h = await Harness.inMemory();
    const machine = await MetadataMachine.open(h.kv, { monotonicClock: () => mono });
    expect(machine.lastLeaderEntry()).toBeUndefined();
    await machine.apply([h.entry({ op: 'clock', timeMs: T0 + 42 })]);
    expect(machine.lastLeaderEntry()).toEqual({ appliedAtMonotonicMs: 100, leaderTimeMs: T0 + 42 });
    mono = 250;
    await machine.apply([h.entry({ op: 'clock', timeMs: T0 + 43 })]);
    expect(machine.lastLeaderEntry()).toEqual({ appliedAtMonotonicMs: 250, leaderTimeMs: T0 + 43 });
  });
});
