/**
 * Admin actions into the audit trail (issue #9): a small sink the Admin
 * handlers report to, and a wrapper that reports every state-changing Admin
 * call — who (the caller's SPIFFE id from its certificate), what (method and
 * targets read from the request: node, device, tenant — never a value that
 * could name an object), and how it ended (ok, or failed with its error
 * code). A forced member removal is marked `forced`.
 *
 * Reporting never changes the call's answer: the wrapper records after the
 * handler finished and the sink is fire-and-forget.
 */
import type * as grpc from '@grpc/grpc-js';
import { SYSTEM_CHAIN, tenantChain, type AuditTarget, type ChainRecord } from '@tessera/audit';
import { ErrorCodes, isValidTenantId, toTesseraError } from '@tessera/common';
import { ERROR_CODE_METADATA, type CallWithAuthContext, type Principal } from '@tessera/transport';

/** Where admin actions go (the node's AuditBatcher, or a test double). */
export interface AdminAuditSink {
  append(records: readonly ChainRecord[]): void;
}

export const ADMIN_ACTION_TYPE = 'admin.action';

/** The Admin methods that change something, and the targets their requests name. */
const AUDITED: Readonly<Record<string, (request: Record<string, unknown>) => { targets: AuditTarget[]; tenant?: string; reason?: string }>> = {
  AddMember: (r) => ({ targets: nodeTarget(field(r['member'], 'id')), ...(r['voter'] === true ? { reason: 'voter' } : {}) }),
  RemoveMember: (r) => ({ targets: nodeTarget(r['id']), ...(r['force'] === true ? { reason: 'forced' } : {}) }),
  TransferLeader: (r) => ({ targets: nodeTarget(r['id']) }),
  SetDeviceState: (r) => ({ targets: deviceTarget(r['nodeId'], r['deviceId']), ...(typeof r['state'] === 'string' && PRINTABLE.test(r['state']) ? { reason: r['state'] } : {}) }),
  AddDevice: (r) => ({ targets: deviceTarget(r['nodeId'], r['deviceId']) }),
  SetTenantQuota: (r) => tenantScoped(r['tenant']),
  StartScrub: () => ({ targets: [] }),
  Compact: (r) => tenantScoped(r['tenant']),
};

const PRINTABLE = /^[\x21-\x7e]{1,64}$/;
const NAME = /^[\x21-\x7e]{1,255}$/;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function nodeTarget(id: unknown): AuditTarget[] {
  return typeof id === 'string' && NAME.test(id) ? [{ kind: 'node', nodeId: id }] : [];
}

function deviceTarget(nodeId: unknown, deviceId: unknown): AuditTarget[] {
  return typeof nodeId === 'string' && typeof deviceId === 'string' && NAME.test(nodeId) && NAME.test(deviceId) ? [{ kind: 'device', nodeId, deviceId }] : [];
}

function tenantScoped(tenant: unknown): { targets: AuditTarget[]; tenant?: string } {
  return typeof tenant === 'string' && isValidTenantId(tenant) ? { targets: [{ kind: 'tenant', tenant }], tenant } : { targets: [] };
}

/** The Tessera error code of a failure: a thrown error's, or the one a gRPC status carries in its metadata. */
function codeOf(err: unknown): string {
  const metadata = typeof err === 'object' && err !== null ? (err as { metadata?: unknown }).metadata : undefined;
  if (typeof metadata === 'object' && metadata !== null && typeof (metadata as { get?: unknown }).get === 'function') {
    const value = (metadata as { get(key: string): unknown[] }).get(ERROR_CODE_METADATA)[0];
    if (typeof value === 'string' && /^[A-Z0-9_]{1,64}$/.test(value)) return value;
  }
  return toTesseraError(err).code;
}

/** A stable reason for a failure: `KM_CONFLICT` → `km-conflict`. */
function reasonOf(err: unknown): string {
  return codeOf(err).toLowerCase().replace(/_/g, '-').slice(0, 64) || ErrorCodes.INTERNAL.toLowerCase();
}

/** Answers that mean "not here, ask the leader": no action happened, the caller tries the next node. */
const NOT_AN_ACTION: ReadonlySet<string> = new Set([ErrorCodes.RAFT_NOT_LEADER]);

/**
 * The records of one admin action: the system chain always; a tenant's own
 * chain too when the action concerns one tenant (its quota, its compaction).
 */
export function adminActionRecords(method: string, principal: string, request: unknown, error?: unknown): ChainRecord[] {
  const describe = AUDITED[method];
  if (describe === undefined) return [];
  if (error !== undefined && NOT_AN_ACTION.has(codeOf(error))) return [];
  const { targets, tenant, reason } = describe(typeof request === 'object' && request !== null ? (request as Record<string, unknown>) : {});
  const failure = error === undefined ? undefined : reasonOf(error);
  const record = {
    type: ADMIN_ACTION_TYPE,
    principal: principal.length <= 512 && /^[\x21-\x7e]*$/.test(principal) ? principal : '?',
    method,
    outcome: failure === undefined ? ('ok' as const) : ('failed' as const),
    ...(failure !== undefined ? { reason: failure } : reason !== undefined ? { reason } : {}),
    targets,
  };
  return [{ chain: SYSTEM_CHAIN, record }, ...(tenant !== undefined ? [{ chain: tenantChain(tenant), record }] : [])];
}

/** Wraps the state-changing unary Admin handlers so each call is reported once it finished. */
export function auditAdminHandlers(
  handlers: grpc.UntypedServiceImplementation,
  sink: AdminAuditSink,
  principalOf: (call: CallWithAuthContext) => Principal,
): grpc.UntypedServiceImplementation {
  const out: grpc.UntypedServiceImplementation = { ...handlers };
  for (const method of Object.keys(AUDITED)) {
    const inner = handlers[method] as grpc.handleUnaryCall<unknown, unknown> | undefined;
    if (inner === undefined) continue;
    const wrapped: grpc.handleUnaryCall<unknown, unknown> = (call, callback) => {
      let principal = '';
      try {
        principal = principalOf(call as unknown as CallWithAuthContext).spiffeId;
      } catch {
        principal = '';
      }
      inner(call, (err, value, trailer, flags) => {
        try {
          sink.append(adminActionRecords(method, principal, call.request, err ?? undefined));
        } catch {
          // Reporting must never change the answer.
        }
        callback(err, value, trailer, flags);
      });
    };
    out[method] = wrapped;
  }
  return out;
}
