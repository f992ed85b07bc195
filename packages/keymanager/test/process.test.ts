/**
 * One key manager (file provider) started in this process by the same code
 * `tessera keymanager start` runs, reached over real mTLS sockets by cluster
 * admins, tenant admins and nodes: the Keys service end to end. The
 * multi-process suites (test/integration/keymanager-*.test.ts) repeat the
 * properties that need separate processes (restarts, 3 members, the CLI).
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_CHAIN, decodeEntry, decodeSignedHead, tenantChain, verifyTrail } from '@tessera/audit';
import { ErrorCodes } from '@tessera/common';
import type { TlsFiles } from '@tessera/transport';
import {
  GrpcKeyWatch,
  KeyClient,
  KeyManagerClient,
  grpcKeyFetcher,
  initProvider,
  resolveKeyManagerConfig,
  spkiSha256,
  startKeyManager,
  tenantFromWire,
  type RunningKeyManager,
} from '../src/index.js';
import { everyByte, keyringKeys } from './forensics.js';
import { waitFor } from './raft-harness.js';
import { search } from './scan.js';
import { createKmTestPki, type KmTestPki } from './support/km-pki.js';

let pki: KmTestPki;
let km: RunningKeyManager;
let keyring: string;
const clients: KeyManagerClient[] = [];
/** Every key the key manager released to a node here, and every log line it wrote (for the K1 scan). */
const released = new Map<string, Buffer>();
const logLines: string[] = [];

async function client(tls: TlsFiles): Promise<KeyManagerClient> {
  const c = await KeyManagerClient.create({ tls, endpoints: [km.ports.clientAddress], retryTimeoutMs: 5_000 });
  clients.push(c);
  return c;
}

let admin: KeyManagerClient;
let acme: KeyManagerClient;
let beta: KeyManagerClient;
let n1: KeyManagerClient;

beforeAll(async () => {
  pki = await createKmTestPki();
  keyring = path.join(pki.root, 'keyring');
  await initProvider({ kind: 'file', keyring });
  const tls = await pki.cluster('keymanager-km1', { kind: 'keymanager', id: 'km1' });
  const config = resolveKeyManagerConfig(
    {},
    {
      id: 'km1',
      dataDir: path.join(pki.root, 'data', 'km1'),
      cert: tls.certFile,
      key: tls.keyFile,
      ca: tls.caFile,
      crl: tls.crlFile,
      bootstrap: true,
      provider: 'file',
      keyring,
      tickMs: 20,
      electionTicks: 10,
      auditWindowMs: 200,
      logLevel: 'debug',
    },
  );
  km = await startKeyManager(config, { logSink: { write: (line) => void logLines.push(line) } });
  admin = await client(await pki.cluster('admin-root', { kind: 'admin', name: 'root' }));
  n1 = await client(await pki.cluster('node-n1', { kind: 'node', id: 'n1' }));
  await waitFor('system keys', () => km.machine.state.system !== undefined);
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await km?.stop();
  await pki?.cleanup();
});

async function createTenant(id: string, policy: 'TENANT_POLICY_SHARED' | 'TENANT_POLICY_ISOLATED'): Promise<void> {
  const ca = await pki.tenantCa(id);
  await admin.call('CreateTenant', { id, policy, caCertificatePem: await readFile(ca.certFile, 'utf8'), caCrlPem: await readFile(ca.crlFile, 'utf8') });
}

describe('a key manager serving the Keys service over mTLS', () => {
  it('creates its system keys and reports healthy key material to a cluster admin', async () => {
    const health = await admin.call('GetKeyHealth', {});
    expect(health).toMatchObject({ provider: 'file', providerOk: true, memberId: 'km1', leaderId: 'km1', systemEpoch: '1' });
  });

  it('refuses a second member: the file provider serves a one-member key manager only', async () => {
    await expect(admin.call('AddKeyManager', { member: { id: 'km2', incarnationId: 'i2', address: '127.0.0.1:1' }, voter: true })).rejects.toMatchObject({ code: ErrorCodes.KM_PROVIDER_CONFIG });
    const status = await admin.call('KeyManagerStatus', {});
    expect(status.members.map((m) => m.identity?.id)).toEqual(['km1']);
  });

  it('refuses to start on a root provider it cannot open and prove', async () => {
    const tls = await pki.cluster('keymanager-km9', { kind: 'keymanager', id: 'km9' });
    const base = { id: 'km9', dataDir: path.join(pki.root, 'data', 'km9'), cert: tls.certFile, key: tls.keyFile, ca: tls.caFile, crl: tls.crlFile, bootstrap: true, logLevel: 'error' } as const;
    // A keyring that holds no keys at all.
    const empty = path.join(pki.root, 'empty-keyring');
    await mkdir(empty, { mode: 0o700 });
    await expect(startKeyManager(resolveKeyManagerConfig({}, { ...base, provider: 'file', keyring: empty }), { logSink: { write: () => undefined } })).rejects.toMatchObject({ code: expect.stringMatching(/^KM_/) });
    // Nothing was left listening or written.
    await expect(readFile(path.join(base.dataDir, 'ports.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('registers tenants (a CA that is not a CA certificate is refused), and trusts their admins once registered', async () => {
    await createTenant('acme', 'TENANT_POLICY_ISOLATED');
    await createTenant('beta', 'TENANT_POLICY_SHARED');
    await expect(
      admin.call('CreateTenant', { id: 'junk', policy: 'TENANT_POLICY_SHARED', caCertificatePem: await readFile((await pki.cluster('admin-root', { kind: 'admin', name: 'root' })).certFile, 'utf8'), caCrlPem: await readFile(path.join(pki.root, 'ca', 'ca.crl'), 'utf8') }),
    ).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
    const listed = (await admin.call('ListTenants', {})).tenants.map(tenantFromWire);
    expect(listed.map((t) => [t.id, t.policy, t.state])).toEqual([
      ['acme', 'isolated', 'active'],
      ['beta', 'shared', 'active'],
    ]);
    await waitFor('tenant CAs in the registry', () => km.tenantCas.get('acme') !== undefined && km.tenantCas.get('beta') !== undefined);
    acme = await client(await pki.tenantAdmin('acme'));
    beta = await client(await pki.tenantAdmin('beta'));
    expect(tenantFromWire(await acme.call('GetTenant', { tenant: 'acme' })).id).toBe('acme');
  });

  it("lets a tenant admin create its own tenant's keys, and nobody else's", async () => {
    await expect(beta.call('CreateTenantKeys', { tenant: 'acme' })).rejects.toMatchObject({ code: ErrorCodes.TRANSPORT_PERMISSION_DENIED });
    await expect(admin.call('CreateTenantKeys', { tenant: 'acme' })).rejects.toMatchObject({ code: ErrorCodes.TRANSPORT_PERMISSION_DENIED });
    const t = tenantFromWire(await acme.call('CreateTenantKeys', { tenant: 'acme' }));
    expect(t).toMatchObject({ currentEpoch: 1, kekVersion: 1 });
    await beta.call('CreateTenantKeys', { tenant: 'beta' });
  });

  it('serves keys only to allow-listed nodes presenting the pinned key', async () => {
    const n1Tls = await pki.cluster('node-n1', { kind: 'node', id: 'n1' });
    await expect(n1.call('GetDataKey', { tenant: 'acme' })).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
    await admin.call('SetNodePin', { nodeId: 'n1', spkiSha256: spkiSha256(await readFile(n1Tls.certFile, 'utf8')) });
    const first = await n1.call('GetDataKey', { tenant: 'acme' });
    const again = await n1.call('GetDataKey', { tenant: 'acme', tenantEpoch: 1 });
    expect(first.key).toHaveLength(32);
    expect(first.key.equals(Buffer.alloc(32))).toBe(false);
    expect(again.key.equals(first.key)).toBe(true);
    expect(first).toMatchObject({ tenantEpoch: '1', ttlMs: '60000' });
    const master = await n1.call('GetMasterKey', { epoch: 0 });
    expect(master).toMatchObject({ epoch: '1', currentEpoch: '1' });
    const tik = await n1.call('GetIndexKey', { tenant: 'acme' });
    const dedup = await n1.call('GetDedupKey', {});
    for (const [name, key] of [['tdk', first.key], ['master', master.key], ['tik', tik.key], ['dedup', dedup.key]] as const) {
      expect(key).toHaveLength(32);
      released.set(name, Buffer.from(key));
    }
    // Same id, another key: refused.
    const rekeyed = await client(await pki.cluster('node-n1-rekeyed', { kind: 'node', id: 'n1' }));
    await expect(rekeyed.call('GetDataKey', { tenant: 'acme' })).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
    // Another id, not on the list: refused.
    const n9 = await client(await pki.cluster('node-n9', { kind: 'node', id: 'n9' }));
    await expect(n9.call('GetMasterKey', {})).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
    // A cluster admin never unwraps a tenant key.
    await expect(admin.call('GetDataKey', { tenant: 'acme' })).rejects.toMatchObject({ code: ErrorCodes.TRANSPORT_PERMISSION_DENIED });
  });

  it('drops a node’s cached tenant keys on a KEK rotation, and rotates exactly once when a request is repeated', async () => {
    const watch = new GrpcKeyWatch(n1);
    const keys = new KeyClient({ fetcher: grpcKeyFetcher(n1), watch });
    try {
      await watch.whenSynced();
      const tdk = (await keys.tenantDataKey('acme')).key;
      const before = tenantFromWire(await acme.call('GetTenant', { tenant: 'acme' })).kekVersion;
      const rotated = tenantFromWire(await acme.call('RotateKek', { tenant: 'acme', expectedKekVersion: before }));
      const repeated = tenantFromWire(await acme.call('RotateKek', { tenant: 'acme', expectedKekVersion: before }));
      expect([rotated.kekVersion, repeated.kekVersion]).toEqual([before + 1, before + 1]);
      await waitFor('the rotation to reach the node', () => tdk.destroyed);
      expect(keys.stats.invalidations).toBe(1);
      // A stale expectation is a conflict, not a second rotation.
      await expect(acme.call('RotateKek', { tenant: 'acme', expectedKekVersion: before - 1 || 7 })).rejects.toMatchObject({ code: ErrorCodes.KM_CONFLICT });
      // The data key is the same key under the new KEK.
      expect((await keys.tenantDataKey('acme')).key.expose().length).toBe(32);
    } finally {
      keys.close();
      watch.close();
    }
  });

  it('gives a tenant admin a head over its own chain only, which verifies its exported trail', async () => {
    const res = await acme.call('GetAuditHead', { tenant: 'acme' });
    const head = decodeSignedHead(res.signedHead);
    expect(head.head.chains.map((c) => c.chain)).toEqual([tenantChain('acme')]);
    const exported = await acme.exportAudit({ tenant: 'acme' });
    const trail = { chain: tenantChain('acme'), entries: exported.entries.map((e) => decodeEntry(e)) };
    const verified = verifyTrail(trail, head, res.publicKey);
    expect(verified.verifiedLength).toBe(head.head.chains[0]!.length);
    expect(trail.entries.map((e) => e.type)).toEqual(expect.arrayContaining(['tenant.create', 'tenant.keys.create', 'kek.rotate', 'node.pin.set', 'key.unwrap']));
    // A cluster admin's head covers every chain; it may not read a tenant's trail.
    const all = decodeSignedHead((await admin.call('GetAuditHead', { tenant: '' })).signedHead);
    expect(all.head.chains.map((c) => c.chain)).toEqual([SYSTEM_CHAIN, tenantChain('acme'), tenantChain('beta')]);
    await expect(admin.exportAudit({ tenant: 'acme' })).rejects.toMatchObject({ code: ErrorCodes.KM_FORBIDDEN });
    await expect(acme.call('GetAuditHead', { tenant: 'beta' })).rejects.toMatchObject({ code: ErrorCodes.TRANSPORT_PERMISSION_DENIED });
  });

  it('records refusals in the audit trail, aggregated', async () => {
    const n9 = await client(await pki.cluster('node-n9', { kind: 'node', id: 'n9' }));
    for (let i = 0; i < 3; i++) await expect(n9.call('GetDedupKey', {})).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
    await expect(beta.call('RotateKek', { tenant: 'acme' })).rejects.toMatchObject({ code: ErrorCodes.TRANSPORT_PERMISSION_DENIED });
    // Denials are aggregated per (principal, method, window); a flush may fall
    // between them, so count across entries: every denial, none twice.
    const isN9 = (e: ReturnType<typeof decodeEntry>): boolean => e.outcome === 'denied' && e.principal.endsWith('/node/n9') && e.method === 'FetchDedupKey';
    const n9Entries = await waitForAll(admin, '', isN9, (found) => found.reduce((sum, e) => sum + e.count, 0) >= 3);
    expect(n9Entries.every((e) => e.reason === 'node-not-allowed')).toBe(true);
    expect(n9Entries.reduce((sum, e) => sum + e.count, 0)).toBe(3);
    const betaDenial = await waitForEntries(beta, 'beta', (e) => e.type === 'rpc.denied' && e.method === '/tessera.v1.Keys/RotateKek');
    expect(betaDenial).toMatchObject({ reason: 'foreign-tenant-field', outcome: 'denied' });
  });

  it("needs a tenant admin's approval for a cluster admin's shred; then keys are gone for every node", async () => {
    const watch = new GrpcKeyWatch(n1);
    const keys = new KeyClient({ fetcher: grpcKeyFetcher(n1), watch });
    try {
      await watch.whenSynced();
      const tik = await keys.tenantIndexKey('acme');
      const pending = await admin.call('RequestShred', { tenant: 'acme', delayMs: 0 });
      expect(pending.state).toBe('TENANT_STATE_SHRED_PENDING_APPROVAL');
      expect(tik.destroyed).toBe(false);
      const scheduled = await acme.call('ApproveShred', { tenant: 'acme' });
      expect(scheduled.state).toBe('TENANT_STATE_SHRED_SCHEDULED');
      await waitFor('the shred to reach the node', () => tik.destroyed);
      await expect(n1.call('GetDataKey', { tenant: 'acme' })).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
      await expect(keys.tenantDataKey('acme')).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
      expect(tenantFromWire(await admin.call('GetTenant', { tenant: 'acme' })).state).toBe('shredded');
      // A shredded tenant's admins are no longer trusted at all.
      await waitFor('the registry to drop the shredded tenant', () => km.tenantCas.get('acme') === undefined);
    } finally {
      keys.close();
      watch.close();
    }
  });

  it('takes the minimum decrypt epoch from an allow-listed node only, then stops releasing older master keys', async () => {
    const report = { epoch: 2, metadataTerm: 3, metadataIndex: 10 };
    // No admin path: the authorization table refuses cluster admins and tenant admins before any handler runs.
    await expect(admin.call('ReportMinDecryptEpoch', report)).rejects.toMatchObject({ code: ErrorCodes.TRANSPORT_PERMISSION_DENIED });
    await expect(beta.call('ReportMinDecryptEpoch', report)).rejects.toMatchObject({ code: ErrorCodes.TRANSPORT_PERMISSION_DENIED });
    const n9 = await client(await pki.cluster('node-n9', { kind: 'node', id: 'n9' }));
    await expect(n9.call('ReportMinDecryptEpoch', report)).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
    const before = await admin.call('GetKeyHealth', {});
    expect(before).toMatchObject({ systemEpoch: '1', minDecryptEpoch: '0' });
    await admin.call('RotateSystemEpoch', { expectedEpoch: before.systemEpoch });
    const old = await n1.call('GetMasterKey', { epoch: 1 });
    released.set('master-1', Buffer.from(old.key));
    expect(await n1.call('ReportMinDecryptEpoch', report, { idempotent: true })).toEqual({ minDecryptEpoch: '2', systemEpoch: '2' });
    expect(await n1.call('ReportMinDecryptEpoch', report, { idempotent: true })).toEqual({ minDecryptEpoch: '2', systemEpoch: '2' });
    await expect(n1.call('GetMasterKey', { epoch: 1 })).rejects.toMatchObject({ code: ErrorCodes.EPOCH_RETIRED });
    const current = await n1.call('GetMasterKey', { epoch: 0 });
    expect(current).toMatchObject({ epoch: '2', currentEpoch: '2' });
    released.set('master-2', Buffer.from(current.key));
    // A deposed metadata leader (a lower term) cannot move it, nor can anyone pass the system epoch.
    await expect(n1.call('ReportMinDecryptEpoch', { epoch: 2, metadataTerm: 2, metadataIndex: 50 })).rejects.toMatchObject({ code: ErrorCodes.KM_CONFLICT });
    await expect(n1.call('ReportMinDecryptEpoch', { epoch: 3, metadataTerm: 3, metadataIndex: 60 })).rejects.toMatchObject({ code: ErrorCodes.KM_BAD_STATE });
    expect(await admin.call('GetKeyHealth', {})).toMatchObject({ systemEpoch: '2', minDecryptEpoch: '2' });
  });

  it('wrote no key it released, nor any root-provider key, to its data dir or its log (K1)', async () => {
    await km.stop();
    for (const key of (await keyringKeys(keyring)).all) released.set(`keyring/${key.subarray(0, 4).toString('hex')}`, key);
    const dataDir = path.join(pki.root, 'data', 'km1');
    const haystacks = (await everyByte(dataDir, ['raft', 'state'])).map((bytes, i) => ({ where: `data#${i}`, bytes }));
    haystacks.push({ where: 'log', bytes: Buffer.from(logLines.join('')) });
    expect(logLines.length).toBeGreaterThan(5);
    expect(released.size).toBeGreaterThanOrEqual(6);
    expect(search(haystacks, released)).toEqual([]);
  });
});

/** Polls the exported trail until the matching entries satisfy `done`. */
async function waitForAll(
  c: KeyManagerClient,
  tenant: string,
  match: (e: ReturnType<typeof decodeEntry>) => boolean,
  done: (found: ReturnType<typeof decodeEntry>[]) => boolean,
): Promise<ReturnType<typeof decodeEntry>[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { entries } = await c.exportAudit({ tenant });
    const found = entries.map((e) => decodeEntry(e)).filter(match);
    if (done(found)) return found;
    if (Date.now() > deadline) throw new Error('audit entries not found');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForEntries(c: KeyManagerClient, tenant: string, match: (e: ReturnType<typeof decodeEntry>) => boolean): Promise<ReturnType<typeof decodeEntry>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { entries } = await c.exportAudit({ tenant });
    const found = entries.map((e) => decodeEntry(e)).find(match);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('audit entry not found');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
