/**
 * Serving under a grant (issue #9), with injected clocks: the prefix seal
 * (round trip, binding, the cleartext never in the command bytes), the pure
 * decision (mode, prefix, listing narrowed), the clock rule (an entry
 * applied within 3 s, its timestamp within 5 s), and the gate over a real
 * metadata machine: every call is audited before it is served, refusals
 * look alike, and a grant stops with its expiry.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, Logger, TesseraError } from '@tessera/common';
import { KeyMaterial } from '@tessera/crypto';
import { EntryType } from '@tessera/raft';
import { encodeMetadataCommand, type MetadataCommand } from '../src/metadata/commands.js';
import { MetadataMachine, type MetadataResult } from '../src/metadata/machine.js';
import type { NodeKeys } from '../src/data/node-keys.js';
import { decideGrantedCall, type GrantCandidate } from '../src/access/decide.js';
import { MAX_CLOCK_SKEW_MS, MAX_ENTRY_AGE_MS, leaderFreshness } from '../src/access/freshness.js';
import { GrantGate } from '../src/access/gate.js';
import { grantIdOf } from '../src/access/ids.js';
import { openScope, sealScope, sealedScopeEpoch, type ScopeBinding } from '../src/access/prefix-seal.js';
import { AccessExpiryDuty } from '../src/access/expiry.js';
import { Harness, T0, topologyAndTenants } from './support/metadata-fixtures.js';
import { requestIdOf } from './support/access-fixtures.js';

const quiet = new Logger({ level: 'error', sink: { write: () => undefined } });
const tdk = KeyMaterial.fromBytes(Buffer.alloc(32, 0x11));
const tik = KeyMaterial.fromBytes(Buffer.alloc(32, 0x22));
const binding: ScopeBinding = { tenant: 'acme', requestId: requestIdOf(1), mode: 'read', durationMs: 60_000 };

describe('prefix sealing', () => {
  it('round-trips prefix and reason; the cleartext is nowhere in the request command', () => {
    const scope = { prefix: 'invoices/2026/secret-project/', reason: 'ticket 4711 about secret-project' };
    const sealed = sealScope(binding, scope, tdk, 3);
    expect(sealedScopeEpoch(sealed)).toBe(3);
    expect(openScope(binding, sealed, tdk)).toEqual(scope);
    const bytes = encodeMetadataCommand({ op: 'accessRequest', timeMs: T0, ...binding, requester: 'ops', prefixSealed: sealed });
    for (const text of ['secret-project', 'invoices/2026', 'ticket 4711']) expect(bytes.includes(Buffer.from(text, 'utf8'))).toBe(false);
  });

  it('opens only with the same key, tenant, request, mode and duration, and unchanged bytes', () => {
    const sealed = sealScope(binding, { prefix: 'a/', reason: '' }, tdk, 1);
    const auth = expect.objectContaining({ code: ErrorCodes.CRYPTO_AUTH_FAILED });
    expect(() => openScope(binding, sealed, KeyMaterial.fromBytes(Buffer.alloc(32, 0x12)))).toThrow(auth);
    expect(() => openScope({ ...binding, tenant: 'bolt' }, sealed, tdk)).toThrow(auth);
    expect(() => openScope({ ...binding, requestId: requestIdOf(2) }, sealed, tdk)).toThrow(auth);
    expect(() => openScope({ ...binding, mode: 'read-write' }, sealed, tdk)).toThrow(auth);
    expect(() => openScope({ ...binding, durationMs: 60_001 }, sealed, tdk)).toThrow(auth);
    for (let i = 0; i < sealed.length; i++) {
      const tampered = Buffer.from(sealed);
      tampered[i]! ^= 1;
      expect(() => openScope(binding, tampered, tdk)).toThrow(TesseraError);
    }
    expect(() => openScope(binding, sealed.subarray(0, 20), tdk)).toThrow(expect.objectContaining({ code: ErrorCodes.CRYPTO_BAD_ENVELOPE }));
  });

  it('refuses a prefix or reason over 1 KiB', () => {
    expect(() => sealScope(binding, { prefix: 'x'.repeat(1025), reason: '' }, tdk, 1)).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT }));
    expect(() => sealScope(binding, { prefix: '', reason: 'y'.repeat(1025) }, tdk, 1)).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT }));
  });
});

describe('the decision', () => {
  const read: GrantCandidate = { grantId: Buffer.alloc(16, 1), mode: 'read', prefix: 'reports/' };
  const rw: GrantCandidate = { grantId: Buffer.alloc(16, 2), mode: 'read-write', prefix: 'scratch/' };

  it('mode, prefix and listings', () => {
    expect(decideGrantedCall([], 'fresh', { method: 'GetObject', name: 'reports/a' })).toMatchObject({ outcome: 'no-grant', grantId: Buffer.alloc(0) });
    expect(decideGrantedCall([read], 'entry-too-old', { method: 'GetObject', name: 'reports/a' })).toMatchObject({ outcome: 'stale-clock' });
    expect(decideGrantedCall([read], 'fresh', { method: 'GetObject', name: 'reports/a' })).toMatchObject({ outcome: 'allowed', grantId: read.grantId });
    expect(decideGrantedCall([read], 'fresh', { method: 'StatObject', name: 'report' })).toMatchObject({ outcome: 'outside-prefix' });
    expect(decideGrantedCall([read], 'fresh', { method: 'PutObject', name: 'reports/a' })).toMatchObject({ outcome: 'read-only' });
    expect(decideGrantedCall([read], 'fresh', { method: 'OpenSession' })).toMatchObject({ outcome: 'read-only' });
    expect(decideGrantedCall([read], 'fresh', { method: 'ListObjects', listPrefix: '' })).toEqual({ outcome: 'allowed', grantId: read.grantId, listPrefix: 'reports/' });
    expect(decideGrantedCall([read], 'fresh', { method: 'ListObjects', listPrefix: 'reports/2026' })).toEqual({ outcome: 'allowed', grantId: read.grantId, listPrefix: 'reports/2026' });
    expect(decideGrantedCall([read], 'fresh', { method: 'ListObjects', listPrefix: 'other/' })).toMatchObject({ outcome: 'outside-prefix' });
    // The first grant that allows the call is used.
    expect(decideGrantedCall([read, rw], 'fresh', { method: 'PutObject', name: 'scratch/x' })).toMatchObject({ outcome: 'allowed', grantId: rw.grantId });
    expect(decideGrantedCall([read, rw], 'fresh', { method: 'PutChunk' })).toMatchObject({ outcome: 'allowed', grantId: rw.grantId });
    expect(decideGrantedCall([read, rw], 'fresh', { method: 'DeleteObject', name: 'reports/x' })).toMatchObject({ outcome: 'read-only', grantId: read.grantId });
  });

  it('the clock rule: an entry applied within 3 s (monotonic) whose timestamp is within 5 s of the wall clock', () => {
    const mark = { appliedAtMonotonicMs: 1_000, leaderTimeMs: T0 };
    expect(leaderFreshness(undefined, 1_000, T0)).toBe('no-entry');
    expect(leaderFreshness(mark, 1_000 + MAX_ENTRY_AGE_MS, T0)).toBe('fresh');
    expect(leaderFreshness(mark, 1_001 + MAX_ENTRY_AGE_MS, T0)).toBe('entry-too-old');
    expect(leaderFreshness(mark, 999, T0)).toBe('entry-too-old');
    expect(leaderFreshness(mark, 1_000, T0 + MAX_CLOCK_SKEW_MS)).toBe('fresh');
    expect(leaderFreshness(mark, 1_000, T0 + MAX_CLOCK_SKEW_MS + 1)).toBe('clock-skew');
    expect(leaderFreshness(mark, 1_000, T0 - MAX_CLOCK_SKEW_MS - 1)).toBe('clock-skew');
  });
});

/** A gate over a real in-memory metadata machine, with clocks the test moves. */
async function gateHarness() {
  const h = await Harness.inMemory();
  const clocks = { wall: T0, mono: 10_000 };
  const machine = await MetadataMachine.open(h.kv, { monotonicClock: () => clocks.mono });
  let index = 0;
  const propose = async (cmd: MetadataCommand): Promise<MetadataResult> => {
    const [r] = await machine.apply([{ term: 1, index: ++index, type: EntryType.Normal, data: encodeMetadataCommand(cmd) }]);
    return r!;
  };
  for (const cmd of topologyAndTenants([{ id: 'acme' }, { id: 'bolt' }])) await propose(cmd);
  const keys = {
    dataKey: async () => ({ key: tdk, epoch: 1 }),
    indexKey: async () => tik,
  } as unknown as NodeKeys;
  const gate = new GrantGate({ machine, proposer: { propose }, readBarrier: async () => undefined, keys: () => keys, clock: () => clocks.wall, monotonicClock: () => clocks.mono, logger: quiet });
  const grant = async (n: number, prefix: string, mode: 'read' | 'read-write', durationMs = 60_000): Promise<void> => {
    const requestId = requestIdOf(n);
    const prefixSealed = sealScope({ tenant: 'acme', requestId, mode, durationMs }, { prefix, reason: '' }, tdk, 1);
    expect(await propose({ op: 'accessRequest', timeMs: clocks.wall, requestId, tenant: 'acme', requester: 'ops', prefixSealed, mode, durationMs })).toMatchObject({ kind: 'ok' });
    expect(await propose({ op: 'accessApprove', timeMs: clocks.wall, tenant: 'acme', requestId, approver: 'boss' })).toMatchObject({ kind: 'ok' });
  };
  return { machine, gate, clocks, grant, propose };
}

const denied = expect.objectContaining({ code: ErrorCodes.TRANSPORT_PERMISSION_DENIED, message: 'permission denied' });

describe('the grant gate', () => {
  it('serves only under the prefix and mode of an approved grant, auditing every call first', async () => {
    const { machine, gate, grant } = await gateHarness();
    await expect(gate.authorize('ops', 'acme', { method: 'GetObject', name: 'reports/q1' })).rejects.toThrow(denied);
    await grant(1, 'reports/', 'read');
    await expect(gate.authorize('ops', 'acme', { method: 'GetObject', name: 'reports/q1' })).resolves.toEqual({ tenant: 'acme' });
    await expect(gate.authorize('ops', 'acme', { method: 'ListObjects', listPrefix: '' })).resolves.toEqual({ tenant: 'acme', listPrefix: 'reports/' });
    await expect(gate.authorize('ops', 'acme', { method: 'GetObject', name: 'private/x' })).rejects.toThrow(denied);
    await expect(gate.authorize('ops', 'acme', { method: 'PutObject', name: 'reports/new' })).rejects.toThrow(denied);
    // Another admin holds no grant; another tenant is not covered.
    await expect(gate.authorize('intruder', 'acme', { method: 'GetObject', name: 'reports/q1' })).rejects.toThrow(denied);
    await expect(gate.authorize('ops', 'bolt', { method: 'GetObject', name: 'reports/q1' })).rejects.toThrow(denied);
    // No tenant named, or one that does not exist: refused, nothing to audit against.
    await expect(gate.authorize('ops', undefined, { method: 'StatObject', name: 'reports/q1' })).rejects.toThrow(denied);
    await expect(gate.authorize('ops', 'nobody', { method: 'StatObject', name: 'reports/q1' })).rejects.toThrow(denied);
    const trail = machine.access().auditTrail('acme');
    expect(trail.map((e) => [e.admin, e.method, e.outcome])).toEqual([
      ['ops', 'GetObject', 'no-grant'],
      ['ops', 'GetObject', 'allowed'],
      ['ops', 'ListObjects', 'allowed'],
      ['ops', 'GetObject', 'outside-prefix'],
      ['ops', 'PutObject', 'read-only'],
      ['intruder', 'GetObject', 'no-grant'],
    ]);
    expect(trail[1]?.grantId).toEqual(grantIdOf(requestIdOf(1)));
    expect(trail[1]?.keyTag.byteLength).toBe(32);
    expect(trail[2]?.keyTag.byteLength).toBe(0);
    expect(machine.access().auditTrail('bolt').map((e) => e.outcome)).toEqual(['no-grant']);
  });

  it('refuses while its view of leader time is stale, and after the expiry is applied', async () => {
    const { machine, gate, grant, clocks, propose } = await gateHarness();
    await grant(1, '', 'read-write', 10_000);
    await expect(gate.authorize('ops', 'acme', { method: 'PutChunk' })).resolves.toEqual({ tenant: 'acme' });
    clocks.mono += MAX_ENTRY_AGE_MS + 1;
    await expect(gate.authorize('ops', 'acme', { method: 'PutChunk' })).rejects.toThrow(denied);
    // (The audit entry of that refusal is itself a fresh entry.)
    clocks.wall += MAX_CLOCK_SKEW_MS + 1;
    await propose({ op: 'clock', timeMs: T0 });
    await expect(gate.authorize('ops', 'acme', { method: 'PutChunk' })).rejects.toThrow(denied);
    clocks.wall = T0 + 1_000;
    await propose({ op: 'clock', timeMs: clocks.wall });
    await expect(gate.authorize('ops', 'acme', { method: 'PutChunk' })).resolves.toEqual({ tenant: 'acme' });

    const duty = new AccessExpiryDuty({ machine, proposer: { propose, isLeader: () => true }, clock: () => clocks.wall, logger: quiet });
    expect(await duty.turn()).toBe(0);
    clocks.wall = T0 + 10_000;
    expect(await duty.turn()).toBe(1);
    expect(machine.access().request('acme', requestIdOf(1))).toMatchObject({ state: 'expired', ending: 'window' });
    await propose({ op: 'clock', timeMs: clocks.wall });
    await expect(gate.authorize('ops', 'acme', { method: 'PutChunk' })).rejects.toThrow(denied);
    expect(machine.access().auditTrail('acme').map((e) => e.outcome)).toEqual(['allowed', 'stale-clock', 'stale-clock', 'allowed', 'no-grant']);
    const follower = new AccessExpiryDuty({ machine, proposer: { propose, isLeader: () => false }, clock: () => clocks.wall, logger: quiet });
    expect(await follower.turn()).toBe(0);
  });

  it('fails closed when the audit record cannot be committed', async () => {
    const { machine, grant } = await gateHarness();
    await grant(1, '', 'read');
    const refusing = new GrantGate({
      machine,
      proposer: { propose: async () => ({ kind: 'error', index: 1, code: ErrorCodes.RAFT_REJECTED, retriable: true, duplicate: false }) },
      readBarrier: async () => undefined,
      keys: () => ({ dataKey: async () => ({ key: tdk, epoch: 1 }), indexKey: async () => tik }) as unknown as NodeKeys,
      clock: () => T0,
      monotonicClock: () => 10_000,
      logger: quiet,
    });
    await expect(refusing.authorize('ops', 'acme', { method: 'GetObject', name: 'x' })).rejects.toThrow(denied);
  });
});
