import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { openDurableKv } from '@tessera/common/durable';
import { tempDirs } from '@tessera/common/testing';
import { FileRootProvider, KeyManagerStateMachine, KeyService, assertProviderFitsMembers, kmAuditBatcher, initFileKeyring, validateProvider } from '../src/index.js';
import { everyByte, keyringKeys, systemKeys, unwrapAnything } from './forensics.js';
import { CA_PEM, CRL_PEM, DirectGroup, PIN_A, clusterAdmin, nodeCaller, tenantAdmin } from './helpers.js';
import { KmCluster } from './raft-harness.js';

const dirs = tempDirs('tessera-km-shred-');

describe('crypto-shred with the file provider (one-member Raft key manager)', () => {
  let root: string;
  let dataDir: string;
  let keyring: string;
  let copy: string;
  let provider: FileRootProvider;
  let cluster: KmCluster;
  let oldSnapshot: Uint8Array;
  let oldIndex: number;
  const plain = new Map<string, Buffer>();
  let preShredHits: Array<{ purpose: string; tenant: string; key: Buffer }> = [];

  beforeAll(async () => {
    root = await dirs.make('km');
    dataDir = join(root, 'data');
    keyring = join(root, 'keyring');
    copy = join(root, 'copy-of-data');
    await initFileKeyring({ dir: keyring, dataDirs: [dataDir] });
    provider = await FileRootProvider.open({ dir: keyring, dataDirs: [dataDir] });
    await validateProvider(provider);
    assertProviderFitsMembers(provider, 1);
    cluster = await KmCluster.start(['km1'], () => provider, { dataDirFor: async () => dataDir });
    const { admin, service, audit } = cluster.services(provider);
    await admin.initSystem();
    await admin.createTenant(clusterAdmin, { tenant: 'acme', policy: 'isolated', caCertPem: CA_PEM, caCrlPem: CRL_PEM });
    await admin.createTenant(clusterAdmin, { tenant: 'beta', policy: 'shared', caCertPem: CA_PEM, caCrlPem: CRL_PEM });
    await admin.createTenantKeys(tenantAdmin('acme'), 'acme');
    await admin.createTenantKeys(tenantAdmin('beta'), 'beta');
    await admin.newTenantEpoch(tenantAdmin('acme'), 'acme');
    await admin.rotateKek(tenantAdmin('acme'), 'acme');
    await admin.rotateKek(tenantAdmin('acme'), 'acme');
    await admin.setNodePin(clusterAdmin, 'n1', PIN_A);
    for (const epoch of [1, 2]) plain.set(`tdk/${epoch}`, Buffer.from((await service.tenantDataKey(nodeCaller('n1'), 'acme', epoch)).key.expose()));
    plain.set('tik', Buffer.from((await service.tenantIndexKey(nodeCaller('n1'), 'acme')).key.expose()));
    await audit.close();
    const m = cluster.member('km1');
    oldSnapshot = await m.machine.snapshot();
    oldIndex = m.machine.appliedIndex();
    // A copy of the whole data dir, taken while the member is down (as a backup would be).
    await cluster.stop('km1');
    await cp(dataDir, copy, { recursive: true });
    await cluster.restart('km1');
    await cluster.waitForLeader();
    // Positive control: with the pre-shred keyring, the copy gives up the tenant's keys.
    const keys = await keyringKeys(keyring);
    preShredHits = unwrapAnything(await everyByte(copy, ['raft', 'state']), [...keys.all, ...(await systemKeys(join(copy, 'state'), keys.root))]);
    const again = cluster.services(provider);
    await again.admin.requestShred(tenantAdmin('acme'), 'acme', 0);
    expect(await again.admin.executeDueShreds()).toEqual(['acme']);
  });
  afterAll(async () => {
    await cluster?.shutdown();
    await provider?.close();
    await dirs.cleanup();
  });

  it('the positive control found every TDK and the TIK of the tenant before the shred', () => {
    const found = preShredHits.filter((h) => h.tenant === 'acme').map((h) => h.key.toString('hex'));
    for (const key of plain.values()) expect(found).toContain(key.toString('hex'));
  });

  it('refuses every unwrap after the shred with KEK_DESTROYED, and after a restart', async () => {
    const { service, audit } = cluster.services(provider);
    await expect(service.tenantDataKey(nodeCaller('n1'), 'acme', 1)).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
    await expect(service.tenantIndexKey(nodeCaller('n1'), 'acme')).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
    await expect(service.tenantDataKey(nodeCaller('n1'), 'beta')).resolves.toMatchObject({ epoch: 1 });
    await audit.close();
    await cluster.stop('km1');
    await cluster.restart('km1');
    await cluster.waitForLeader();
    const after = cluster.services(provider).service;
    await expect(after.tenantDataKey(nodeCaller('n1'), 'acme', 2)).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
    expect(await provider.listKekVersions('acme')).toEqual([]);
  });

  it('refuses every unwrap after restoring the pre-shred snapshot of the state', async () => {
    const kv = await openDurableKv(await dirs.make('restored'));
    const machine = await KeyManagerStateMachine.open({ kv, provider });
    await machine.restore({ metadata: { index: oldIndex, term: 1, confState: { voters: ['km1'], learners: [] } }, data: oldSnapshot });
    expect(machine.state.tenants.get('acme')!.state).toBe('active'); // the old state knows nothing of the shred ...
    const group = new DirectGroup(machine);
    const service = new KeyService({ group, provider, audit: kmAuditBatcher({ group }) });
    // ... but the KEKs are gone from the provider.
    for (const epoch of [1, 2]) await expect(service.tenantDataKey(nodeCaller('n1'), 'acme', epoch)).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
    await expect(service.tenantIndexKey(nodeCaller('n1'), 'acme')).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
    await kv.close();
  });

  it('the real test: the pre-shred copy of the data dir plus the root provider unwraps no TDK or TIK of the tenant', async () => {
    const keys = await keyringKeys(keyring);
    const candidates = [...keys.all, ...(await systemKeys(join(copy, 'state'), keys.root))];
    const hits = unwrapAnything(await everyByte(copy, ['raft', 'state']), candidates);
    expect(hits.filter((h) => h.tenant === 'acme')).toEqual([]);
    // The same search still opens what it should: the other tenant's keys (the search works).
    expect(hits.some((h) => h.tenant === 'beta' && h.purpose === 'tdk')).toBe(true);
    // And no copy of the tenant's keys survives anywhere in the copy in the clear.
    const everything = Buffer.concat(await everyByte(copy, ['raft', 'state']));
    for (const key of plain.values()) expect(everything.includes(key)).toBe(false);
  });
});
