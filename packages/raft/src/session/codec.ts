/**
 * Canonical binary form of a session table, embedded in state-machine
 * snapshots. Exactly one encoding per table (sessions in activity order,
 * replies by ascending seq), and the decoder accepts nothing else, so
 * replicas holding equal tables produce equal snapshot bytes.
 *
 *   magic "TSES" | version u8 | nowMs u64 | nextClientId u64 | sessions u32
 *   per session: clientId u64 | lastActiveMs u64 | ackedThrough u64 |
 *                evictedThrough u64 | replies u32
 *   per reply:   seq u64 | reply (u32 length + bytes)
 *
 * Every count is checked against the bytes that remain before anything is
 * allocated, so a hostile length cannot make the decoder allocate more than
 * the input's size.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { SessionTable, type SessionLimits, type SessionState, type SessionTableState } from './table.js';

const MAGIC = Buffer.from('TSES', 'latin1');
const VERSION = 1;
const SESSION_HEADER_BYTES = 8 * 4 + 4;
const REPLY_HEADER_BYTES = 8 + 4;

export function encodeSessionTable(table: SessionTable): Buffer {
  const state = table.exportState();
  const w = new BinaryWriter(64);
  w.raw(MAGIC).u8(VERSION).u64(state.nowMs).u64(state.nextClientId).u32(state.sessions.length);
  for (const s of state.sessions) {
    w.u64(s.clientId).u64(s.lastActiveMs).u64(s.ackedThrough).u64(s.evictedThrough).u32(s.replies.size);
    for (const [seq, reply] of s.replies) w.u64(seq).bytes(reply, 4);
  }
  return w.finish();
}

export function decodeSessionTable(bytes: Uint8Array, limits: Partial<SessionLimits> = {}): SessionTable {
  return SessionTable.fromState(decodeSessionState(bytes), limits);
}

export function decodeSessionState(bytes: Uint8Array): SessionTableState {
  const r = new BinaryReader(bytes);
  r.expectMagic(MAGIC);
  const version = r.u8();
  if (version !== VERSION) throw invalid('unknown session table version');
  const nowMs = r.u64Number();
  const nextClientId = r.u64Number();
  if (nextClientId < 1) throw invalid('next client id must be positive');
  const count = checkedCount(r, SESSION_HEADER_BYTES);
  const sessions: SessionState[] = [];
  const seen = new Set<number>();
  let previousActive = 0;
  for (let i = 0; i < count; i++) {
    const clientId = r.u64Number();
    const lastActiveMs = r.u64Number();
    const ackedThrough = r.u64Number();
    const evictedThrough = r.u64Number();
    if (clientId < 1 || clientId >= nextClientId || seen.has(clientId)) throw invalid('bad client id');
    if (lastActiveMs < previousActive || lastActiveMs > nowMs) throw invalid('sessions out of activity order');
    seen.add(clientId);
    previousActive = lastActiveMs;
    const replyCount = checkedCount(r, REPLY_HEADER_BYTES);
    const replies = new Map<number, Uint8Array>();
    let previousSeq = ackedThrough;
    for (let j = 0; j < replyCount; j++) {
      const seq = r.u64Number();
      if (seq <= previousSeq) throw invalid('reply seqs must ascend above the acknowledged mark');
      previousSeq = seq;
      replies.set(seq, Uint8Array.from(r.bytes(4)));
    }
    sessions.push({ clientId, lastActiveMs, ackedThrough, evictedThrough, replies });
  }
  r.end();
  return { nowMs, nextClientId, sessions };
}

function checkedCount(r: BinaryReader, minBytesEach: number): number {
  const count = r.u32();
  if (count * minBytesEach > r.remaining) throw new TesseraError(ErrorCodes.CODEC_TRUNCATED, 'input truncated');
  return count;
}

function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, `invalid session table: ${message}`);
}
