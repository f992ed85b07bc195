/**
 * A chain's exported trail: every entry of one chain from seq 1, in order,
 * in the canonical entry encoding. What `audit export` hands a tenant admin
 * and `verifyTrail` checks.
 *
 *   "TSAT" ‖ u8 version 1 ‖ u8-len chain ‖ u32 count ‖ count × (u16-len entry)
 */
import { BinaryReader, BinaryWriter } from '@tessera/common';
import { MAX_CHAIN_ID_BYTES, parseChainId, type ChainId } from './chain-id.js';
import { MAX_AUDIT_ENTRY_BYTES, decodeEntry, encodeEntry, type AuditEntry } from './entry.js';
import { badEncoding } from './errors.js';

export interface AuditTrail {
  readonly chain: ChainId;
  readonly entries: readonly AuditEntry[];
}

const TRAIL_MAGIC = Buffer.from('TSAT', 'ascii');
const TRAIL_VERSION = 1;
/** The smallest possible encoded entry plus its length prefix. */
const MIN_ENCODED_ENTRY = 2 + 1 + 1 + 6 + 8 + 32 + 8 + 1 + 1 + 2 + 1 + 1 + 1 + 4 + 8 + 1;

export function encodeTrail(trail: AuditTrail): Buffer {
  const w = new BinaryWriter(64 + trail.entries.length * 160)
    .raw(TRAIL_MAGIC)
    .u8(TRAIL_VERSION)
    .string(trail.chain, 1, MAX_CHAIN_ID_BYTES)
    .u32(trail.entries.length);
  for (const entry of trail.entries) w.bytes(encodeEntry(entry), 2, MAX_AUDIT_ENTRY_BYTES);
  return w.finish();
}

/** Decodes a trail's structure; chain linkage is checked by `verifyTrail`, not here. */
export function decodeTrail(bytes: Uint8Array): AuditTrail {
  const r = new BinaryReader(bytes);
  r.expectMagic(TRAIL_MAGIC);
  if (r.u8() !== TRAIL_VERSION) throw badEncoding('unknown audit trail version');
  const chain = parseChainId(r.string(1, MAX_CHAIN_ID_BYTES));
  const count = r.u32();
  if (count * MIN_ENCODED_ENTRY > r.remaining) throw badEncoding('audit trail count out of range');
  const entries: AuditEntry[] = [];
  for (let i = 0; i < count; i++) entries.push(decodeEntry(r.bytes(2, MAX_AUDIT_ENTRY_BYTES)));
  r.end();
  return { chain, entries };
}
