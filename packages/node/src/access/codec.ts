/**
 * Canonical binary forms of access records and audit entries, shared by the
 * metadata command codec, the snapshot image and the LevelDB store. Readers
 * bound every length and refuse any record whose fields disagree with its
 * state, so every value has exactly one encoding.
 *
 *   record: requestId 16 B | tenant | requester | prefixSealed (u16 + bytes) | mode u8 |
 *           durationMs u64 | createdMs u64 | state u8 | decidedBy (u8 + 0..255 B) | decidedMs u64 |
 *           notBeforeMs u64 | notAfterMs u64 | ending u8 | endedBy (u8 + 0..255 B) | endedMs u64
 *   audit:  seq u64 | timeMs u64 | admin | grantId (u8 + 0 or 16 B) | method u8 | keyTag (u8 + 0 or 32 B) | outcome u8
 */
import { ErrorCodes, TesseraError, type BinaryReader, type BinaryWriter } from '@tessera/common';
import { bad, readEnum, readName, readTenant, writeEnum, writeName, writeTenant } from '../metadata/fields.js';
import {
  ACCESS_LIMITS,
  ACCESS_MODES,
  ACCESS_STATES,
  AUDIT_OUTCOMES,
  GRANTED_METHODS,
  GRANT_ENDINGS,
  type AccessRecord,
  type AuditEntry,
} from './types.js';

const NAME = /^[\x21-\x7e]{1,255}$/;
const KEY_TAG_BYTES = 32;

export function writePrincipalName(w: BinaryWriter, name: string): BinaryWriter {
  return writeName(w, name, 'principal name');
}

export function readPrincipalName(r: BinaryReader): string {
  return readName(r, 'principal name');
}

/** A name that is empty until something happens (decidedBy, endedBy). */
function writeOptionalName(w: BinaryWriter, name: string): BinaryWriter {
  if (name !== '' && !NAME.test(name)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'principal name must be printable ASCII');
  return w.string(name, 1, 255);
}

function readOptionalName(r: BinaryReader): string {
  const name = r.string(1, 255);
  if (name !== '' && !NAME.test(name)) throw bad('principal name must be printable ASCII');
  return name;
}

export function writeSealedPrefix(w: BinaryWriter, sealed: Uint8Array): BinaryWriter {
  if (sealed.byteLength === 0) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a sealed prefix is never empty');
  return w.bytes(sealed, 2, ACCESS_LIMITS.sealedBytes);
}

export function readSealedPrefix(r: BinaryReader): Buffer {
  const sealed = Buffer.from(r.bytes(2, ACCESS_LIMITS.sealedBytes));
  if (sealed.byteLength === 0) throw bad('a sealed prefix is never empty');
  return sealed;
}

export function checkDuration(durationMs: number, fail: (message: string) => TesseraError): void {
  if (!Number.isSafeInteger(durationMs) || durationMs < ACCESS_LIMITS.minDurationMs || durationMs > ACCESS_LIMITS.maxDurationMs) {
    throw fail('an access window lasts 1 s to 30 days');
  }
}

/** Why a record's fields disagree with its state, or undefined when they agree. */
export function recordShapeProblem(r: AccessRecord): string | undefined {
  const undecided = r.decidedBy === '' && r.decidedMs === 0;
  const noWindow = r.notBeforeMs === 0 && r.notAfterMs === 0;
  const notEnded = r.ending === 'none' && r.endedBy === '' && r.endedMs === 0;
  const window = r.decidedBy !== '' && r.notBeforeMs === r.decidedMs && r.notAfterMs === r.decidedMs + r.durationMs;
  switch (r.state) {
    case 'pending':
      return undecided && noWindow && notEnded ? undefined : 'a pending request has no decision, window or end';
    case 'denied':
      return r.decidedBy !== '' && noWindow && notEnded ? undefined : 'a denied request has a decision and no window';
    case 'approved':
      return window && notEnded ? undefined : 'an approved grant has its window and no end';
    case 'expired': {
      const ended = r.ending !== 'none' && (r.ending === 'revoked') === (r.endedBy !== '') && r.endedMs > 0;
      return window && ended ? undefined : 'an expired grant has its window and an end';
    }
  }
}

export function writeAccessRecord(w: BinaryWriter, r: AccessRecord): BinaryWriter {
  const problem = recordShapeProblem(r);
  if (problem !== undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, problem);
  checkDuration(r.durationMs, (m) => new TesseraError(ErrorCodes.INVALID_ARGUMENT, m));
  w.fixed(r.requestId, ACCESS_LIMITS.idBytes);
  writePrincipalName(writeTenant(w, r.tenant), r.requester);
  writeSealedPrefix(w, r.prefixSealed);
  writeEnum(w, ACCESS_MODES, r.mode).u64(r.durationMs).u64(r.createdMs);
  writeEnum(w, ACCESS_STATES, r.state);
  writeOptionalName(w, r.decidedBy).u64(r.decidedMs).u64(r.notBeforeMs).u64(r.notAfterMs);
  writeEnum(w, GRANT_ENDINGS, r.ending);
  return writeOptionalName(w, r.endedBy).u64(r.endedMs);
}

export function readAccessRecord(rd: BinaryReader): AccessRecord {
  const requestId = Buffer.from(rd.fixed(ACCESS_LIMITS.idBytes));
  const tenant = readTenant(rd);
  const requester = readPrincipalName(rd);
  const prefixSealed = readSealedPrefix(rd);
  const mode = readEnum(rd, ACCESS_MODES, 'access mode');
  const durationMs = rd.u64Number();
  checkDuration(durationMs, bad);
  const createdMs = rd.u64Number();
  const state = readEnum(rd, ACCESS_STATES, 'access state');
  const decidedBy = readOptionalName(rd);
  const decidedMs = rd.u64Number();
  const notBeforeMs = rd.u64Number();
  const notAfterMs = rd.u64Number();
  const ending = readEnum(rd, GRANT_ENDINGS, 'grant ending');
  const endedBy = readOptionalName(rd);
  const endedMs = rd.u64Number();
  const record: AccessRecord = { requestId, tenant, requester, prefixSealed, mode, durationMs, createdMs, state, decidedBy, decidedMs, notBeforeMs, notAfterMs, ending, endedBy, endedMs };
  const problem = recordShapeProblem(record);
  if (problem !== undefined) throw bad(problem);
  return record;
}

function checkAuditShape(e: AuditEntry, fail: (message: string) => TesseraError): void {
  if (e.grantId.byteLength !== 0 && e.grantId.byteLength !== ACCESS_LIMITS.idBytes) throw fail('an audit grant id is empty or 16 bytes');
  if (e.keyTag.byteLength !== 0 && e.keyTag.byteLength !== KEY_TAG_BYTES) throw fail('an audit keyTag is empty or 32 bytes');
  // Only a call made without any grant has no grant id.
  if ((e.grantId.byteLength === 0) !== (e.outcome === 'no-grant')) throw fail('an audit entry names its grant unless there was none');
}

/** The fields an auditAccess command carries (the state adds seq and time). */
export type AuditDraft = Omit<AuditEntry, 'seq' | 'timeMs'>;

export function writeAuditDraft(w: BinaryWriter, e: AuditDraft): BinaryWriter {
  checkAuditShape({ ...e, seq: 0, timeMs: 0 }, (m) => new TesseraError(ErrorCodes.INVALID_ARGUMENT, m));
  writePrincipalName(w, e.admin).bytes(e.grantId, 1, ACCESS_LIMITS.idBytes);
  writeEnum(w, GRANTED_METHODS, e.method).bytes(e.keyTag, 1, KEY_TAG_BYTES);
  return writeEnum(w, AUDIT_OUTCOMES, e.outcome);
}

export function readAuditDraft(r: BinaryReader): AuditDraft {
  const admin = readPrincipalName(r);
  const grantId = Buffer.from(r.bytes(1, ACCESS_LIMITS.idBytes));
  const method = readEnum(r, GRANTED_METHODS, 'data method');
  const keyTag = Buffer.from(r.bytes(1, KEY_TAG_BYTES));
  const outcome = readEnum(r, AUDIT_OUTCOMES, 'audit outcome');
  const draft = { admin, grantId, method, keyTag, outcome };
  checkAuditShape({ ...draft, seq: 0, timeMs: 0 }, bad);
  return draft;
}

export function writeAuditEntry(w: BinaryWriter, e: AuditEntry): BinaryWriter {
  if (e.seq < 1) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'audit sequences start at 1');
  return writeAuditDraft(w.u64(e.seq).u64(e.timeMs), e);
}

export function readAuditEntry(r: BinaryReader): AuditEntry {
  const seq = r.u64Number();
  if (seq < 1) throw bad('audit sequences start at 1');
  const timeMs = r.u64Number();
  return { seq, timeMs, ...readAuditDraft(r) };
}

export { writeTenant, readTenant };
