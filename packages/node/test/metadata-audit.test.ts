/**
 * The metadata group's audit chains (issue #9, ADR 0020): which applied
 * commands append which entries to which chain, `auditAppend` batches, and
 * that the chains survive the snapshot image and the LevelDB store (with the
 * same digest), refuse to load when a stored entry was tampered with, and
 * verify against a signed head.
 */
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SYSTEM_CHAIN, decodeEntry, localEd25519Signer, signHead, tenantChain, verifyTrail, type ChainId, type ChainRecord } from '@tessera/audit';
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { AUDIT_APPEND_LIMITS, readAuditAppend, writeAuditAppend } from '../src/metadata/audit-command.js';
import { decodeMetadataCommand, encodeMetadataCommand } from '../src/metadata/commands.js';
import { decodeMetadataImage, encodeMetadataImage, metadataDigest } from '../src/metadata/image.js';
import { MetadataMachine } from '../src/metadata/machine.js';
import { grantIdOf } from '../src/access/ids.js';
import { approveCmd, auditCmd, denyCmd, expiredCmd, requestCmd, requestIdOf, revokeCmd } from './support/access-fixtures.js';
import { Harness, T0, keyTagOf, topologyAndTenants } from './support/metadata-fixtures.js';

const acme = tenantChain('acme');
const bolt = tenantChain('bolt');

async function harness(): Promise<Harness> {
  const h = await Harness.inMemory();
  await h.run(...topologyAndTenants([{ id: 'acme' }, { id: 'bolt' }]));
  return h;
}

function types(machine: MetadataMachine, chain: ChainId): string[] {
  return machine.auditEntries(chain).map((b) => decodeEntry(b).type);
}

const denial = (chain: ChainId, i: number): ChainRecord => ({
  chain,
  record: { type: 'rpc.denied', principal: `spiffe://td/tenant/acme/client/c${i}`, method: '/tessera.v1.Data/GetObject', outcome: 'denied', reason: 'kind-not-allowed', count: 3, windowStartMs: T0 },
});

describe('entries appended by applied commands', () => {
  it('tenant lifecycle goes to the tenant chain and the system chain; nodes and devices to the system chain', async () => {
    const h = await harness();
    expect(types(h.machine, acme)).toEqual(['tenant.registered']);
    expect(types(h.machine, SYSTEM_CHAIN)).toEqual([...Array.from({ length: 3 }, () => ['node.registered', 'device.added']).flat(), 'tenant.registered', 'tenant.registered']);
    await h.run(
      { op: 'setTenantQuota', timeMs: T0 + 1, tenant: 'acme', quotaBytes: 1000 },
      { op: 'disableTenant', timeMs: T0 + 2, tenant: 'acme' },
      // Idempotent repeats change nothing and append nothing.
      { op: 'disableTenant', timeMs: T0 + 3, tenant: 'acme' },
      { op: 'setDeviceState', timeMs: T0 + 4, nodeId: 'n1', deviceId: 'd1', state: 'degraded' },
      { op: 'setDeviceState', timeMs: T0 + 5, nodeId: 'n1', deviceId: 'd1', state: 'degraded' },
      { op: 'purgeTenant', timeMs: T0 + 6, tenant: 'acme' },
      { op: 'purgeTenant', timeMs: T0 + 7, tenant: 'acme' },
    );
    expect(types(h.machine, acme)).toEqual(['tenant.registered', 'tenant.quota', 'tenant.state', 'tenant.purged']);
    const entries = h.machine.auditEntries(acme).map((b) => decodeEntry(b));
    expect(entries.map((e) => e.reason)).toEqual(['active', '', 'disabled', '']);
    expect(entries.every((e) => e.targets.length === 1 && e.targets[0]?.kind === 'tenant')).toBe(true);
    const device = h.machine.auditEntries(SYSTEM_CHAIN).map((b) => decodeEntry(b)).filter((e) => e.type === 'device.state');
    expect(device).toHaveLength(1);
    expect(device[0]).toMatchObject({ reason: 'degraded', targets: [{ kind: 'device', nodeId: 'n1', deviceId: 'd1' }] });
    // The purged tenant's chain stays: an audit trail is never dropped.
    expect(h.machine.auditLength(acme)).toBe(4);
    expect(types(h.machine, bolt)).toEqual(['tenant.registered']);
  });

  it('grants and every Data call under one go to the tenant chain only, naming ids and keyTags, never scopes', async () => {
    const h = await harness();
    const systemBefore = h.machine.auditLength(SYSTEM_CHAIN);
    await h.run(requestCmd(1), approveCmd(1), auditCmd(1, { keyTag: keyTagOf(5) }), auditCmd(undefined, { outcome: 'no-grant' }), requestCmd(2), denyCmd(2), revokeCmd(1), revokeCmd(1));
    await h.run(requestCmd(3, { durationMs: 1_000 }), approveCmd(3), expiredCmd(3, T0 + 5_000), expiredCmd(3, T0 + 6_000));
    expect(h.machine.auditLength(SYSTEM_CHAIN)).toBe(systemBefore);
    expect(types(h.machine, bolt)).toEqual(['tenant.registered']);
    const entries = h.machine.auditEntries(acme).map((b) => decodeEntry(b));
    expect(entries.map((e) => e.type)).toEqual([
      'tenant.registered',
      'access.request',
      'access.approve',
      'data.access',
      'data.access',
      'access.request',
      'access.deny',
      'access.revoke',
      'access.request',
      'access.approve',
      'access.expire',
    ]);
    const [, request, approve, allowed, refused] = entries;
    expect(request).toMatchObject({ principal: 'admin/ops', method: 'RequestAccess', reason: 'read', targets: [{ kind: 'tenant', tenant: 'acme' }, { kind: 'access', id: requestIdOf(1) }] });
    expect(approve).toMatchObject({ principal: 'tenant/acme/admin/boss', targets: [{ kind: 'access', id: requestIdOf(1) }, { kind: 'access', id: grantIdOf(requestIdOf(1)) }, { kind: 'principal', principal: 'admin/ops' }] });
    expect(allowed).toMatchObject({ principal: 'admin/ops', method: 'GetObject', outcome: 'ok', reason: 'allowed', targets: [{ kind: 'access' }, { kind: 'keyTag', keyTag: keyTagOf(5) }] });
    expect(refused).toMatchObject({ outcome: 'denied', reason: 'no-grant', targets: [{ kind: 'keyTag', keyTag: Buffer.alloc(32, 9) }] });
    // A refused command appends nothing.
    const length = h.machine.auditLength(acme);
    expect(await h.one(approveCmd(2))).toMatchObject({ kind: 'error', code: ErrorCodes.ACCESS_BAD_STATE });
    expect(h.machine.auditLength(acme)).toBe(length);
  });

  it('auditAppend puts records on their chains; a chain of an unknown tenant goes to the system chain', async () => {
    const h = await harness();
    const before = h.machine.auditLength(SYSTEM_CHAIN);
    const result = await h.one({ op: 'auditAppend', timeMs: T0 + 10, records: [denial(acme, 1), denial(tenantChain('ghost'), 2), denial(SYSTEM_CHAIN, 3)] });
    expect(result).toMatchObject({ kind: 'ok' });
    expect(types(h.machine, acme)).toEqual(['tenant.registered', 'rpc.denied']);
    expect(h.machine.auditLength(SYSTEM_CHAIN)).toBe(before + 2);
    expect(h.machine.auditChains()).toEqual([SYSTEM_CHAIN, acme, bolt].sort());
    const last = decodeEntry(h.machine.auditEntries(acme).at(-1)!);
    expect(last).toMatchObject({ count: 3, windowStartMs: T0, timestampMs: T0 + 10, seq: 2 });
  });

  it('entry timestamps are the leader time and never go back within a chain', async () => {
    const h = await harness();
    await h.run({ op: 'clock', timeMs: T0 + 50_000 }, { op: 'auditAppend', timeMs: T0 + 1, records: [denial(acme, 1)] });
    const times = h.machine.auditEntries(acme).map((b) => decodeEntry(b).timestampMs);
    expect(times).toEqual([T0, T0 + 50_000]);
  });
});

describe('persistence and verification', () => {
  async function busy(): Promise<Harness> {
    const h = await harness();
    await h.run(requestCmd(1), approveCmd(1), auditCmd(1), { op: 'auditAppend', timeMs: T0 + 3, records: [denial(acme, 1), denial(SYSTEM_CHAIN, 2)] });
    return h;
  }

  it('the image, the store and the digest carry every chain; the digest moves with every entry', async () => {
    const h = await busy();
    const image = Buffer.from(await h.machine.snapshot());
    const { state } = decodeMetadataImage(image);
    expect(encodeMetadataImage(state, h.machine.appliedIndex()).equals(image)).toBe(true);
    expect(metadataDigest(state, h.machine.appliedIndex())).toBe(h.machine.digest());
    expect(state.audit.head(state.nowMs)).toEqual(h.machine.auditHead());
    await h.machine.flush();
    const reopened = await MetadataMachine.open(h.kv);
    expect(reopened.auditHead()).toEqual(h.machine.auditHead());
    expect(reopened.auditEntries(acme)).toEqual(h.machine.auditEntries(acme));

    const restored = await Harness.inMemory();
    await restored.machine.restore({ data: image, metadata: { index: h.machine.appliedIndex(), term: 1, confState: { voters: [], learners: [] } } });
    expect(restored.machine.digest()).toBe(h.machine.digest());
    await restored.machine.flush();
    expect((await MetadataMachine.open(restored.kv)).digest()).toBe(h.machine.digest());

    const before = h.machine.digest();
    await h.one({ op: 'auditAppend', timeMs: T0 + 4, records: [denial(acme, 9)] });
    expect(h.machine.digest()).not.toBe(before);
  });

  it('a version-4 image (before the chains) still decodes, with no chains', async () => {
    const h = await Harness.inMemory();
    await h.one({ op: 'clock', timeMs: T0 });
    const image = Buffer.from(await h.machine.snapshot());
    expect(image.subarray(-4).equals(Buffer.alloc(4))).toBe(true);
    const v4 = Buffer.from(image.subarray(0, -4));
    v4[4] = 4;
    const { state } = decodeMetadataImage(v4);
    expect(state.audit.chains()).toEqual([]);
    expect(encodeMetadataImage(state, h.machine.appliedIndex()).equals(image)).toBe(true);
    v4[4] = 3;
    expect(() => decodeMetadataImage(v4)).toThrow(TesseraError);
  });

  it('a stored entry changed, dropped or moved makes the store and the image refuse to load', async () => {
    const h = await busy();
    await h.machine.flush();
    const rows = await h.kv.entries({});
    const auditRows = rows.filter(([k]) => k[0] === 0x4c);
    expect(auditRows.length).toBeGreaterThan(4);
    const [key, value] = auditRows[1]!;
    // One byte of the record part (the principal's last character).
    const flipped = Buffer.from(value);
    flipped[flipped.length - 20] = (flipped[flipped.length - 20]! ^ 0x01) & 0x7f || 0x41;
    await h.kv.write([{ type: 'put', key, value: flipped }], { sync: false });
    await expect(MetadataMachine.open(h.kv)).rejects.toBeInstanceOf(TesseraError);
    await h.kv.write([{ type: 'del', key }], { sync: false });
    await expect(MetadataMachine.open(h.kv)).rejects.toMatchObject({ code: ErrorCodes.AUDIT_CHAIN_BROKEN });

    const image = Buffer.from(await h.machine.snapshot());
    let rejected = 0;
    for (let at = image.length - 400; at < image.length; at += 7) {
      const bad = Buffer.from(image);
      bad[at] = bad[at]! ^ 0x20;
      try {
        const { state, appliedIndex } = decodeMetadataImage(bad);
        // Anything that still decodes is canonical and self-consistent (same bytes back).
        expect(encodeMetadataImage(state, appliedIndex).equals(bad)).toBe(true);
      } catch (err) {
        expect(err).toBeInstanceOf(TesseraError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });

  it('an exported chain verifies against a signed head, and fails once one entry byte changed', async () => {
    const h = await busy();
    const keys = generateKeyPairSync('ed25519');
    const signed = await signHead(h.machine.auditHead([acme]), localEd25519Signer(keys.privateKey, 'test#1'));
    expect(signed.head.domain).toBe('metadata');
    const trail = { chain: acme, entries: h.machine.auditEntries(acme).map((b) => decodeEntry(b)) };
    expect(verifyTrail(trail, signed, keys.publicKey).verifiedLength).toBe(trail.entries.length);
    const tampered = { chain: acme, entries: trail.entries.map((e, i) => (i === 1 ? { ...e, principal: 'admin/mallory' } : e)) };
    expect(() => verifyTrail(tampered, signed, keys.publicKey)).toThrow(expect.objectContaining({ code: ErrorCodes.AUDIT_CHAIN_BROKEN }));
  });
});

describe('the auditAppend codec', () => {
  const record = fc.record({
    type: fc.stringMatching(/^[a-z][a-z0-9.]{0,15}$/),
    principal: fc.stringMatching(/^[\x21-\x7e]{0,40}$/),
    method: fc.stringMatching(/^[\x21-\x7e]{0,20}$/),
    outcome: fc.constantFrom('ok' as const, 'denied' as const, 'failed' as const),
    reason: fc.stringMatching(/^[\x21-\x7e]{0,20}$/),
    count: fc.integer({ min: 1, max: 0xffff_ffff }),
    windowStartMs: fc.nat(),
    targets: fc.array(
      fc.oneof(
        fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => ({ kind: 'keyTag' as const, keyTag: Buffer.from(b) })),
        fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => ({ kind: 'access' as const, id: Buffer.from(b) })),
        fc.constant({ kind: 'device' as const, nodeId: 'n1', deviceId: 'd1' }),
      ),
      { maxLength: 3 },
    ),
  });
  const chain = fc.oneof(fc.constant(SYSTEM_CHAIN), fc.stringMatching(/^[a-z0-9-]{1,12}$/).map(tenantChain));
  const batch = fc.array(fc.record({ chain, record }), { minLength: 1, maxLength: 6 });

  it('round-trips every valid batch through the command codec', () => {
    fc.assert(
      fc.property(batch, fc.nat(), (records, timeMs) => {
        const cmd = { op: 'auditAppend' as const, timeMs, records };
        const back = decodeMetadataCommand(encodeMetadataCommand(cmd));
        expect(encodeMetadataCommand(back).equals(encodeMetadataCommand(cmd))).toBe(true);
        expect(back).toMatchObject({ op: 'auditAppend', timeMs });
      }),
      { numRuns: 150 },
    );
  });

  it('turns arbitrary bytes, truncations and flipped bytes into TesseraErrors only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (tail) => {
        const bytes = Buffer.concat([Buffer.from([1, 26]), Buffer.alloc(8), tail]);
        try {
          decodeMetadataCommand(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(TesseraError);
        }
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(batch, fc.nat(), fc.nat(), (records, cut, flip) => {
        const bytes = encodeMetadataCommand({ op: 'auditAppend', timeMs: T0, records });
        expect(() => decodeMetadataCommand(bytes.subarray(0, cut % bytes.length))).toThrow(TesseraError);
        const flipped = Buffer.from(bytes);
        flipped[flip % bytes.length] = flipped[flip % bytes.length]! ^ 0xff;
        try {
          decodeMetadataCommand(flipped);
        } catch (err) {
          expect(err).toBeInstanceOf(TesseraError);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('bounds a batch: empty and oversized batches are refused on both sides', () => {
    expect(() => writeAuditAppend(new BinaryWriter(), { op: 'auditAppend', timeMs: T0, records: [] })).toThrow(TesseraError);
    const many = Array.from({ length: AUDIT_APPEND_LIMITS.records + 1 }, (_, i) => denial(acme, i));
    expect(() => writeAuditAppend(new BinaryWriter(), { op: 'auditAppend', timeMs: T0, records: many })).toThrow(TesseraError);
    const forged = new BinaryWriter().u16(AUDIT_APPEND_LIMITS.records + 1).raw(Buffer.alloc(40_000)).finish();
    expect(() => readAuditAppend(new BinaryReader(forged), T0)).toThrow(TesseraError);
    expect(() => readAuditAppend(new BinaryReader(new BinaryWriter().u16(0).finish()), T0)).toThrow(TesseraError);
  });
});
