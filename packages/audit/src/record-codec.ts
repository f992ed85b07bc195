/**
 * Canonical encoding of a record's fields (the tail of every entry, and what
 * a Raft command carries when it asks for records to be appended):
 *
 *   u8-len type ‖ u16-len principal ‖ u8-len method ‖ u8 outcome (1 ok, 2 denied, 3 failed)
 *   ‖ u8-len reason ‖ u32 count ‖ u64 windowStartMs ‖ u8 n ‖ n × target
 *   target = u8 kind ‖ value:
 *     1 keyTag 32 B | 2 chunk id 32 B | 3 tenant u8-len | 4 node u8-len
 *     5 key: purpose u8-len, epoch u64, version u32 | 6 pin 32 B | 7 principal u16-len
 *     8 access request or grant id 16 B | 9 device: node u8-len, device u8-len
 */
import type { BinaryReader, BinaryWriter } from '@tessera/common';
import { badEncoding } from './errors.js';
import { AUDIT_LIMITS, checkRecord, type AuditOutcome, type AuditTarget } from './record.js';

/** A record with every optional field filled in (what entries hold). */
export interface RecordFields {
  readonly type: string;
  readonly principal: string;
  readonly method: string;
  readonly outcome: AuditOutcome;
  readonly reason: string;
  readonly count: number;
  readonly windowStartMs: number;
  readonly targets: readonly AuditTarget[];
}

const OUTCOME_CODES: Record<AuditOutcome, number> = { ok: 1, denied: 2, failed: 3 };
const OUTCOMES_BY_CODE: ReadonlyMap<number, AuditOutcome> = new Map([
  [1, 'ok'],
  [2, 'denied'],
  [3, 'failed'],
]);
const TargetKinds = { keyTag: 1, chunk: 2, tenant: 3, node: 4, key: 5, pin: 6, principal: 7, access: 8, device: 9 } as const;

export function writeRecordFields(w: BinaryWriter, f: RecordFields): BinaryWriter {
  w.string(f.type, 1, AUDIT_LIMITS.typeBytes)
    .string(f.principal, 2, AUDIT_LIMITS.principalBytes)
    .string(f.method, 1, AUDIT_LIMITS.methodBytes)
    .u8(OUTCOME_CODES[f.outcome])
    .string(f.reason, 1, AUDIT_LIMITS.reasonBytes)
    .u32(f.count)
    .u64(f.windowStartMs)
    .u8(f.targets.length);
  for (const t of f.targets) writeTarget(w, t);
  return w;
}

/** Reads and validates record fields (a value `checkRecord` would refuse is a codec error). */
export function readRecordFields(r: BinaryReader): RecordFields {
  const type = r.string(1, AUDIT_LIMITS.typeBytes);
  const principal = r.string(2, AUDIT_LIMITS.principalBytes);
  const method = r.string(1, AUDIT_LIMITS.methodBytes);
  const outcome = OUTCOMES_BY_CODE.get(r.u8());
  if (outcome === undefined) throw badEncoding('unknown audit outcome');
  const reason = r.string(1, AUDIT_LIMITS.reasonBytes);
  const count = r.u32();
  const windowStartMs = r.u64Number();
  const n = r.u8();
  if (n > AUDIT_LIMITS.targets) throw badEncoding('too many audit targets');
  const targets: AuditTarget[] = [];
  for (let i = 0; i < n; i++) targets.push(readTarget(r));
  const fields: RecordFields = { type, principal, method, outcome, reason, count, windowStartMs, targets };
  try {
    checkRecord(fields);
  } catch {
    throw badEncoding('audit record fields out of range');
  }
  return fields;
}

/** Fills in a record's optional fields and copies its byte targets. */
export function recordFields(record: {
  readonly type: string;
  readonly principal: string;
  readonly method?: string;
  readonly outcome: AuditOutcome;
  readonly reason?: string;
  readonly count?: number;
  readonly windowStartMs?: number;
  readonly targets?: readonly AuditTarget[];
}): RecordFields {
  checkRecord(record);
  return {
    type: record.type,
    principal: record.principal,
    method: record.method ?? '',
    outcome: record.outcome,
    reason: record.reason ?? '',
    count: record.count ?? 1,
    windowStartMs: record.windowStartMs ?? 0,
    targets: (record.targets ?? []).map(copyTarget),
  };
}

function copyTarget(t: AuditTarget): AuditTarget {
  switch (t.kind) {
    case 'keyTag':
      return { kind: 'keyTag', keyTag: Buffer.from(t.keyTag) };
    case 'chunk':
      return { kind: 'chunk', chunkId: Buffer.from(t.chunkId) };
    case 'pin':
      return { kind: 'pin', spkiSha256: Buffer.from(t.spkiSha256) };
    case 'access':
      return { kind: 'access', id: Buffer.from(t.id) };
    default:
      return { ...t };
  }
}

function writeTarget(w: BinaryWriter, t: AuditTarget): void {
  w.u8(TargetKinds[t.kind]);
  switch (t.kind) {
    case 'keyTag':
      w.fixed(t.keyTag, 32);
      return;
    case 'chunk':
      w.fixed(t.chunkId, 32);
      return;
    case 'tenant':
      w.string(t.tenant, 1);
      return;
    case 'node':
      w.string(t.nodeId, 1, AUDIT_LIMITS.nodeIdBytes);
      return;
    case 'key':
      w.string(t.purpose, 1, AUDIT_LIMITS.purposeBytes).u64(t.epoch).u32(t.version);
      return;
    case 'pin':
      w.fixed(t.spkiSha256, 32);
      return;
    case 'principal':
      w.string(t.principal, 2, AUDIT_LIMITS.principalBytes);
      return;
    case 'access':
      w.fixed(t.id, AUDIT_LIMITS.accessIdBytes);
      return;
    case 'device':
      w.string(t.nodeId, 1, AUDIT_LIMITS.nodeIdBytes).string(t.deviceId, 1, AUDIT_LIMITS.nodeIdBytes);
      return;
  }
}

function readTarget(r: BinaryReader): AuditTarget {
  const kind = r.u8();
  switch (kind) {
    case TargetKinds.keyTag:
      return { kind: 'keyTag', keyTag: Buffer.from(r.fixed(32)) };
    case TargetKinds.chunk:
      return { kind: 'chunk', chunkId: Buffer.from(r.fixed(32)) };
    case TargetKinds.tenant:
      return { kind: 'tenant', tenant: r.string(1) };
    case TargetKinds.node:
      return { kind: 'node', nodeId: r.string(1, AUDIT_LIMITS.nodeIdBytes) };
    case TargetKinds.key: {
      const purpose = r.string(1, AUDIT_LIMITS.purposeBytes);
      const epoch = r.u64Number();
      const version = r.u32();
      return { kind: 'key', purpose, epoch, version };
    }
    case TargetKinds.pin:
      return { kind: 'pin', spkiSha256: Buffer.from(r.fixed(32)) };
    case TargetKinds.principal:
      return { kind: 'principal', principal: r.string(2, AUDIT_LIMITS.principalBytes) };
    case TargetKinds.access:
      return { kind: 'access', id: Buffer.from(r.fixed(AUDIT_LIMITS.accessIdBytes)) };
    case TargetKinds.device: {
      const nodeId = r.string(1, AUDIT_LIMITS.nodeIdBytes);
      return { kind: 'device', nodeId, deviceId: r.string(1, AUDIT_LIMITS.nodeIdBytes) };
    }
    default:
      throw badEncoding('unknown audit target kind');
  }
}
