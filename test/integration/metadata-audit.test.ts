/**
 * The metadata group's audit chains across real processes (DESIGN A3,
 * section 7; issue #9; ADR 0020), on a 3-node cluster with tenants acme and
 * bolt:
 *  - a cluster admin's access request, acme's approval and a read under the
 *    grant appear in acme's exported trail (metadata group), beside the key
 *    manager's key unwraps for acme, in one export;
 *  - `tessera audit verify` passes against the heads acme's admin kept
 *    (both logs, both signed by the key manager's audit key), and fails once
 *    one byte of the exported trail file is changed;
 *  - bolt's admin cannot export (nor take a head of) acme's trail, and a
 *    cluster admin cannot export a tenant's trail, only the system chain.
 */
import * as grpc from '@grpc/grpc-js';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAuditBundle, decodeEntry, type AuditEntry } from '@tessera/audit';
import { ErrorCodes } from '@tessera/common';
import type { ClusterTlsFiles, CliRun } from '@tessera/launcher';
import { ClientTls, createClient, rpcFailure } from '@tessera/transport';
import { tesseraV1, u64String, type AccessGrant__Output, type AccessRequest__Output, type AdminClient, type MetadataAuditPart__Output } from '@tessera/wire';
import { DataCluster, type TenantHandle } from './support/data-cluster.js';
import { FailureFlag } from './support/failures.js';
import { json } from './support/km-processes.js';

const CALL_MS = 10_000;
const failures = new FailureFlag();
const { track } = failures;
let cluster: DataCluster;
let acme: TenantHandle;
let bolt: TenantHandle;
const closers: Array<() => void> = [];
const object = Buffer.from('numbers for the auditors');
let grant: AccessGrant__Output;

function unaryCall<Res>(invoke: (options: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    invoke({ deadline: Date.now() + CALL_MS }, (err, res) => (err !== null ? reject(rpcFailure(err)) : res === undefined ? reject(new Error('empty response')) : resolve(res)));
  });
}

async function adminOf(files: ClusterTlsFiles, id: string): Promise<AdminClient> {
  const tls = await ClientTls.create({ trustDomain: cluster.launcher.trustDomain, tls: files, expect: { kinds: ['node'] } });
  const c = createClient(tesseraV1().Admin, cluster.launcher.node(id).ports.clientAddress, tls, { 'grpc.use_local_subchannel_pool': 1 });
  closers.push(() => {
    c.close();
    tls.close();
  });
  return c;
}

function exportRaw(admin: AdminClient, tenant: string): Promise<MetadataAuditPart__Output[]> {
  return new Promise((resolve, reject) => {
    const parts: MetadataAuditPart__Output[] = [];
    const stream = admin.ExportAudit({ tenant }, { deadline: Date.now() + CALL_MS });
    stream.on('data', (p: MetadataAuditPart__Output) => parts.push(p));
    stream.on('error', (err: grpc.ServiceError) => reject(rpcFailure(err)));
    stream.on('end', () => resolve(parts));
  });
}

/** `tessera <args>` as `tls`, pointed at the key manager and every node's client port. */
function cli(args: readonly string[], tls: ClusterTlsFiles): Promise<CliRun> {
  return cluster.launcher.runCli(args, {
    env: { ...cluster.kms.cliEnv(tls), TESSERA_DATA_ENDPOINT: cluster.launcher.nodes().map((n) => n.ports.clientAddress).join(',') },
  });
}

const file = (name: string): string => path.join(cluster.root, name);
const DENIED = { code: ErrorCodes.TRANSPORT_PERMISSION_DENIED };

beforeAll(async () => {
  cluster = await DataCluster.start({ nodes: 3 });
  try {
    [acme, bolt] = await Promise.all([cluster.addTenant('acme', 'shared'), cluster.addTenant('bolt', 'shared')]);
    await (await cluster.client(acme.client)).put(object, 'ledger/2026');
    // A grant: requested by the cluster admin (on n2), approved by acme's admin (on n3), a read under it.
    const clusterAdmin = await adminOf(cluster.launcher.adminTls, 'n2');
    const acmeAdmin = await adminOf(acme.admin, 'n3');
    const request = await unaryCall<AccessRequest__Output>((o, cb) =>
      clusterAdmin.RequestAccess({ tenant: 'acme', prefix: 'ledger/', mode: 'ACCESS_MODE_READ', durationS: u64String(600), reason: 'audit drill' }, o, cb),
    );
    grant = await unaryCall<AccessGrant__Output>((o, cb) => acmeAdmin.ApproveAccess({ tenant: 'acme', requestId: request.requestId }, o, cb));
    const granted = await cluster.client(cluster.launcher.adminTls, { grantTenant: 'acme', retryTimeoutMs: 5_000 });
    expect((await granted.getBuffer('ledger/2026')).equals(object)).toBe(true);
  } catch (err) {
    failures.failed = true;
    throw err;
  }
}, 150_000);

afterAll(async () => {
  for (const close of closers.splice(0)) close();
  await cluster?.shutdown(failures.failed);
}, 60_000);

describe('metadata audit chains', () => {
  it(
    "a grant's request and approval and a read under it are in acme's exported trail, and verify against the kept heads",
    track(async () => {
      const kept = json(await cli(['-o', 'json', 'audit', 'head', '--out', file('acme-head.json')], acme.admin));
      expect(kept).toMatchObject({ format: 'tessera-audit-head/2', chains: [expect.stringMatching(/^tenant\/acme:\d+$/)], metadataChains: [expect.stringMatching(/^tenant\/acme:\d+$/)] });
      const exported = json(await cli(['-o', 'json', 'audit', 'export', '--out', file('acme-trail.bin')], acme.admin));
      expect(exported).toMatchObject({ chain: 'tenant/acme' });

      const parts = decodeAuditBundle(await readFile(file('acme-trail.bin')));
      expect(parts.map((p) => [p.domain, p.trail.chain])).toEqual([
        ['keymanager', 'tenant/acme'],
        ['metadata', 'tenant/acme'],
      ]);
      const metadata: readonly AuditEntry[] = parts[1]!.trail.entries;
      const types = metadata.map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['tenant.registered', 'access.request', 'access.approve', 'data.access', 'audit.export']));
      expect(types.indexOf('access.request')).toBeLessThan(types.indexOf('access.approve'));
      const grantId = Buffer.from(grant.grantId, 'hex');
      const read = metadata.find((e) => e.type === 'data.access' && e.method === 'GetObject');
      expect(read).toMatchObject({ outcome: 'ok', reason: 'allowed', principal: expect.stringMatching(/^admin\//) });
      expect(read?.targets).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'access', id: grantId }), expect.objectContaining({ kind: 'keyTag' })]));
      // Names never enter the trail: neither the object's nor the grant's prefix or reason.
      const bytes = await readFile(file('acme-trail.bin'));
      for (const name of ['ledger/2026', 'ledger/', 'audit drill']) expect(bytes.includes(Buffer.from(name)), name).toBe(false);
      // The key manager's part: acme's key unwraps by the nodes.
      expect(parts[0]!.trail.entries.some((e) => e.type === 'key.unwrap')).toBe(true);

      const ok = json(await cluster.launcher.runCli(['-o', 'json', 'audit', 'verify', '--head', file('acme-head.json'), '--trail', file('acme-trail.bin')]));
      expect(ok).toMatchObject({ chain: 'tenant/acme', metadataChain: 'tenant/acme' });
      expect(Number(ok['metadataVerifiedEntries'])).toBeGreaterThanOrEqual(4);
      expect(Number(ok['verifiedEntries'])).toBeGreaterThanOrEqual(1);
      // For people: both logs' events in one timeline.
      const table = await cluster.launcher.runCli(['audit', 'verify', '--head', file('acme-head.json'), '--trail', file('acme-trail.bin'), '--entries']);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toMatch(/metadata +\d+ +\S+ +access\.approve/);
      expect(table.stdout).toMatch(/keymanager +\d+ +\S+ +key\.unwrap/);
    }),
    90_000,
  );

  it(
    '`audit verify` fails once one byte of the exported trail is changed',
    track(async () => {
      const bytes = await readFile(file('acme-trail.bin'));
      // One byte of the metadata trail, in an entry the kept head covers: the approval's type.
      const at = bytes.indexOf(Buffer.from('access.approve'));
      expect(at).toBeGreaterThan(0);
      const tampered = Buffer.from(bytes);
      tampered[at + 'access.appr'.length] = 0x70; // 'access.apprpve'
      await writeFile(file('acme-trail-tampered.bin'), tampered);
      const run = await cluster.launcher.runCli(['-o', 'json', 'audit', 'verify', '--head', file('acme-head.json'), '--trail', file('acme-trail-tampered.bin')]);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: expect.stringMatching(/^AUDIT_(CHAIN_BROKEN|HEAD_MISMATCH)$/) } });
    }),
    60_000,
  );

  it(
    "another tenant's admin cannot export acme's trail; a cluster admin exports only the system chain",
    track(async () => {
      const boltAdmin = await adminOf(bolt.admin, 'n1');
      await expect(exportRaw(boltAdmin, 'acme')).rejects.toMatchObject(DENIED);
      await expect(unaryCall((o, cb) => boltAdmin.GetAuditHead({ tenant: 'acme' }, o, cb))).rejects.toMatchObject(DENIED);
      const viaCli = await cli(['-o', 'json', 'audit', 'export', '--tenant', 'acme', '--out', file('bolt-steals.bin')], bolt.admin);
      expect(viaCli.code).not.toBe(0);
      // bolt's own trail holds nothing of acme's.
      const own = await exportRaw(boltAdmin, 'bolt');
      const entries = own.flatMap((p) => p.entries.map((e) => decodeEntry(e)));
      expect(own.every((p) => p.chain === 'tenant/bolt')).toBe(true);
      expect(entries.some((e) => e.type.startsWith('access.'))).toBe(false);

      const clusterAdmin = await adminOf(cluster.launcher.adminTls, 'n1');
      await expect(exportRaw(clusterAdmin, 'acme')).rejects.toMatchObject(DENIED);
      const system = await exportRaw(clusterAdmin, '');
      expect(system.every((p) => p.chain === 'system')).toBe(true);
      expect(system.flatMap((p) => p.entries.map((e) => decodeEntry(e).type))).toEqual(expect.arrayContaining(['node.registered', 'device.added', 'tenant.registered']));
    }),
    60_000,
  );
});
