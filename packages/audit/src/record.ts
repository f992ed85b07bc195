/**
 * What a caller appends: an audit record. The chain, sequence number,
 * previous hash and leader timestamp are added by `AuditChains.append`.
 *
 * Records describe *what happened to what*, never *which object by name*:
 * targets are keyTags, chunk ids, tenants, node ids, key references (purpose,
 * epoch, version — never key bytes) and certificate pins (K1, DESIGN section
 * 7). Every text field is restricted to printable ASCII of a bounded length,
 * which keeps the encoding canonical and keeps free-form text (an object name,
 * a request value) out by construction.
 */
import { CHUNK_ID_BYTES, isValidTenantId } from '@tessera/common';
import { invalidRecord } from './errors.js';

export const AuditOutcomes = { OK: 'ok', DENIED: 'denied', FAILED: 'failed' } as const;
export type AuditOutcome = (typeof AuditOutcomes)[keyof typeof AuditOutcomes];

export type AuditTarget =
  | { readonly kind: 'keyTag'; readonly keyTag: Uint8Array }
  | { readonly kind: 'chunk'; readonly chunkId: Uint8Array }
  | { readonly kind: 'tenant'; readonly tenant: string }
  | { readonly kind: 'node'; readonly nodeId: string }
  /** A key named by reference: what it is for, its epoch and the version of the key that wraps it. */
  | { readonly kind: 'key'; readonly purpose: string; readonly epoch: number; readonly version: number }
  /** SHA-256 of a certificate's SubjectPublicKeyInfo (a node pin). */
  | { readonly kind: 'pin'; readonly spkiSha256: Uint8Array }
  /** Another principal the event concerns (an approver, a grantee). */
  | { readonly kind: 'principal'; readonly principal: string }
  /** An access request or grant of the metadata group, by its 16-byte id (never its sealed scope). */
  | { readonly kind: 'access'; readonly id: Uint8Array }
  /** A storage device, by node id and device id. */
  | { readonly kind: 'device'; readonly nodeId: string; readonly deviceId: string };

export interface AuditRecord {
  /** Dotted event type, e.g. `key.unwrap`, `kek.rotate`, `rpc.denied`. */
  readonly type: string;
  /** SPIFFE id of whoever caused the event; empty for the system itself. */
  readonly principal: string;
  /** RPC method or command name, when there is one. */
  readonly method?: string;
  readonly targets?: readonly AuditTarget[];
  readonly outcome: AuditOutcome;
  /** A stable reason code for refusals and failures (e.g. `kek-destroyed`). */
  readonly reason?: string;
  /** Occurrences this record stands for (aggregated denials); default 1. */
  readonly count?: number;
  /** Start of the aggregation window (ms since the epoch); 0 when not aggregated. */
  readonly windowStartMs?: number;
}

export const AUDIT_LIMITS = {
  typeBytes: 64,
  principalBytes: 512,
  methodBytes: 255,
  reasonBytes: 64,
  nodeIdBytes: 255,
  purposeBytes: 32,
  accessIdBytes: 16,
  targets: 8,
} as const;

const TYPE_PATTERN = /^[a-z][a-z0-9_.-]*$/;
const PRINTABLE = /^[\x21-\x7e]*$/;
const MAX_U32 = 0xffff_ffff;

export function checkPrintable(value: string, max: number, what: string, allowEmpty = true): void {
  if (typeof value !== 'string' || value.length > max || !PRINTABLE.test(value) || (!allowEmpty && value === '')) {
    throw invalidRecord(`${what} must be ${allowEmpty ? '' : 'non-empty '}printable ASCII of at most ${max} bytes`);
  }
}

function checkUint(value: number, max: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) throw invalidRecord(`${what} out of range`);
}

export function checkTarget(target: AuditTarget): void {
  switch (target.kind) {
    case 'keyTag':
      if (!(target.keyTag instanceof Uint8Array) || target.keyTag.byteLength !== 32) throw invalidRecord('keyTag must be 32 bytes');
      return;
    case 'chunk':
      if (!(target.chunkId instanceof Uint8Array) || target.chunkId.byteLength !== CHUNK_ID_BYTES) throw invalidRecord('chunk id must be 32 bytes');
      return;
    case 'tenant':
      if (!isValidTenantId(target.tenant)) throw invalidRecord('target tenant is not a tenant id');
      return;
    case 'node':
      checkPrintable(target.nodeId, AUDIT_LIMITS.nodeIdBytes, 'node id', false);
      return;
    case 'key':
      checkPrintable(target.purpose, AUDIT_LIMITS.purposeBytes, 'key purpose', false);
      checkUint(target.epoch, Number.MAX_SAFE_INTEGER, 'key epoch');
      checkUint(target.version, MAX_U32, 'key version');
      return;
    case 'pin':
      if (!(target.spkiSha256 instanceof Uint8Array) || target.spkiSha256.byteLength !== 32) throw invalidRecord('pin must be 32 bytes');
      return;
    case 'principal':
      checkPrintable(target.principal, AUDIT_LIMITS.principalBytes, 'target principal', false);
      return;
    case 'access':
      if (!(target.id instanceof Uint8Array) || target.id.byteLength !== AUDIT_LIMITS.accessIdBytes) throw invalidRecord('access id must be 16 bytes');
      return;
    case 'device':
      checkPrintable(target.nodeId, AUDIT_LIMITS.nodeIdBytes, 'node id', false);
      checkPrintable(target.deviceId, AUDIT_LIMITS.nodeIdBytes, 'device id', false);
      return;
    default:
      throw invalidRecord('unknown target kind');
  }
}

/** Throws INVALID_ARGUMENT unless the record can be encoded canonically. */
export function checkRecord(record: AuditRecord): void {
  if (typeof record.type !== 'string' || record.type.length > AUDIT_LIMITS.typeBytes || !TYPE_PATTERN.test(record.type)) {
    throw invalidRecord('event type must match [a-z][a-z0-9_.-]* and be at most 64 bytes');
  }
  checkPrintable(record.principal, AUDIT_LIMITS.principalBytes, 'principal');
  checkPrintable(record.method ?? '', AUDIT_LIMITS.methodBytes, 'method');
  checkPrintable(record.reason ?? '', AUDIT_LIMITS.reasonBytes, 'reason');
  if (record.outcome !== 'ok' && record.outcome !== 'denied' && record.outcome !== 'failed') throw invalidRecord('unknown outcome');
  const targets = record.targets ?? [];
  if (targets.length > AUDIT_LIMITS.targets) throw invalidRecord('too many targets');
  for (const target of targets) checkTarget(target);
  const count = record.count ?? 1;
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_U32) throw invalidRecord('count must be a u32 of at least 1');
  checkUint(record.windowStartMs ?? 0, Number.MAX_SAFE_INTEGER, 'window start');
}
