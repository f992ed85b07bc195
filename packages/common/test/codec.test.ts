import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '../src/index.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof TesseraError) return err.code;
    throw err;
  }
}

describe('BinaryWriter / BinaryReader', () => {
  it('encodes integers big-endian with fixed widths', () => {
    const bytes = new BinaryWriter().u8(1).u16(0x0203).u32(0x04050607).u64(0x08090a0b0c0d0e0fn).finish();
    expect(bytes.toString('hex')).toBe('01' + '0203' + '04050607' + '08090a0b0c0d0e0f');
  });

  it('length-prefixes byte strings and strings', () => {
    const bytes = new BinaryWriter().bytes(Buffer.from('ab'), 1).string('é', 2).bytes(Buffer.alloc(0), 4).finish();
    expect(bytes.toString('hex')).toBe('02' + '6162' + '0002' + 'c3a9' + '00000000');
    const r = new BinaryReader(bytes);
    expect(r.bytes(1).toString()).toBe('ab');
    expect(r.string(2)).toBe('é');
    expect(r.bytes(4).length).toBe(0);
    r.end();
  });

  it('round-trips arbitrary records', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ maxLength: 40 }),
        (a, b, c, d, e, s) => {
          const enc = new BinaryWriter(1).u8(a).u16(b).u32(c).u64(d).bytes(e, 2).string(s, 1, 255).finish();
          const r = new BinaryReader(enc);
          expect([r.u8(), r.u16(), r.u32(), r.u64()]).toEqual([a, b, c, d]);
          expect(Buffer.from(r.bytes(2)).equals(Buffer.from(e))).toBe(true);
          expect(r.string(1, 255)).toBe(s);
          r.end();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects out-of-range values when writing', () => {
    expect(codeOf(() => new BinaryWriter().u8(256))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    expect(codeOf(() => new BinaryWriter().u16(-1))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    expect(codeOf(() => new BinaryWriter().u32(1.5))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    expect(codeOf(() => new BinaryWriter().u64(-1n))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    expect(codeOf(() => new BinaryWriter().u64(1n << 64n))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    expect(codeOf(() => new BinaryWriter().u64(Number.MAX_SAFE_INTEGER + 1))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    expect(codeOf(() => new BinaryWriter().fixed(Buffer.alloc(31), 32))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
  });

  it('rejects over-long fields on both sides', () => {
    expect(codeOf(() => new BinaryWriter().bytes(Buffer.alloc(256), 1))).toBe(ErrorCodes.CODEC_FIELD_TOO_LONG);
    expect(codeOf(() => new BinaryWriter().bytes(Buffer.alloc(11), 2, 10))).toBe(ErrorCodes.CODEC_FIELD_TOO_LONG);
    const enc = new BinaryWriter().bytes(Buffer.alloc(11), 2).finish();
    expect(codeOf(() => new BinaryReader(enc).bytes(2, 10))).toBe(ErrorCodes.CODEC_FIELD_TOO_LONG);
  });

  it('rejects trailing bytes and truncation', () => {
    const enc = new BinaryWriter().u32(7).finish();
    const r = new BinaryReader(Buffer.concat([enc, Buffer.from([0])]));
    r.u32();
    expect(codeOf(() => r.end())).toBe(ErrorCodes.CODEC_TRAILING_BYTES);
    expect(codeOf(() => new BinaryReader(enc.subarray(0, 3)).u32())).toBe(ErrorCodes.CODEC_TRUNCATED);
    // A length prefix that promises more than is there.
    expect(codeOf(() => new BinaryReader(Buffer.from([5, 1, 2])).bytes(1))).toBe(ErrorCodes.CODEC_TRUNCATED);
  });

  it('rejects invalid UTF-8 so that decoding is injective', () => {
    const enc = new BinaryWriter().bytes(Buffer.from([0xc3, 0x28]), 1).finish();
    expect(codeOf(() => new BinaryReader(enc).string(1))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
  });

  it('checks magic values', () => {
    expect(codeOf(() => new BinaryReader(Buffer.from('TSRB')).expectMagic(Buffer.from('TSRA')))).toBe(ErrorCodes.CODEC_BAD_MAGIC);
  });

  it('reports u64 values beyond safe integers as out of range', () => {
    const enc = new BinaryWriter().u64(1n << 60n).finish();
    expect(codeOf(() => new BinaryReader(enc).u64Number())).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
  });

  it('never throws anything but a TesseraError on arbitrary input (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 12 }), (input, ops) => {
        const r = new BinaryReader(input);
        try {
          for (const op of ops) {
            if (op === 0) r.u8();
            else if (op === 1) r.u16();
            else if (op === 2) r.u32();
            else if (op === 3) r.u64Number();
            else if (op === 4) r.bytes(1, 16);
            else if (op === 5) r.string(2, 32);
            else r.end();
          }
        } catch (err) {
          expect(err).toBeInstanceOf(TesseraError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
