/**
 * Access grants across real processes (DESIGN A2, section 7; issue #9), on
 * a 3-node cluster with tenants acme and bolt:
 *  - without a grant a cluster admin is refused on every Data method, with
 *    or without naming the tenant (`tessera-tenant` header);
 *  - a cluster admin requests access; bolt's tenant admin and the cluster
 *    admin cannot approve it; acme's tenant admin does;
 *  - under the read grant the cluster admin reads and lists only under the
 *    prefix, on every node, and cannot write;
 *  - a short read-write grant lets it write under its prefix until the
 *    leader commits the expiry; then it is refused again;
 *  - a revoked grant is refused at once;
 *  - every call naming acme is in acme's audit trail (ListAccess), and the
 *    sealed prefix and reason never reach a disk in cleartext.
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import type { TesseraClient } from '@tessera/client';
import { pollUntil, scanFilesForCanary, scanLevelDbForCanary, findLevelDbDirs, type ClusterTlsFiles } from '@tessera/launcher';
import { ClientTls, createClient, rpcFailure } from '@tessera/transport';
import { tesseraV1, u64String, type AccessGrant__Output, type AccessRequest__Output, type AdminClient, type DataClient, type ListAccessResponse__Output } from '@tessera/wire';
import { DataCluster, type TenantHandle } from './support/data-cluster.js';
import { FailureFlag } from './support/failures.js';

const CALL_MS = 10_000;
const failures = new FailureFlag();
const { track } = failures;
let cluster: DataCluster;
let acme: TenantHandle;
let bolt: TenantHandle;
let acmeClient: TesseraClient;
const closers: Array<() => void> = [];

const REASON_CANARY = 'reason-canary-7f3a9c1e';
const PREFIX_CANARY = 'reports-q7zx/';
const report = randomBytes(40 * 1024);
const small = Buffer.from('quarterly numbers');
const secret = Buffer.from('not for the cluster admin');

type Invoke<Res> = (options: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown;

function unaryCall<Res>(invoke: Invoke<Res>): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    invoke({ deadline: Date.now() + CALL_MS }, (err, res) => (err !== null ? reject(rpcFailure(err)) : res === undefined ? reject(new Error('empty response')) : resolve(res)));
  });
}

async function tls(files: ClusterTlsFiles): Promise<ClientTls> {
  const t = await ClientTls.create({ trustDomain: cluster.launcher.trustDomain, tls: files, expect: { kinds: ['node'] } });
  closers.push(() => t.close());
  return t;
}

/** The Admin service of node `id` under a certificate. */
async function adminOf(files: ClusterTlsFiles, id = 'n1'): Promise<AdminClient> {
  const c = createClient(tesseraV1().Admin, cluster.launcher.node(id).ports.clientAddress, await tls(files), { 'grpc.use_local_subchannel_pool': 1 });
  closers.push(() => c.close());
  return c;
}

async function dataOf(files: ClusterTlsFiles, id: string): Promise<DataClient> {
  const c = createClient(tesseraV1().Data, cluster.launcher.node(id).ports.clientAddress, await tls(files), { 'grpc.use_local_subchannel_pool': 1 });
  closers.push(() => c.close());
  return c;
}

/** gRPC code (and Tessera code) of each Data method called once by the raw client, with the given headers. */
async function everyDataMethod(data: DataClient, headers: grpc.Metadata): Promise<Record<string, string>> {
  const outcome = async (call: Promise<unknown>): Promise<string> =>
    call.then(
      () => 'OK',
      (err: { code?: string; message?: string }) => `${err.code ?? '?'}: ${err.message ?? ''}`,
    );
  const session = { clientId: '1', seq: '1', ackedThrough: '0' };
  const unaryWith = <Res>(invoke: (md: grpc.Metadata, options: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown): Promise<Res> =>
    unaryCall<Res>((o, cb) => invoke(headers, o, cb));
  // Each call starts only when awaited: one at a time, in order (the audit trail is checked in that order).
  const putChunk = (): Promise<unknown> => new Promise((resolve, reject) => {
    const call = data.PutChunk(headers, { deadline: Date.now() + CALL_MS }, (err: grpc.ServiceError | null, res?: unknown) => (err !== null ? reject(rpcFailure(err)) : resolve(res)));
    call.write({ header: { session, size: '1' } });
    call.write({ data: Buffer.from('x') });
    call.end();
  });
  const getObject = (): Promise<unknown> => new Promise((resolve, reject) => {
    const stream = data.GetObject({ name: 'reports-q7zx/q1' }, headers, { deadline: Date.now() + CALL_MS });
    stream.on('data', () => undefined);
    stream.on('error', (err: grpc.ServiceError) => reject(rpcFailure(err)));
    stream.on('end', () => resolve(undefined));
  });
  return {
    OpenSession: await outcome(unaryWith((md, o, cb) => data.OpenSession({}, md, o, cb))),
    PutChunk: await outcome(putChunk()),
    PutObject: await outcome(unaryWith((md, o, cb) => data.PutObject({ session, name: 'reports-q7zx/new', inlineData: Buffer.from('x') }, md, o, cb))),
    GetObject: await outcome(getObject()),
    StatObject: await outcome(unaryWith((md, o, cb) => data.StatObject({ name: 'reports-q7zx/q1' }, md, o, cb))),
    ListObjects: await outcome(unaryWith((md, o, cb) => data.ListObjects({ prefix: '', limit: 10, pageToken: '' }, md, o, cb))),
    DeleteObject: await outcome(unaryWith((md, o, cb) => data.DeleteObject({ session, name: 'reports-q7zx/q1' }, md, o, cb))),
  };
}

const tenantHeader = (tenant: string): grpc.Metadata => {
  const md = new grpc.Metadata();
  md.set('tessera-tenant', tenant);
  return md;
};

async function request(admin: AdminClient, prefix: string, mode: 'ACCESS_MODE_READ' | 'ACCESS_MODE_READ_WRITE', durationS: number, reason = ''): Promise<AccessRequest__Output> {
  return unaryCall<AccessRequest__Output>((o, cb) => admin.RequestAccess({ tenant: 'acme', prefix, mode, durationS: u64String(durationS), reason }, o, cb));
}

const approve = (admin: AdminClient, tenant: string, requestId: string): Promise<AccessGrant__Output> => unaryCall<AccessGrant__Output>((o, cb) => admin.ApproveAccess({ tenant, requestId }, o, cb));
const listAccess = (admin: AdminClient, tenant = 'acme'): Promise<ListAccessResponse__Output> => unaryCall<ListAccessResponse__Output>((o, cb) => admin.ListAccess({ tenant }, o, cb));

/** The cluster admin's SDK client acting on acme under its grants, through one node or all. */
async function grantedClient(nodes?: readonly string[]): Promise<TesseraClient> {
  return cluster.client(cluster.launcher.adminTls, {
    grantTenant: 'acme',
    retryTimeoutMs: 5_000,
    ...(nodes !== undefined ? { endpoints: nodes.map((id) => cluster.launcher.node(id).ports.clientAddress) } : {}),
  });
}

const DENIED = { code: ErrorCodes.TRANSPORT_PERMISSION_DENIED, message: 'permission denied' };

let clusterAdmin: AdminClient;
let acmeAdmin: AdminClient;
let readGrant: AccessGrant__Output;

beforeAll(async () => {
  cluster = await DataCluster.start({ nodes: 3 });
  try {
    [acme, bolt] = await Promise.all([cluster.addTenant('acme', 'shared'), cluster.addTenant('bolt', 'shared')]);
    acmeClient = await cluster.client(acme.client, { chunkSize: 16 * 1024 });
    await acmeClient.put(report, `${PREFIX_CANARY}big`);
    await acmeClient.put(small, `${PREFIX_CANARY}q1`);
    await acmeClient.put(secret, 'private/secret');
    clusterAdmin = await adminOf(cluster.launcher.adminTls, 'n2');
    acmeAdmin = await adminOf(acme.admin, 'n3');
  } catch (err) {
    failures.failed = true;
    throw err;
  }
}, 120_000);

afterAll(async () => {
  for (const close of closers.splice(0)) close();
  await cluster?.shutdown(failures.failed);
}, 60_000);

describe('access grants', () => {
  it(
    'without a grant, every Data method refuses the cluster admin (naming the tenant or not)',
    track(async () => {
      const raw = await dataOf(cluster.launcher.adminTls, 'n1');
      const denied = 'TRANSPORT_PERMISSION_DENIED: permission denied';
      const all = { OpenSession: denied, PutChunk: denied, PutObject: denied, GetObject: denied, StatObject: denied, ListObjects: denied, DeleteObject: denied };
      expect(await everyDataMethod(raw, new grpc.Metadata())).toEqual(all);
      expect(await everyDataMethod(raw, tenantHeader('acme'))).toEqual(all);
      // The calls that named acme are in its trail, refused for want of a grant.
      const trail = (await listAccess(acmeAdmin)).audit;
      expect(trail.map((e) => [e.method, e.outcome, e.grantId])).toEqual(Object.keys(all).map((m) => [m, 'no-grant', '']));
      // A tenant principal cannot use the header to reach another tenant.
      const boltRaw = await dataOf(bolt.client, 'n1');
      expect((await everyDataMethod(boltRaw, tenantHeader('acme'))).StatObject).toBe(denied);
    }),
    60_000,
  );

  it(
    'only a tenant admin of that tenant approves: not another tenant\'s admin, not the cluster admin',
    track(async () => {
      const pending = await request(clusterAdmin, PREFIX_CANARY, 'ACCESS_MODE_READ', 120, `${REASON_CANARY}: ticket 4711`);
      expect(pending).toMatchObject({ tenant: 'acme', prefix: PREFIX_CANARY, state: 'ACCESS_STATE_PENDING', requestedBy: expect.stringMatching(/\/admin\//) });
      const boltAdmin = await adminOf(bolt.admin, 'n1');
      await expect(approve(boltAdmin, 'acme', pending.requestId)).rejects.toMatchObject(DENIED);
      await expect(approve(boltAdmin, 'bolt', pending.requestId)).rejects.toMatchObject(DENIED);
      await expect(approve(clusterAdmin, 'acme', pending.requestId)).rejects.toMatchObject(DENIED);
      // bolt sees nothing of acme's requests; the requester sees its own, prefix included.
      await expect(listAccess(boltAdmin)).rejects.toMatchObject(DENIED);
      expect((await listAccess(clusterAdmin)).requests.map((r) => [r.requestId, r.prefix])).toEqual([[pending.requestId, PREFIX_CANARY]]);
      const shown = await listAccess(acmeAdmin);
      expect(shown.requests).toEqual([expect.objectContaining({ requestId: pending.requestId, state: 'ACCESS_STATE_PENDING', reason: `${REASON_CANARY}: ticket 4711` })]);
      readGrant = await approve(acmeAdmin, 'acme', pending.requestId);
      expect(readGrant).toMatchObject({ tenant: 'acme', prefix: PREFIX_CANARY, state: 'ACCESS_STATE_APPROVED', approvedBy: expect.stringMatching(/\/tenant\/acme\/admin\//) });
      expect(Number(readGrant.notAfterMs) - Number(readGrant.notBeforeMs)).toBe(120_000);
      await expect(approve(acmeAdmin, 'acme', pending.requestId)).rejects.toMatchObject({ code: ErrorCodes.ACCESS_BAD_STATE });
    }),
    60_000,
  );

  it(
    'under a read grant: reads and lists only under the prefix, on every node; writes refused',
    track(async () => {
      for (const id of ['n1', 'n2', 'n3']) {
        const admin = await grantedClient([id]);
        expect((await admin.getBuffer(`${PREFIX_CANARY}big`)).equals(report), id).toBe(true);
        expect((await admin.stat(`${PREFIX_CANARY}q1`)).size).toBe(small.length);
      }
      const admin = await grantedClient();
      const listed: string[] = [];
      for await (const o of admin.list()) listed.push(o.name);
      expect(listed).toEqual([`${PREFIX_CANARY}big`, `${PREFIX_CANARY}q1`]);
      await expect(admin.getBuffer('private/secret')).rejects.toMatchObject(DENIED);
      await expect(admin.stat('private/secret')).rejects.toMatchObject(DENIED);
      await expect(admin.list({ prefix: 'private/' }).next()).rejects.toMatchObject(DENIED);
      await expect(admin.put(Buffer.from('x'), `${PREFIX_CANARY}new`)).rejects.toMatchObject(DENIED);
      await expect(admin.delete(`${PREFIX_CANARY}q1`)).rejects.toMatchObject(DENIED);
      expect((await acmeClient.getBuffer(`${PREFIX_CANARY}q1`)).equals(small)).toBe(true);
      const trail = (await listAccess(acmeAdmin)).audit;
      const outcomes = new Set(trail.map((e) => `${e.method}:${e.outcome}`));
      for (const o of ['GetObject:allowed', 'StatObject:allowed', 'ListObjects:allowed', 'GetObject:outside-prefix', 'StatObject:outside-prefix', 'ListObjects:outside-prefix', 'OpenSession:read-only']) {
        expect(outcomes.has(o), o).toBe(true);
      }
      // Refused or served, every one names the grant; objects only by keyTag.
      const underGrant = trail.filter((e) => e.outcome !== 'no-grant');
      expect(underGrant.every((e) => e.grantId === readGrant.grantId)).toBe(true);
      expect(underGrant.filter((e) => e.method === 'StatObject').every((e) => /^[0-9a-f]{64}$/.test(e.keyTag))).toBe(true);
    }),
    60_000,
  );

  it(
    'a short read-write grant: writes under its prefix until the leader commits the expiry, then refused again',
    track(async () => {
      const pending = await request(clusterAdmin, 'scratch/', 'ACCESS_MODE_READ_WRITE', 3);
      const grant = await approve(acmeAdmin, 'acme', pending.requestId);
      const admin = await grantedClient();
      await admin.put(Buffer.from('written under a grant'), 'scratch/fix');
      expect((await acmeClient.getBuffer('scratch/fix')).toString()).toBe('written under a grant');
      await expect(admin.put(Buffer.from('x'), 'elsewhere/fix')).rejects.toMatchObject(DENIED);
      await pollUntil(
        'the grant expired and the admin is refused',
        async () => {
          try {
            await admin.stat('scratch/fix');
            return false;
          } catch (err) {
            return (err as { code?: string }).code === ErrorCodes.TRANSPORT_PERMISSION_DENIED;
          }
        },
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      expect(Date.now()).toBeGreaterThanOrEqual(Number(grant.notAfterMs) - 5_000);
      // The node refuses once its clock passes the window; the leader's duty then commits the expiry.
      await pollUntil('the leader committed the expiry', async () => (await listAccess(acmeAdmin)).grants.every((g) => g.grantId !== grant.grantId), { timeoutMs: 10_000, intervalMs: 200 });
      expect((await listAccess(acmeAdmin)).grants.map((g) => g.grantId)).toEqual([readGrant.grantId]);
      await expect(admin.put(Buffer.from('late'), 'scratch/late')).rejects.toMatchObject(DENIED);
    }),
    60_000,
  );

  it(
    'a revoked grant is refused at once on every node; the trail keeps every call; no cleartext prefix or reason on disk',
    track(async () => {
      const revoked = await unaryCall<AccessGrant__Output>((o, cb) => acmeAdmin.RevokeGrant({ tenant: 'acme', grantId: readGrant.grantId }, o, cb));
      expect(revoked).toMatchObject({ grantId: readGrant.grantId, state: 'ACCESS_STATE_EXPIRED' });
      for (const id of ['n1', 'n2', 'n3']) await expect((await grantedClient([id])).stat(`${PREFIX_CANARY}q1`), id).rejects.toMatchObject(DENIED);
      const after = await listAccess(acmeAdmin);
      expect(after.grants).toEqual([]);
      expect(after.audit.slice(-3).map((e) => e.outcome)).toEqual(['no-grant', 'no-grant', 'no-grant']);
      expect(after.audit.map((e) => Number(e.seq))).toEqual(after.audit.map((_, i) => i + 1));
      // A cluster admin never sees the trail.
      expect((await listAccess(clusterAdmin)).audit).toEqual([]);

      const roots = cluster.launcher.nodes().map((n) => n.dataDir);
      for (const marker of [REASON_CANARY, PREFIX_CANARY]) {
        const needle = Buffer.from(marker, 'utf8');
        expect(await scanFilesForCanary(roots, needle), marker).toEqual([]);
        expect(await scanLevelDbForCanary(await findLevelDbDirs(roots), needle), marker).toEqual([]);
      }
    }),
    60_000,
  );
});
