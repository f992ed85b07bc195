import { describe, expect, it } from 'vitest';
import { SYSTEM_CHAIN, tenantChain, type AuditEntry } from '@tessera/audit';
import { ErrorCodes } from '@tessera/common';
import { KmCore, caFingerprint, decodeState, type Actor, type KmCommand, type KmResult } from '../src/index.js';
import { CA_PEM, CA_PEM_2, CRL_PEM, clusterAdmin, tenantAdmin } from './helpers.js';

const SYSTEM: Actor = { role: 'system', principal: '', tenant: '' };
const root = { provider: 'memory', keyId: 'root', version: 1 };
const kek = (tenant: string, version: number) => ({ provider: 'memory', keyId: `kek/${tenant}`, version });
const b = (fill: number): Buffer => Buffer.alloc(56, fill);

class Harness {
  readonly core = new KmCore();
  readonly entries: AuditEntry[] = [];
  ts = 1_000;
  run(actor: Actor, command: KmCommand, ts = (this.ts += 10)): ReturnType<KmCore['apply']> {
    const out = this.core.apply({ ts, actor, command });
    this.entries.push(...out.audit.map((a) => a.entry));
    return out;
  }
  ok(actor: Actor, command: KmCommand): Extract<KmResult, { ok: true }> {
    const { result } = this.run(actor, command);
    if (!result.ok) throw new Error(`refused: ${result.code}`);
    return result;
  }
  refused(actor: Actor, command: KmCommand): string {
    const { result } = this.run(actor, command);
    if (result.ok) throw new Error('unexpectedly applied');
    return result.code;
  }
  chain(tenant?: string): AuditEntry[] {
    const id = tenant === undefined ? SYSTEM_CHAIN : tenantChain(tenant);
    return this.entries.filter((e) => e.chain === id);
  }
}

function withTenant(policy: 'shared' | 'isolated' = 'isolated'): Harness {
  const h = new Harness();
  h.ok(SYSTEM, { type: 'init-system', rootRef: root, master: b(1), dedup: b(2) });
  h.ok(clusterAdmin, { type: 'create-tenant', tenant: 'acme', policy, caCertPem: CA_PEM, caCrlPem: CRL_PEM });
  h.ok(tenantAdmin('acme'), { type: 'create-tenant-keys', tenant: 'acme', kekRef: kek('acme', 1), tdk: b(3), tik: b(4) });
  return h;
}

describe('key-manager core', () => {
  it('creates system keys once; a retry of the same command is a duplicate', () => {
    const h = new Harness();
    const init: KmCommand = { type: 'init-system', rootRef: root, master: b(1), dedup: b(2) };
    expect(h.ok(SYSTEM, init).value).toEqual({ kind: 'system', epoch: 1 });
    expect(h.ok(SYSTEM, init).duplicate).toBe(true);
    expect(h.refused(SYSTEM, { ...init, master: b(9) })).toBe(ErrorCodes.KM_CONFLICT);
    expect(h.refused(clusterAdmin, init)).toBe(ErrorCodes.KM_FORBIDDEN);
  });

  it('rotates the system epoch compare-and-set', () => {
    const h = withTenant();
    expect(h.ok(clusterAdmin, { type: 'rotate-system-epoch', expectedEpoch: 1, master: b(5) }).value).toEqual({ kind: 'system', epoch: 2 });
    expect(h.refused(clusterAdmin, { type: 'rotate-system-epoch', expectedEpoch: 1, master: b(6) })).toBe(ErrorCodes.KM_CONFLICT);
    expect(h.refused(tenantAdmin('acme'), { type: 'rotate-system-epoch', expectedEpoch: 2, master: b(6) })).toBe(ErrorCodes.KM_FORBIDDEN);
    expect([...h.core.state.system!.masters.keys()]).toEqual([1, 2]);
  });

  it('is the authority for tenants: policy fixed for life, ids never reused', () => {
    const h = withTenant();
    const create: KmCommand = { type: 'create-tenant', tenant: 'acme', policy: 'isolated', caCertPem: CA_PEM, caCrlPem: CRL_PEM };
    expect(h.ok(clusterAdmin, create).duplicate).toBe(true);
    expect(h.refused(clusterAdmin, { ...create, policy: 'shared' })).toBe(ErrorCodes.KM_TENANT_EXISTS);
    expect(h.refused(tenantAdmin('acme'), { ...create, tenant: 'other' })).toBe(ErrorCodes.KM_FORBIDDEN);
    expect(h.refused(clusterAdmin, { ...create, tenant: 'bad', caCertPem: 'not a pem' })).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(h.refused(clusterAdmin, { ...create, tenant: 'no-crl', caCrlPem: '' })).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(h.core.state.tenants.get('acme')!.policy).toBe('isolated');
  });

  it('lets only the tenant admin of the tenant create keys, rotate and advance the epoch', () => {
    const h = withTenant();
    const t = h.core.state.tenants.get('acme')!;
    expect(t.currentEpoch).toBe(1);
    expect(t.keks.map((k) => [k.ref.version, k.state])).toEqual([[1, 'current']]);
    expect(h.refused(tenantAdmin('other'), { type: 'new-tenant-epoch', tenant: 'acme', expectedEpoch: 1, kekVersion: 1, tdk: b(7) })).toBe(ErrorCodes.KM_FORBIDDEN);
    expect(h.refused(clusterAdmin, { type: 'rotate-kek', tenant: 'acme', expectedKekVersion: 1, kekRef: kek('acme', 2), tdks: [{ epoch: 1, blob: b(8) }], tik: b(9) })).toBe(ErrorCodes.KM_FORBIDDEN);
    h.ok(tenantAdmin('acme'), { type: 'new-tenant-epoch', tenant: 'acme', expectedEpoch: 1, kekVersion: 1, tdk: b(7) });
    // A rotation must re-wrap every TDK.
    expect(h.refused(tenantAdmin('acme'), { type: 'rotate-kek', tenant: 'acme', expectedKekVersion: 1, kekRef: kek('acme', 2), tdks: [{ epoch: 1, blob: b(8) }], tik: b(9) })).toBe(ErrorCodes.INVALID_ARGUMENT);
    const rotate: KmCommand = { type: 'rotate-kek', tenant: 'acme', expectedKekVersion: 1, kekRef: kek('acme', 2), tdks: [{ epoch: 1, blob: b(8) }, { epoch: 2, blob: b(10) }], tik: b(9) };
    const out = h.run(tenantAdmin('acme'), rotate);
    expect(out.result.ok).toBe(true);
    expect(out.events).toContainEqual({ kind: 'kek-rotated', tenant: 'acme', kekVersion: 2 });
    expect(h.refused(tenantAdmin('acme'), rotate)).toBe(ErrorCodes.KM_CONFLICT); // a retry cannot rotate twice
    const after = h.core.state.tenants.get('acme')!;
    expect(after.keks.map((k) => [k.ref.version, k.state])).toEqual([
      [1, 'retired'],
      [2, 'current'],
    ]);
    expect([...after.tdks.values()].map((w) => w.kekVersion)).toEqual([2, 2]);
    // A TDK wrapped under the retired KEK is refused.
    expect(h.refused(tenantAdmin('acme'), { type: 'new-tenant-epoch', tenant: 'acme', expectedEpoch: 2, kekVersion: 1, tdk: b(11) })).toBe(ErrorCodes.KM_CONFLICT);
  });

  it('schedules a tenant admin shred at once and executes it when due, destroying every KEK version', () => {
    const h = withTenant();
    h.ok(tenantAdmin('acme'), { type: 'rotate-kek', tenant: 'acme', expectedKekVersion: 1, kekRef: kek('acme', 2), tdks: [{ epoch: 1, blob: b(8) }], tik: b(9) });
    const req = h.run(tenantAdmin('acme'), { type: 'request-shred', tenant: 'acme', delayMs: 5_000 }, 10_000);
    expect(req.events).toContainEqual({ kind: 'shred-scheduled', tenant: 'acme', executeAtMs: 15_000 });
    expect(h.refused(SYSTEM, { type: 'execute-shred', tenant: 'acme' })).toBe(ErrorCodes.KM_BAD_STATE); // not due
    expect(h.refused(clusterAdmin, { type: 'execute-shred', tenant: 'acme' })).toBe(ErrorCodes.KM_FORBIDDEN);
    const exec = h.run(SYSTEM, { type: 'execute-shred', tenant: 'acme' }, 15_000);
    expect(exec.result.ok).toBe(true);
    expect(exec.effects).toEqual([{ kind: 'destroy-tenant-keks', tenant: 'acme', refs: [kek('acme', 1), kek('acme', 2)] }]);
    expect(exec.events).toContainEqual({ kind: 'tenant-shredded', tenant: 'acme' });
    const t = h.core.state.tenants.get('acme')!;
    expect(t.state).toBe('shredded');
    expect(t.tdks.size).toBe(0);
    expect(t.tik).toBeUndefined();
    expect(t.keks.every((k) => k.state === 'destroyed')).toBe(true);
    // No wrapped key of the tenant survives in the encoded state.
    expect(h.core.encode().includes(b(8))).toBe(false);
    // Idempotent re-proposal; nothing else works afterwards.
    expect(h.ok(SYSTEM, { type: 'execute-shred', tenant: 'acme' }).duplicate).toBe(true);
    expect(h.refused(tenantAdmin('acme'), { type: 'new-tenant-epoch', tenant: 'acme', expectedEpoch: 1, kekVersion: 2, tdk: b(1) })).toBe(ErrorCodes.KM_TENANT_SHREDDED);
    expect(h.refused(clusterAdmin, { type: 'create-tenant', tenant: 'acme', policy: 'isolated', caCertPem: CA_PEM, caCrlPem: CRL_PEM })).toBe(ErrorCodes.KM_TENANT_EXISTS);
    expect(h.chain('acme').map((e) => e.type)).toContain('shred.execute');
  });

  it('needs a tenant admin to approve a cluster admin shred request; a tenant admin may cancel', () => {
    const h = withTenant();
    h.ok(clusterAdmin, { type: 'request-shred', tenant: 'acme', delayMs: 0 });
    expect(h.core.state.tenants.get('acme')!.state).toBe('shred-pending-approval');
    expect(h.refused(SYSTEM, { type: 'execute-shred', tenant: 'acme' })).toBe(ErrorCodes.KM_BAD_STATE);
    expect(h.refused(clusterAdmin, { type: 'approve-shred', tenant: 'acme' })).toBe(ErrorCodes.KM_FORBIDDEN);
    expect(h.refused(tenantAdmin('other'), { type: 'approve-shred', tenant: 'acme' })).toBe(ErrorCodes.KM_FORBIDDEN);
    h.ok(tenantAdmin('acme', 'carol'), { type: 'approve-shred', tenant: 'acme' });
    expect(h.core.state.tenants.get('acme')!.shred!.approvedBy).toBe('spiffe://td/tenant/acme/admin/carol');
    h.ok(tenantAdmin('acme'), { type: 'cancel-shred', tenant: 'acme' });
    expect(h.core.state.tenants.get('acme')!.state).toBe('active');
    expect(h.refused(SYSTEM, { type: 'execute-shred', tenant: 'acme' })).toBe(ErrorCodes.KM_BAD_STATE);
    expect(h.refused(tenantAdmin('acme'), { type: 'cancel-shred', tenant: 'acme' })).toBe(ErrorCodes.KM_BAD_STATE);
  });

  it('records a pin change in the system chain and in every tenant chain', () => {
    const h = withTenant();
    h.ok(clusterAdmin, { type: 'create-tenant', tenant: 'beta', policy: 'shared', caCertPem: CA_PEM, caCrlPem: CRL_PEM });
    const before = { sys: h.chain().length, acme: h.chain('acme').length, beta: h.chain('beta').length };
    h.ok(clusterAdmin, { type: 'set-node-pin', nodeId: 'n7', spkiSha256: Buffer.alloc(32, 7) });
    expect(h.chain().length).toBe(before.sys + 1);
    expect(h.chain('acme').length).toBe(before.acme + 1);
    expect(h.chain('beta').length).toBe(before.beta + 1);
    expect(h.chain('beta').at(-1)!.targets).toContainEqual({ kind: 'pin', spkiSha256: Buffer.alloc(32, 7) });
    expect(h.refused(tenantAdmin('acme'), { type: 'set-node-pin', nodeId: 'n8', spkiSha256: Buffer.alloc(32, 8) })).toBe(ErrorCodes.KM_FORBIDDEN);
    h.ok(clusterAdmin, { type: 'remove-node', nodeId: 'n7' });
    expect(h.core.state.nodes.has('n7')).toBe(false);
    expect(h.chain('acme').at(-1)!.type).toBe('node.remove');
  });

  it('replaces a tenant CA only on a tenant admin request naming the current CA', () => {
    const h = withTenant();
    const replace: KmCommand = { type: 'replace-tenant-ca', tenant: 'acme', expectedCaSha256: caFingerprint(CA_PEM), caCertPem: CA_PEM_2, caCrlPem: CRL_PEM };
    expect(h.refused(clusterAdmin, replace)).toBe(ErrorCodes.KM_FORBIDDEN);
    const out = h.run(tenantAdmin('acme'), replace);
    expect(out.result.ok).toBe(true);
    expect(out.events[0]).toMatchObject({ kind: 'tenant-changed', tenant: { id: 'acme', caCertPem: CA_PEM_2 } });
    // The same request again names a CA that is no longer current.
    expect(h.refused(tenantAdmin('acme'), replace)).toBe(ErrorCodes.KM_CONFLICT);
  });

  it('lets a cluster admin disable and re-enable a tenant, audited in both chains; a shred does not re-enable it', () => {
    const h = withTenant();
    expect(h.refused(tenantAdmin('acme'), { type: 'disable-tenant', tenant: 'acme' })).toBe(ErrorCodes.KM_FORBIDDEN);
    const out = h.run(clusterAdmin, { type: 'disable-tenant', tenant: 'acme' });
    expect(out.result).toMatchObject({ ok: true, value: { kind: 'tenant', tenant: { id: 'acme', state: 'active', disabled: true } } });
    expect(out.events).toEqual([{ kind: 'tenant-changed', tenant: expect.objectContaining({ disabled: true }) as unknown }]);
    expect(h.chain('acme').at(-1)).toMatchObject({ type: 'tenant.disable', outcome: 'ok', method: 'DisableTenant' });
    expect(h.chain().at(-1)).toMatchObject({ type: 'tenant.disable', outcome: 'ok' });
    expect(h.ok(clusterAdmin, { type: 'disable-tenant', tenant: 'acme' }).duplicate).toBe(true);
    // Its tenant admin still manages keys and may request (then cancel) a shred; it stays disabled.
    h.ok(tenantAdmin('acme'), { type: 'request-shred', tenant: 'acme', delayMs: 60_000 });
    h.ok(tenantAdmin('acme'), { type: 'cancel-shred', tenant: 'acme' });
    expect(h.core.state.tenants.get('acme')).toMatchObject({ state: 'active', disabled: true });
    expect(h.ok(clusterAdmin, { type: 'enable-tenant', tenant: 'acme' }).value).toMatchObject({ tenant: { disabled: false } });
    expect(h.chain('acme').at(-1)).toMatchObject({ type: 'tenant.enable', method: 'EnableTenant' });
    expect(h.refused(clusterAdmin, { type: 'enable-tenant', tenant: 'ghost' })).toBe(ErrorCodes.KM_TENANT_NOT_FOUND);
  });

  it('audits refusals in the tenant chain when the tenant exists, else the system chain', () => {
    const h = withTenant();
    h.refused(tenantAdmin('mallory'), { type: 'request-shred', tenant: 'acme', delayMs: 0 });
    const last = h.chain('acme').at(-1)!;
    expect(last).toMatchObject({ type: 'shred.request', outcome: 'denied', reason: 'km-forbidden', principal: 'spiffe://td/tenant/mallory/admin/bob' });
    h.refused(clusterAdmin, { type: 'request-shred', tenant: 'ghost', delayMs: 0 });
    expect(h.chain().at(-1)).toMatchObject({ outcome: 'failed', reason: 'km-tenant-not-found' });
    const bad = h.core.applyData(Buffer.from([1, 200]));
    expect(bad.result).toMatchObject({ ok: false, code: ErrorCodes.KM_BAD_COMMAND });
    expect(bad.audit[0]!.entry).toMatchObject({ chain: SYSTEM_CHAIN, type: 'command.rejected' });
  });

  it('is deterministic and its snapshot is canonical', () => {
    const a = withTenant();
    const b2 = withTenant();
    expect(a.core.encode().equals(b2.core.encode())).toBe(true);
    const restored = KmCore.decode(a.core.encode());
    expect(restored.encode().equals(a.core.encode())).toBe(true);
    expect(decodeState(a.core.encode()).tenants.get('acme')!.tdks.get(1)!.blob.equals(b(3))).toBe(true);
    // Leader time never goes back.
    a.run(clusterAdmin, { type: 'set-node-pin', nodeId: 'x', spkiSha256: Buffer.alloc(32) }, 5);
    expect(a.core.state.lastTimestampMs).toBeGreaterThan(5);
  });
});
