/**
 * `tessera access …` and `--tenant` on the object verbs, run in-process
 * against a fake node client port (real mTLS and the real authorization
 * table: a cluster admin certificate, and a tenant admin certificate of the
 * tenant's own CA). The fake Admin service records what it was asked; the
 * node-side rules are tested with the node and end to end.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantTestPki, type TenantTestPki } from '@tessera/client/testing';
import { caPaths, issueCertificate } from '@tessera/launcher';
import { startTesseraServer, unary, type Principal, type TesseraServer } from '@tessera/transport';
import type { AccessGrant, AccessRequest, ListAccessResponse, ObjectMeta, RequestAccessRequest__Output, StatObjectRequest__Output } from '@tessera/wire';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from '../src/index.js';

let pki: TenantTestPki;
let server: TesseraServer;
const calls: Array<{ method: string; principal: string; request: unknown }> = [];
let adminFlags: string[];
let tenantAdminFlags: string[];

const REQUEST_ID = 'ab'.repeat(16);
const GRANT_ID = 'cd'.repeat(16);

async function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

const request = (r: Partial<AccessRequest> = {}): AccessRequest => ({
  requestId: REQUEST_ID,
  tenant: 'acme',
  prefix: 'reports/',
  mode: 'ACCESS_MODE_READ',
  durationS: '7200',
  reason: 'ticket 4711',
  requestedBy: 'spiffe://tessera.test/admin/ops',
  state: 'ACCESS_STATE_PENDING',
  createdMs: '1700000000000',
  ...r,
});

const grant = (): AccessGrant => ({
  grantId: GRANT_ID,
  requestId: REQUEST_ID,
  tenant: 'acme',
  prefix: 'reports/',
  mode: 'ACCESS_MODE_READ',
  notBeforeMs: '1700000000000',
  notAfterMs: '1700007200000',
  approvedBy: 'spiffe://tessera.test/tenant/acme/admin/boss',
  state: 'ACCESS_STATE_APPROVED',
});

beforeAll(async () => {
  pki = await createTenantTestPki();
  const tenantCa = caPaths(path.join(pki.cluster.root, 'acme-ca'));
  const boss = await issueCertificate({ caDir: tenantCa.dir, outDir: path.join(pki.cluster.root, 'boss'), identity: { kind: 'tenant-admin', tenant: 'acme', name: 'boss' } });
  const admin = await pki.cluster.admin('ops');
  let self: TesseraServer | undefined;
  const record = <Req, Res>(method: string, answer: (req: Req) => Res) =>
    unary<Req, Res>(async (req, call) => {
      const p: Principal = self!.principalOf(call);
      calls.push({ method, principal: p.spiffeId, request: req });
      return answer(req);
    });
  server = await startTesseraServer({
    port: 'client',
    trustDomain: pki.trustDomain,
    tls: await pki.node('n1'),
    tenantCas: await pki.registry(),
    resources: { holds: (tenant, kind, id) => tenant === 'acme' && ((kind === 'request' && id === REQUEST_ID) || (kind === 'grant' && id === GRANT_ID)) },
    services: {
      Admin: {
        RequestAccess: record<RequestAccessRequest__Output, AccessRequest>('RequestAccess', (req) => request({ tenant: req.tenant, prefix: req.prefix, mode: req.mode, durationS: req.durationS, reason: req.reason })),
        ApproveAccess: record('ApproveAccess', grant),
        DenyAccess: record('DenyAccess', () => request({ state: 'ACCESS_STATE_DENIED' })),
        RevokeGrant: record('RevokeGrant', () => ({ ...grant(), state: 'ACCESS_STATE_EXPIRED' })),
        ListAccess: record<unknown, ListAccessResponse>('ListAccess', () => ({
          requests: [request({ state: 'ACCESS_STATE_APPROVED' })],
          grants: [grant()],
          audit: [{ seq: '1', timeMs: '1700000001000', admin: 'spiffe://tessera.test/admin/ops', grantId: GRANT_ID, method: 'GetObject', keyTag: '00'.repeat(32), outcome: 'allowed' }],
        })),
      },
      // Records the header the SDK sends (the real node's grant rules: integration test).
      Data: {
        StatObject: unary<StatObjectRequest__Output, ObjectMeta>(async (req, call) => {
          calls.push({ method: 'StatObject', principal: self!.principalOf(call).spiffeId, request: { name: req.name, tenant: call.metadata.get('tessera-tenant') } });
          return { name: req.name, size: '3', modifiedMs: '1700000000000', etag: 'e', attributes: {}, chunks: 0 };
        }),
      },
    },
    watch: false,
  });
  self = server;
  const ca = ['--ca', admin.caFile, '--crl', admin.crlFile];
  adminFlags = ['--endpoint', server.address, '--cert', admin.certFile, '--key', admin.keyFile, ...ca];
  tenantAdminFlags = ['--endpoint', `n1=${server.address}`, '--cert', boss.certFile, '--key', boss.keyFile, ...ca];
});

afterAll(async () => {
  await server?.close(0);
  await pki?.cleanup();
});

describe('tessera access', () => {
  it('request (cluster admin): tenant, prefix, mode, duration and reason go to the node; -o json prints the request', async () => {
    const r = await run(['-o', 'json', 'access', 'request', '--tenant', 'acme', '--prefix', 'reports/', '--duration', '2h', '--reason', 'ticket 4711', ...adminFlags]);
    expect(r.code, r.stderr).toBe(EXIT_OK);
    expect(calls.at(-1)).toMatchObject({
      method: 'RequestAccess',
      principal: 'spiffe://tessera.test/admin/ops',
      request: { tenant: 'acme', prefix: 'reports/', mode: 'ACCESS_MODE_READ', durationS: '7200', reason: 'ticket 4711' },
    });
    expect(JSON.parse(r.stdout)).toMatchObject({ requestId: REQUEST_ID, tenant: 'acme', prefix: 'reports/', mode: 'read', durationS: 7200, state: 'pending' });
    const rw = await run(['access', 'request', '--tenant', 'acme', '--mode', 'read-write', '--duration', '90s', ...adminFlags]);
    expect(rw.code, rw.stderr).toBe(EXIT_OK);
    expect(rw.stdout).toMatch(/^access requested: a tenant admin of acme must approve request ab/);
    expect(calls.at(-1)?.request).toMatchObject({ mode: 'ACCESS_MODE_READ_WRITE', durationS: '90', prefix: '' });
  });

  it('approve, deny, revoke and list (tenant admin; --tenant defaults to its certificate\'s tenant)', async () => {
    const approve = await run(['-o', 'json', 'access', 'approve', REQUEST_ID, ...tenantAdminFlags]);
    expect(approve.code, approve.stderr).toBe(EXIT_OK);
    expect(calls.at(-1)).toMatchObject({ method: 'ApproveAccess', principal: 'spiffe://tessera.test/tenant/acme/admin/boss', request: { tenant: 'acme', requestId: REQUEST_ID } });
    expect(JSON.parse(approve.stdout)).toMatchObject({ grantId: GRANT_ID, state: 'approved', prefix: 'reports/' });
    expect((await run(['access', 'deny', REQUEST_ID, ...tenantAdminFlags])).stdout).toMatch(/^access denied\n/);
    expect((await run(['access', 'revoke', GRANT_ID, ...tenantAdminFlags])).stdout).toMatch(/^grant revoked\n(.*\n)* {2}state +expired\n/);
    const list = await run(['-o', 'json', 'access', 'list', '--audit', ...tenantAdminFlags]);
    expect(list.code, list.stderr).toBe(EXIT_OK);
    expect(JSON.parse(list.stdout)).toMatchObject({ requests: [{ requestId: REQUEST_ID, state: 'approved' }], grants: [{ grantId: GRANT_ID }], audit: [{ seq: 1, method: 'GetObject', outcome: 'allowed' }] });
    const table = await run(['access', 'list', '--audit', ...tenantAdminFlags]);
    expect(table.stdout).toMatch(/^access requests of acme\n/);
    expect(table.stdout).toMatch(/calls under grants on acme\n.*\n {2}1 .*GetObject .*allowed/);
  });

  it('refusals: the authorization table\'s answer exits 1; bad flags exit 2', async () => {
    // Another tenant's request id (the resource index says acme does not hold it).
    const foreign = await run(['access', 'approve', 'ef'.repeat(16), ...tenantAdminFlags]);
    expect(foreign.code).toBe(EXIT_FAILURE);
    expect(foreign.stderr).toMatch(/permission denied/);
    // A cluster admin cannot approve.
    expect((await run(['access', 'approve', REQUEST_ID, '--tenant', 'acme', ...adminFlags])).code).toBe(EXIT_FAILURE);
    // A cluster admin has no tenant of its own.
    const noTenant = await run(['access', 'list', ...adminFlags]);
    expect(noTenant.code).toBe(EXIT_USAGE);
    expect(noTenant.stderr).toMatch(/--tenant is required/);
    expect((await run(['access', 'request', '--tenant', 'acme', '--duration', '0', ...adminFlags])).code).toBe(EXIT_USAGE);
    expect((await run(['access', 'request', '--tenant', 'acme', '--duration', '31d', ...adminFlags])).code).toBe(EXIT_USAGE);
    expect((await run(['access', 'request', '--tenant', 'acme', '--duration', '1h', '--mode', 'write', ...adminFlags])).code).toBe(EXIT_USAGE);
    expect((await run(['access', 'request', '--duration', '1h', ...adminFlags])).code).toBe(EXIT_USAGE);
  });

  it('object verbs with --tenant: a cluster admin certificate, the tenant in the tessera-tenant header', async () => {
    const admin = await pki.cluster.admin('ops');
    const flags = ['--endpoint', server.address, '--cert', admin.certFile, '--key', admin.keyFile, '--ca', admin.caFile, '--crl', admin.crlFile];
    // Without --tenant a cluster admin certificate is refused before anything is sent.
    const plain = await run(['stat', 'reports/q1', ...flags]);
    expect(plain.code).toBe(EXIT_USAGE);
    expect(plain.stderr).toMatch(/cluster admin one with grantTenant/);
    // With it the call goes out with the header.
    const granted = await run(['-o', 'json', 'stat', '--tenant', 'acme', 'reports/q1', ...flags]);
    expect(granted.code, granted.stderr).toBe(EXIT_OK);
    expect(calls.at(-1)).toEqual({ method: 'StatObject', principal: 'spiffe://tessera.test/admin/ops', request: { name: 'reports/q1', tenant: ['acme'] } });
    expect(JSON.parse(granted.stdout)).toMatchObject({ name: 'reports/q1', size: 3 });
    expect((await run(['stat', '--tenant', 'Not_A_Tenant', 'reports/q1', ...flags])).code).toBe(EXIT_USAGE);
  });
});
