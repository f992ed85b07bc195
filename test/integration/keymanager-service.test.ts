/**
 * Issue #6 across processes: one `tessera keymanager start` process (file
 * root provider, keyring made by `tessera keymanager init`), driven over
 * mTLS by a cluster admin, tenant admins and storage-node identities, and by
 * the `tessera` CLI as a real process:
 *  - tenants registered with their own CA; tenant keys by the tenant admin;
 *  - the node allow-list with SPKI pins: an id not on the list and the right
 *    id with another key are both refused (and the refusals are audited);
 *  - an invalidation (KEK rotation) reaching a node's KeyClient within one second;
 *  - audit tamper tests through the CLI: `audit verify` accepts the exported
 *    trail and catches a rewritten, a dropped and a reordered entry;
 *  - crypto-shred, then restart, then the pre-shred data dir restored: every
 *    unwrap of the tenant fails with KEK_DESTROYED.
 */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEntry, decodeTrail, encodeEntry, encodeTrail, entryHash, type AuditEntry } from '@tessera/audit';
import { ErrorCodes } from '@tessera/common';
import { pollUntil, type ClusterTlsFiles, type TenantPki } from '@tessera/launcher';
import { GrpcKeyWatch, KeyClient, grpcKeyFetcher, tenantFromWire, type KeyManagerClient } from '@tessera/keymanager';
import { KeyManagerProcesses, json } from './support/km-processes.js';
import { FailureFlag } from './support/failures.js';

let kms: KeyManagerProcesses;
const failures = new FailureFlag();
const { track } = failures;
let keyring: string;
let acme: TenantPki;
let acmeAdmin: ClusterTlsFiles;
let acmeClient: KeyManagerClient;
let n1: KeyManagerClient;
let n1Tls: ClusterTlsFiles;

beforeAll(async () => {
  kms = await KeyManagerProcesses.create({ provider: (root) => ['--provider', 'file', '--keyring', path.join(root, 'keyring')], args: ['--audit-window-ms', '300'] });
  try {
    keyring = path.join(kms.launcher.root, 'keyring');
    const init = json(await kms.launcher.runCli(['-o', 'json', 'keymanager', 'init', '--provider', 'file', '--keyring', keyring]));
    expect(init).toMatchObject({ provider: 'file', rootKey: 'file:root#1', auditKey: 'file:audit#1' });
    await kms.bootstrap('km1');
    acme = await kms.launcher.createTenantPki('acme');
    acmeAdmin = await acme.admin('alice');
    n1Tls = await kms.launcher.issue({ kind: 'node', id: 'n1' }, 'node-n1');
  } catch (err) {
    await kms.shutdown(true);
    throw err;
  }
}, 120_000);

afterAll(async () => {
  await kms?.shutdown(failures.failed);
}, 60_000);

describe('one key-manager process over mTLS', () => {
  it(
    'registers a tenant with its own CA through `tessera tenant create`, and lists it',
    track(async () => {
      const created = json(await kms.cli(['-o', 'json', 'tenant', 'create', '--id', 'acme', '--policy', 'isolated', '--ca', acme.caCertFile, '--crl', acme.caCrlFile]));
      expect(created).toMatchObject({ id: 'acme', policy: 'isolated', state: 'active' });
      const listed = json(await kms.cli(['-o', 'json', 'tenant', 'list']));
      expect(listed['tenants']).toEqual([expect.objectContaining({ id: 'acme', policy: 'isolated' })]);
      // A tenant admin is trusted now, and creates its keys (defaulting --tenant to its own).
      const keys = await pollUntil('the tenant admin to be accepted', async () => {
        const run = await kms.cli(['-o', 'json', 'tenant', 'create-keys'], acmeAdmin);
        return run.code === 0 ? json(run) : undefined;
      }, { timeoutMs: 10_000, intervalMs: 100 });
      expect(keys).toMatchObject({ id: 'acme', epoch: 1, kekVersion: 1 });
      // A cluster admin may not create a tenant's keys (exit 1, refused by the authorization table).
      const refused = await kms.cli(['-o', 'json', 'tenant', 'create-keys', '--tenant', 'acme']);
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.stderr)).toMatchObject({ error: { code: ErrorCodes.TRANSPORT_PERMISSION_DENIED } });
      acmeClient = await kms.client(acmeAdmin);
    }),
  );

  it(
    'serves keys to an allow-listed node with its pinned key only; other ids and other keys are refused and audited',
    track(async () => {
      json(await kms.cli(['-o', 'json', 'keymanager', 'allow-node', '--id', 'n1', '--node-cert', n1Tls.certFile]));
      n1 = await kms.client(n1Tls);
      const tdk = await n1.call('GetDataKey', { tenant: 'acme' }, { idempotent: true });
      expect(tdk.key).toHaveLength(32);
      const n9 = await kms.client(await kms.launcher.issue({ kind: 'node', id: 'n9' }, 'node-n9'));
      await expect(n9.call('GetDataKey', { tenant: 'acme' })).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
      const rekeyed = await kms.client(await kms.launcher.issue({ kind: 'node', id: 'n1' }, 'node-n1-rekeyed'));
      await expect(rekeyed.call('GetDataKey', { tenant: 'acme' })).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
      await expect(rekeyed.call('GetMasterKey', {})).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
      // The refusals land in the trails (aggregated per principal, method and window).
      const reasons = await pollUntil(
        'the refusals in the audit trails',
        async () => {
          const tenant = (await acmeClient.exportAudit({ tenant: 'acme' })).entries.map((e) => decodeEntry(e));
          const system = (await kms.admin.exportAudit({ tenant: '' })).entries.map((e) => decodeEntry(e));
          const denied = [...tenant, ...system].filter((e) => e.outcome === 'denied').map((e) => `${e.principal.split('/').pop()}:${e.reason}`);
          return denied.includes('n9:node-not-allowed') && denied.includes('n1:pin-mismatch') ? denied : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 200 },
      );
      expect(reasons).toEqual(expect.arrayContaining(['n9:node-not-allowed', 'n1:pin-mismatch']));
    }),
  );

  it(
    "drops a node's keys within one second of a KEK rotation",
    track(async () => {
      const watch = new GrpcKeyWatch(n1);
      const keys = new KeyClient({ fetcher: grpcKeyFetcher(n1), watch });
      try {
        await watch.whenSynced();
        const tdk = (await keys.tenantDataKey('acme')).key;
        const tik = await keys.tenantIndexKey('acme');
        const before = tenantFromWire(await acmeClient.call('GetTenant', { tenant: 'acme' }));
        await acmeClient.call('RotateKek', { tenant: 'acme', expectedKekVersion: before.kekVersion }, { idempotent: true });
        const committed = Date.now();
        // The deadline is the requirement itself (DESIGN section 5: invalidation within one second).
        await pollUntil('the invalidation to reach the node', () => tdk.destroyed && tik.destroyed, { timeoutMs: 1_000, intervalMs: 5 });
        expect(Date.now() - committed).toBeLessThan(1_000);
        expect(keys.stats.invalidations).toBe(1);
      } finally {
        keys.close();
        watch.close();
      }
    }),
  );

  it(
    'catches a rewritten, a dropped and a reordered entry with `tessera audit verify`',
    track(async () => {
      const dir = kms.launcher.root;
      const head = path.join(dir, 'acme-head.json');
      const trail = path.join(dir, 'acme-trail.bin');
      const kept = json(await kms.cli(['-o', 'json', 'audit', 'head', '--out', head], acmeAdmin));
      expect(kept['chains']).toEqual([expect.stringMatching(/^tenant\/acme:\d+$/)]);
      json(await kms.cli(['-o', 'json', 'audit', 'export', '--out', trail], acmeAdmin));
      const ok = json(await kms.launcher.runCli(['-o', 'json', 'audit', 'verify', '--head', head, '--trail', trail]));
      expect(ok).toMatchObject({ chain: 'tenant/acme' });
      expect(Number(ok['verifiedEntries'])).toBeGreaterThanOrEqual(5);

      const original = decodeTrail(await readFile(trail));
      const entries = original.entries;
      const tampered: Record<string, AuditEntry[]> = {
        // An entry's principal rewritten (hashes left as they were).
        rewritten: entries.map((e, i) => (i === 2 ? { ...e, principal: 'spiffe://tessera.local/admin/mallory' } : e)),
        dropped: entries.filter((_, i) => i !== 2),
        reordered: [entries[0]!, entries[2]!, entries[1]!, ...entries.slice(3)],
        // A rewrite that recomputes every later link still cannot match the signed head.
        relinked: relink(entries.map((e, i) => (i === 1 ? { ...e, outcome: 'ok' as const, reason: '' , principal: 'spiffe://tessera.local/admin/mallory' } : e))),
      };
      const expected: Record<string, string> = { rewritten: 'AUDIT_CHAIN_BROKEN', dropped: 'AUDIT_CHAIN_BROKEN', reordered: 'AUDIT_CHAIN_BROKEN', relinked: 'AUDIT_HEAD_MISMATCH' };
      for (const [what, list] of Object.entries(tampered)) {
        const file = path.join(dir, `acme-trail-${what}.bin`);
        await writeFile(file, encodeTrail({ chain: original.chain, entries: list }));
        const run = await kms.launcher.runCli(['-o', 'json', 'audit', 'verify', '--head', head, '--trail', file]);
        expect(run.code, what).toBe(1);
        expect(JSON.parse(run.stderr), what).toMatchObject({ error: { code: expected[what] } });
      }
    }),
  );

  it(
    'after a crypto-shred, unwrap fails with KEK_DESTROYED — after a restart, and with the pre-shred data dir restored',
    track(async () => {
      const km = kms.launcher.keyManager('km1');
      const preShred = path.join(kms.launcher.root, 'km1-pre-shred');
      // A copy of the whole data dir while the tenant is alive (taken with the process stopped, as a backup would).
      await km.stop();
      await cp(km.dataDir, preShred, { recursive: true });
      await kms.launcher.restartKeyManager('km1');
      await kms.waitForLeader();
      expect((await n1.call('GetDataKey', { tenant: 'acme' }, { idempotent: true })).key).toHaveLength(32);

      const shred = json(await kms.cli(['-o', 'json', 'tenant', 'shred', '--schedule', '--delay', '0'], acmeAdmin));
      expect(shred).toMatchObject({ tenant: 'acme' });
      await pollUntil('the shred to execute', async () => tenantFromWire(await kms.admin.call('GetTenant', { tenant: 'acme' }, { idempotent: true })).state === 'shredded', {
        timeoutMs: 10_000,
        intervalMs: 50,
      });
      await expect(n1.call('GetDataKey', { tenant: 'acme' }, { idempotent: true })).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
      await expect(n1.call('GetIndexKey', { tenant: 'acme' }, { idempotent: true })).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });

      await kms.launcher.keyManager('km1').kill('SIGKILL');
      await kms.launcher.restartKeyManager('km1');
      await kms.waitForLeader();
      await expect(n1.call('GetDataKey', { tenant: 'acme' }, { idempotent: true })).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });

      // The pre-shred state comes back (tenant active, wrapped keys present), but the KEKs are gone from the keyring.
      await kms.launcher.keyManager('km1').stop();
      await rm(km.dataDir, { recursive: true, force: true });
      await cp(preShred, km.dataDir, { recursive: true });
      await kms.launcher.restartKeyManager('km1');
      await kms.waitForLeader();
      expect(tenantFromWire(await kms.admin.call('GetTenant', { tenant: 'acme' }, { idempotent: true })).state).toBe('active');
      await expect(n1.call('GetDataKey', { tenant: 'acme', tenantEpoch: 1 }, { idempotent: true })).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
      await expect(n1.call('GetIndexKey', { tenant: 'acme' }, { idempotent: true })).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
      // System keys are untouched by a tenant's shred.
      expect((await n1.call('GetMasterKey', {}, { idempotent: true })).key).toHaveLength(32);
    }),
  );
});

/** Recomputes every link after an edit (what a forger who cannot sign would do). */
function relink(entries: readonly AuditEntry[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (const [i, e] of entries.entries()) {
    const prevHash = i === 0 ? e.prevHash : entryHash(out[i - 1]!);
    out.push(decodeEntry(encodeEntry({ ...e, prevHash })));
  }
  return out;
}
