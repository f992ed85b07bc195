/**
 * Replies recorded in the session table for client commands, so a retry
 * gets the first answer (refusals included) without applying again:
 * u8 kind, then the outcome's fields; refusals keep code and retriability.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { Outcome } from './state.js';

// Session replies: u8 kind, then the outcome's fields; refusals keep their code and retriability.
const REPLY_ERROR = 0;
const REPLY_OK = 1;
const REPLY_DELTA = 2;

export function encodeOutcome(outcome: Outcome | TesseraError): Uint8Array {
  if (outcome instanceof TesseraError) {
    const code = Buffer.from(outcome.code, 'latin1');
    return Buffer.concat([Buffer.from([REPLY_ERROR, outcome.retriable ? 1 : 0]), code]);
  }
  if (outcome.kind === 'delta') {
    const b = Buffer.alloc(17);
    b.writeUInt8(REPLY_DELTA, 0);
    b.writeBigUInt64BE(BigInt(outcome.sequence), 1);
    b.writeBigUInt64BE(BigInt(outcome.leaderTimeMs), 9);
    return b;
  }
  return Buffer.from([REPLY_OK]);
}

/** Turns a recorded reply back into the outcome or the recorded refusal. */
export function decodeOutcome(reply: Uint8Array): Outcome | TesseraError {
  const b = Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength);
  switch (b.readUInt8(0)) {
    case REPLY_ERROR: {
      const code = b.subarray(2).toString('latin1');
      const known = (Object.values(ErrorCodes) as string[]).includes(code) ? (code as TesseraError['code']) : ErrorCodes.INTERNAL;
      return new TesseraError(known, 'request refused', { retriable: b.readUInt8(1) === 1 });
    }
    case REPLY_DELTA:
      return { kind: 'delta', sequence: Number(b.readBigUInt64BE(1)), leaderTimeMs: Number(b.readBigUInt64BE(9)) };
    default:
      return { kind: 'ok' };
  }
}
