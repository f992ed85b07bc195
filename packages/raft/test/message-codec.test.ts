import { ErrorCodes, TesseraError } from '@tessera/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_CODEC_VERSION, MESSAGE_LIMITS, decodeMessage, encodeMessage } from '../src/codec/message.js';
import { EntryType, MessageType, type ConfState, type Entry, type Message, type Snapshot } from '../src/types.js';

const id = fc.string({ maxLength: 12 });
const num = fc.oneof(fc.nat(1000), fc.constant(Number.MAX_SAFE_INTEGER));
const bytes = fc.uint8Array({ maxLength: 48 });

const entry: fc.Arbitrary<Entry> = fc.record({
  term: num,
  index: num,
  type: fc.constantFrom(EntryType.Normal, EntryType.ConfChange),
  data: bytes,
});

const confState: fc.Arbitrary<ConfState> = fc.record(
  {
    voters: fc.array(id, { maxLength: 4 }),
    learners: fc.array(id, { maxLength: 3 }),
    members: fc.array(fc.record({ id, incarnationId: id, address: fc.string({ maxLength: 24 }) }), { maxLength: 3 }),
    removed: fc.array(id, { maxLength: 3 }),
  },
  { requiredKeys: ['voters', 'learners'] },
);

const snapshot: fc.Arbitrary<Snapshot> = fc.record({
  metadata: fc.record({ index: num, term: num, confState }),
  data: fc.uint8Array({ maxLength: 256 }),
});

/** A message as the codec represents it: optional booleans are `true` or absent. */
const message: fc.Arbitrary<Message> = fc.record(
  {
    type: fc.constantFrom(...Object.values(MessageType)),
    from: id,
    to: id,
    term: num,
    logTerm: num,
    index: num,
    entries: fc.array(entry, { maxLength: 5 }),
    commit: num,
    reject: fc.boolean(),
    rejectHint: num,
    snapshot,
    context: bytes,
    transfer: fc.constant(true),
    requestSnapshot: fc.constant(true),
    transferee: id,
  },
  { requiredKeys: ['type', 'from', 'to', 'term', 'logTerm', 'index', 'entries', 'commit', 'reject', 'rejectHint'] },
);

/** Decodes, and fails the property on anything thrown that is not a TesseraError. */
function decodeOrCode(input: Uint8Array): Message | string {
  try {
    return decodeMessage(input);
  } catch (err) {
    if (err instanceof TesseraError) return err.code;
    throw err;
  }
}

function sample(): Message {
  return {
    type: MessageType.App,
    from: 'n1',
    to: 'n2',
    term: 7,
    logTerm: 6,
    index: 41,
    entries: [
      { term: 7, index: 42, type: EntryType.Normal, data: Uint8Array.from([1, 2, 3]) },
      { term: 7, index: 43, type: EntryType.ConfChange, data: Uint8Array.from([9]) },
    ],
    commit: 40,
    reject: false,
    rejectHint: 0,
  };
}

describe('raft message codec', () => {
  it('round-trips every message (property)', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(decodeMessage(encodeMessage(m))).toEqual(m);
      }),
      { numRuns: 300 },
    );
  });

  it('is canonical: whatever decodes re-encodes to the same bytes (property)', () => {
    fc.assert(
      fc.property(message, fc.nat(), fc.nat(255), (m, at, value) => {
        // A valid encoding with one byte changed either fails to decode or
        // is another canonical encoding.
        const encoded = Buffer.from(encodeMessage(m));
        encoded[at % encoded.length] = value;
        const decoded = decodeOrCode(encoded);
        if (typeof decoded !== 'string') expect(Buffer.from(encodeMessage(decoded)).equals(encoded)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('turns arbitrary bytes only into TesseraErrors (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (input) => {
        decodeOrCode(input);
      }),
      { numRuns: 2000 },
    );
    // Inputs that start like a real message reach deeper into the decoder.
    const prefix = encodeMessage(sample()).subarray(0, 20);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        decodeOrCode(Buffer.concat([prefix, tail]));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every truncation and trailing bytes', () => {
    const full = encodeMessage({ ...sample(), snapshot: { metadata: { index: 3, term: 2, confState: { voters: ['a'], learners: [], members: [{ id: 'a', incarnationId: 'i', address: 'x:1' }] } }, data: Uint8Array.from([5]) } });
    for (let n = 0; n < full.length; n++) expect(decodeOrCode(full.subarray(0, n)), `prefix of ${n} bytes`).toBeTypeOf('string');
    expect(decodeOrCode(Buffer.concat([full, Buffer.from([0])]))).toBe(ErrorCodes.CODEC_TRAILING_BYTES);
  });

  it('refuses unknown versions, types and flags', () => {
    const good = encodeMessage(sample());
    const withByte = (at: number, value: number): Buffer => {
      const b = Buffer.from(good);
      b[at] = value;
      return b;
    };
    expect(good[0]).toBe(MESSAGE_CODEC_VERSION);
    expect(decodeOrCode(withByte(0, 2))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    expect(decodeOrCode(withByte(1, 0))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    expect(decodeOrCode(withByte(1, 14))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    // version, type, from "n1", to "n2", five u64s, then the flags byte.
    const flagsAt = 2 + 4 + 4 + 5 * 8;
    expect(decodeOrCode(withByte(flagsAt, 64))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
  });

  it('refuses a hostile entry count before allocating anything', () => {
    const m = encodeMessage({ ...sample(), entries: [] });
    const countAt = m.length - 4;
    const hostile = Buffer.from(m);
    hostile.writeUInt32BE(0xffff_ffff, countAt);
    expect(decodeOrCode(hostile)).toBe(ErrorCodes.CODEC_TRUNCATED);
  });

  it('refuses numbers beyond 2^53 and fields beyond their limits', () => {
    const good = Buffer.from(encodeMessage(sample()));
    const termAt = 2 + 4 + 4;
    good.writeBigUInt64BE(1n << 60n, termAt);
    expect(decodeOrCode(good)).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    expect(() => encodeMessage({ ...sample(), from: 'x'.repeat(MESSAGE_LIMITS.idBytes + 1) })).toThrow(TesseraError);
    expect(() => encodeMessage({ ...sample(), term: -1 })).toThrow(TesseraError);
    expect(() => encodeMessage({ ...sample(), context: new Uint8Array(MESSAGE_LIMITS.contextBytes + 1) })).toThrow(TesseraError);
  });

  it('encodes false optional flags like absent ones', () => {
    const plain = encodeMessage(sample());
    expect(encodeMessage({ ...sample(), transfer: false, requestSnapshot: false })).toEqual(plain);
    expect(decodeMessage(plain)).not.toHaveProperty('transfer');
  });
});
