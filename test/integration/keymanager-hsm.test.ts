/**
 * Issue #6 across processes: three `tessera keymanager start` processes
 * sharing one SoftHSM2 token (the pkcs11 root provider; root key, KEKs and
 * the audit key are token objects), grown the production way (bootstrap,
 * join, AddKeyManager). The leader is killed in the middle of a KEK
 * rotation, twice:
 *  1. after it created the new KEK object in the token but before it
 *     proposed the rotation — the new leader finishes the rotation, reusing
 *     that object (no orphan, no second version);
 *  2. after the rotation committed but before the caller heard — the
 *     caller's retry is answered from the committed state, not rotated again.
 * Each time the rotation completes exactly once: one version more, one
 * `kek.rotate` entry more in the tenant's audit chain, one KEK object more
 * in the token, and nodes get the data key under the new KEK. Finally a
 * crypto-shred applied by every member empties the token of the tenant's
 * KEKs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeEntry } from '@tessera/audit';
import { ErrorCodes } from '@tessera/common';
import { pollUntil, type ClusterTlsFiles } from '@tessera/launcher';
import { FAULT_FILE, Pkcs11RootProvider, TEST_FAULTS_ENV, spkiSha256, tenantFromWire, type KeyManagerClient } from '@tessera/keymanager';
import { SOFTHSM_LIBRARY, createTokens, describePkcs11, type TestToken } from '../../packages/keymanager/test/softhsm.js';
import { KeyManagerProcesses, json } from './support/km-processes.js';
import { FailureFlag } from './support/failures.js';

const PIN = '246810';
let token: TestToken;
let kms: KeyManagerProcesses;
const failures = new FailureFlag();
const { track } = failures;
let tenantAdmin: KeyManagerClient;
let node: KeyManagerClient;

describePkcs11('three key managers on one SoftHSM2 token', () => {
  beforeAll(async () => {
    const [created] = await createTokens(['tessera-km'], PIN);
    token = created!;
    const provider = ['--provider', 'pkcs11', '--pkcs11-library', SOFTHSM_LIBRARY, '--token-label', token.label];
    kms = await KeyManagerProcesses.create({
      provider: () => provider,
      env: { SOFTHSM2_CONF: token.conf, TESSERA_PKCS11_PIN: PIN, [TEST_FAULTS_ENV]: '1' },
    });
    try {
      json(await kms.launcher.runCli(['-o', 'json', 'keymanager', 'init', ...provider]));
      await kms.bootstrap('km1');
      await kms.join('km2');
      await kms.join('km3');
      const acme = await kms.launcher.createTenantPki('acme');
      json(await kms.cli(['-o', 'json', 'tenant', 'create', '--id', 'acme', '--policy', 'isolated', '--ca', acme.caCertFile, '--crl', acme.caCrlFile]));
      const adminTls: ClusterTlsFiles = await acme.admin('alice');
      tenantAdmin = await kms.client(adminTls);
      await pollUntil('the tenant admin to be accepted', async () => (await tenantAdmin.call('CreateTenantKeys', { tenant: 'acme' }).then(() => true, () => false)) || undefined, {
        timeoutMs: 15_000,
        intervalMs: 100,
      });
      const nodeTls = await kms.launcher.issue({ kind: 'node', id: 'n1' }, 'node-n1');
      await kms.admin.call('SetNodePin', { nodeId: 'n1', spkiSha256: spkiSha256(await readFile(nodeTls.certFile, 'utf8')) }, { idempotent: true });
      node = await kms.client(nodeTls);
    } catch (err) {
      await kms.shutdown(true);
      throw err;
    }
  }, 180_000);

  afterAll(async () => {
    await kms?.shutdown(failures.failed);
    await token?.cleanup();
  }, 60_000);

  /** KEK versions of the tenant that exist in the token now (read with the test's own session). */
  async function tokenKekVersions(): Promise<number[]> {
    const provider = await Pkcs11RootProvider.open({ library: SOFTHSM_LIBRARY, tokenLabel: token.label, pin: PIN });
    try {
      return await provider.listKekVersions('acme');
    } finally {
      await provider.close();
    }
  }

  async function rotationsAudited(): Promise<number> {
    const { entries } = await tenantAdmin.exportAudit({ tenant: 'acme' });
    return entries.map((e) => decodeEntry(e)).filter((e) => e.type === 'kek.rotate' && e.outcome === 'ok').length;
  }

  /** Arms a one-shot crash at `step` in the current leader; returns its id. */
  async function armLeader(step: string): Promise<string> {
    const leader = await kms.waitForLeader();
    await writeFile(path.join(kms.launcher.keyManager(leader).dataDir, FAULT_FILE), step);
    return leader;
  }

  async function rotateThroughCrash(step: string, from: number): Promise<void> {
    const leader = await armLeader(step);
    const done = tenantFromWire(await tenantAdmin.call('RotateKek', { tenant: 'acme', expectedKekVersion: from }, { idempotent: true, retryTimeoutMs: 60_000 }));
    expect(done.kekVersion).toBe(from + 1);
    const exited = await kms.launcher.keyManager(leader).exited();
    expect(exited.signal).toBe('SIGKILL');
    const next = await kms.waitForLeader({ exclude: [leader] });
    expect(next).not.toBe(leader);
    expect(tenantFromWire(await tenantAdmin.call('GetTenant', { tenant: 'acme' }, { idempotent: true })).kekVersion).toBe(from + 1);
    // Nodes get the data key, now wrapped under the new KEK.
    expect((await node.call('GetDataKey', { tenant: 'acme' }, { idempotent: true })).key).toHaveLength(32);
    // Bring the member back for the next round; it catches up and the group has three voters again.
    await kms.launcher.restartKeyManager(leader);
    await kms.waitForVoters(3, 60_000);
  }

  it(
    'elects one leader among three members that all use the same token',
    track(async () => {
      const status = await kms.admin.call('KeyManagerStatus', {}, { idempotent: true });
      expect(status.members.map((m) => `${m.identity?.id}:${m.role}`).sort()).toEqual(['km1:MEMBER_ROLE_VOTER', 'km2:MEMBER_ROLE_VOTER', 'km3:MEMBER_ROLE_VOTER']);
      expect(await tokenKekVersions()).toEqual([1]);
      expect((await node.call('GetDataKey', { tenant: 'acme' }, { idempotent: true })).key).toHaveLength(32);
    }),
  );

  it(
    'completes a rotation exactly once when the leader dies after creating the new KEK in the token',
    track(async () => {
      const audited = await rotationsAudited();
      await rotateThroughCrash('kek-created', 1);
      expect(await tokenKekVersions()).toEqual([1, 2]);
      expect(await rotationsAudited()).toBe(audited + 1);
    }),
  );

  it(
    'completes a rotation exactly once when the leader dies after it committed but before the caller heard',
    track(async () => {
      const audited = await rotationsAudited();
      await rotateThroughCrash('rotation-committed', 2);
      expect(await tokenKekVersions()).toEqual([1, 2, 3]);
      expect(await rotationsAudited()).toBe(audited + 1);
    }),
  );

  it(
    'shreds through the shared token: every member applies it, every KEK version is gone, unwrap fails with KEK_DESTROYED',
    track(async () => {
      await tenantAdmin.call('RequestShred', { tenant: 'acme', delayMs: 0 });
      // Asked as the cluster admin: once shredded, the tenant's own admins are no longer trusted.
      await pollUntil('the shred to execute', async () => tenantFromWire(await kms.admin.call('GetTenant', { tenant: 'acme' }, { idempotent: true })).state === 'shredded' || undefined, {
        timeoutMs: 15_000,
        intervalMs: 50,
      });
      await kms.waitForVoters(3);
      expect(await tokenKekVersions()).toEqual([]);
      await expect(node.call('GetDataKey', { tenant: 'acme' }, { idempotent: true })).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
    }),
  );
});
