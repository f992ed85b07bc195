/**
 * Audit entries and their one canonical encoding (no JSON anywhere hashed).
 *
 *   u8   format = 1
 *   u8   len ‖ chain id (ASCII)
 *   u64  seq                 1-based position in the chain
 *   32   prevHash            hash of entry seq-1, or the chain's genesis hash
 *   u64  timestampMs         leader timestamp of the Raft entry that appended it
 *   ...  record fields       see record-codec.ts
 *
 * hash(entry) = SHA-256("tessera/v1/audit-entry" ‖ encoding). The genesis
 * hash of a chain is SHA-256("tessera/v1/audit-genesis" ‖ u8-len chain id),
 * so two chains never share a prefix hash.
 */
import { createHash } from 'node:crypto';
import { BinaryReader, BinaryWriter } from '@tessera/common';
import { MAX_CHAIN_ID_BYTES, parseChainId, type ChainId } from './chain-id.js';
import { badEncoding } from './errors.js';
import type { AuditRecord } from './record.js';
import { readRecordFields, recordFields, writeRecordFields, type RecordFields } from './record-codec.js';

export const AUDIT_ENTRY_FORMAT = 1;
export const AUDIT_HASH_BYTES = 32;
/** Upper bound of one encoded entry (all fields at their maximum). */
export const MAX_AUDIT_ENTRY_BYTES = 8192;

const ENTRY_DOMAIN = Buffer.from('tessera/v1/audit-entry', 'ascii');
const GENESIS_DOMAIN = Buffer.from('tessera/v1/audit-genesis', 'ascii');

export interface AuditEntry extends RecordFields {
  readonly chain: ChainId;
  readonly seq: number;
  readonly prevHash: Buffer;
  readonly timestampMs: number;
}

export function genesisHash(chain: ChainId): Buffer {
  const id = Buffer.from(chain, 'ascii');
  return createHash('sha256').update(GENESIS_DOMAIN).update(Buffer.from([id.length])).update(id).digest();
}

/** Builds an entry from a record (validated) and its chain position. */
export function makeEntry(chain: ChainId, seq: number, prevHash: Uint8Array, timestampMs: number, record: AuditRecord): AuditEntry {
  return { chain, seq, prevHash: Buffer.from(prevHash), timestampMs, ...recordFields(record) };
}

export function encodeEntry(entry: AuditEntry): Buffer {
  const w = new BinaryWriter(256).u8(AUDIT_ENTRY_FORMAT).string(entry.chain, 1, MAX_CHAIN_ID_BYTES).u64(entry.seq).fixed(entry.prevHash, AUDIT_HASH_BYTES).u64(entry.timestampMs);
  return writeRecordFields(w, entry).finish();
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
  const fields = readRecordFields(r);
  r.end();
  if (seq < 1) throw badEncoding('audit sequence numbers start at 1');
  return { chain, seq, prevHash, timestampMs, ...fields };
}

/** SHA-256 over the domain label and the canonical encoding. */
export function entryHash(entry: AuditEntry): Buffer {
  return hashEncodedEntry(encodeEntry(entry));
}

export function hashEncodedEntry(encoded: Uint8Array): Buffer {
  return createHash('sha256').update(ENTRY_DOMAIN).update(encoded).digest();
}
