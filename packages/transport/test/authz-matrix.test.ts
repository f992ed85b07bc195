/**
 * Table-driven authorization tests (DESIGN A1). Later issues extend both
 * tables when they add methods:
 *  (1) EXPECTED_MATRIX: every served method × every principal kind, checked
 *      against the declared table and through the real interceptor over mTLS;
 *  (2) TENANT_SCOPED: every tenant-scoped method, called by tenant A with each
 *      tenant-owned field set to tenant B's value, is denied.
 *  (3) OWN_TENANT: tenant-facing methods whose requests name nothing
 *      tenant-owned (the handler acts on the caller's own tenant, taken from
 *      its certificate); their request messages carry no tenant field at all.
 * The expected matrix is written out independently of src/authz/table.ts on
 * purpose: a change to the table must be made twice to pass. Data methods
 * let cluster admins through to the handler, which serves them only under a
 * tenant-admin-approved grant (issue #9; tested with the node).
 */
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import { randomBytes } from 'node:crypto';
import { packageDefinition } from '@tessera/wire';
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
  '/tessera.v1.Fabric/ForwardPropose': ['node'],
  '/tessera.v1.Fabric/HasShard': ['node'],
  '/tessera.v1.Fabric/DescribeBulk': ['node'],
  '/tessera.v1.Data/OpenSession': ['tenant-admin', 'tenant-client', 'admin'],
  '/tessera.v1.Data/PutChunk': ['tenant-admin', 'tenant-client', 'admin'],
  '/tessera.v1.Data/DescribeBulk': ['tenant-admin', 'tenant-client'],
  '/tessera.v1.Data/PutObject': ['tenant-admin', 'tenant-client', 'admin'],
  '/tessera.v1.Data/GetObject': ['tenant-admin', 'tenant-client', 'admin'],
  '/tessera.v1.Data/StatObject': ['tenant-admin', 'tenant-client', 'admin'],
  '/tessera.v1.Data/ListObjects': ['tenant-admin', 'tenant-client', 'admin'],
  '/tessera.v1.Data/DeleteObject': ['tenant-admin', 'tenant-client', 'admin'],
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
  '/tessera.v1.Admin/ListDevices': ['admin'],
  '/tessera.v1.Admin/SetDeviceState': ['admin'],
  '/tessera.v1.Admin/SetTenantQuota': ['admin'],
  '/tessera.v1.Admin/ClusterOverview': ['admin'],
  '/tessera.v1.Admin/AddDevice': ['admin'],
  '/tessera.v1.Admin/MaintenanceStatus': ['admin'],
  '/tessera.v1.Admin/StartScrub': ['admin'],
  '/tessera.v1.Admin/Compact': ['admin'],
  '/tessera.v1.Admin/GetAuditHead': ['admin', 'tenant-admin'],
  '/tessera.v1.Admin/ExportAudit': ['admin', 'tenant-admin'],
  '/tessera.v1.Kv/OpenSession': ['admin'],
  '/tessera.v1.Kv/Put': ['admin'],
  '/tessera.v1.Kv/Writes': ['admin'],
  '/tessera.v1.Kv/Delete': ['admin'],
  '/tessera.v1.Kv/Get': ['admin'],
  '/tessera.v1.Kv/Scan': ['admin'],
  '/tessera.v1.Keys/GetMasterKey': ['node'],
  '/tessera.v1.Keys/GetDedupKey': ['node'],
  '/tessera.v1.Keys/GetDataKey': ['node'],
  '/tessera.v1.Keys/GetIndexKey': ['node'],
  '/tessera.v1.Keys/Watch': ['node'],
  '/tessera.v1.Keys/ReportMinDecryptEpoch': ['node'],
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
  '/tessera.v1.Keys/DisableTenant': ['admin'],
  '/tessera.v1.Keys/EnableTenant': ['admin'],
  '/tessera.v1.Keys/RotateSystemEpoch': ['admin'],
  '/tessera.v1.Keys/SetNodePin': ['admin'],
  '/tessera.v1.Keys/RemoveNode': ['admin'],
  '/tessera.v1.Keys/ListNodes': ['admin'],
  '/tessera.v1.Keys/GetKeyHealth': ['admin'],
  '/tessera.v1.Keys/KeyManagerStatus': ['admin'],
  '/tessera.v1.Keys/AddKeyManager': ['admin'],
  '/tessera.v1.Keys/ForwardAudit': ['keymanager'],
  '/tessera.v1.Keys/SignAuditHead': ['node'],
  '/grpc.health.v1.Health/Check': ALL,
  '/grpc.health.v1.Health/Watch': ALL,
  '/grpc.health.v1.Health/List': ALL,
  '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo': ALL,
  '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo': ALL,
};

/**
 * Field kinds the current methods carry. No method names an object by
 * (tenant, name) or a chunk any more: Data requests act on the caller's own
 * tenant, and PutObject's chunk ids are checked by the metadata group at
 * apply. decide.test.ts still covers the `name` and `chunk` checks.
 */
type ScopedFieldKind = Exclude<TenantFieldKind, 'name' | 'chunk'>;

/** Tenant-owned values of one tenant, as requests name them. */
interface TenantValues {
  readonly tenant: string;
  readonly request: string;
  readonly grant: string;
}

const A: TenantValues = { tenant: 'acme', request: 'req-acme-1', grant: 'grant-acme-1' };
const B: TenantValues = { tenant: 'beta', request: 'req-beta-1', grant: 'grant-beta-1' };

/** Which value of TenantValues stands for each field kind. */
const FIELD_VALUE: Record<ScopedFieldKind, keyof TenantValues> = {
  tenant: 'tenant',
  request: 'request',
  grant: 'grant',
};

interface ScopedCase {
  /** Field kinds the method's requests carry. */
  readonly fields: readonly ScopedFieldKind[];
  /** The request message(s) of one call, built from one tenant's values. */
  readonly messages: (v: TenantValues) => readonly unknown[];
}

const SESSION = { clientId: '1', seq: '1', ackedThrough: '0' };

const TENANT_SCOPED: Readonly<Record<string, ScopedCase>> = {
  '/tessera.v1.Admin/TenantUsage': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant }] },
  '/tessera.v1.Admin/ApproveAccess': { fields: ['tenant', 'request'], messages: (v) => [{ tenant: v.tenant, requestId: v.request }] },
  '/tessera.v1.Admin/DenyAccess': { fields: ['tenant', 'request'], messages: (v) => [{ tenant: v.tenant, requestId: v.request }] },
  '/tessera.v1.Admin/RevokeGrant': { fields: ['tenant', 'grant'], messages: (v) => [{ tenant: v.tenant, grantId: v.grant }] },
  '/tessera.v1.Admin/ListAccess': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant }] },
  '/tessera.v1.Admin/GetAuditHead': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant }] },
  '/tessera.v1.Admin/ExportAudit': { fields: ['tenant'], messages: (v) => [{ tenant: v.tenant }] },
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

/** Valid request message(s) of each tenant-facing method that names nothing tenant-owned. */
const OWN_TENANT: Readonly<Record<string, readonly unknown[]>> = {
  '/tessera.v1.Data/OpenSession': [{}],
  '/tessera.v1.Data/PutChunk': [{ header: { session: SESSION, size: '5' } }, { data: Buffer.from('hello') }],
  // Whose chunks these are is decided by the metadata group at apply (NOT_FOUND unless the caller's
  // tenant references them), so the interceptor lets any chunk id through.
  '/tessera.v1.Data/PutObject': [
    { session: { ...SESSION, seq: '3' }, name: 'reports/q1.pdf', chunkIds: [randomBytes(32), randomBytes(32)], attributes: { owner: 'finance' } },
  ],
  '/tessera.v1.Data/GetObject': [{ name: 'reports/q1.pdf', range: { offset: '0', length: '10' } }],
  '/tessera.v1.Data/StatObject': [{ name: 'reports/q1.pdf' }],
  '/tessera.v1.Data/ListObjects': [{ prefix: 'reports/', limit: 10, pageToken: '' }],
  '/tessera.v1.Data/DeleteObject': [{ session: { ...SESSION, seq: '2' }, name: 'reports/q1.pdf' }],
  // Where the node's client-facing bulk port is: no tenant data either way.
  '/tessera.v1.Data/DescribeBulk': [{}],
};

/**
 * Every field name in a message type and the message types it contains
 * (map entries included), resolved through the loaded package definition;
 * an unresolvable type throws, so a walk can never silently stop short.
 */
function fieldNamesOf(typeName: string, seen: Set<string> = new Set()): string[] {
  const definition = packageDefinition()[typeName] as protoLoader.MessageTypeDefinition<unknown, unknown> | undefined;
  if (definition === undefined) throw new Error(`unknown message type ${typeName}`);
  return fieldNamesIn(definition.type as DescriptorLike, typeName, seen);
}

interface DescriptorLike {
  readonly field: readonly { readonly name: string; readonly type: string; readonly typeName: string }[];
  readonly nestedType: readonly DescriptorLike[];
  readonly name: string;
}

function fieldNamesIn(descriptor: DescriptorLike, qualified: string, seen: Set<string>): string[] {
  if (seen.has(qualified)) return [];
  seen.add(qualified);
  const names: string[] = [];
  for (const field of descriptor.field) {
    names.push(`${qualified}.${field.name}`);
    if (field.type !== 'TYPE_MESSAGE') continue;
    const nested = descriptor.nestedType.find((n) => n.name === field.typeName);
    if (nested !== undefined) names.push(...fieldNamesIn(nested, `${qualified}.${nested.name}`, seen));
    else names.push(...fieldNamesOf(field.typeName.includes('.') ? field.typeName.replace(/^\./, '') : `tessera.v1.${field.typeName}`, seen));
  }
  return names;
}

/** Field names of a method's request message tree that could name a tenant. */
function tenantNamedFields(path: string): string[] {
  const descriptor = method(path).requestType.type as DescriptorLike;
  return fieldNamesIn(descriptor, `tessera.v1.${descriptor.name}`, new Set()).filter((f) => /tenant|owner/i.test(f.split('.').at(-1) ?? ''));
}

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
  return TENANT_SCOPED[path]?.messages(A) ?? OWN_TENANT[path] ?? [{}];
}

beforeAll(async () => {
  pki = await createTestPki();
  const resources = new InMemoryTenantResourceIndex();
  for (const v of [A, B]) {
    resources.add(v.tenant, 'request', v.request).add(v.tenant, 'grant', v.grant);
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
  it('covers every method open to tenant principals that declares tenant fields (scoped or own-tenant)', () => {
    const scoped = [...AUTHORIZATION_TABLE]
      .filter(([, p]) => p.allow.some(isTenantKind) && p.tenantFields !== undefined)
      .map(([path]) => path)
      .sort();
    const scopedKeys = Object.keys(TENANT_SCOPED);
    const ownKeys = Object.keys(OWN_TENANT);
    expect(scopedKeys.filter((k) => ownKeys.includes(k))).toEqual([]);
    expect([...scopedKeys, ...ownKeys].sort()).toEqual(scoped);
  });

  const declaredCases = [
    ...Object.entries(TENANT_SCOPED).map(([path, c]) => ({ path, fields: c.fields, messages: c.messages(A) })),
    ...Object.entries(OWN_TENANT).map(([path, messages]) => ({ path, fields: [] as readonly ScopedFieldKind[], messages })),
  ];

  it.each(declaredCases)('$path: declared fields match what the extractor reports', ({ path, fields, messages }) => {
    const policy = AUTHORIZATION_TABLE.get(path);
    if (policy?.tenantFields === undefined) throw new Error(`no policy for ${path}`);
    const m = method(path);
    // Extract from the messages as the server decodes them.
    const kinds = new Set(
      messages.flatMap((msg) => policy.tenantFields?.(m.requestDeserialize(m.requestSerialize(msg) as Buffer)) ?? []).map((r) => r.kind),
    );
    expect([...kinds].sort()).toEqual([...fields].sort());
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

describe('(3) tenant-facing methods that name nothing tenant-owned', () => {
  it('the walk over a request message tree finds tenant fields where they exist (control)', () => {
    expect(tenantNamedFields('/tessera.v1.Admin/TenantUsage')).toEqual(['tessera.v1.TenantUsageRequest.tenant']);
    // Nested message types and map entries are walked too.
    expect(fieldNamesOf('tessera.v1.PutObjectRequest')).toEqual(
      expect.arrayContaining(['tessera.v1.DataSession.clientId', 'tessera.v1.PutObjectRequest.Attributes.key']),
    );
  });

  it('every Data method is open to tenant principals, and to cluster admins only (under a grant the Data service checks)', () => {
    const data = [...AUTHORIZATION_TABLE].filter(([path]) => path.startsWith('/tessera.v1.Data/'));
    expect(data.map(([path]) => path).sort()).toEqual([...methods.keys()].filter((p) => p.startsWith('/tessera.v1.Data/')).sort());
    // Nodes and key managers never; a cluster admin names its tenant in a header, never in a request field (below).
    for (const [path, policy] of data) expect(policy.allow.every((k) => isTenantKind(k) || k === 'admin'), path).toBe(true);
  });

  it.each([...methods.keys()].filter((p) => p.startsWith('/tessera.v1.Data/')))(
    '%s: no field of its request (at any depth) names a tenant or an owner',
    (path) => {
      expect(tenantNamedFields(path)).toEqual([]);
    },
  );

  it.each(Object.keys(OWN_TENANT))('%s: tenant B\'s principals call it with the same request, and it goes through', async (path) => {
    // Nothing in the request says whose objects it acts on: the handler takes the tenant from the
    // certificate, so the identical request is legitimate for every tenant.
    const m = method(path);
    const { client: beta } = await connect(server.address, pki.files(CERTS.betaClient));
    try {
      const before = server.calls.get(path) ?? 0;
      expect((await invoke(beta, m, OWN_TENANT[path] ?? [])).code).toBe(grpc.status.OK);
      expect(server.calls.get(path) ?? 0).toBe(before + 1);
    } finally {
      beta.close();
    }
  });
});
