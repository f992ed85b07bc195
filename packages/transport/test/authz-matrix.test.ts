/**
 * Table-driven authorization tests (DESIGN A1). Later issues extend both
 * tables when they add methods:
 *  (1) EXPECTED_MATRIX: every served method × every principal kind, checked
 *      against the declared table and through the real interceptor over mTLS;
 *  (2) TENANT_SCOPED: every tenant-scoped method, called by tenant A with each
 *      tenant-owned field set to tenant B's value, is denied.
 * The expected matrix is written out independently of src/authz/table.ts on
 * purpose: a change to the table must be made twice to pass.
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZATION_TABLE, InMemoryTenantResourceIndex, PRINCIPAL_KINDS, buildAuthorizationTable, isTenantKind } from '../src/index.js';
import type { PrincipalKind, TenantFieldKind } from '../src/index.js';
import { allServedMethods, invoke } from './support/rpc.js';
import { CERTS, createTestPki } from './support/pki.js';
import type { TestPki } from './support/pki.js';
import { startMatrixServer } from './support/matrix-server.js';
import type { MatrixServer } from './support/matrix-server.js';
import { connect } from './support/servers.js';

const ALL = PRINCIPAL_KINDS;
const EXPECTED_MATRIX: Readonly<Record<string, readonly PrincipalKind[]>> = {
  '/tessera.v1.Raft/Exchange': ['node', 'keymanager'],
  '/tessera.v1.Raft/InstallSnapshot': ['node', 'keymanager'],
  '/tessera.v1.Fabric/PutShard': ['node'],
  '/tessera.v1.Fabric/GetShard': ['node'],
  '/tessera.v1.Data/PutObject': ['tenant-admin', 'tenant-client'],
  '/tessera.v1.Data/GetObject': ['tenant-admin', 'tenant-client'],
  '/tessera.v1.Data/StatObject': ['tenant-admin', 'tenant-client'],
  '/tessera.v1.Data/ListObjects': ['tenant-admin', 'tenant-client'],
  '/tessera.v1.Data/DeleteObject': ['tenant-admin', 'tenant-client'],
  '/tessera.v1.Admin/ClusterStatus': ['admin'],
  '/tessera.v1.Admin/ListMembers': ['admin'],
  '/tessera.v1.Admin/AddMember': ['admin'],
  '/tessera.v1.Admin/RemoveMember': ['admin'],
  '/tessera.v1.Admin/TransferLeader': ['admin'],
  '/tessera.v1.Admin/TenantUsage': ['admin', 'tenant-admin'],
  '/tessera.v1.Admin/RequestAccess': ['admin'],
  '/tessera.v1.Admin/ApproveAccess': ['tenant-admin'],
  '/tessera.v1.Admin/DenyAccess': ['tenant-admin'],
  '/tessera.v1.Admin/RevokeGrant': ['tenant-admin'],
  '/tessera.v1.Admin/ListAccess': ['admin', 'tenant-admin'],
  '/tessera.v1.Kv/OpenSession': ['admin'],
  '/tessera.v1.Kv/Put': ['admin'],
  '/tessera.v1.Kv/Delete': ['admin'],
  '/tessera.v1.Kv/Get': ['admin'],
  '/tessera.v1.Kv/Scan': ['admin'],
  '/tessera.v1.Keys/GetMasterKey': ['node'],
  '/tessera.v1.Keys/GetDedupKey': ['node'],
  '/tessera.v1.Keys/GetDataKey': ['node'],
  '/tessera.v1.Keys/GetIndexKey': ['node'],
  '/tessera.v1.Keys/Watch': ['node'],
  '/tessera.v1.Keys/CreateTenantKeys': ['tenant-admin'],
  '/tessera.v1.Keys/RotateKek': ['tenant-admin'],
  '/tessera.v1.Keys/NewTenantEpoch': ['tenant-admin'],
  '/tessera.v1.Keys/ApproveShred': ['tenant-admin'],
  '/tessera.v1.Keys/CancelShred': ['tenant-admin'],
  '/tessera.v1.Keys/ReplaceTenantCa': ['tenant-admin'],
  '/tessera.v1.Keys/RequestShred': ['admin', 'tenant-admin'],
  '/tessera.v1.Keys/GetTenant': ['admin', 'tenant-admin'],
  '/tessera.v1.Keys/GetAuditHead': ['admin', 'tenant-admin'],
  '/tessera.v1.Keys/ExportAudit': ['admin', 'tenant-admin'],
  '/tessera.v1.Keys/CreateTenant': ['admin'],
  '/tessera.v1.Keys/ListTenants': ['admin'],
  '/tessera.v1.Keys/RotateSystemEpoch': ['admin'],
  '/tessera.v1.Keys/SetNodePin': ['admin'],
  '/tessera.v1.Keys/RemoveNode': ['admin'],
  '/tessera.v1.Keys/ListNodes': ['admin'],
  '/tessera.v1.Keys/GetKeyHealth': ['admin'],
  '/tessera.v1.Keys/KeyManagerStatus': ['admin'],
  '/tessera.v1.Keys/AddKeyManager': ['admin'],
  '/tessera.v1.Keys/ForwardAudit': ['keymanager'],
  '/grpc.health.v1.Health/Check': ALL,
  '/grpc.health.v1.Health/Watch': ALL,
  '/grpc.health.v1.Health/List': ALL,
  '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo': ALL,
  '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo': ALL,
};

/** Tenant-owned values of one tenant, as requests name them. */
interface TenantValues {
  readonly tenant: string;
  readonly ref: { readonly tenant: string; readonly name: string };
  readonly chunk: Buffer;
  readonly request: string;
  readonly grant: string;
}

const A: TenantValues = {
  tenant: 'acme',
  ref: { tenant: 'acme', name: 'reports/q1.pdf' },
  chunk: randomBytes(32),
  request: 'req-acme-1',
  grant: 'grant-acme-1',
};
const B: TenantValues = {
  tenant: 'beta',
  ref: { tenant: 'beta', name: 'payroll.csv' },
  chunk: randomBytes(32),
  request: 'req-beta-1',
  grant: 'grant-beta-1',
};

/** Which value of TenantValues stands for each field kind. */
const FIELD_VALUE: Record<TenantFieldKind, keyof TenantValues> = {
  tenant: 'tenant',
  name: 'ref',
  chunk: 'chunk',
  request: 'request',
  grant: 'grant',
};

interface ScopedCase {
  /** Field kinds the method's requests carry. */
  readonly fields: readonly TenantFieldKind[];
  /** The request message(s) of one call, built from one tenant's values. */
  readonly messages: (v: TenantValues) => readonly unknown[];
}

const TENANT_SCOPED: Readonly<Record<string, ScopedCase>> = {
  '/tessera.v1.Data/PutObject': {
    fields: ['name', 'chunk'],
    messages: (v) => [{ header: { ref: v.ref, clientId: 'c1', seq: '1' } }, { data: Buffer.from('hello') }, { chunkRef: v.chunk }],
  },
  '/tessera.v1.Data/GetObject': { fields: ['name'], messages: (v) => [{ ref: v.ref, range: { offset: '0', length: '10' } }] },
  '/tessera.v1.Data/StatObject': { fields: ['name'], messages: (v) => [{ ref: v.ref }] },
  '/tessera.v1.Data/ListObjects': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant, prefix: 'r' }] },
  '/tessera.v1.Data/DeleteObject': { fields: ['name'], messages: (v) => [{ ref: v.ref, clientId: 'c1', seq: '2' }] },
  '/tessera.v1.Admin/TenantUsage': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant }] },
  '/tessera.v1.Admin/ApproveAccess': { fields: ['tenant', 'request'], messages: (v) => [{ tenant: v.tenant, requestId: v.request }] },
  '/tessera.v1.Admin/DenyAccess': { fields: ['tenant', 'request'], messages: (v) => [{ tenant: v.tenant, requestId: v.request }] },
  '/tessera.v1.Admin/RevokeGrant': { fields: ['tenant', 'grant'], messages: (v) => [{ tenant: v.tenant, grantId: v.grant }] },
  '/tessera.v1.Admin/ListAccess': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant }] },
  '/tessera.v1.Keys/CreateTenantKeys': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant }] },
  '/tessera.v1.Keys/RotateKek': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant, expectedKekVersion: 1 }] },
  '/tessera.v1.Keys/NewTenantEpoch': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant, expectedEpoch: '1' }] },
  '/tessera.v1.Keys/ApproveShred': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant }] },
  '/tessera.v1.Keys/CancelShred': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant }] },
  '/tessera.v1.Keys/ReplaceTenantCa': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant, caCertificatePem: 'pem', caCrlPem: 'crl' }] },
  '/tessera.v1.Keys/RequestShred': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant, delayMs: '0' }] },
  '/tessera.v1.Keys/GetTenant': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant }] },
  '/tessera.v1.Keys/GetAuditHead': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant }] },
  '/tessera.v1.Keys/ExportAudit': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant }] },
};

const CERT_OF_KIND: Record<PrincipalKind, string> = {
  node: CERTS.node2,
  keymanager: CERTS.keymanager,
  admin: CERTS.admin,
  'tenant-admin': CERTS.acmeAdmin,
  'tenant-client': CERTS.acmeClient,
};

const methods = allServedMethods();
let pki: TestPki;
let server: MatrixServer;
const clients = new Map<PrincipalKind, grpc.Client>();

function client(kind: PrincipalKind): grpc.Client {
  const c = clients.get(kind);
  if (c === undefined) throw new Error(`no client for ${kind}`);
  return c;
}

function method(path: string): NonNullable<ReturnType<typeof methods.get>> {
  const m = methods.get(path);
  if (m === undefined) throw new Error(`unknown method ${path}`);
  return m;
}

/** A request that is valid for `kind`: tenant principals name acme's own values. */
function requestFor(path: string): readonly unknown[] {
  return TENANT_SCOPED[path]?.messages(A) ?? [{}];
}

beforeAll(async () => {
  pki = await createTestPki();
  const resources = new InMemoryTenantResourceIndex();
  for (const v of [A, B]) {
    resources.add(v.tenant, 'chunk', v.chunk.toString('hex')).add(v.tenant, 'request', v.request).add(v.tenant, 'grant', v.grant);
  }
  server = await startMatrixServer(pki.files(CERTS.node1), await pki.registry(), resources);
  for (const kind of PRINCIPAL_KINDS) {
    const { client: c } = await connect(server.address, pki.files(CERT_OF_KIND[kind]));
    clients.set(kind, c);
  }
});

afterAll(async () => {
  for (const c of clients.values()) c.close();
  await server.close();
  await pki.cleanup();
});

describe('(1) the method × principal-kind matrix', () => {
  it('declares exactly the served methods, each as expected', () => {
    const served = [...methods.keys()].sort();
    expect([...AUTHORIZATION_TABLE.keys()].sort()).toEqual(served);
    expect(Object.keys(EXPECTED_MATRIX).sort()).toEqual(served);
    for (const [path, kinds] of Object.entries(EXPECTED_MATRIX)) {
      expect([...(AUTHORIZATION_TABLE.get(path)?.allow ?? [])].sort(), path).toEqual([...kinds].sort());
    }
  });

  const cases = Object.entries(EXPECTED_MATRIX).flatMap(([path, allowed]) =>
    PRINCIPAL_KINDS.map((kind) => ({ path, kind, allowed: allowed.includes(kind) })),
  );

  it.each(cases)('$path as $kind → allowed: $allowed', async ({ path, kind, allowed }) => {
    const before = server.calls.get(path) ?? 0;
    const outcome = await invoke(client(kind), method(path), requestFor(path));
    if (allowed) {
      expect(outcome.code).toBe(grpc.status.OK);
      expect(server.calls.get(path) ?? 0).toBe(before + 1);
    } else {
      expect(outcome).toEqual({ code: grpc.status.PERMISSION_DENIED, details: 'permission denied' });
      expect(server.calls.get(path) ?? 0).toBe(before);
    }
  });

  it('denies a method missing from the table, whoever calls', async () => {
    const path = '/tessera.v1.Data/StatObject';
    const table = buildAuthorizationTable([...AUTHORIZATION_TABLE].filter(([p]) => p !== path));
    const resources = new InMemoryTenantResourceIndex();
    const partial = await startMatrixServer(pki.files(CERTS.node1), await pki.registry(), resources, table);
    try {
      const { client: c } = await connect(partial.address, pki.files(CERTS.acmeClient));
      expect((await invoke(c, method(path), requestFor(path))).code).toBe(grpc.status.PERMISSION_DENIED);
      expect(partial.calls.get(path) ?? 0).toBe(0);
      expect(partial.audit.events.at(-1)).toMatchObject({ reason: 'undeclared-method', method: path });
      c.close();
    } finally {
      await partial.close();
    }
  });

  it('refuses to build a table that opens a method to tenants without declaring tenant fields', () => {
    expect(() => buildAuthorizationTable([['/x.Y/Z', { allow: ['tenant-client'] }]])).toThrow(/declares no tenant fields/);
  });
});

describe('(2) tenant A naming tenant B\'s values', () => {
  it('covers every method open to tenant principals that names tenant resources', () => {
    const scoped = [...AUTHORIZATION_TABLE]
      .filter(([, p]) => p.allow.some(isTenantKind) && p.tenantFields !== undefined)
      .map(([path]) => path)
      .sort();
    expect(Object.keys(TENANT_SCOPED).sort()).toEqual(scoped);
  });

  it.each(Object.keys(TENANT_SCOPED))('%s: declared fields match what the extractor reports', (path) => {
    const policy = AUTHORIZATION_TABLE.get(path);
    const scopedCase = TENANT_SCOPED[path];
    if (policy?.tenantFields === undefined || scopedCase === undefined) throw new Error(`no policy for ${path}`);
    const m = method(path);
    // Extract from the messages as the server decodes them.
    const kinds = new Set(
      scopedCase.messages(A).flatMap((msg) => policy.tenantFields?.(m.requestDeserialize(m.requestSerialize(msg) as Buffer)) ?? []).map((r) => r.kind),
    );
    expect([...kinds].sort()).toEqual([...scopedCase.fields].sort());
  });

  const mutations = Object.entries(TENANT_SCOPED).flatMap(([path, c]) => c.fields.map((field) => ({ path, field })));

  it.each(mutations)('$path with $field of tenant B → PERMISSION_DENIED', async ({ path, field }) => {
    const policy = AUTHORIZATION_TABLE.get(path);
    const kind = policy?.allow.find(isTenantKind);
    const scopedCase = TENANT_SCOPED[path];
    if (kind === undefined || scopedCase === undefined) throw new Error(`no tenant kind allowed on ${path}`);
    const m = method(path);
    const { calls, messages } = server.counters;
    // Control: with only acme's values the call goes through.
    const callsBefore = calls.get(path) ?? 0;
    expect((await invoke(client(kind), m, scopedCase.messages(A))).code).toBe(grpc.status.OK);
    expect(calls.get(path) ?? 0).toBe(callsBefore + 1);
    const callsAfterControl = calls.get(path) ?? 0;
    const messagesAfterControl = messages.get(path) ?? 0;
    const mixed: TenantValues = { ...A, [FIELD_VALUE[field]]: B[FIELD_VALUE[field]] };
    const outcome = await invoke(client(kind), m, scopedCase.messages(mixed));
    expect(outcome).toEqual({ code: grpc.status.PERMISSION_DENIED, details: 'permission denied' });
    if (!m.requestStream) {
      // The single request names B: the handler never runs.
      expect(calls.get(path) ?? 0).toBe(callsAfterControl);
    } else {
      // A stream's handler starts with the call; it must not receive the message naming B, nor any after it.
      const firstForeign = scopedCase.messages(mixed).findIndex((msg, i) => JSON.stringify(msg) !== JSON.stringify(scopedCase.messages(A)[i]));
      expect((messages.get(path) ?? 0) - messagesAfterControl).toBeLessThanOrEqual(firstForeign);
    }
    expect(server.audit.events.at(-1)).toMatchObject({ type: 'rpc.denied', reason: 'foreign-tenant-field', method: path });
  });
});
