import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantChain, verifyTrail } from '@tessera/audit';
import { ErrorCodes } from '@tessera/common';
import { KeyAdmin, encodeEnvelope, kmAuditBatcher, type KmGroup } from '../src/index.js';
import { CA_PEM, CRL_PEM, MemoryRootProvider, PIN_A, clusterAdmin, nodeCaller, tenantAdmin } from './helpers.js';
import { KmCluster, waitFor } from './raft-harness.js';

function service(cluster: KmCluster) {
  return cluster.services(cluster.providerFor('any')).service;
}

describe('key-manager state machine in a 3-member Raft group', () => {
  // One provider object for all members: three key managers sharing one token.
  const provider = new MemoryRootProvider();
  let cluster: KmCluster;

  beforeAll(async () => {
    cluster = await KmCluster.start(['km1', 'km2', 'km3'], () => provider);
  });
  afterAll(async () => {
    await cluster?.shutdown();
  });

  async function snapshotsAgree(): Promise<Buffer> {
    await cluster.settle();
    const snaps = await Promise.all(cluster.running().map(async (m) => Buffer.from(await m.machine.snapshot())));
    for (const s of snaps) expect(s.equals(snaps[0]!)).toBe(true);
    return snaps[0]!;
  }

  it('replicates tenants, keys and audit chains to every member, byte for byte', async () => {
    const { admin, service } = cluster.services(provider);
    await admin.initSystem();
    await admin.createTenant(clusterAdmin, { tenant: 'acme', policy: 'isolated', caCertPem: CA_PEM, caCrlPem: CRL_PEM });
    await admin.createTenantKeys(tenantAdmin('acme'), 'acme');
    await admin.setNodePin(clusterAdmin, 'n1', PIN_A);
    await service.tenantDataKey(nodeCaller('n1'), 'acme');
    await snapshotsAgree();
    for (const m of cluster.running()) expect(m.machine.state.tenants.get('acme')!.currentEpoch).toBe(1);
  });

  it('survives a follower restart and a leader loss mid-way through rotations', async () => {
    const { admin } = cluster.services(provider);
    const follower = cluster.running().find((m) => m.id !== cluster.leaderId())!;
    await cluster.stop(follower.id);
    await admin.rotateKek(tenantAdmin('acme'), 'acme');
    await cluster.restart(follower.id);
    await snapshotsAgree();
    const before = await service(cluster).tenantDataKey(nodeCaller('n1'), 'acme', 1);
    // Lose the leader while a rotation is in flight; the admin retries until a rotation is known to have applied.
    const oldLeader = cluster.leaderId()!;
    const group = cluster.group();
    let armed = true;
    const trap: KmGroup = {
      read: () => group.read(),
      propose: async (envelope) => {
        if (!armed || envelope.command.type !== 'rotate-kek') return group.propose(envelope);
        armed = false;
        // Appended on the old leader, which stops before it can answer.
        const pending = cluster.member(oldLeader).node.propose(encodeEnvelope(envelope));
        pending.catch(() => undefined); // observed below, after the stop
        await cluster.stop(oldLeader);
        return pending;
      },
    };
    const trapped = new KeyAdmin({ group: trap, provider, audit: kmAuditBatcher({ group }) });
    const inFlight = trapped.rotateKek(tenantAdmin('acme'), 'acme').then(
      () => 'applied',
      (err: { code?: string }) => err.code ?? 'error',
    );
    const outcome = await inFlight;
    expect(outcome).not.toBe('applied');
    await cluster.waitForLeader([oldLeader]);
    const version = (): number => cluster.leader().machine.state.tenants.get('acme')!.keks.length;
    if (outcome !== 'applied' && version() === 2) await admin.rotateKek(tenantAdmin('acme'), 'acme');
    expect(version()).toBe(3); // exactly one more version, whatever the in-flight proposal's fate
    await admin.newTenantEpoch(tenantAdmin('acme'), 'acme');
    await cluster.restart(oldLeader);
    const snap = await snapshotsAgree();
    expect(snap.length).toBeGreaterThan(0);
    const t = cluster.leader().machine.state.tenants.get('acme')!;
    expect(t.keks.map((k) => k.state)).toEqual(['retired', 'retired', 'current']);
    expect(t.currentEpoch).toBe(2);
    const after = await service(cluster).tenantDataKey(nodeCaller('n1'), 'acme', 1);
    expect(after.key.expose().equals(before.key.expose())).toBe(true);
  });

  it('executes a shred on every member (each destroys idempotently in the shared provider); unwraps are refused', async () => {
    const { admin, service, audit } = cluster.services(provider);
    const head = await admin.signedHead();
    await admin.requestShred(tenantAdmin('acme'), 'acme', 0);
    expect(await admin.executeDueShreds()).toEqual(['acme']);
    await snapshotsAgree();
    expect(await provider.listKekVersions('acme')).toEqual([]);
    expect(new Set(provider.destroyed)).toEqual(new Set(['kek/acme#1', 'kek/acme#2', 'kek/acme#3']));
    await expect(service.tenantDataKey(nodeCaller('n1'), 'acme', 1)).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
    await audit.close();
    for (const m of cluster.running()) {
      await waitFor('shred applied', () => m.machine.state.tenants.get('acme')!.state === 'shredded');
      const trail = await m.machine.trail(tenantChain('acme'));
      expect(verifyTrail(trail, head, await provider.auditPublicKey()).length).toBeGreaterThan(head.head.chains.find((c) => c.chain === 'tenant/acme')!.length);
      expect(trail.entries.map((e) => e.type)).toContain('shred.execute');
    }
  });
});
