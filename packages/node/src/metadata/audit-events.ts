/**
 * Which applied metadata commands become audit entries, and what those say
 * (issue #9). Pure: a function of the command, the facts before it applied
 * and the state after, so every replica appends the same records.
 *
 * Chains: tenant lifecycle goes to the tenant's chain and to the system
 * chain; access requests, grants and every Data call under a grant to the
 * tenant's chain only (A2: they are the tenant's business); nodes and
 * devices to the system chain. Records name objects by keyTag, grants by id,
 * devices by (node, device) — never an object name or a sealed scope.
 *
 * The replicated state does not know the trust domain, so the principals of
 * these entries are written relative to it: `admin/NAME`,
 * `tenant/T/admin/NAME` (entries from the `auditAppend` command carry the
 * full SPIFFE id the node saw). An empty principal is the group itself.
 */
import { SYSTEM_CHAIN, tenantChain, type AuditRecord, type AuditTarget, type ChainRecord } from '@tessera/audit';
import { grantIdOf } from '../access/ids.js';
import type { AccessRecord } from '../access/types.js';
import type { MetadataCommand } from './commands.js';
import type { DeviceRecord, NodeRecord, TenantRecord } from './types.js';

export const MetadataAuditTypes = {
  TENANT_REGISTERED: 'tenant.registered',
  TENANT_STATE: 'tenant.state',
  TENANT_CA: 'tenant.ca',
  TENANT_QUOTA: 'tenant.quota',
  TENANT_PURGED: 'tenant.purged',
  NODE_REGISTERED: 'node.registered',
  DEVICE_ADDED: 'device.added',
  DEVICE_STATE: 'device.state',
  ACCESS_REQUEST: 'access.request',
  ACCESS_APPROVE: 'access.approve',
  ACCESS_DENY: 'access.deny',
  ACCESS_REVOKE: 'access.revoke',
  ACCESS_EXPIRE: 'access.expire',
  DATA_ACCESS: 'data.access',
} as const;

/** What the state held before a command applied (only what the rules below compare). */
export interface AuditBefore {
  readonly tenant?: TenantRecord;
  readonly node?: NodeRecord;
  readonly device?: DeviceRecord;
  readonly access?: AccessRecord;
  /** PurgeTenant: the tenant still had deltas, references or access records. */
  readonly hadTenantData?: boolean;
}

/** What the state holds after the command applied. */
export interface AuditAfter {
  tenant(id: string): TenantRecord | undefined;
  access(tenant: string, requestId: Uint8Array): AccessRecord | undefined;
  grant(tenant: string, grantId: Uint8Array): AccessRecord | undefined;
}

export function clusterAdminPrincipal(name: string): string {
  return `admin/${name}`;
}

export function tenantAdminPrincipal(tenant: string, name: string): string {
  return `tenant/${tenant}/admin/${name}`;
}

const tenantTarget = (tenant: string): AuditTarget => ({ kind: 'tenant', tenant });
const accessTarget = (id: Uint8Array): AuditTarget => ({ kind: 'access', id });

/** Tenant lifecycle: the tenant's own chain and the system chain. */
function lifecycle(tenant: string, record: Omit<AuditRecord, 'targets'>): ChainRecord[] {
  const full: AuditRecord = { ...record, targets: [tenantTarget(tenant)] };
  return [
    { chain: tenantChain(tenant), record: full },
    { chain: SYSTEM_CHAIN, record: full },
  ];
}

function onTenant(cmd: MetadataCommand, before: AuditBefore, after: AuditAfter): ChainRecord[] {
  if (cmd.op !== 'upsertTenant' && cmd.op !== 'disableTenant' && cmd.op !== 'purgeTenant' && cmd.op !== 'setTenantQuota') return [];
  const id = cmd.op === 'upsertTenant' ? cmd.tenant.id : cmd.tenant;
  const now = after.tenant(id);
  if (now === undefined) return [];
  const was = before.tenant;
  const out: ChainRecord[] = [];
  if (cmd.op === 'purgeTenant') {
    // The purge duty repeats PurgeTenant until both groups agree: only a purge that changed something is news.
    if (was?.state !== 'shredded' || before.hadTenantData === true) out.push(...lifecycle(id, { type: MetadataAuditTypes.TENANT_PURGED, principal: '', method: 'PurgeTenant', outcome: 'ok' }));
    return out;
  }
  if (was === undefined) out.push(...lifecycle(id, { type: MetadataAuditTypes.TENANT_REGISTERED, principal: '', method: 'UpsertTenant', outcome: 'ok', reason: now.state }));
  else {
    if (was.state !== now.state) out.push(...lifecycle(id, { type: MetadataAuditTypes.TENANT_STATE, principal: '', method: METHOD_OF[cmd.op] ?? '', outcome: 'ok', reason: now.state }));
    if (was.caCertPem !== now.caCertPem || was.caCrlPem !== now.caCrlPem) out.push(...lifecycle(id, { type: MetadataAuditTypes.TENANT_CA, principal: '', method: 'UpsertTenant', outcome: 'ok' }));
    if (was.quotaBytes !== now.quotaBytes) out.push(...lifecycle(id, { type: MetadataAuditTypes.TENANT_QUOTA, principal: '', method: 'SetTenantQuota', outcome: 'ok' }));
  }
  return out;
}

const METHOD_OF: Readonly<Record<string, string>> = {
  upsertTenant: 'UpsertTenant',
  disableTenant: 'DisableTenant',
  purgeTenant: 'PurgeTenant',
  setTenantQuota: 'SetTenantQuota',
};

function onTopology(cmd: MetadataCommand, before: AuditBefore): ChainRecord[] {
  switch (cmd.op) {
    case 'registerNode':
      if (before.node !== undefined && before.node.address === cmd.node.address) return [];
      return [{ chain: SYSTEM_CHAIN, record: { type: MetadataAuditTypes.NODE_REGISTERED, principal: '', method: 'RegisterNode', outcome: 'ok', targets: [{ kind: 'node', nodeId: cmd.node.nodeId }] } }];
    case 'addDevice':
      if (before.device !== undefined) return [];
      return [
        {
          chain: SYSTEM_CHAIN,
          record: { type: MetadataAuditTypes.DEVICE_ADDED, principal: '', method: 'AddDevice', outcome: 'ok', targets: [{ kind: 'device', nodeId: cmd.device.nodeId, deviceId: cmd.device.deviceId }] },
        },
      ];
    case 'setDeviceState':
      if (before.device?.state === cmd.state) return [];
      return [
        {
          chain: SYSTEM_CHAIN,
          record: { type: MetadataAuditTypes.DEVICE_STATE, principal: '', method: 'SetDeviceState', outcome: 'ok', reason: cmd.state, targets: [{ kind: 'device', nodeId: cmd.nodeId, deviceId: cmd.deviceId }] },
        },
      ];
    default:
      return [];
  }
}

function onAccess(cmd: MetadataCommand, before: AuditBefore, after: AuditAfter): ChainRecord[] {
  const one = (tenant: string, record: AuditRecord): ChainRecord[] => [{ chain: tenantChain(tenant), record }];
  switch (cmd.op) {
    case 'accessRequest':
      return one(cmd.tenant, {
        type: MetadataAuditTypes.ACCESS_REQUEST,
        principal: clusterAdminPrincipal(cmd.requester),
        method: 'RequestAccess',
        outcome: 'ok',
        reason: cmd.mode,
        targets: [tenantTarget(cmd.tenant), accessTarget(cmd.requestId)],
      });
    case 'accessApprove':
    case 'accessDeny': {
      const record = after.access(cmd.tenant, cmd.requestId);
      const approve = cmd.op === 'accessApprove';
      return one(cmd.tenant, {
        type: approve ? MetadataAuditTypes.ACCESS_APPROVE : MetadataAuditTypes.ACCESS_DENY,
        principal: tenantAdminPrincipal(cmd.tenant, approve ? cmd.approver : cmd.denier),
        method: approve ? 'ApproveAccess' : 'DenyAccess',
        outcome: 'ok',
        ...(record !== undefined ? { reason: record.mode } : {}),
        targets: [
          accessTarget(cmd.requestId),
          ...(approve ? [accessTarget(grantIdOf(cmd.requestId))] : []),
          ...(record !== undefined ? [{ kind: 'principal' as const, principal: clusterAdminPrincipal(record.requester) }] : []),
        ],
      });
    }
    case 'accessRevoke':
    case 'accessExpired': {
      // A retried revoke or a late expiry of a grant that had already ended changes nothing: no entry.
      if (before.access?.state !== 'approved') return [];
      const revoke = cmd.op === 'accessRevoke';
      return one(cmd.tenant, {
        type: revoke ? MetadataAuditTypes.ACCESS_REVOKE : MetadataAuditTypes.ACCESS_EXPIRE,
        principal: revoke ? tenantAdminPrincipal(cmd.tenant, cmd.revoker) : '',
        method: revoke ? 'RevokeGrant' : 'AccessExpired',
        outcome: 'ok',
        targets: [accessTarget(cmd.grantId), { kind: 'principal', principal: clusterAdminPrincipal(before.access.requester) }],
      });
    }
    case 'auditAccess': {
      const { audit } = cmd;
      return one(cmd.tenant, {
        type: MetadataAuditTypes.DATA_ACCESS,
        principal: clusterAdminPrincipal(audit.admin),
        method: audit.method,
        outcome: audit.outcome === 'allowed' ? 'ok' : 'denied',
        reason: audit.outcome,
        targets: [...(audit.grantId.byteLength > 0 ? [accessTarget(audit.grantId)] : []), ...(audit.keyTag.byteLength > 0 ? [{ kind: 'keyTag' as const, keyTag: audit.keyTag }] : [])],
      });
    }
    default:
      return [];
  }
}

/** The records an applied (not refused) command appends. */
export function auditRecordsFor(cmd: MetadataCommand, before: AuditBefore, after: AuditAfter): ChainRecord[] {
  return [...onTenant(cmd, before, after), ...onTopology(cmd, before), ...onAccess(cmd, before, after)];
}
