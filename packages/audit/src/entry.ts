/**
 * Audit entries and their one canonical encoding (no JSON anywhere hashed).
 *
 *   u8   format = 1
 *   u8   len ‖ chain id (ASCII)
 *   u64  seq                 1-based position in the chain
 *   32   prevHash            hash of entry seq-1, or the chain's genesis hash
 *   u64  timestampMs         leader timestamp of the Raft entry that appended it
 *   u8   len ‖ type
 *   u16  len ‖ principal
 *   u8   len ‖ method
 *   u8   outcome             1 ok, 2 denied, 3 failed
 *   u8   len ‖ reason
 *   u32  count
 *   u64  windowStartMs
 *   u8   number of targets, then per target: u8 kind ‖ value
 *          1 keyTag 32 B | 2 chunk id 32 B | 3 tenant u8-len | 4 node u8-len
 *          5 key: purpose u8-len, epoch u64, version u32 | 6 pin 32 B | 7 principal u16-len
 *
 * hash(entry) = SHA-256("tessera/v1/audit-entry" ‖ encoding). The genesis
 * hash of a chain is SHA-256("tessera/v1/audit-genesis" ‖ u8-len chain id),
 * so two chains never share a prefix hash.
 */
import { createHash } from 'node:crypto';
import { BinaryReader, BinaryWriter } from '@tessera/common';
import { MAX_CHAIN_ID_BYTES, parseChainId, type ChainId } from './chain-id.js';
import { badEncoding } from './errors.js';
import { AUDIT_LIMITS, checkRecord, type AuditOutcome, type AuditRecord, type AuditTarget } from './record.js';

export const AUDIT_ENTRY_FORMAT = 1;
export const AUDIT_HASH_BYTES = 32;
/** Upper bound of one encoded entry (all fields at their maximum). */
export const MAX_AUDIT_ENTRY_BYTES = 8192;

const ENTRY_DOMAIN = Buffer.from('tessera/v1/audit-entry', 'ascii');
const GENESIS_DOMAIN = Buffer.from('tessera/v1/audit-genesis', 'ascii');

export interface AuditEntry {
  readonly chain: ChainId;
  readonly seq: number;
  readonly prevHash: Buffer;
  readonly timestampMs: number;
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

const TargetKinds = { keyTag: 1, chunk: 2, tenant: 3, node: 4, key: 5, pin: 6, principal: 7 } as const;

export function genesisHash(chain: ChainId): Buffer {
  const id = Buffer.from(chain, 'ascii');
  return createHash('sha256').update(GENESIS_DOMAIN).update(Buffer.from([id.length])).update(id).digest();
}

/** Builds an entry from a record (validated) and its chain position. */
export function makeEntry(chain: ChainId, seq: number, prevHash: Uint8Array, timestampMs: number, record: AuditRecord): AuditEntry {
  checkRecord(record);
  return {
    chain,
    seq,
    prevHash: Buffer.from(prevHash),
    timestampMs,
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
    default:
      return { ...t };
  }
}

export function encodeEntry(entry: AuditEntry): Buffer {
  const w = new BinaryWriter(256)
    .u8(AUDIT_ENTRY_FORMAT)
    .string(entry.chain, 1, MAX_CHAIN_ID_BYTES)
    .u64(entry.seq)
    .fixed(entry.prevHash, AUDIT_HASH_BYTES)
    .u64(entry.timestampMs)
    .string(entry.type, 1, AUDIT_LIMITS.typeBytes)
    .string(entry.principal, 2, AUDIT_LIMITS.principalBytes)
    .string(entry.method, 1, AUDIT_LIMITS.methodBytes)
    .u8(OUTCOME_CODES[entry.outcome])
    .string(entry.reason, 1, AUDIT_LIMITS.reasonBytes)
    .u32(entry.count)
    .u64(entry.windowStartMs)
    .u8(entry.targets.length);
  for (const t of entry.targets) writeTarget(w, t);
  return w.finish();
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
  }
}

/** Decodes one entry; any malformed or non-canonical input is a TesseraError. */
export function decodeEntry(bytes: Uint8Array): AuditEntry {
  if (bytes.byteLength > MAX_AUDIT_ENTRY_BYTES) throw badEncoding('audit entry too large');
  const r = new BinaryReader(bytes);
  if (r.u8() !== AUDIT_ENTRY_FORMAT) throw badEncoding('unknown audit entry format');
  const chain = parseChainId(r.string(1, MAX_CHAIN_ID_BYTES));
  const seq = r.u64Number();
  const prevHash = Buffer.from(r.fixed(AUDIT_HASH_BYTES));
  const timestampMs = r.u64Number();
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
  r.end();
  if (seq < 1) throw badEncoding('audit sequence numbers start at 1');
  const entry: AuditEntry = { chain, seq, prevHash, timestampMs, type, principal, method, outcome, reason, count, windowStartMs, targets };
  try {
    checkRecord(entry);
  } catch {
    throw badEncoding('audit entry fields out of range');
  }
  return entry;
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
    default:
      throw badEncoding('unknown audit target kind');
  }
}

/** SHA-256 over the domain label and the canonical encoding. */
export function entryHash(entry: AuditEntry): Buffer {
  return hashEncodedEntry(encodeEntry(entry));
}

export function hashEncodedEntry(encoded: Uint8Array): Buffer {
  return createHash('sha256').update(ENTRY_DOMAIN).update(encoded).digest();
}
