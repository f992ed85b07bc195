/**
 * The access-grant methods of `tessera.v1.Admin` (client port). The
 * authorization table has already checked the caller's kind and, for tenant
 * admins, that the tenant, request and grant named are its own tenant's
 * (through accessResourceIndex); these handlers add the committed-state
 * rules and the sealing:
 *
 *  - RequestAccess (cluster admin): the node seals the prefix and reason
 *    under the tenant's current TDK (prefix-seal.ts) and proposes
 *    `accessRequest` with a fresh random request id;
 *  - ApproveAccess, DenyAccess, RevokeGrant (tenant admin of that tenant);
 *  - ListAccess: a tenant admin sees every request and grant of its tenant,
 *    prefixes decrypted, and the grant audit trail; a cluster admin sees
 *    only its own requests and grants (it wrote those prefixes itself) and
 *    no audit trail (ADR 0018).
 */
import type * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError, isValidTenantId, type ErrorCode } from '@tessera/common';
import { unary, type CallWithAuthContext, type Principal } from '@tessera/transport';
import {
  u64Number,
  u64String,
  type AccessAuditEntry,
  type AccessGrant,
  type AccessRequest,
  type ApproveAccessRequest__Output,
  type DenyAccessRequest__Output,
  type ListAccessRequest__Output,
  type ListAccessResponse,
  type RequestAccessRequest__Output,
  type RevokeGrantRequest__Output,
} from '@tessera/wire';
import type { MetadataMachine, MetadataResult } from '../metadata/machine.js';
import type { MetadataProposer } from '../data/proposer.js';
import type { NodeKeys } from '../data/node-keys.js';
import type { TenantRecord } from '../metadata/types.js';
import { checkDuration } from './codec.js';
import { permissionDenied } from './gate.js';
import { grantIdOf, newRequestId, requireAccessId } from './ids.js';
import { openScope, sealScope, sealedScopeEpoch, type GrantScope } from './prefix-seal.js';
import type { AccessMode, AccessRecord, AccessState, AuditEntry } from './types.js';

export interface AccessAdminDeps {
  readonly machine: MetadataMachine;
  readonly proposer: Pick<MetadataProposer, 'propose'>;
  readonly readBarrier: () => Promise<void>;
  readonly keys: () => NodeKeys | undefined;
  readonly clock: () => number;
  readonly trustDomain: string;
  readonly principalOf: (call: CallWithAuthContext) => Principal;
}

const WIRE_MODE: Readonly<Record<AccessMode, 'ACCESS_MODE_READ' | 'ACCESS_MODE_READ_WRITE'>> = { read: 'ACCESS_MODE_READ', 'read-write': 'ACCESS_MODE_READ_WRITE' };
const WIRE_STATE: Readonly<Record<AccessState, 'ACCESS_STATE_PENDING' | 'ACCESS_STATE_APPROVED' | 'ACCESS_STATE_DENIED' | 'ACCESS_STATE_EXPIRED'>> = {
  pending: 'ACCESS_STATE_PENDING',
  approved: 'ACCESS_STATE_APPROVED',
  denied: 'ACCESS_STATE_DENIED',
  expired: 'ACCESS_STATE_EXPIRED',
};

function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

function modeOf(wire: string): AccessMode {
  if (wire === 'ACCESS_MODE_READ') return 'read';
  if (wire === 'ACCESS_MODE_READ_WRITE') return 'read-write';
  throw invalid('mode must be read or read-write');
}

const REFUSALS: Partial<Record<ErrorCode, string>> = {
  [ErrorCodes.NOT_FOUND]: 'no such access request or grant',
  [ErrorCodes.ACCESS_BAD_STATE]: 'the request or grant is not in a state that allows this',
  [ErrorCodes.TENANT_NOT_ACTIVE]: 'tenant is not active',
};

function refused(result: MetadataResult): void {
  if (result.kind === 'error') throw new TesseraError(result.code, REFUSALS[result.code] ?? 'request refused', { retriable: result.retriable });
}

export function accessAdminHandlers(deps: AccessAdminDeps): grpc.UntypedServiceImplementation {
  const keysOrFail = (): NodeKeys => {
    const keys = deps.keys();
    if (keys === undefined) throw new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'node not ready: no key manager', { retriable: true });
    return keys;
  };

  const scopeOf = async (record: AccessRecord): Promise<GrantScope> => {
    const { key } = await keysOrFail().dataKey(record.tenant, sealedScopeEpoch(record.prefixSealed));
    return openScope(record, record.prefixSealed, key);
  };

  const committedTenant = async (id: string): Promise<TenantRecord> => {
    if (!isValidTenantId(id)) throw invalid('tenant id must be 1-63 characters of [a-z0-9-]');
    await deps.readBarrier();
    const tenant = deps.machine.tenant(id);
    if (tenant === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'unknown tenant');
    return tenant;
  };

  /** The record after the proposal applied here too (the barrier makes this replica catch up). */
  const recordAfter = async (tenant: string, requestId: Buffer): Promise<AccessRecord> => {
    await deps.readBarrier();
    const record = deps.machine.access().request(tenant, requestId);
    if (record === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'no such access request');
    return record;
  };

  const adminId = (name: string): string => `spiffe://${deps.trustDomain}/admin/${name}`;
  const tenantAdminId = (tenant: string, name: string): string => (name === '' ? '' : `spiffe://${deps.trustDomain}/tenant/${tenant}/admin/${name}`);

  const toRequest = (r: AccessRecord, scope: GrantScope): AccessRequest => ({
    requestId: r.requestId.toString('hex'),
    tenant: r.tenant,
    prefix: scope.prefix,
    mode: WIRE_MODE[r.mode],
    durationS: u64String(Math.floor(r.durationMs / 1000)),
    reason: scope.reason,
    requestedBy: adminId(r.requester),
    state: WIRE_STATE[r.state],
    createdMs: u64String(r.createdMs),
  });

  const toGrant = (r: AccessRecord, scope: GrantScope): AccessGrant => ({
    grantId: grantIdOf(r.requestId).toString('hex'),
    requestId: r.requestId.toString('hex'),
    tenant: r.tenant,
    prefix: scope.prefix,
    mode: WIRE_MODE[r.mode],
    notBeforeMs: u64String(r.notBeforeMs),
    notAfterMs: u64String(r.notAfterMs),
    approvedBy: tenantAdminId(r.tenant, r.decidedBy),
    state: WIRE_STATE[r.state],
  });

  const toAudit = (e: AuditEntry): AccessAuditEntry => ({
    seq: u64String(e.seq),
    timeMs: u64String(e.timeMs),
    admin: adminId(e.admin),
    grantId: e.grantId.toString('hex'),
    method: e.method,
    keyTag: e.keyTag.toString('hex'),
    outcome: e.outcome,
  });

  /** The calling tenant admin's name (the table allows only tenant admins of `tenant` here). */
  const tenantAdminName = (call: CallWithAuthContext, tenant: string): string => {
    const p = deps.principalOf(call);
    if (p.kind !== 'tenant-admin' || p.tenant !== tenant) throw permissionDenied();
    return p.name;
  };

  return {
    RequestAccess: unary<RequestAccessRequest__Output, AccessRequest>(async (req, call) => {
      const p = deps.principalOf(call);
      if (p.kind !== 'admin') throw permissionDenied();
      const mode = modeOf(req.mode);
      const durationS = u64Number(req.durationS);
      if (durationS > Number.MAX_SAFE_INTEGER / 1000) throw invalid('an access window lasts 1 s to 30 days');
      const durationMs = durationS * 1000;
      checkDuration(durationMs, invalid);
      const tenant = await committedTenant(req.tenant);
      if (tenant.state !== 'active') throw new TesseraError(ErrorCodes.TENANT_NOT_ACTIVE, 'tenant is not active');
      const { key, epoch } = await keysOrFail().dataKey(tenant.id);
      const requestId = newRequestId();
      const prefixSealed = sealScope({ tenant: tenant.id, requestId, mode, durationMs }, { prefix: req.prefix, reason: req.reason }, key, epoch);
      refused(await deps.proposer.propose({ op: 'accessRequest', timeMs: deps.clock(), requestId, tenant: tenant.id, requester: p.name, prefixSealed, mode, durationMs }));
      const record = await recordAfter(tenant.id, requestId);
      return toRequest(record, { prefix: req.prefix, reason: req.reason });
    }),

    ApproveAccess: unary<ApproveAccessRequest__Output, AccessGrant>(async (req, call) => {
      const approver = tenantAdminName(call, req.tenant);
      const requestId = requireAccessId(req.requestId, 'request id');
      refused(await deps.proposer.propose({ op: 'accessApprove', timeMs: deps.clock(), tenant: req.tenant, requestId, approver }));
      const record = await recordAfter(req.tenant, requestId);
      return toGrant(record, await scopeOf(record));
    }),

    DenyAccess: unary<DenyAccessRequest__Output, AccessRequest>(async (req, call) => {
      const denier = tenantAdminName(call, req.tenant);
      const requestId = requireAccessId(req.requestId, 'request id');
      refused(await deps.proposer.propose({ op: 'accessDeny', timeMs: deps.clock(), tenant: req.tenant, requestId, denier }));
      const record = await recordAfter(req.tenant, requestId);
      return toRequest(record, await scopeOf(record));
    }),

    RevokeGrant: unary<RevokeGrantRequest__Output, AccessGrant>(async (req, call) => {
      const revoker = tenantAdminName(call, req.tenant);
      const grantId = requireAccessId(req.grantId, 'grant id');
      refused(await deps.proposer.propose({ op: 'accessRevoke', timeMs: deps.clock(), tenant: req.tenant, grantId, revoker }));
      await deps.readBarrier();
      const found = deps.machine.access().findGrant(req.tenant, grantId);
      if (found === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'no such grant');
      return toGrant(found.record, await scopeOf(found.record));
    }),

    ListAccess: unary<ListAccessRequest__Output, ListAccessResponse>(async (req, call) => {
      const p = deps.principalOf(call);
      const tenant = await committedTenant(req.tenant);
      const ownTenantAdmin = p.kind === 'tenant-admin' && p.tenant === tenant.id;
      if (!ownTenantAdmin && p.kind !== 'admin') throw permissionDenied();
      const visible = deps.machine
        .access()
        .records(tenant.id)
        .filter((r) => ownTenantAdmin || (p.kind === 'admin' && r.requester === p.name))
        .sort((a, b) => b.createdMs - a.createdMs || (a.requestId.toString('hex') < b.requestId.toString('hex') ? -1 : 1));
      const requests: AccessRequest[] = [];
      const grants: AccessGrant[] = [];
      for (const record of visible) {
        if (record.state === 'expired') continue;
        const scope = await scopeOf(record);
        requests.push(toRequest(record, scope));
        if (record.state === 'approved') grants.push(toGrant(record, scope));
      }
      const audit = ownTenantAdmin ? deps.machine.access().auditTrail(tenant.id).map(toAudit) : [];
      return { requests, grants, audit };
    }),
  };
}
