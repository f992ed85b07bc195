/**
 * `auditAppend`: records that do not come from a metadata command's own
 * apply — admin actions as the node saw them (with the caller's full SPIFFE
 * id), aggregated authentication and authorization refusals, audit exports —
 * batched by the node's AuditBatcher and proposed through the leader like
 * any other command. Fields, after the common prefix of commands.ts:
 *
 *   u16 count (1..AUDIT_APPEND_LIMITS.records) ‖ count × (u8-len chain ‖ record fields)
 *
 * Every record is validated on decode (record-codec of @tessera/audit), so
 * nothing but well-formed, bounded, printable-ASCII records reaches a chain.
 */
import { MAX_CHAIN_ID_BYTES, parseChainId, readRecordFields, recordFields, writeRecordFields, type ChainRecord } from '@tessera/audit';
import { ErrorCodes, TesseraError, type BinaryReader, type BinaryWriter } from '@tessera/common';
import { bad, readCount } from './fields.js';

export const AUDIT_APPEND_LIMITS = {
  /** Records per command (a batch of at most this many; more go in the next command). */
  records: 128,
} as const;

/** Smallest record on the wire: chain, empty texts, no targets. */
const MIN_RECORD_BYTES = 1 + 6 + 1 + 2 + 1 + 1 + 1 + 4 + 8 + 1;

export interface AuditAppendCommand {
  readonly op: 'auditAppend';
  readonly timeMs: number;
  readonly records: readonly ChainRecord[];
}

export function writeAuditAppend(w: BinaryWriter, cmd: AuditAppendCommand): BinaryWriter {
  if (cmd.records.length < 1 || cmd.records.length > AUDIT_APPEND_LIMITS.records) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `an audit batch holds 1 to ${AUDIT_APPEND_LIMITS.records} records`);
  }
  w.u16(cmd.records.length);
  for (const { chain, record } of cmd.records) writeRecordFields(w.string(parseChainId(chain), 1, MAX_CHAIN_ID_BYTES), recordFields(record));
  return w;
}

export function readAuditAppend(r: BinaryReader, timeMs: number): AuditAppendCommand {
  const count = readCount(r, MIN_RECORD_BYTES, AUDIT_APPEND_LIMITS.records, 2);
  if (count === 0) throw bad('an audit batch is never empty');
  const records: ChainRecord[] = [];
  for (let i = 0; i < count; i++) {
    const chain = parseChainId(r.string(1, MAX_CHAIN_ID_BYTES));
    records.push({ chain, record: readRecordFields(r) });
  }
  return { op: 'auditAppend', timeMs, records };
}
