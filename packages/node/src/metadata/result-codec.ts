/**
 * Canonical binary form of a MetadataResult, as carried back to a gateway
 * node in a ForwardPropose reply (the leader applied the command; the
 * gateway decodes what the state machine answered):
 *
 *   version u8 (=1) | kind u8 | index u64 | kind fields
 *
 *   none     —
 *   ok       duplicate bool
 *   session  clientId u64
 *   chunk    existing bool
 *   delta    sequence u64 | leaderTimeMs u64 | duplicate bool
 *   error    code (u8-prefixed ASCII, a known ErrorCode) | retriable bool | duplicate bool
 *   compacted tenant (u8-prefixed, at most 63 bytes) | dropped u64 | released u64 | leaderTimeMs u64
 *
 * Booleans are one byte, 0 or 1 and nothing else, so every result has exactly
 * one encoding. Error codes travel by name, not by number: new codes can be
 * added without renumbering, and a code this build does not know is refused
 * rather than guessed at.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError, type ErrorCode } from '@tessera/common';
import type { MetadataResult } from './machine.js';

const VERSION = 1;
const KINDS: readonly MetadataResult['kind'][] = ['none', 'ok', 'session', 'chunk', 'delta', 'error', 'compacted'];
/** Tenant ids are at most 63 characters (TENANT_ID_PATTERN). */
const MAX_TENANT_BYTES = 63;
/** Error codes are short identifiers; 64 bytes is far above the longest. */
const MAX_CODE_BYTES = 64;
/** Largest encoding (an error result with the longest code), rounded up: anything longer is refused unread. */
export const MAX_METADATA_RESULT_BYTES = 128;

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCodes));

function bad(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, message);
}

function writeBool(w: BinaryWriter, value: boolean): BinaryWriter {
  return w.u8(value ? 1 : 0);
}

function readBool(r: BinaryReader, what: string): boolean {
  const b = r.u8();
  if (b > 1) throw bad(`${what} must be 0 or 1`);
  return b === 1;
}

export function encodeMetadataResult(result: MetadataResult): Buffer {
  const w = new BinaryWriter(64);
  w.u8(VERSION).u8(KINDS.indexOf(result.kind) + 1).u64(result.index);
  switch (result.kind) {
    case 'none':
      break;
    case 'ok':
      writeBool(w, result.duplicate);
      break;
    case 'session':
      w.u64(result.clientId);
      break;
    case 'chunk':
      writeBool(w, result.existing);
      break;
    case 'delta':
      writeBool(w.u64(result.sequence).u64(result.leaderTimeMs), result.duplicate);
      break;
    case 'error':
      if (!KNOWN_CODES.has(result.code)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'unknown error code in a metadata result');
      writeBool(writeBool(w.string(result.code, 1, MAX_CODE_BYTES), result.retriable), result.duplicate);
      break;
    case 'compacted':
      w.string(result.tenant, 1, MAX_TENANT_BYTES).u64(result.dropped).u64(result.released).u64(result.leaderTimeMs);
      break;
  }
  return w.finish();
}

export function decodeMetadataResult(bytes: Uint8Array): MetadataResult {
  if (bytes.byteLength > MAX_METADATA_RESULT_BYTES) {
    throw new TesseraError(ErrorCodes.CODEC_FIELD_TOO_LONG, `metadata result longer than ${MAX_METADATA_RESULT_BYTES} bytes`);
  }
  const r = new BinaryReader(bytes);
  const version = r.u8();
  if (version !== VERSION) throw bad(`unknown metadata result version ${version}`);
  const kind = KINDS[r.u8() - 1];
  if (kind === undefined) throw bad('unknown metadata result kind');
  const index = r.u64Number();
  let result: MetadataResult;
  switch (kind) {
    case 'none':
      result = { kind, index };
      break;
    case 'ok':
      result = { kind, index, duplicate: readBool(r, 'duplicate') };
      break;
    case 'session':
      result = { kind, index, clientId: r.u64Number() };
      break;
    case 'chunk':
      result = { kind, index, existing: readBool(r, 'existing') };
      break;
    case 'delta': {
      const sequence = r.u64Number();
      const leaderTimeMs = r.u64Number();
      result = { kind, index, sequence, leaderTimeMs, duplicate: readBool(r, 'duplicate') };
      break;
    }
    case 'error': {
      const code = r.string(1, MAX_CODE_BYTES);
      if (!KNOWN_CODES.has(code)) throw bad('unknown error code in a metadata result');
      const retriable = readBool(r, 'retriable');
      result = { kind, index, code: code as ErrorCode, retriable, duplicate: readBool(r, 'duplicate') };
      break;
    }
    case 'compacted': {
      const tenant = r.string(1, MAX_TENANT_BYTES);
      const dropped = r.u64Number();
      const released = r.u64Number();
      result = { kind, index, tenant, dropped, released, leaderTimeMs: r.u64Number() };
      break;
    }
  }
  r.end();
  return result;
}
