/**
 * The pure core of the key-manager state machine: apply one command at its
 * leader timestamp, deterministically (no clock, no randomness, no I/O).
 *
 * Each handler validates everything before it changes anything, so a refused
 * command leaves the state untouched; the refusal itself is audited (in the
 * tenant's chain when the tenant exists, else the system chain) and returned
 * as a result, never thrown. Side effects — destroying KEKs on shred — are
 * returned for the host to perform through the root provider.
 */
import { timingSafeEqual } from 'node:crypto';
import { AuditChains, SYSTEM_CHAIN, tenantChain, type AppendedEntry, type AuditOutcome, type AuditRecord, type AuditTarget, type ChainId } from '@tessera/audit';
import { ErrorCodes, TesseraError, isTesseraError, type ErrorCode } from '@tessera/common';
import { WrapPurposes } from '@tessera/crypto';
import { kekKeyId, sameKeyRef, type KeyRef } from '../key-ref.js';
import { COMMAND_NAMES, decodeEnvelope, type KmCommand, type KmEnvelope } from './commands.js';
import { KM_LIMITS } from './limits.js';
import { caFingerprint, isCertificatePem, isCrlPem } from './pem.js';
import type { ApplyOutput, KmEffect, KmEvent, KmResult, KmValue } from './results.js';
import { decodeState, emptyState, encodeState } from './state-codec.js';
import { currentKek, tenantView, type Actor, type KmState, type MinDecryptEpoch, type SystemKeys, type TenantRecord, type WrappedKey } from './types.js';

export const AUDIT_DOMAIN = 'keymanager';

/** Event types of the key manager's audit entries. */
export const KmAuditTypes = {
  SYSTEM_INIT: 'system.init',
  SYSTEM_EPOCH: 'system.epoch.rotate',
  TENANT_CREATE: 'tenant.create',
  TENANT_KEYS: 'tenant.keys.create',
  KEK_ROTATE: 'kek.rotate',
  TENANT_EPOCH: 'tenant.epoch.new',
  SHRED_REQUEST: 'shred.request',
  SHRED_APPROVE: 'shred.approve',
  SHRED_CANCEL: 'shred.cancel',
  SHRED_EXECUTE: 'shred.execute',
  NODE_PIN: 'node.pin.set',
  NODE_REMOVE: 'node.remove',
  TENANT_CA: 'tenant.ca.replace',
  TENANT_DISABLE: 'tenant.disable',
  TENANT_ENABLE: 'tenant.enable',
  MIN_DECRYPT_EPOCH: 'system.epoch.min-decrypt',
  COMMAND_REJECTED: 'command.rejected',
  KEY_UNWRAP: 'key.unwrap',
  KEY_FETCH: 'key.fetch',
} as const;

const AUDIT_TYPE_OF: Record<KmCommand['type'], string> = {
  'init-system': KmAuditTypes.SYSTEM_INIT,
  'rotate-system-epoch': KmAuditTypes.SYSTEM_EPOCH,
  'create-tenant': KmAuditTypes.TENANT_CREATE,
  'create-tenant-keys': KmAuditTypes.TENANT_KEYS,
  'rotate-kek': KmAuditTypes.KEK_ROTATE,
  'new-tenant-epoch': KmAuditTypes.TENANT_EPOCH,
  'request-shred': KmAuditTypes.SHRED_REQUEST,
  'approve-shred': KmAuditTypes.SHRED_APPROVE,
  'cancel-shred': KmAuditTypes.SHRED_CANCEL,
  'execute-shred': KmAuditTypes.SHRED_EXECUTE,
  'set-node-pin': KmAuditTypes.NODE_PIN,
  'remove-node': KmAuditTypes.NODE_REMOVE,
  'replace-tenant-ca': KmAuditTypes.TENANT_CA,
  'disable-tenant': KmAuditTypes.TENANT_DISABLE,
  'enable-tenant': KmAuditTypes.TENANT_ENABLE,
  'append-audit': KmAuditTypes.COMMAND_REJECTED,
  'report-min-decrypt-epoch': KmAuditTypes.MIN_DECRYPT_EPOCH,
};

/** A stable reason code for audit entries: `KM_CONFLICT` → `km-conflict`. */
export function reasonOf(code: ErrorCode): string {
  return code.toLowerCase().replace(/_/g, '-');
}

function refuse(code: ErrorCode, message: string): TesseraError {
  return new TesseraError(code, message);
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}

function keyTarget(purpose: string, epoch: number, version: number): AuditTarget {
  return { kind: 'key', purpose, epoch, version };
}

function tenantTarget(tenant: string): AuditTarget {
  return { kind: 'tenant', tenant };
}

/** Collects what a successful command produces; discarded when the command is refused. */
class Outcome {
  readonly records: Array<{ chain: ChainId; record: AuditRecord }> = [];
  readonly effects: KmEffect[] = [];
  readonly events: KmEvent[] = [];
  duplicate = false;

  constructor(
    readonly actor: Actor,
    readonly method: string,
    readonly type: string,
  ) {}

  audit(chain: ChainId, targets: readonly AuditTarget[], outcome: AuditOutcome = 'ok'): void {
    this.records.push({ chain, record: { type: this.type, principal: this.actor.principal, method: this.method, outcome, targets } });
  }
}

export class KmCore {
  #lastTs: number;
  #system: SystemKeys | undefined;
  readonly #tenants: Map<string, TenantRecord>;
  readonly #nodes: Map<string, Buffer>;
  #minDecrypt: MinDecryptEpoch;
  readonly #audit: AuditChains;
  readonly #view: KmState;

  constructor(state: KmState = emptyState()) {
    this.#lastTs = state.lastTimestampMs;
    this.#system = state.system;
    this.#tenants = new Map(state.tenants);
    this.#nodes = new Map(state.nodes);
    this.#minDecrypt = state.minDecrypt;
    this.#audit = state.audit.clone();
    const core = this;
    this.#view = {
      get lastTimestampMs() {
        return core.#lastTs;
      },
      get system() {
        return core.#system;
      },
      tenants: this.#tenants,
      nodes: this.#nodes,
      get minDecrypt() {
        return core.#minDecrypt;
      },
      audit: this.#audit,
    };
  }

  /** A live read-only view (it follows later applies). */
  get state(): KmState {
    return this.#view;
  }

  encode(): Buffer {
    return encodeState(this.#view);
  }

  static decode(bytes: Uint8Array): KmCore {
    return new KmCore(decodeState(bytes));
  }

  /** Applies one Raft entry's data; undecodable data is refused (and audited), never thrown. */
  applyData(data: Uint8Array): ApplyOutput {
    let envelope: KmEnvelope;
    try {
      envelope = decodeEnvelope(data);
    } catch (err) {
      const code = isTesseraError(err) ? ErrorCodes.KM_BAD_COMMAND : ErrorCodes.INTERNAL;
      const appended = this.#audit.append(SYSTEM_CHAIN, { type: KmAuditTypes.COMMAND_REJECTED, principal: '', outcome: 'failed', reason: reasonOf(code) }, this.#lastTs);
      return { result: { ok: false, code, message: 'malformed key-manager command' }, effects: [], audit: [appended], events: [] };
    }
    return this.apply(envelope);
  }

  apply(envelope: KmEnvelope): ApplyOutput {
    const now = Math.max(this.#lastTs, Math.max(0, Math.floor(envelope.ts)));
    this.#lastTs = now;
    const command = envelope.command;
    const outcome = new Outcome(envelope.actor, COMMAND_NAMES[command.type], AUDIT_TYPE_OF[command.type]);
    let value: KmValue;
    try {
      value = this.#dispatch(command, envelope.actor, now, outcome);
    } catch (err) {
      if (!isTesseraError(err)) throw err; // a bug, not a refusal: let the node stop rather than diverge
      return this.#refused(command, outcome, err, now);
    }
    const audit = outcome.records.map(({ chain, record }) => this.#audit.append(chain, record, now));
    const result: KmResult = outcome.duplicate ? { ok: true, value, duplicate: true } : { ok: true, value };
    return { result, effects: outcome.effects, audit, events: outcome.events };
  }

  #refused(command: KmCommand, outcome: Outcome, err: TesseraError, now: number): ApplyOutput {
    const tenant = 'tenant' in command ? command.tenant : undefined;
    const chain = tenant !== undefined && this.#tenants.has(tenant) ? tenantChain(tenant) : SYSTEM_CHAIN;
    const record: AuditRecord = {
      type: outcome.type,
      principal: outcome.actor.principal,
      method: outcome.method,
      outcome: err.code === ErrorCodes.KM_FORBIDDEN ? 'denied' : 'failed',
      reason: reasonOf(err.code),
      targets: tenant !== undefined ? [tenantTarget(tenant)] : [],
    };
    const appended: AppendedEntry = this.#audit.append(chain, record, now);
    return { result: { ok: false, code: err.code, message: err.message }, effects: [], audit: [appended], events: [] };
  }

  #dispatch(c: KmCommand, actor: Actor, now: number, out: Outcome): KmValue {
    switch (c.type) {
      case 'init-system':
        return this.#initSystem(c, actor, out);
      case 'rotate-system-epoch':
        return this.#rotateSystemEpoch(c, actor, out);
      case 'create-tenant':
        return this.#createTenant(c, actor, now, out);
      case 'create-tenant-keys':
        return this.#createTenantKeys(c, actor, out);
      case 'rotate-kek':
        return this.#rotateKek(c, actor, out);
      case 'new-tenant-epoch':
        return this.#newTenantEpoch(c, actor, out);
      case 'request-shred':
        return this.#requestShred(c, actor, now, out);
      case 'approve-shred':
        return this.#approveShred(c, actor, now, out);
      case 'cancel-shred':
        return this.#cancelShred(c, actor, out);
      case 'execute-shred':
        return this.#executeShred(c, actor, now, out);
      case 'set-node-pin':
        return this.#setNodePin(c, actor, out);
      case 'remove-node':
        return this.#removeNode(c, actor, out);
      case 'replace-tenant-ca':
        return this.#replaceTenantCa(c, actor, out);
      case 'disable-tenant':
      case 'enable-tenant':
        return this.#setTenantDisabled(c.tenant, c.type === 'disable-tenant', actor, out);
      case 'report-min-decrypt-epoch':
        return this.#reportMinDecryptEpoch(c, actor, out);
      case 'append-audit':
        requireRole(actor, 'system');
        for (const r of c.records) out.records.push({ chain: r.chain, record: r.record });
        return { kind: 'audit', appended: c.records.length };
    }
  }

  // ---------------------------------------------------------------- system keys

  #initSystem(c: Extract<KmCommand, { type: 'init-system' }>, actor: Actor, out: Outcome): KmValue {
    requireRole(actor, 'system');
    const existing = this.#system;
    if (existing !== undefined) {
      const again = sameKeyRef(existing.rootRef, c.rootRef) && same(existing.masters.get(1) ?? Buffer.alloc(0), c.master) && same(existing.dedup, c.dedup);
      if (!again) throw refuse(ErrorCodes.KM_CONFLICT, 'system keys already exist');
      out.duplicate = true;
      return { kind: 'system', epoch: existing.currentEpoch };
    }
    if (c.rootRef.keyId !== 'root') throw refuse(ErrorCodes.INVALID_ARGUMENT, 'system keys are wrapped by the root key');
    this.#system = { rootRef: c.rootRef, currentEpoch: 1, masters: new Map([[1, c.master]]), dedup: c.dedup };
    out.audit(SYSTEM_CHAIN, [keyTarget(WrapPurposes.SYSTEM_MASTER, 1, c.rootRef.version), keyTarget(WrapPurposes.DEDUP, 0, c.rootRef.version)]);
    out.events.push({ kind: 'system-epoch', epoch: 1 });
    return { kind: 'system', epoch: 1 };
  }

  #rotateSystemEpoch(c: Extract<KmCommand, { type: 'rotate-system-epoch' }>, actor: Actor, out: Outcome): KmValue {
    requireRole(actor, 'cluster-admin');
    const system = this.#requireSystem();
    if (c.expectedEpoch !== system.currentEpoch) throw refuse(ErrorCodes.KM_CONFLICT, 'the system epoch has moved on');
    const epoch = system.currentEpoch + 1;
    const masters = new Map(system.masters);
    masters.set(epoch, c.master);
    this.#system = { ...system, currentEpoch: epoch, masters };
    out.audit(SYSTEM_CHAIN, [keyTarget(WrapPurposes.SYSTEM_MASTER, epoch, system.rootRef.version)]);
    out.events.push({ kind: 'system-epoch', epoch });
    return { kind: 'system', epoch };
  }

  /**
   * The metadata leader's report of the committed minimum decrypt epoch.
   * Only an allow-listed node presenting its pin may report (checked again
   * here, at apply, so a node removed meanwhile is refused). The epoch never
   * moves back. A report from a metadata term lower than the highest one
   * accepted is refused, so a deposed leader cannot race its successor; a
   * report at or below the current epoch from a higher term is accepted as
   * the new term (epoch unchanged, audited); from the same term it is a
   * duplicate that changes nothing. Within one term the leader's reads only
   * move forward, so a higher epoch read at a lower index is refused too.
   */
  #reportMinDecryptEpoch(c: Extract<KmCommand, { type: 'report-min-decrypt-epoch' }>, actor: Actor, out: Outcome): KmValue {
    requireRole(actor, 'node');
    const pin = this.#nodes.get(c.nodeId);
    if (pin === undefined || !same(pin, c.spkiSha256)) throw refuse(ErrorCodes.KM_NODE_NOT_ALLOWED, 'this node is not allowed to report');
    if (c.metadataTerm === 0 || c.metadataIndex === 0) throw refuse(ErrorCodes.INVALID_ARGUMENT, 'a report names the metadata term and index it was read at');
    const system = this.#requireSystem();
    const current = this.#minDecrypt;
    if (c.metadataTerm < current.metadataTerm) throw refuse(ErrorCodes.KM_CONFLICT, 'a newer metadata leader has already reported');
    if (c.epoch > system.currentEpoch) throw refuse(ErrorCodes.KM_BAD_STATE, 'the minimum decrypt epoch cannot pass the current system epoch');
    const raises = c.epoch > current.epoch;
    // Nothing to record: the same term again, or nothing set yet and nothing to set.
    if (!raises && (c.metadataTerm === current.metadataTerm || current.epoch === 0)) {
      out.duplicate = true;
      return { kind: 'min-decrypt-epoch', epoch: current.epoch, systemEpoch: system.currentEpoch };
    }
    if (raises && c.metadataTerm === current.metadataTerm && c.metadataIndex < current.metadataIndex) {
      throw refuse(ErrorCodes.KM_CONFLICT, 'the report was read before the one already accepted');
    }
    const epoch = raises ? c.epoch : current.epoch;
    this.#minDecrypt = { epoch, metadataTerm: c.metadataTerm, metadataIndex: c.metadataIndex };
    out.audit(SYSTEM_CHAIN, [
      { kind: 'node', nodeId: c.nodeId },
      keyTarget(WrapPurposes.SYSTEM_MASTER, epoch, system.rootRef.version),
      { kind: 'principal', principal: metadataReadPrincipal(c.metadataTerm, c.metadataIndex) },
    ]);
    return { kind: 'min-decrypt-epoch', epoch, systemEpoch: system.currentEpoch };
  }

  #requireSystem(): SystemKeys {
    if (this.#system === undefined) throw refuse(ErrorCodes.KM_NOT_INITIALIZED, 'the key manager has no system keys yet');
    return this.#system;
  }

  // ---------------------------------------------------------------- tenants

  #createTenant(c: Extract<KmCommand, { type: 'create-tenant' }>, actor: Actor, now: number, out: Outcome): KmValue {
    requireRole(actor, 'cluster-admin');
    if (!isCertificatePem(c.caCertPem)) throw refuse(ErrorCodes.INVALID_ARGUMENT, 'the tenant CA must be one PEM certificate');
    if (!isCrlPem(c.caCrlPem)) throw refuse(ErrorCodes.INVALID_ARGUMENT, 'the tenant CA must come with one PEM CRL');
    const existing = this.#tenants.get(c.tenant);
    if (existing !== undefined) {
      // Ids are never reused; the same request again (a retry) is answered with the tenant.
      if (existing.policy !== c.policy || existing.caCertPem !== c.caCertPem || existing.state === 'shredded') throw refuse(ErrorCodes.KM_TENANT_EXISTS, 'tenant already exists');
      out.duplicate = true;
      return { kind: 'tenant', tenant: tenantView(existing) };
    }
    const record: TenantRecord = {
      id: c.tenant,
      policy: c.policy,
      caCertPem: c.caCertPem,
      caCrlPem: c.caCrlPem,
      state: 'active',
      createdAtMs: now,
      keks: [],
      currentEpoch: 0,
      tdks: new Map(),
      tik: undefined,
      shred: undefined,
      shreddedAtMs: 0,
      disabled: false,
    };
    this.#tenants.set(c.tenant, record);
    out.audit(tenantChain(c.tenant), [tenantTarget(c.tenant)]);
    out.audit(SYSTEM_CHAIN, [tenantTarget(c.tenant)]);
    out.events.push({ kind: 'tenant-changed', tenant: tenantView(record) });
    return { kind: 'tenant', tenant: tenantView(record) };
  }

  #tenantFor(actor: Actor, tenant: string, roles: ReadonlyArray<'tenant-admin' | 'cluster-admin' | 'system'>): TenantRecord {
    const allowed = roles.some((role) => (role === 'tenant-admin' ? actor.role === 'tenant-admin' && actor.tenant === tenant : actor.role === role));
    if (!allowed) throw refuse(ErrorCodes.KM_FORBIDDEN, 'not allowed for this principal');
    const record = this.#tenants.get(tenant);
    if (record === undefined) throw refuse(ErrorCodes.KM_TENANT_NOT_FOUND, 'no such tenant');
    return record;
  }

  #liveTenant(actor: Actor, tenant: string, roles: ReadonlyArray<'tenant-admin' | 'cluster-admin' | 'system'>): TenantRecord {
    const record = this.#tenantFor(actor, tenant, roles);
    if (record.state === 'shredded') throw refuse(ErrorCodes.KM_TENANT_SHREDDED, 'tenant has been crypto-shredded');
    return record;
  }

  #checkKekRef(tenant: string, ref: KeyRef, version: number): void {
    const system = this.#requireSystem();
    if (ref.provider !== system.rootRef.provider || ref.keyId !== kekKeyId(tenant) || ref.version !== version) {
      throw refuse(ErrorCodes.INVALID_ARGUMENT, 'KEK reference does not name the expected tenant KEK version');
    }
  }

  #createTenantKeys(c: Extract<KmCommand, { type: 'create-tenant-keys' }>, actor: Actor, out: Outcome): KmValue {
    const t = this.#liveTenant(actor, c.tenant, ['tenant-admin']);
    if (t.keks.length > 0) {
      const again = t.keks.length === 1 && sameKeyRef(t.keks[0]!.ref, c.kekRef) && same(t.tdks.get(1)?.blob ?? Buffer.alloc(0), c.tdk) && same(t.tik?.blob ?? Buffer.alloc(0), c.tik);
      if (!again) throw refuse(ErrorCodes.KM_CONFLICT, 'tenant keys already exist');
      out.duplicate = true;
      return { kind: 'tenant', tenant: tenantView(t) };
    }
    this.#checkKekRef(c.tenant, c.kekRef, 1);
    const next: TenantRecord = {
      ...t,
      keks: [{ ref: c.kekRef, state: 'current' }],
      currentEpoch: 1,
      tdks: new Map([[1, { kekVersion: 1, blob: c.tdk }]]),
      tik: { kekVersion: 1, blob: c.tik },
    };
    this.#tenants.set(c.tenant, next);
    out.audit(tenantChain(c.tenant), [keyTarget('kek', 0, 1), keyTarget(WrapPurposes.TDK, 1, 1), keyTarget(WrapPurposes.TIK, 0, 1)]);
    out.events.push({ kind: 'tenant-changed', tenant: tenantView(next) });
    return { kind: 'tenant', tenant: tenantView(next) };
  }

  #rotateKek(c: Extract<KmCommand, { type: 'rotate-kek' }>, actor: Actor, out: Outcome): KmValue {
    const t = this.#liveTenant(actor, c.tenant, ['tenant-admin']);
    const current = currentKek(t);
    if (current === undefined) throw refuse(ErrorCodes.KM_BAD_STATE, 'tenant keys do not exist yet');
    if (c.expectedKekVersion !== current.ref.version) throw refuse(ErrorCodes.KM_CONFLICT, 'the KEK version has moved on');
    const version = current.ref.version + 1;
    this.#checkKekRef(c.tenant, c.kekRef, version);
    const epochs = [...t.tdks.keys()].sort((a, b) => a - b);
    const given = c.tdks.map((x) => x.epoch);
    if (given.length !== epochs.length || given.some((e, i) => e !== epochs[i])) {
      throw refuse(ErrorCodes.INVALID_ARGUMENT, 'a KEK rotation must re-wrap every tenant data key exactly once');
    }
    const tdks = new Map<number, WrappedKey>(c.tdks.map((x) => [x.epoch, { kekVersion: version, blob: x.blob }]));
    const keks = [...t.keks.map((k) => (k.state === 'current' ? { ...k, state: 'retired' as const } : k)), { ref: c.kekRef, state: 'current' as const }];
    const next: TenantRecord = { ...t, keks, tdks, tik: { kekVersion: version, blob: c.tik } };
    this.#tenants.set(c.tenant, next);
    out.audit(tenantChain(c.tenant), [keyTarget('kek', 0, current.ref.version), keyTarget('kek', 0, version)]);
    out.events.push({ kind: 'kek-rotated', tenant: c.tenant, kekVersion: version });
    return { kind: 'tenant', tenant: tenantView(next) };
  }

  #newTenantEpoch(c: Extract<KmCommand, { type: 'new-tenant-epoch' }>, actor: Actor, out: Outcome): KmValue {
    const t = this.#liveTenant(actor, c.tenant, ['tenant-admin']);
    const current = currentKek(t);
    if (current === undefined) throw refuse(ErrorCodes.KM_BAD_STATE, 'tenant keys do not exist yet');
    if (c.expectedEpoch !== t.currentEpoch || c.kekVersion !== current.ref.version) throw refuse(ErrorCodes.KM_CONFLICT, 'the tenant epoch or KEK version has moved on');
    if (t.tdks.size >= KM_LIMITS.epochs) throw refuse(ErrorCodes.KM_BAD_STATE, 'too many tenant epochs');
    const epoch = t.currentEpoch + 1;
    const tdks = new Map(t.tdks);
    tdks.set(epoch, { kekVersion: current.ref.version, blob: c.tdk });
    const next: TenantRecord = { ...t, currentEpoch: epoch, tdks };
    this.#tenants.set(c.tenant, next);
    out.audit(tenantChain(c.tenant), [keyTarget(WrapPurposes.TDK, epoch, current.ref.version)]);
    out.events.push({ kind: 'tenant-epoch', tenant: c.tenant, epoch });
    return { kind: 'tenant', tenant: tenantView(next) };
  }

  // ---------------------------------------------------------------- crypto-shred

  #requestShred(c: Extract<KmCommand, { type: 'request-shred' }>, actor: Actor, now: number, out: Outcome): KmValue {
    const t = this.#liveTenant(actor, c.tenant, ['tenant-admin', 'cluster-admin']);
    if (t.state !== 'active') throw refuse(ErrorCodes.KM_BAD_STATE, 'a crypto-shred is already requested');
    if (c.delayMs > KM_LIMITS.maxShredDelayMs) throw refuse(ErrorCodes.INVALID_ARGUMENT, 'shred delay too long');
    // A tenant admin's request is scheduled at once; a cluster admin's waits for a tenant admin's approval.
    const scheduled = actor.role === 'tenant-admin';
    const next: TenantRecord = {
      ...t,
      state: scheduled ? 'shred-scheduled' : 'shred-pending-approval',
      shred: { requestedBy: actor.principal, requestedByRole: actor.role, requestedAtMs: now, delayMs: c.delayMs, approvedBy: '', executeAtMs: scheduled ? now + c.delayMs : 0 },
    };
    this.#tenants.set(c.tenant, next);
    out.audit(tenantChain(c.tenant), [tenantTarget(c.tenant)]);
    out.events.push({ kind: 'tenant-changed', tenant: tenantView(next) });
    if (scheduled) out.events.push({ kind: 'shred-scheduled', tenant: c.tenant, executeAtMs: now + c.delayMs });
    return { kind: 'tenant', tenant: tenantView(next) };
  }

  #approveShred(c: Extract<KmCommand, { type: 'approve-shred' }>, actor: Actor, now: number, out: Outcome): KmValue {
    const t = this.#liveTenant(actor, c.tenant, ['tenant-admin']);
    if (t.state !== 'shred-pending-approval' || t.shred === undefined) throw refuse(ErrorCodes.KM_BAD_STATE, 'no crypto-shred awaits approval');
    const executeAtMs = now + t.shred.delayMs;
    const next: TenantRecord = { ...t, state: 'shred-scheduled', shred: { ...t.shred, approvedBy: actor.principal, executeAtMs } };
    this.#tenants.set(c.tenant, next);
    out.audit(tenantChain(c.tenant), [tenantTarget(c.tenant), { kind: 'principal', principal: t.shred.requestedBy || 'system' }]);
    out.events.push({ kind: 'tenant-changed', tenant: tenantView(next) }, { kind: 'shred-scheduled', tenant: c.tenant, executeAtMs });
    return { kind: 'tenant', tenant: tenantView(next) };
  }

  #cancelShred(c: Extract<KmCommand, { type: 'cancel-shred' }>, actor: Actor, out: Outcome): KmValue {
    const t = this.#liveTenant(actor, c.tenant, ['tenant-admin']);
    if (t.state !== 'shred-pending-approval' && t.state !== 'shred-scheduled') throw refuse(ErrorCodes.KM_BAD_STATE, 'no crypto-shred to cancel');
    const next: TenantRecord = { ...t, state: 'active', shred: undefined };
    this.#tenants.set(c.tenant, next);
    out.audit(tenantChain(c.tenant), [tenantTarget(c.tenant)]);
    out.events.push({ kind: 'tenant-changed', tenant: tenantView(next) }, { kind: 'shred-cancelled', tenant: c.tenant });
    return { kind: 'tenant', tenant: tenantView(next) };
  }

  #executeShred(c: Extract<KmCommand, { type: 'execute-shred' }>, actor: Actor, now: number, out: Outcome): KmValue {
    const t = this.#tenantFor(actor, c.tenant, ['system']);
    if (t.state === 'shredded') {
      out.duplicate = true;
      return { kind: 'tenant', tenant: tenantView(t) };
    }
    if (t.state !== 'shred-scheduled' || t.shred === undefined) throw refuse(ErrorCodes.KM_BAD_STATE, 'no crypto-shred is scheduled');
    if (now < t.shred.executeAtMs) throw refuse(ErrorCodes.KM_BAD_STATE, 'the crypto-shred is not due yet');
    const refs = t.keks.map((k) => k.ref);
    // The wrapped keys go from the state at once: useless without the KEKs, and no later snapshot should carry them.
    const next: TenantRecord = {
      ...t,
      state: 'shredded',
      keks: t.keks.map((k) => ({ ...k, state: 'destroyed' as const })),
      tdks: new Map(),
      tik: undefined,
      shreddedAtMs: now,
    };
    this.#tenants.set(c.tenant, next);
    out.effects.push({ kind: 'destroy-tenant-keks', tenant: c.tenant, refs });
    out.audit(tenantChain(c.tenant), [tenantTarget(c.tenant), ...refs.slice(-7).map((r) => keyTarget('kek', 0, r.version))]);
    out.audit(SYSTEM_CHAIN, [tenantTarget(c.tenant)]);
    out.events.push({ kind: 'tenant-changed', tenant: tenantView(next) }, { kind: 'tenant-shredded', tenant: c.tenant });
    return { kind: 'tenant', tenant: tenantView(next) };
  }

  // ---------------------------------------------------------------- nodes and CAs

  /** A pin change is recorded in the system chain and in every tenant's chain (DESIGN section 2). */
  #auditEverywhere(out: Outcome, targets: readonly AuditTarget[]): void {
    out.audit(SYSTEM_CHAIN, targets);
    for (const id of [...this.#tenants.keys()].sort()) out.audit(tenantChain(id), targets);
  }

  #setNodePin(c: Extract<KmCommand, { type: 'set-node-pin' }>, actor: Actor, out: Outcome): KmValue {
    requireRole(actor, 'cluster-admin');
    const previous = this.#nodes.get(c.nodeId);
    if (previous !== undefined && same(previous, c.spkiSha256)) {
      out.duplicate = true;
      return { kind: 'node', nodeId: c.nodeId };
    }
    if (previous === undefined && this.#nodes.size >= KM_LIMITS.nodes) throw refuse(ErrorCodes.KM_BAD_STATE, 'node allow-list is full');
    this.#nodes.set(c.nodeId, Buffer.from(c.spkiSha256));
    this.#auditEverywhere(out, [{ kind: 'node', nodeId: c.nodeId }, { kind: 'pin', spkiSha256: c.spkiSha256 }]);
    out.events.push({ kind: 'node-pin', nodeId: c.nodeId, removed: false });
    return { kind: 'node', nodeId: c.nodeId };
  }

  #removeNode(c: Extract<KmCommand, { type: 'remove-node' }>, actor: Actor, out: Outcome): KmValue {
    requireRole(actor, 'cluster-admin');
    if (!this.#nodes.has(c.nodeId)) throw refuse(ErrorCodes.NOT_FOUND, 'node is not on the allow-list');
    this.#nodes.delete(c.nodeId);
    this.#auditEverywhere(out, [{ kind: 'node', nodeId: c.nodeId }]);
    out.events.push({ kind: 'node-pin', nodeId: c.nodeId, removed: true });
    return { kind: 'node', nodeId: c.nodeId };
  }

  #replaceTenantCa(c: Extract<KmCommand, { type: 'replace-tenant-ca' }>, actor: Actor, out: Outcome): KmValue {
    const t = this.#liveTenant(actor, c.tenant, ['tenant-admin']);
    if (!isCertificatePem(c.caCertPem)) throw refuse(ErrorCodes.INVALID_ARGUMENT, 'the tenant CA must be one PEM certificate');
    if (!isCrlPem(c.caCrlPem)) throw refuse(ErrorCodes.INVALID_ARGUMENT, 'the tenant CA must come with one PEM CRL');
    // The requester was authenticated against the CA it names: refuse if that is no longer the current one.
    if (!same(caFingerprint(t.caCertPem), c.expectedCaSha256)) throw refuse(ErrorCodes.KM_CONFLICT, 'the tenant CA has changed since the request was made');
    const next: TenantRecord = { ...t, caCertPem: c.caCertPem, caCrlPem: c.caCrlPem };
    this.#tenants.set(c.tenant, next);
    out.audit(tenantChain(c.tenant), [tenantTarget(c.tenant)]);
    out.events.push({ kind: 'tenant-changed', tenant: tenantView(next) });
    return { kind: 'tenant', tenant: tenantView(next) };
  }

  /** A cluster admin disables or re-enables a tenant's data access; the same value again is a duplicate. */
  #setTenantDisabled(tenant: string, disabled: boolean, actor: Actor, out: Outcome): KmValue {
    const t = this.#liveTenant(actor, tenant, ['cluster-admin']);
    if (t.disabled === disabled) {
      out.duplicate = true;
      return { kind: 'tenant', tenant: tenantView(t) };
    }
    const next: TenantRecord = { ...t, disabled };
    this.#tenants.set(tenant, next);
    out.audit(tenantChain(tenant), [tenantTarget(tenant)]);
    out.audit(SYSTEM_CHAIN, [tenantTarget(tenant)]);
    out.events.push({ kind: 'tenant-changed', tenant: tenantView(next) });
    return { kind: 'tenant', tenant: tenantView(next) };
  }
}

/**
 * Names the metadata read behind a minimum-decrypt-epoch report in its audit
 * entry (audit targets carry no bare numbers; this is the authority the value
 * came from: the metadata leader of that term, at that applied index).
 */
export function metadataReadPrincipal(term: number, index: number): string {
  return `metadata-leader/term/${term}/index/${index}`;
}

function requireRole(actor: Actor, role: Actor['role']): void {
  if (actor.role !== role) throw refuse(ErrorCodes.KM_FORBIDDEN, 'not allowed for this principal');
}
