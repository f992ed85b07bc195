/**
 * The key manager's values on the wire (`tessera.v1` Keys messages) and
 * back: tenants (never a key), watch events. Decoding is strict — a value
 * that does not fit (unknown enum, bad tenant id, u64 above 2^53) is a
 * TesseraError, so a node never acts on a half-understood event.
 */
import { ErrorCodes, TesseraError, isValidTenantId } from '@tessera/common';
import {
  u64Number,
  u64String,
  type KeyEvent,
  type KeyEvent__Output,
  type Tenant,
  type TenantPolicy__Output,
  type TenantState__Output,
  type Tenant__Output,
} from '@tessera/wire';
import type { KmEvent } from '../state/results.js';
import type { TenantPolicy, TenantState, TenantView } from '../state/types.js';

const POLICY_TO_WIRE: Record<TenantPolicy, TenantPolicy__Output> = {
  shared: 'TENANT_POLICY_SHARED',
  isolated: 'TENANT_POLICY_ISOLATED',
};

const STATE_TO_WIRE: Record<TenantState, TenantState__Output> = {
  active: 'TENANT_STATE_ACTIVE',
  'shred-pending-approval': 'TENANT_STATE_SHRED_PENDING_APPROVAL',
  'shred-scheduled': 'TENANT_STATE_SHRED_SCHEDULED',
  shredded: 'TENANT_STATE_SHREDDED',
};

function invert<K extends string, V extends string>(record: Record<K, V>): ReadonlyMap<V, K> {
  return new Map((Object.entries(record) as [K, V][]).map(([k, v]) => [v, k]));
}

const POLICY_FROM_WIRE = invert(POLICY_TO_WIRE);
const STATE_FROM_WIRE = invert(STATE_TO_WIRE);

function bad(what: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, `malformed ${what}`);
}

export function policyToWire(policy: TenantPolicy): TenantPolicy__Output {
  return POLICY_TO_WIRE[policy];
}

/** The policy a request names; UNSPECIFIED or unknown values are refused. */
export function policyFromWire(value: string): TenantPolicy {
  const policy = POLICY_FROM_WIRE.get(value as TenantPolicy__Output);
  if (policy === undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'policy must be shared or isolated');
  return policy;
}

export function stateToWire(state: TenantState): TenantState__Output {
  return STATE_TO_WIRE[state];
}

export function stateFromWire(value: string): TenantState {
  const state = STATE_FROM_WIRE.get(value as TenantState__Output);
  if (state === undefined) throw bad('tenant state');
  return state;
}

export function tenantToWire(t: TenantView): Tenant {
  return {
    id: t.id,
    policy: policyToWire(t.policy),
    caCertificatePem: t.caCertPem,
    caCrlPem: t.caCrlPem,
    state: stateToWire(t.state),
    tenantEpoch: u64String(t.currentEpoch),
    kekVersion: t.kekVersion,
    shredExecuteAtMs: u64String(t.shredExecuteAtMs),
    disabled: t.disabled,
  };
}

export function tenantFromWire(t: Tenant__Output | null | undefined): TenantView {
  if (t === null || t === undefined || !isValidTenantId(t.id)) throw bad('tenant');
  return {
    id: t.id,
    policy: policyFromWire(t.policy),
    state: stateFromWire(t.state),
    caCertPem: t.caCertificatePem,
    caCrlPem: t.caCrlPem,
    currentEpoch: u64Number(t.tenantEpoch),
    kekVersion: t.kekVersion,
    shredExecuteAtMs: u64Number(t.shredExecuteAtMs),
    disabled: t.disabled === true,
  };
}

/** A watch event as the stream carries it; `revision` is the applied index that produced it. */
export function eventToWire(event: KmEvent, revision: number): KeyEvent {
  const base = { revision: u64String(revision) };
  switch (event.kind) {
    case 'tenant-changed':
      return { ...base, tenant: tenantToWire(event.tenant) };
    case 'tenant-shredded':
      return { ...base, invalidate: { tenant: event.tenant, reason: 'INVALIDATION_REASON_SHREDDED', kekVersion: 0 } };
    case 'kek-rotated':
      return { ...base, invalidate: { tenant: event.tenant, reason: 'INVALIDATION_REASON_KEK_ROTATED', kekVersion: event.kekVersion } };
    case 'system-epoch':
      return { ...base, systemEpoch: u64String(event.epoch) };
    case 'tenant-epoch':
      return { ...base, tenantEpoch: { tenant: event.tenant, epoch: u64String(event.epoch) } };
    case 'shred-scheduled':
      return { ...base, shredScheduled: { tenant: event.tenant, executeAtMs: u64String(event.executeAtMs) } };
    case 'shred-cancelled':
      return { ...base, shredCancelled: event.tenant };
    case 'node-pin':
      return { ...base, nodePin: { nodeId: event.nodeId, removed: event.removed } };
  }
}

function tenantId(value: string | null | undefined): string {
  if (typeof value !== 'string' || !isValidTenantId(value)) throw bad('tenant id in a key event');
  return value;
}

/** A received watch event: a key-manager event, `synced` (end of the initial table), or an error. */
export function eventFromWire(e: KeyEvent__Output): { readonly revision: number; readonly event: KmEvent | 'synced' } {
  const revision = u64Number(e.revision);
  switch (e.kind) {
    case 'tenant':
      return { revision, event: { kind: 'tenant-changed', tenant: tenantFromWire(e.tenant) } };
    case 'invalidate': {
      const inv = e.invalidate;
      if (inv === null || inv === undefined) throw bad('invalidation');
      if (inv.reason === 'INVALIDATION_REASON_SHREDDED') return { revision, event: { kind: 'tenant-shredded', tenant: tenantId(inv.tenant) } };
      if (inv.reason === 'INVALIDATION_REASON_KEK_ROTATED') return { revision, event: { kind: 'kek-rotated', tenant: tenantId(inv.tenant), kekVersion: inv.kekVersion } };
      throw bad('invalidation reason');
    }
    case 'systemEpoch':
      return { revision, event: { kind: 'system-epoch', epoch: u64Number(e.systemEpoch ?? '') } };
    case 'tenantEpoch':
      return { revision, event: { kind: 'tenant-epoch', tenant: tenantId(e.tenantEpoch?.tenant), epoch: u64Number(e.tenantEpoch?.epoch ?? '') } };
    case 'shredScheduled':
      return { revision, event: { kind: 'shred-scheduled', tenant: tenantId(e.shredScheduled?.tenant), executeAtMs: u64Number(e.shredScheduled?.executeAtMs ?? '') } };
    case 'shredCancelled':
      return { revision, event: { kind: 'shred-cancelled', tenant: tenantId(e.shredCancelled) } };
    case 'synced':
      return { revision, event: 'synced' };
    case 'nodePin': {
      const pin = e.nodePin;
      if (pin === null || pin === undefined || pin.nodeId === '') throw bad('allow-list change');
      return { revision, event: { kind: 'node-pin', nodeId: pin.nodeId, removed: pin.removed } };
    }
    default:
      throw bad('key event');
  }
}
