/**
 * THE authorization table: every RPC method served by any Tessera port, the
 * principal kinds allowed to call it, and where its requests name tenant
 * resources. A method missing here is denied (tests prove every served method
 * is declared, and check each method × principal kind against an independent
 * copy of this matrix). Adding a method = adding a row here and in the tests.
 */
import type {
  ApproveShredRequest__Output,
  CancelShredRequest__Output,
  CreateTenantKeysRequest__Output,
  ExportAuditRequest__Output,
  GetAuditHeadRequest__Output,
  GetTenantRequest__Output,
  MetadataAuditHeadRequest__Output,
  ExportMetadataAuditRequest__Output,
  NewTenantEpochRequest__Output,
  ReplaceTenantCaRequest__Output,
  RotateKekRequest__Output,
  DenyAccessRequest__Output,
  ApproveAccessRequest__Output,
  ListAccessRequest__Output,
  RequestShredRequest__Output,
  RevokeGrantRequest__Output,
  TenantUsageRequest__Output,
} from '@tessera/wire';
import { PRINCIPAL_KINDS, isTenantKind } from '../identity/principal.js';
import type { PrincipalKind } from '../identity/principal.js';
import type { AuthorizationTable, MethodPolicy, TenantFieldRef } from './types.js';

const PEERS: readonly PrincipalKind[] = ['node', 'keymanager'];
const NODES: readonly PrincipalKind[] = ['node'];
const KEY_MANAGERS: readonly PrincipalKind[] = ['keymanager'];
const ADMINS: readonly PrincipalKind[] = ['admin'];
const TENANT_PRINCIPALS: readonly PrincipalKind[] = ['tenant-admin', 'tenant-client'];
const TENANT_ADMINS: readonly PrincipalKind[] = ['tenant-admin'];
const ADMINS_AND_TENANT_ADMINS: readonly PrincipalKind[] = ['admin', 'tenant-admin'];

function rule(allow: readonly PrincipalKind[]): MethodPolicy {
  return { allow };
}

function scoped<Req>(allow: readonly PrincipalKind[], tenantFields: (request: Req) => readonly TenantFieldRef[]): MethodPolicy {
  // The interceptor calls this with the message deserialized by the method's
  // own definition, i.e. a `Req`.
  return { allow, tenantFields: tenantFields as (request: unknown) => readonly TenantFieldRef[] };
}

/**
 * A Data method (its requests name nothing tenant-owned: it acts on the caller's own tenant): a tenant's
 * own principals, and cluster admins under a
 * tenant-admin-approved grant (DESIGN A2, ADR 0018). The table lets a cluster
 * admin reach the handler; the Data service then refuses it unless its
 * grant on the tenant it names (in the `tessera-tenant` header, never in the
 * request) allows the call, and audits the decision first.
 */
function ownTenantOrGrant(): MethodPolicy {
  return { allow: [...TENANT_PRINCIPALS, 'admin'], tenantFields: () => [] };
}

function neutral(): MethodPolicy {
  return { allow: PRINCIPAL_KINDS, tenantNeutral: true };
}

const tenant = (field: string, value: string | null | undefined): TenantFieldRef => ({ kind: 'tenant', field, value: value ?? '' });
const hex = (b: Buffer | null | undefined): string => (b ?? Buffer.alloc(0)).toString('hex');

const V1 = '/tessera.v1.';

const ENTRIES: readonly (readonly [string, MethodPolicy])[] = [
  // Raft: group members only (the Raft transport further checks membership and kind of the group).
  [`${V1}Raft/Exchange`, rule(PEERS)],
  [`${V1}Raft/InstallSnapshot`, rule(PEERS)],
  // Fabric: storage nodes only.
  [`${V1}Fabric/PutShard`, rule(NODES)],
  [`${V1}Fabric/GetShard`, rule(NODES)],
  [`${V1}Fabric/ForwardPropose`, rule(NODES)],
  [`${V1}Fabric/HasShard`, rule(NODES)],
  [`${V1}Fabric/DescribeBulk`, rule(NODES)],
  // Data: a tenant's own principals. No request names a tenant: the handler takes the tenant from the
  // caller's certificate. Cluster admins only under a grant, checked and audited by the Data service
  // (issue #9): OpenSession, PutChunk, PutObject and DeleteObject need a read-write grant.
  [`${V1}Data/OpenSession`, ownTenantOrGrant()],
  [`${V1}Data/PutChunk`, ownTenantOrGrant()],
  // PutObject's chunk ids are checked by the metadata group at apply (a reference of the caller's
  // tenant: pending from its own session, or from one of its live objects), linearizably, and
  // refused with NOT_FOUND whatever the chunk's owner or state (DESIGN section 6).
  [`${V1}Data/PutObject`, ownTenantOrGrant()],
  [`${V1}Data/GetObject`, ownTenantOrGrant()],
  [`${V1}Data/StatObject`, ownTenantOrGrant()],
  [`${V1}Data/ListObjects`, ownTenantOrGrant()],
  [`${V1}Data/DeleteObject`, ownTenantOrGrant()],
  // Names no tenant and returns none of its data: where tenant principals may upload chunks as raw bytes.
  [`${V1}Data/DescribeBulk`, scoped(TENANT_PRINCIPALS, () => [])],
  // Admin: cluster membership for cluster admins; usage and grants shared with tenant admins.
  [`${V1}Admin/ClusterStatus`, rule(ADMINS)],
  [`${V1}Admin/ListMembers`, rule(ADMINS)],
  [`${V1}Admin/AddMember`, rule(ADMINS)],
  [`${V1}Admin/RemoveMember`, rule(ADMINS)],
  [`${V1}Admin/TransferLeader`, rule(ADMINS)],
  [`${V1}Admin/TenantUsage`, scoped<TenantUsageRequest__Output>(ADMINS_AND_TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  [`${V1}Admin/RequestAccess`, rule(ADMINS)],
  [
    `${V1}Admin/ApproveAccess`,
    scoped<ApproveAccessRequest__Output>(TENANT_ADMINS, (m) => [
      tenant('tenant', m.tenant),
      { kind: 'request', field: 'requestId', value: m.requestId },
    ]),
  ],
  [
    `${V1}Admin/DenyAccess`,
    scoped<DenyAccessRequest__Output>(TENANT_ADMINS, (m) => [
      tenant('tenant', m.tenant),
      { kind: 'request', field: 'requestId', value: m.requestId },
    ]),
  ],
  [
    `${V1}Admin/RevokeGrant`,
    scoped<RevokeGrantRequest__Output>(TENANT_ADMINS, (m) => [
      tenant('tenant', m.tenant),
      { kind: 'grant', field: 'grantId', value: m.grantId },
    ]),
  ],
  [`${V1}Admin/ListAccess`, scoped<ListAccessRequest__Output>(ADMINS_AND_TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  // Operator views and controls (issue #9): devices, quotas and the cluster overview, cluster admins only.
  [`${V1}Admin/ListDevices`, rule(ADMINS)],
  [`${V1}Admin/SetDeviceState`, rule(ADMINS)],
  [`${V1}Admin/SetTenantQuota`, rule(ADMINS)],
  [`${V1}Admin/ClusterOverview`, rule(ADMINS)],
  // Adds a device folder to the answering node (which checks it against its device roots).
  [`${V1}Admin/AddDevice`, rule(ADMINS)],
  // The metadata group's audit chains (issue #9): a tenant admin its own tenant's chain, a cluster
  // admin the system chain (and heads of every chain); the node's handlers enforce the chain rules.
  [`${V1}Admin/GetAuditHead`, scoped<MetadataAuditHeadRequest__Output>(ADMINS_AND_TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  [`${V1}Admin/ExportAudit`, scoped<ExportMetadataAuditRequest__Output>(ADMINS_AND_TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  // Maintenance (issues #8/#9): scrub, repair and compaction status and controls, cluster admins only
  // (Compact names a tenant, but no tenant principal may call it: it reveals nothing tenant-owned to them).
  [`${V1}Admin/MaintenanceStatus`, rule(ADMINS)],
  [`${V1}Admin/StartScrub`, rule(ADMINS)],
  [`${V1}Admin/Compact`, rule(ADMINS)],
  // Kv: the replicated key-value test service (integration tests, chaos, benchmarks): cluster admins only.
  [`${V1}Kv/OpenSession`, rule(ADMINS)],
  [`${V1}Kv/Put`, rule(ADMINS)],
  [`${V1}Kv/Delete`, rule(ADMINS)],
  [`${V1}Kv/Writes`, rule(ADMINS)],
  [`${V1}Kv/Get`, rule(ADMINS)],
  [`${V1}Kv/Scan`, rule(ADMINS)],
  // Keys (key-manager port). Key material: storage nodes only (the key manager further requires the
  // node id on its allow-list with a pinned certificate key); a cluster admin can never unwrap a tenant key.
  [`${V1}Keys/GetMasterKey`, rule(NODES)],
  [`${V1}Keys/GetDedupKey`, rule(NODES)],
  [`${V1}Keys/GetDataKey`, rule(NODES)],
  [`${V1}Keys/GetIndexKey`, rule(NODES)],
  [`${V1}Keys/Watch`, rule(NODES)],
  [`${V1}Keys/ReportMinDecryptEpoch`, rule(NODES)],
  // A tenant's key lifecycle: its own tenant admins only.
  [`${V1}Keys/CreateTenantKeys`, scoped<CreateTenantKeysRequest__Output>(TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  [`${V1}Keys/RotateKek`, scoped<RotateKekRequest__Output>(TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  [`${V1}Keys/NewTenantEpoch`, scoped<NewTenantEpochRequest__Output>(TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  [`${V1}Keys/ApproveShred`, scoped<ApproveShredRequest__Output>(TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  [`${V1}Keys/CancelShred`, scoped<CancelShredRequest__Output>(TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  [`${V1}Keys/ReplaceTenantCa`, scoped<ReplaceTenantCaRequest__Output>(TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  // Shared with cluster admins (a cluster admin's shred request awaits a tenant admin's approval;
  // a cluster admin exports only the system chain — the key manager enforces both).
  [`${V1}Keys/RequestShred`, scoped<RequestShredRequest__Output>(ADMINS_AND_TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  [`${V1}Keys/GetTenant`, scoped<GetTenantRequest__Output>(ADMINS_AND_TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  [`${V1}Keys/GetAuditHead`, scoped<GetAuditHeadRequest__Output>(ADMINS_AND_TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  [`${V1}Keys/ExportAudit`, scoped<ExportAuditRequest__Output>(ADMINS_AND_TENANT_ADMINS, (m) => [tenant('tenant', m.tenant)])],
  // The tenant registry, the system epoch, the allow-list, health and membership: cluster admins.
  [`${V1}Keys/CreateTenant`, rule(ADMINS)],
  [`${V1}Keys/ListTenants`, rule(ADMINS)],
  [`${V1}Keys/DisableTenant`, rule(ADMINS)],
  [`${V1}Keys/EnableTenant`, rule(ADMINS)],
  [`${V1}Keys/RotateSystemEpoch`, rule(ADMINS)],
  [`${V1}Keys/SetNodePin`, rule(ADMINS)],
  [`${V1}Keys/RemoveNode`, rule(ADMINS)],
  [`${V1}Keys/ListNodes`, rule(ADMINS)],
  [`${V1}Keys/GetKeyHealth`, rule(ADMINS)],
  [`${V1}Keys/KeyManagerStatus`, rule(ADMINS)],
  [`${V1}Keys/AddKeyManager`, rule(ADMINS)],
  // Audit records a follower forwards to its leader: key managers only.
  [`${V1}Keys/ForwardAudit`, rule(KEY_MANAGERS)],
  // A storage node asks for its metadata group's audit head to be signed (domain "metadata" only: ADR 0020).
  [`${V1}Keys/SignAuditHead`, rule(NODES)],
  // Health checking and reflection on every port, for every authenticated principal.
  ['/grpc.health.v1.Health/Check', neutral()],
  ['/grpc.health.v1.Health/Watch', neutral()],
  ['/grpc.health.v1.Health/List', neutral()],
  ['/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', neutral()],
  ['/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo', neutral()],
];

/**
 * Builds a table and checks its one structural rule: a method open to tenant
 * principals must say where its requests name tenant resources (or that they
 * name none), so no tenant-facing method can forget the tenant check.
 */
export function buildAuthorizationTable(entries: readonly (readonly [string, MethodPolicy])[]): AuthorizationTable {
  const table = new Map<string, MethodPolicy>();
  for (const [path, policy] of entries) {
    if (table.has(path)) throw new Error(`authorization table declares ${path} twice`);
    const tenantFacing = policy.allow.some(isTenantKind);
    if (tenantFacing && policy.tenantFields === undefined && policy.tenantNeutral !== true) {
      throw new Error(`${path} is open to tenant principals but declares no tenant fields`);
    }
    table.set(path, policy);
  }
  return table;
}

export const AUTHORIZATION_TABLE: AuthorizationTable = buildAuthorizationTable(ENTRIES);
