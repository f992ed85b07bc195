/**
 * `tessera.v1.Keys` over the key manager's keys port: a thin layer that
 * turns the verified caller into an actor and each request into a call on
 * `KeyService` (nodes), `KeyAdmin` (admins) or the state (reads). The
 * authorization table has already refused every principal kind a method
 * does not list and every tenant admin naming another tenant; the state
 * machine checks roles again when it applies a command.
 *
 * Everything except `Watch` runs on the leader (reads go through ReadIndex,
 * writes through Raft); a follower answers UNAVAILABLE naming the leader and
 * its address.
 */
import type * as grpc from '@grpc/grpc-js';
import { decodeChainRecord, type AuditBatcher, type ChainRecord } from '@tessera/audit';
import { ErrorCodes, TesseraError, isTesseraError, isValidTenantId } from '@tessera/common';
import type { RaftNode } from '@tessera/raft';
import { MEMBER_ID_PATTERN, parseTenantCa, type MembershipHandlers, type Principal } from '@tessera/transport';
import {
  u64Number,
  u64String,
  type ApproveShredRequest__Output,
  type CancelShredRequest__Output,
  type CreateTenantKeysRequest__Output,
  type CreateTenantRequest__Output,
  type DataKey,
  type DedupKey,
  type ForwardAuditRequest__Output,
  type ForwardAuditResponse,
  type GetDataKeyRequest__Output,
  type GetDedupKeyRequest__Output,
  type GetIndexKeyRequest__Output,
  type GetKeyHealthRequest__Output,
  type GetMasterKeyRequest__Output,
  type GetTenantRequest__Output,
  type IndexKey,
  type KeyHealth,
  type ListNodesRequest__Output,
  type ListNodesResponse,
  type ListTenantsRequest__Output,
  type DisableTenantRequest__Output,
  type EnableTenantRequest__Output,
  type ListTenantsResponse,
  type MasterKey,
  type NewTenantEpochRequest__Output,
  type NodePin,
  type RemoveNodeRequest__Output,
  type RemoveNodeResponse,
  type ReplaceTenantCaRequest__Output,
  type ReportMinDecryptEpochRequest__Output,
  type ReportMinDecryptEpochResponse,
  type RequestShredRequest__Output,
  type RotateKekRequest__Output,
  type RotateSystemEpochRequest__Output,
  type SetNodePinRequest__Output,
  type ShredStatus,
  type SystemEpoch,
  type Tenant,
} from '@tessera/wire';
import { SPKI_SHA256_BYTES } from '../pin.js';
import type { RootProvider } from '../provider/types.js';
import { DEFAULT_SHRED_DELAY_MS, type KeyAdmin } from '../service/admin.js';
import type { KmGroup } from '../service/group.js';
import type { IssuedKey, KeyService } from '../service/key-service.js';
import { KM_LIMITS } from '../state/limits.js';
import type { KeyManagerStateMachine } from '../state/machine.js';
import type { KmResult, KmValue } from '../state/results.js';
import { tenantViews } from '../state/tenant-table.js';
import { tenantView, type TenantView } from '../state/types.js';
import { auditHandlers } from './audit-handlers.js';
import { adminActor, clusterAdminActor, nodeCaller, type PrincipalOf } from './callers.js';
import { policyFromWire, stateToWire, tenantToWire } from './convert.js';
import { keysUnary, secretUnary, type LeaderAddress } from './rpc.js';
import { watchHandler } from './watch.js';

/** Points where a test may make this process crash (TESSERA_KM_TEST_FAULTS). */
export type KeysServiceStep = 'rotation-committed';

export interface KeysServiceDeps {
  readonly memberId: string;
  readonly raft: RaftNode<KmResult>;
  readonly group: KmGroup;
  readonly machine: KeyManagerStateMachine;
  readonly admin: KeyAdmin;
  readonly keys: KeyService;
  readonly provider: RootProvider;
  readonly audit: AuditBatcher;
  readonly principalOf: PrincipalOf;
  /** The key managers' membership handlers (status, add). */
  readonly membership: Pick<MembershipHandlers, 'ClusterStatus' | 'AddMember'>;
  /** Committed keys-port address of a member (for NotLeader answers). */
  readonly leaderAddress: LeaderAddress;
  /** Audit records lost since start (health). */
  readonly auditLost: () => number;
  readonly onStep?: (step: KeysServiceStep, tenant: string) => void | Promise<void>;
}

function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

function tenantOf(value: KmValue): TenantView {
  if (value.kind !== 'tenant') throw new TesseraError(ErrorCodes.INTERNAL, 'unexpected result');
  return value.tenant;
}

function shredStatus(t: TenantView): ShredStatus {
  return { tenant: t.id, state: stateToWire(t.state), executeAtMs: u64String(t.shredExecuteAtMs) };
}

function requireTenantId(tenant: string): string {
  if (!isValidTenantId(tenant)) throw new TesseraError(ErrorCodes.INVALID_TENANT_ID, 'tenant id must be 1-63 characters of [a-z0-9-]');
  return tenant;
}

/** The tenant CA must be a real CA certificate with its CRL (the shape alone is checked in the state machine). */
function checkTenantCa(tenant: string, certPem: string, crlPem: string): void {
  try {
    parseTenantCa(tenant, certPem, crlPem);
  } catch (err) {
    throw invalid(isTesseraError(err) ? err.message : 'the tenant CA is not usable');
  }
}

/** 0 on the wire means "whatever is current". */
function expected(value: number): number | undefined {
  return value === 0 ? undefined : value;
}

/** A key's bytes for the response, and the buffer to wipe after it is sent. */
function keyBytes(issued: IssuedKey): Buffer {
  const bytes = Buffer.from(issued.key.expose());
  issued.key.destroy();
  return bytes;
}

export function keysService(deps: KeysServiceDeps): grpc.UntypedServiceImplementation {
  const { admin, keys, leaderAddress } = deps;
  const principal = (call: Parameters<PrincipalOf>[0]): Principal => deps.principalOf(call);
  const unary = <Req, Res>(handler: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>): grpc.handleUnaryCall<Req, Res> => keysUnary(leaderAddress, handler);

  return {
    // ----- nodes -----
    GetMasterKey: secretUnary<GetMasterKeyRequest__Output, MasterKey>(leaderAddress, async (req, call) => {
      const issued = await keys.masterKey(nodeCaller(principal(call), call), expected(u64Number(req.epoch)));
      const key = keyBytes(issued);
      const current = deps.machine.state.system?.currentEpoch ?? issued.epoch;
      return { response: { epoch: u64String(issued.epoch), key, currentEpoch: u64String(current), ttlMs: u64String(issued.ttlMs) }, secrets: [key] };
    }),
    GetDedupKey: secretUnary<GetDedupKeyRequest__Output, DedupKey>(leaderAddress, async (_req, call) => {
      const issued = await keys.dedupKey(nodeCaller(principal(call), call));
      const key = keyBytes(issued);
      return { response: { key, ttlMs: u64String(issued.ttlMs) }, secrets: [key] };
    }),
    GetDataKey: secretUnary<GetDataKeyRequest__Output, DataKey>(leaderAddress, async (req, call) => {
      const issued = await keys.tenantDataKey(nodeCaller(principal(call), call), requireTenantId(req.tenant), expected(u64Number(req.tenantEpoch)));
      const key = keyBytes(issued);
      return { response: { tenant: req.tenant, tenantEpoch: u64String(issued.epoch), key, ttlMs: u64String(issued.ttlMs) }, secrets: [key] };
    }),
    GetIndexKey: secretUnary<GetIndexKeyRequest__Output, IndexKey>(leaderAddress, async (req, call) => {
      const issued = await keys.tenantIndexKey(nodeCaller(principal(call), call), requireTenantId(req.tenant));
      const key = keyBytes(issued);
      return { response: { tenant: req.tenant, key, ttlMs: u64String(issued.ttlMs) }, secrets: [key] };
    }),
    Watch: watchHandler({ machine: deps.machine, principalOf: deps.principalOf, audit: deps.audit, leaderAddress }),
    ReportMinDecryptEpoch: unary<ReportMinDecryptEpochRequest__Output, ReportMinDecryptEpochResponse>(async (req, call) => {
      const report = { epoch: u64Number(req.epoch), metadataTerm: u64Number(req.metadataTerm), metadataIndex: u64Number(req.metadataIndex) };
      const done = await keys.reportMinDecryptEpoch(nodeCaller(principal(call), call), report);
      return { minDecryptEpoch: u64String(done.epoch), systemEpoch: u64String(done.systemEpoch) };
    }),

    // ----- tenant admins -----
    CreateTenantKeys: unary<CreateTenantKeysRequest__Output, Tenant>(async (req, call) =>
      tenantToWire(tenantOf(await admin.createTenantKeys(adminActor(principal(call)), requireTenantId(req.tenant)))),
    ),
    RotateKek: unary<RotateKekRequest__Output, Tenant>(async (req, call) => {
      const tenant = requireTenantId(req.tenant);
      const done = tenantOf(await admin.rotateKek(adminActor(principal(call)), tenant, expected(req.expectedKekVersion)));
      await deps.onStep?.('rotation-committed', tenant);
      return tenantToWire(done);
    }),
    NewTenantEpoch: unary<NewTenantEpochRequest__Output, Tenant>(async (req, call) =>
      tenantToWire(tenantOf(await admin.newTenantEpoch(adminActor(principal(call)), requireTenantId(req.tenant), expected(u64Number(req.expectedEpoch))))),
    ),
    ApproveShred: unary<ApproveShredRequest__Output, ShredStatus>(async (req, call) =>
      shredStatus(tenantOf(await admin.approveShred(adminActor(principal(call)), requireTenantId(req.tenant)))),
    ),
    CancelShred: unary<CancelShredRequest__Output, ShredStatus>(async (req, call) =>
      shredStatus(tenantOf(await admin.cancelShred(adminActor(principal(call)), requireTenantId(req.tenant)))),
    ),
    ReplaceTenantCa: unary<ReplaceTenantCaRequest__Output, Tenant>(async (req, call) => {
      const tenant = requireTenantId(req.tenant);
      checkTenantCa(tenant, req.caCertificatePem, req.caCrlPem);
      return tenantToWire(tenantOf(await admin.replaceTenantCa(adminActor(principal(call)), tenant, req.caCertificatePem, req.caCrlPem)));
    }),

    // ----- tenant admins and cluster admins -----
    RequestShred: unary<RequestShredRequest__Output, ShredStatus>(async (req, call) => {
      const delayMs = req.defaultDelay ? DEFAULT_SHRED_DELAY_MS : u64Number(req.delayMs);
      if (delayMs > KM_LIMITS.maxShredDelayMs) throw invalid('shred delay too long');
      return shredStatus(tenantOf(await admin.requestShred(adminActor(principal(call)), requireTenantId(req.tenant), delayMs)));
    }),
    GetTenant: unary<GetTenantRequest__Output, Tenant>(async (req, call) => {
      const actor = adminActor(principal(call));
      const tenant = requireTenantId(req.tenant);
      if (actor.role === 'tenant-admin' && actor.tenant !== tenant) throw new TesseraError(ErrorCodes.KM_FORBIDDEN, 'a tenant admin reads its own tenant only');
      const record = (await deps.group.read()).tenants.get(tenant);
      if (record === undefined) throw new TesseraError(ErrorCodes.KM_TENANT_NOT_FOUND, 'no such tenant');
      return tenantToWire(tenantView(record));
    }),
    ...auditHandlers({ group: deps.group, machine: deps.machine, admin, provider: deps.provider, audit: deps.audit, keys, principalOf: deps.principalOf, leaderAddress }),

    // ----- cluster admins -----
    CreateTenant: unary<CreateTenantRequest__Output, Tenant>(async (req, call) => {
      const actor = clusterAdminActor(principal(call));
      const tenant = requireTenantId(req.id);
      const policy = policyFromWire(req.policy);
      checkTenantCa(tenant, req.caCertificatePem, req.caCrlPem);
      return tenantToWire(tenantOf(await admin.createTenant(actor, { tenant, policy, caCertPem: req.caCertificatePem, caCrlPem: req.caCrlPem })));
    }),
    DisableTenant: unary<DisableTenantRequest__Output, Tenant>(async (req, call) =>
      tenantToWire(tenantOf(await admin.setTenantDisabled(clusterAdminActor(principal(call)), requireTenantId(req.tenant), true))),
    ),
    EnableTenant: unary<EnableTenantRequest__Output, Tenant>(async (req, call) =>
      tenantToWire(tenantOf(await admin.setTenantDisabled(clusterAdminActor(principal(call)), requireTenantId(req.tenant), false))),
    ),
    ListTenants: unary<ListTenantsRequest__Output, ListTenantsResponse>(async (_req, call) => {
      clusterAdminActor(principal(call));
      return { tenants: tenantViews(await deps.group.read()).map(tenantToWire) };
    }),
    RotateSystemEpoch: unary<RotateSystemEpochRequest__Output, SystemEpoch>(async (req, call) => {
      const value = await admin.rotateSystemEpoch(clusterAdminActor(principal(call)), expected(u64Number(req.expectedEpoch)));
      if (value.kind !== 'system') throw new TesseraError(ErrorCodes.INTERNAL, 'unexpected result');
      return { epoch: u64String(value.epoch) };
    }),
    SetNodePin: unary<SetNodePinRequest__Output, NodePin>(async (req, call) => {
      const actor = clusterAdminActor(principal(call));
      if (!MEMBER_ID_PATTERN.test(req.nodeId)) throw invalid('node ids are 1-63 characters of [a-z0-9._-]');
      if (req.spkiSha256.length !== SPKI_SHA256_BYTES) throw invalid('a pin is the 32-byte SHA-256 of a SubjectPublicKeyInfo');
      await admin.setNodePin(actor, req.nodeId, req.spkiSha256);
      return { nodeId: req.nodeId, spkiSha256: Buffer.from(req.spkiSha256) };
    }),
    RemoveNode: unary<RemoveNodeRequest__Output, RemoveNodeResponse>(async (req, call) => {
      await admin.removeNode(clusterAdminActor(principal(call)), req.nodeId);
      return {};
    }),
    ListNodes: unary<ListNodesRequest__Output, ListNodesResponse>(async (_req, call) => {
      clusterAdminActor(principal(call));
      const state = await deps.group.read();
      const nodes = [...state.nodes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([nodeId, pin]) => ({ nodeId, spkiSha256: Buffer.from(pin) }));
      return { nodes };
    }),
    GetKeyHealth: unary<GetKeyHealthRequest__Output, KeyHealth>(async (_req, call) => {
      clusterAdminActor(principal(call));
      const health = await deps.provider.health();
      const state = deps.machine.state;
      const tenants = [...state.tenants.values()];
      return {
        provider: health.provider,
        providerOk: health.ok,
        providerReason: health.reason ?? '',
        memberId: deps.memberId,
        leaderId: deps.raft.status().lead,
        systemEpoch: u64String(state.system?.currentEpoch ?? 0),
        minDecryptEpoch: u64String(state.minDecrypt.epoch),
        tenants: tenants.length,
        tenantsShredded: tenants.filter((t) => t.state === 'shredded').length,
        nodes: state.nodes.size,
        auditRecordsLost: u64String(deps.auditLost()),
      };
    }),
    KeyManagerStatus: deps.membership.ClusterStatus,
    AddKeyManager: deps.membership.AddMember,

    // ----- key managers -----
    ForwardAudit: unary<ForwardAuditRequest__Output, ForwardAuditResponse>(async (req, call) => {
      const p = principal(call);
      const conf = deps.raft.status().confState;
      if (p.kind !== 'keymanager' || (!conf.voters.includes(p.id) && !conf.learners.includes(p.id))) {
        throw new TesseraError(ErrorCodes.KM_FORBIDDEN, 'only members of this key-manager group forward audit records');
      }
      if (req.records.length > KM_LIMITS.auditRecordsPerCommand) throw invalid('too many audit records');
      const records: ChainRecord[] = req.records.map((bytes) => decodeChainRecord(bytes));
      await deps.audit.record(records);
      return {};
    }),
  };
}
