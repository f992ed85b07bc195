/**
 * The access table of the metadata state: per tenant, its access records
 * (requests and the grants that answer them) and its grant audit trail.
 * Pure and deterministic: every rule depends on the command, the table and
 * the leader time only, so replicas agree. A refusal throws a TesseraError
 * and leaves the table unchanged.
 *
 * Rules (DESIGN A2, section 7):
 *  - a request names an active tenant; at most ACCESS_LIMITS.openPerTenant
 *    requests and grants of a tenant are open (pending or approved) at once;
 *  - only a pending request can be approved or denied; approval opens the
 *    window [leader time of the approval, + duration);
 *  - `accessExpired` applies only once the window ended by leader time (the
 *    leader's duty proposes it); a revoke ends an approved grant at once;
 *    both are no-ops on a grant that already ended;
 *  - closed records (denied, expired) are kept, the newest
 *    ACCESS_LIMITS.closedPerTenant; audit entries the newest
 *    ACCESS_LIMITS.auditPerTenant.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { AccessCommand } from './commands.js';
import { grantIdOf } from './ids.js';
import { ACCESS_LIMITS, type AccessRecord, type AuditEntry } from './types.js';

export interface TenantAccess {
  /** requestId hex → record. */
  readonly records: Map<string, AccessRecord>;
  /** seq → entry, ascending (appended in order; rebuilt sorted on load). */
  readonly audit: Map<number, AuditEntry>;
}

/** What the caller must persist: one tenant's records, or one audit entry (written, or deleted once dropped). */
export type AccessDirty = { readonly t: 'access'; readonly tenant: string } | { readonly t: 'audit'; readonly tenant: string; readonly seq: number };

/** The committed tenant facts the rules depend on. */
export type TenantStatus = 'active' | 'inactive' | 'shredded' | undefined;

export interface DueExpiry {
  readonly tenant: string;
  readonly grantId: Buffer;
  readonly notAfterMs: number;
}

function badState(message: string): TesseraError {
  return new TesseraError(ErrorCodes.ACCESS_BAD_STATE, message);
}

function notFound(message: string): TesseraError {
  return new TesseraError(ErrorCodes.NOT_FOUND, message);
}

const isOpen = (r: AccessRecord): boolean => r.state === 'pending' || r.state === 'approved';
const closedAt = (r: AccessRecord): number => (r.state === 'denied' ? r.decidedMs : r.endedMs);
const hasGrant = (r: AccessRecord): boolean => r.state === 'approved' || r.state === 'expired';

export function emptyTenantAccess(): TenantAccess {
  return { records: new Map(), audit: new Map() };
}

export class AccessTable {
  readonly tenants = new Map<string, TenantAccess>();

  constructor(private readonly mark: (dirty: AccessDirty) => void) {}

  /** Applies one access command at leader time `nowMs` (already advanced by the state). */
  apply(cmd: AccessCommand, nowMs: number, tenantStatus: (tenant: string) => TenantStatus): void {
    const status = tenantStatus(cmd.tenant);
    if (status === undefined) throw notFound('unknown tenant');
    switch (cmd.op) {
      case 'accessRequest':
        return this.openRequest(cmd, nowMs, status);
      case 'accessApprove':
      case 'accessDeny': {
        const data = this.tenants.get(cmd.tenant);
        const record = data?.records.get(cmd.requestId.toString('hex'));
        if (data === undefined || record === undefined) throw notFound('no such access request');
        if (record.state !== 'pending') throw badState('only a pending request can be approved or denied');
        const decided: AccessRecord =
          cmd.op === 'accessApprove'
            ? { ...record, state: 'approved', decidedBy: cmd.approver, decidedMs: nowMs, notBeforeMs: nowMs, notAfterMs: nowMs + record.durationMs }
            : { ...record, state: 'denied', decidedBy: cmd.denier, decidedMs: nowMs };
        this.replace(cmd.tenant, data, decided);
        return;
      }
      case 'accessRevoke':
      case 'accessExpired': {
        const found = this.findGrant(cmd.tenant, cmd.grantId);
        if (found === undefined) throw notFound('no such grant');
        const { data, record } = found;
        if (record.state === 'expired') return; // already ended: nothing to do (a retried revoke, a late expiry)
        if (cmd.op === 'accessExpired' && nowMs < record.notAfterMs) throw badState('the grant\'s window has not ended');
        const ended: AccessRecord =
          cmd.op === 'accessRevoke'
            ? { ...record, state: 'expired', ending: 'revoked', endedBy: cmd.revoker, endedMs: Math.max(1, nowMs) }
            : { ...record, state: 'expired', ending: 'window', endedMs: Math.max(1, nowMs) };
        this.replace(cmd.tenant, data, ended);
        return;
      }
      case 'auditAccess':
        return this.audit(cmd, nowMs, status);
    }
  }

  private openRequest(cmd: Extract<AccessCommand, { op: 'accessRequest' }>, nowMs: number, status: TenantStatus): void {
    if (status !== 'active') throw new TesseraError(ErrorCodes.TENANT_NOT_ACTIVE, 'tenant is not active');
    const data = this.tenants.get(cmd.tenant) ?? emptyTenantAccess();
    const key = cmd.requestId.toString('hex');
    if (data.records.has(key)) throw badState('request id already in use');
    let open = 0;
    for (const r of data.records.values()) if (isOpen(r)) open++;
    if (open >= ACCESS_LIMITS.openPerTenant) throw badState('too many open access requests and grants for this tenant');
    this.tenants.set(cmd.tenant, data);
    this.replace(cmd.tenant, data, {
      requestId: cmd.requestId,
      tenant: cmd.tenant,
      requester: cmd.requester,
      prefixSealed: cmd.prefixSealed,
      mode: cmd.mode,
      durationMs: cmd.durationMs,
      createdMs: nowMs,
      state: 'pending',
      decidedBy: '',
      decidedMs: 0,
      notBeforeMs: 0,
      notAfterMs: 0,
      ending: 'none',
      endedBy: '',
      endedMs: 0,
    });
  }

  private audit(cmd: Extract<AccessCommand, { op: 'auditAccess' }>, nowMs: number, status: TenantStatus): void {
    if (status === 'shredded') throw new TesseraError(ErrorCodes.TENANT_NOT_ACTIVE, 'tenant is shredded');
    if (cmd.audit.grantId.byteLength > 0 && this.findGrant(cmd.tenant, cmd.audit.grantId) === undefined) throw notFound('no such grant');
    let data = this.tenants.get(cmd.tenant);
    if (data === undefined) {
      data = emptyTenantAccess();
      this.tenants.set(cmd.tenant, data);
    }
    let last = 0;
    for (const seq of data.audit.keys()) last = Math.max(last, seq);
    const seq = last + 1;
    data.audit.set(seq, { seq, timeMs: nowMs, ...cmd.audit });
    this.mark({ t: 'audit', tenant: cmd.tenant, seq });
    // Oldest first: Map iteration follows insertion, and sequences only grow.
    while (data.audit.size > ACCESS_LIMITS.auditPerTenant) {
      const oldest = data.audit.keys().next().value as number;
      data.audit.delete(oldest);
      this.mark({ t: 'audit', tenant: cmd.tenant, seq: oldest });
    }
  }

  private replace(tenant: string, data: TenantAccess, record: AccessRecord): void {
    data.records.set(record.requestId.toString('hex'), record);
    if (!isOpen(record)) this.pruneClosed(data);
    this.mark({ t: 'access', tenant });
  }

  /** Keeps the newest closed records (by closing time, then request id). */
  private pruneClosed(data: TenantAccess): void {
    const closed = [...data.records.entries()].filter(([, r]) => !isOpen(r));
    if (closed.length <= ACCESS_LIMITS.closedPerTenant) return;
    closed.sort(([ka, a], [kb, b]) => closedAt(a) - closedAt(b) || (ka < kb ? -1 : ka > kb ? 1 : 0));
    for (const [key] of closed.slice(0, closed.length - ACCESS_LIMITS.closedPerTenant)) data.records.delete(key);
  }

  /** Drops everything of a tenant (PurgeTenant after a crypto-shred). */
  purge(tenant: string): void {
    const data = this.tenants.get(tenant);
    if (data === undefined) return;
    for (const seq of data.audit.keys()) this.mark({ t: 'audit', tenant, seq });
    this.tenants.delete(tenant);
    this.mark({ t: 'access', tenant });
  }

  // ----- queries (read-only) -----

  findGrant(tenant: string, grantId: Uint8Array): { data: TenantAccess; record: AccessRecord } | undefined {
    const data = this.tenants.get(tenant);
    if (data === undefined) return undefined;
    for (const record of data.records.values()) {
      if (hasGrant(record) && grantIdOf(record.requestId).equals(grantId)) return { data, record };
    }
    return undefined;
  }

  request(tenant: string, requestId: Uint8Array): AccessRecord | undefined {
    return this.tenants.get(tenant)?.records.get(Buffer.from(requestId).toString('hex'));
  }

  records(tenant: string): AccessRecord[] {
    return [...(this.tenants.get(tenant)?.records.values() ?? [])];
  }

  /** Approved grants of `admin` on `tenant` whose window is still open at `nowMs`. */
  activeGrants(admin: string, tenant: string, nowMs: number): AccessRecord[] {
    return this.records(tenant).filter((r) => r.state === 'approved' && r.requester === admin && nowMs < r.notAfterMs);
  }

  /** Approved grants whose window ended by `nowMs`, every tenant (the leader's expiry duty). */
  dueExpiries(nowMs: number): DueExpiry[] {
    const out: DueExpiry[] = [];
    for (const [tenant, data] of this.tenants) {
      for (const r of data.records.values()) if (r.state === 'approved' && r.notAfterMs <= nowMs) out.push({ tenant, grantId: grantIdOf(r.requestId), notAfterMs: r.notAfterMs });
    }
    return out.sort((a, b) => a.notAfterMs - b.notAfterMs);
  }

  auditTrail(tenant: string): AuditEntry[] {
    return [...(this.tenants.get(tenant)?.audit.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  isEmpty(tenant: string): boolean {
    const data = this.tenants.get(tenant);
    return data === undefined || (data.records.size === 0 && data.audit.size === 0);
  }
}
