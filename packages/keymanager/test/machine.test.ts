import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM_CHAIN, decodeSignedHead, decodeTrail, encodeSignedHead, encodeTrail, tenantChain, verifyTrail } from '@tessera/audit';
import { ErrorCodes } from '@tessera/common';
import { openDurableKv } from '@tessera/common/durable';
import { tempDirs } from '@tessera/common/testing';
import { KeyManagerStateMachine, type KmEvent } from '../src/index.js';
import { CA_PEM, CRL_PEM, MemoryRootProvider, clusterAdmin, nodeCaller, seed, stack, tenantAdmin } from './helpers.js';

const dirs = tempDirs('tessera-km-sm-');
afterAll(() => dirs.cleanup());

describe('key-manager state machine', () => {
  it('persists state, audit entries and the applied index; a reopened machine continues', async () => {
    const dir = await dirs.make();
    const provider = new MemoryRootProvider();
    let kv = await openDurableKv(dir);
    const s = await stack(kv, provider);
    await seed(s);
    const applied = s.machine.appliedIndex();
    const bytes = s.machine.state;
    const before = Buffer.from(await s.machine.snapshot());
    await kv.close();
    kv = await openDurableKv(dir);
    const reopened = await KeyManagerStateMachine.open({ kv, provider });
    expect(reopened.appliedIndex()).toBe(applied);
    expect(reopened.state.tenants.get('acme')!.currentEpoch).toBe(bytes.tenants.get('acme')!.currentEpoch);
    expect(Buffer.from(await reopened.snapshot()).equals(before)).toBe(true);
    expect((await reopened.trail(tenantChain('acme'))).entries.map((e) => e.type)).toEqual(['tenant.create', 'tenant.keys.create', 'node.pin.set']);
    await kv.close();
  });

  it('restores a snapshot into another store, byte for byte, and refuses one whose audit entries do not link', async () => {
    const provider = new MemoryRootProvider();
    const kvA = await openDurableKv(await dirs.make());
    const a = await stack(kvA, provider);
    await seed(a);
    const snap = await a.machine.snapshot();
    const kvB = await openDurableKv(await dirs.make());
    const b = await KeyManagerStateMachine.open({ kv: kvB, provider });
    await b.restore({ metadata: { index: a.machine.appliedIndex(), term: 1, confState: { voters: ['a'], learners: [] } }, data: snap });
    expect(Buffer.from(await b.snapshot()).equals(Buffer.from(snap))).toBe(true);
    expect(b.appliedIndex()).toBe(a.machine.appliedIndex());
    // Drop one audit entry from the snapshot (the last bytes are the last entry).
    const broken = Buffer.from(snap);
    const trail = await a.machine.trail(SYSTEM_CHAIN);
    expect(trail.entries.length).toBeGreaterThan(1);
    const lastEntry = broken.lastIndexOf(Buffer.from('system', 'ascii'));
    broken[lastEntry + 20]! ^= 1;
    await expect(b.restore({ metadata: { index: 99, term: 1, confState: { voters: [], learners: [] } }, data: broken })).rejects.toThrow();
    await kvA.close();
    await kvB.close();
  });

  it('publishes watch events after apply', async () => {
    const kv = await openDurableKv(await dirs.make());
    const s = await stack(kv, new MemoryRootProvider());
    const events: KmEvent[] = [];
    s.machine.subscribe((e) => events.push(e));
    await seed(s);
    expect(events.map((e) => e.kind)).toEqual(['system-epoch', 'tenant-changed', 'tenant-changed', 'node-pin']);
    await kv.close();
  });

  it('stops applying (throws) when the provider cannot destroy a KEK, and destroys again on replay', async () => {
    const dir = await dirs.make();
    const provider = new MemoryRootProvider();
    let kv = await openDurableKv(dir);
    const s = await stack(kv, provider);
    await seed(s);
    await s.admin.requestShred(tenantAdmin('acme'), 'acme', 0);
    provider.failDestroy = true;
    const appliedBefore = s.machine.appliedIndex();
    await expect(s.admin.executeDueShreds()).rejects.toThrow('token offline');
    expect(s.machine.state.tenants.get('acme')!.state).toBe('shred-scheduled');
    expect(s.machine.appliedIndex()).toBe(appliedBefore);
    // Nothing of that entry was persisted: after a restart it is applied again.
    await kv.close();
    kv = await openDurableKv(dir);
    const again = await KeyManagerStateMachine.open({ kv, provider });
    expect(again.appliedIndex()).toBe(appliedBefore);
    expect(again.state.tenants.get('acme')!.state).toBe('shred-scheduled');
    provider.failDestroy = false;
    const s2 = await stack(kv, provider, s.clock);
    await s2.admin.executeDueShreds();
    expect(s2.machine.state.tenants.get('acme')!.state).toBe('shredded');
    expect(provider.destroyed).toEqual(['kek/acme#1']);
    await kv.close();
  });
});

describe('key admin and key service', () => {
  it('audits every key release before returning it, and a tenant admin verifies the trail against a kept head', async () => {
    const kv = await openDurableKv(await dirs.make());
    const provider = new MemoryRootProvider();
    const s = await stack(kv, provider);
    await seed(s);
    const kept = decodeSignedHead(encodeSignedHead(await s.admin.signedHead()));
    const issued = await s.service.tenantDataKey(nodeCaller('n1'), 'acme');
    expect(issued).toMatchObject({ epoch: 1, ttlMs: 60_000 });
    await s.service.tenantIndexKey(nodeCaller('n1'), 'acme');
    const trail = decodeTrail(encodeTrail(await s.machine.trail(tenantChain('acme'))));
    const unwraps = trail.entries.filter((e) => e.type === 'key.unwrap');
    expect(unwraps.map((e) => [e.method, e.principal])).toEqual([
      ['UnwrapTdk', 'spiffe://td/node/n1'],
      ['UnwrapTik', 'spiffe://td/node/n1'],
    ]);
    const checked = verifyTrail(trail, kept, await provider.auditPublicKey());
    expect(checked.length).toBe(checked.verifiedLength + 2);
    const later = await s.admin.signedHead([tenantChain('acme')]);
    expect(verifyTrail(trail, later, await provider.auditPublicKey()).verifiedLength).toBe(trail.entries.length);
    await kv.close();
  });

  it('serves only allow-listed nodes with the pinned key, and aggregates the refusals', async () => {
    const kv = await openDurableKv(await dirs.make());
    const s = await stack(kv, new MemoryRootProvider());
    await seed(s);
    await expect(s.service.masterKey(nodeCaller('n2'))).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
    for (let i = 0; i < 5; i++) await expect(s.service.tenantDataKey(nodeCaller('n1', Buffer.alloc(32, 0xbb)), 'acme')).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
    // An admin principal is no node: there is no way for it to unwrap a tenant key.
    await expect(s.service.tenantDataKey({ nodeId: 'alice', principal: clusterAdmin.principal, spkiSha256: Buffer.alloc(32) }, 'acme')).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
    s.audit.flushDenials(Number.MAX_SAFE_INTEGER);
    await s.audit.close();
    const denied = (await s.machine.trail(tenantChain('acme'))).entries.filter((e) => e.outcome === 'denied');
    expect(denied.find((e) => e.reason === 'pin-mismatch')).toMatchObject({ count: 5, method: 'UnwrapTdk', principal: 'spiffe://td/node/n1' });
    const sys = (await s.machine.trail(SYSTEM_CHAIN)).entries.filter((e) => e.outcome === 'denied');
    expect(sys.find((e) => e.reason === 'node-not-allowed' && e.method === 'FetchMasterKey')).toMatchObject({ count: 1 });
    await kv.close();
  });

  it('never creates a KEK or unwraps anything for a request the state would refuse', async () => {
    const kv = await openDurableKv(await dirs.make());
    const provider = new MemoryRootProvider();
    const s = await stack(kv, provider);
    await seed(s);
    await s.admin.createTenant(clusterAdmin, { tenant: 'beta', policy: 'shared', caCertPem: CA_PEM, caCrlPem: CRL_PEM });
    await expect(s.admin.createTenantKeys(clusterAdmin, 'beta')).rejects.toMatchObject({ code: ErrorCodes.KM_FORBIDDEN });
    await expect(s.admin.rotateKek(tenantAdmin('beta'), 'acme')).rejects.toMatchObject({ code: ErrorCodes.KM_FORBIDDEN });
    expect(await provider.listKekVersions('beta')).toEqual([]);
    expect(await provider.listKekVersions('acme')).toEqual([1]);
    const acme = (await s.machine.trail(tenantChain('acme'))).entries.at(-1)!;
    expect(acme).toMatchObject({ type: 'kek.rotate', outcome: 'denied', principal: 'spiffe://td/tenant/beta/admin/bob' });
    await kv.close();
  });

  it('rotates the KEK without changing the data keys, and serves every epoch', async () => {
    const kv = await openDurableKv(await dirs.make());
    const provider = new MemoryRootProvider();
    const s = await stack(kv, provider);
    await seed(s);
    const admin = tenantAdmin('acme');
    const tdk1 = await s.service.tenantDataKey(nodeCaller('n1'), 'acme', 1);
    await s.admin.newTenantEpoch(admin, 'acme');
    await s.admin.rotateKek(admin, 'acme');
    await s.admin.rotateKek(admin, 'acme');
    const t = s.machine.state.tenants.get('acme')!;
    expect(t.keks.map((k) => k.state)).toEqual(['retired', 'retired', 'current']);
    const again = await s.service.tenantDataKey(nodeCaller('n1'), 'acme', 1);
    expect(again.key.expose().equals(tdk1.key.expose())).toBe(true);
    expect((await s.service.tenantDataKey(nodeCaller('n1'), 'acme')).epoch).toBe(2);
    await s.admin.rotateSystemEpoch(clusterAdmin);
    expect((await s.service.masterKey(nodeCaller('n1'))).epoch).toBe(2);
    await expect(s.service.masterKey(nodeCaller('n1'), 3)).rejects.toMatchObject({ code: ErrorCodes.KM_KEY_NOT_FOUND });
    await kv.close();
  });
});
