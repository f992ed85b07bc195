/**
 * One record bound for one chain, encoded on its own: how a key-manager
 * follower hands the records it produced (refusals it saw) to its leader,
 * which appends them. Not hashed — the leader's append makes the entry.
 *
 *   u8 format 1 ‖ u8-len chain ‖ record fields
 */
import { BinaryReader, BinaryWriter } from '@tessera/common';
import type { ChainRecord } from './aggregate.js';
import { MAX_CHAIN_ID_BYTES, parseChainId } from './chain-id.js';
import { badEncoding } from './errors.js';
import { readRecordFields, recordFields, writeRecordFields } from './record-codec.js';

const FORMAT = 1;
/** Far above any valid record (bounded text fields, at most 8 targets). */
export const MAX_CHAIN_RECORD_BYTES = 8 * 1024;

export function encodeChainRecord(record: ChainRecord): Buffer {
  const w = new BinaryWriter(256).u8(FORMAT).string(record.chain, 1, MAX_CHAIN_ID_BYTES);
  return writeRecordFields(w, recordFields(record.record)).finish();
}

/** Decodes and validates one record; anything malformed is a TesseraError. */
export function decodeChainRecord(bytes: Uint8Array): ChainRecord {
  if (bytes.byteLength > MAX_CHAIN_RECORD_BYTES) throw badEncoding('audit record too large');
  const r = new BinaryReader(bytes);
  if (r.u8() !== FORMAT) throw badEncoding('unknown audit record format');
  const chain = parseChainId(r.string(1, MAX_CHAIN_ID_BYTES));
  const record = readRecordFields(r);
  r.end();
  return { chain, record };
}
