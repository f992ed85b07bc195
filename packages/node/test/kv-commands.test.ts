import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { KV_LIMITS, decodeKvCommand, encodeKvCommand, type KvCommand } from '../src/kv/commands.js';

const u = fc.nat({ max: Number.MAX_SAFE_INTEGER });
const session = fc.record({ clientId: u, seq: u, ackedThrough: u });
const key = fc.uint8Array({ minLength: 1, maxLength: 40 });
const command: fc.Arbitrary<KvCommand> = fc.oneof(
  fc.record({ op: fc.constant('openSession' as const), timeMs: u }),
  fc.record({ op: fc.constant('put' as const), timeMs: u, session, key, value: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ op: fc.constant('delete' as const), timeMs: u, session, key }),
);

function decodeOrCode(bytes: Uint8Array): KvCommand | string {
  try {
    return decodeKvCommand(bytes);
  } catch (err) {
    if (err instanceof TesseraError) return err.code;
    throw err;
  }
}

describe('kv commands', () => {
  it('round-trip (property)', () => {
    fc.assert(
      fc.property(command, (c) => {
        expect(decodeKvCommand(encodeKvCommand(c))).toEqual(c);
      }),
      { numRuns: 300 },
    );
  });

  it('are canonical: whatever decodes re-encodes to the same bytes (property)', () => {
    fc.assert(
      fc.property(command, fc.nat(), fc.nat(255), (c, at, value) => {
        const bytes = Buffer.from(encodeKvCommand(c));
        bytes[at % bytes.length] = value;
        const decoded = decodeOrCode(bytes);
        if (typeof decoded !== 'string') expect(encodeKvCommand(decoded)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('decode arbitrary bytes only into TesseraErrors (fuzz)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => void decodeOrCode(bytes)), { numRuns: 2000 });
  });

  it('refuse empty and oversized keys and values', () => {
    const s = { clientId: 1, seq: 1, ackedThrough: 0 };
    expect(() => encodeKvCommand({ op: 'put', timeMs: 0, session: s, key: new Uint8Array(0), value: new Uint8Array(0) })).toThrow(TesseraError);
    expect(() => encodeKvCommand({ op: 'delete', timeMs: 0, session: s, key: new Uint8Array(KV_LIMITS.keyBytes + 1) })).toThrow(TesseraError);
    expect(() => encodeKvCommand({ op: 'put', timeMs: 0, session: s, key: Uint8Array.of(1), value: new Uint8Array(KV_LIMITS.valueBytes + 1) })).toThrow(TesseraError);
    const empty = Buffer.from(encodeKvCommand({ op: 'delete', timeMs: 0, session: s, key: Uint8Array.of(7) }));
    empty.writeUInt16BE(0, empty.length - 3);
    expect(decodeOrCode(empty.subarray(0, empty.length - 1))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
  });
});
