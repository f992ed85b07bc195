/**
 * Commands of the key-value test state machine, as carried in Raft entries.
 * Canonical binary (entries are replicated and replayed, so every replica
 * must read the same bytes the same way; no JSON):
 *
 *   version u8 (=1) | op u8 | leader time ms u64 | op fields
 *   openSession: —
 *   put:    clientId u64 | seq u64 | ackedThrough u64 | key bytes16 | value bytes32
 *   delete: clientId u64 | seq u64 | ackedThrough u64 | key bytes16
 *
 * The time is the proposing leader's clock; the session table only ever
 * moves its own clock forward with it (expiry is deterministic on replay).
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';

export const KV_LIMITS = {
  keyBytes: 1024,
  valueBytes: 64 * 1024,
} as const;

const VERSION = 1;
const OP_OPEN_SESSION = 1;
const OP_PUT = 2;
const OP_DELETE = 3;

export interface SessionRef {
  readonly clientId: number;
  readonly seq: number;
  readonly ackedThrough: number;
}

export type KvCommand =
  | { readonly op: 'openSession'; readonly timeMs: number }
  | { readonly op: 'put'; readonly timeMs: number; readonly session: SessionRef; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly op: 'delete'; readonly timeMs: number; readonly session: SessionRef; readonly key: Uint8Array };

function checkKey(key: Uint8Array): void {
  if (key.byteLength === 0 || key.byteLength > KV_LIMITS.keyBytes) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `key must be 1 to ${KV_LIMITS.keyBytes} bytes`);
  }
}

export function encodeKvCommand(cmd: KvCommand): Buffer {
  const w = new BinaryWriter(64 + (cmd.op === 'put' ? cmd.value.byteLength + cmd.key.byteLength : 0));
  w.u8(VERSION);
  switch (cmd.op) {
    case 'openSession':
      return w.u8(OP_OPEN_SESSION).u64(cmd.timeMs).finish();
    case 'put':
      checkKey(cmd.key);
      if (cmd.value.byteLength > KV_LIMITS.valueBytes) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `value must be at most ${KV_LIMITS.valueBytes} bytes`);
      w.u8(OP_PUT).u64(cmd.timeMs);
      writeSession(w, cmd.session);
      return w.bytes(cmd.key, 2, KV_LIMITS.keyBytes).bytes(cmd.value, 4, KV_LIMITS.valueBytes).finish();
    case 'delete':
      checkKey(cmd.key);
      w.u8(OP_DELETE).u64(cmd.timeMs);
      writeSession(w, cmd.session);
      return w.bytes(cmd.key, 2, KV_LIMITS.keyBytes).finish();
  }
}

function writeSession(w: BinaryWriter, s: SessionRef): void {
  w.u64(s.clientId).u64(s.seq).u64(s.ackedThrough);
}

/** Decodes a command; any malformed input throws a TesseraError (CODEC_*). */
export function decodeKvCommand(bytes: Uint8Array): KvCommand {
  const r = new BinaryReader(bytes);
  if (r.u8() !== VERSION) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'unknown kv command version');
  const op = r.u8();
  const timeMs = r.u64Number();
  let cmd: KvCommand;
  if (op === OP_OPEN_SESSION) {
    cmd = { op: 'openSession', timeMs };
  } else if (op === OP_PUT || op === OP_DELETE) {
    const session = { clientId: r.u64Number(), seq: r.u64Number(), ackedThrough: r.u64Number() };
    const key = Uint8Array.from(r.bytes(2, KV_LIMITS.keyBytes));
    if (key.byteLength === 0) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'empty key');
    cmd = op === OP_PUT ? { op: 'put', timeMs, session, key, value: Uint8Array.from(r.bytes(4, KV_LIMITS.valueBytes)) } : { op: 'delete', timeMs, session, key };
  } else {
    throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'unknown kv command');
  }
  r.end();
  return cmd;
}
