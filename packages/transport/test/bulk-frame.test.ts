/**
 * The bulk port's framing (ADR 0026): frames survive any split of the byte
 * stream, every bound is enforced from the 16-byte prefix (before the body is
 * buffered), and arbitrary bytes only ever produce typed codec errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import {
  ANSWER_MAGIC,
  ANSWER_OK,
  decodeErrorAnswer,
  encodeErrorAnswer,
  encodeOkAnswer,
  encodePrefix,
  encodeRequestHead,
  FrameReader,
  MAX_REQUEST_HEADER_BYTES,
  REQUEST_MAGIC,
  type Frame,
} from '../src/bulk/frame.js';

const MAX_PAYLOAD = 4096;
const requestReader = (): FrameReader =>
  new FrameReader({ magic: REQUEST_MAGIC, maxHeaderBytes: MAX_REQUEST_HEADER_BYTES, maxPayloadBytes: (kind) => (kind === 1 || kind === 7 ? MAX_PAYLOAD : undefined) });

function encodeRequest(kind: number, header: Uint8Array, payload: Uint8Array): Buffer {
  return Buffer.concat([encodeRequestHead(kind, header, payload.length), payload]);
}

/** Feeds `bytes` to `reader` cut at `cuts` (sorted offsets), collecting frames. */
function feed(reader: FrameReader, bytes: Buffer, cuts: number[]): Frame[] {
  const frames: Frame[] = [];
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]) {
    frames.push(...reader.push(bytes.subarray(from, cut)));
    from = cut;
  }
  return frames;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof TesseraError ? err.code : 'not a TesseraError';
  }
}

describe('bulk frames', () => {
  it('round-trip through any split of the stream', () => {
    const frameArb = fc.record({
      kind: fc.constantFrom(1, 7),
      header: fc.uint8Array({ maxLength: 64 }),
      payload: fc.uint8Array({ maxLength: MAX_PAYLOAD }),
    });
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), (frames, cutSeeds) => {
        const bytes = Buffer.concat(frames.map((f) => encodeRequest(f.kind, f.header, f.payload)));
        const cuts = cutSeeds.map((s) => s % (bytes.length + 1));
        const reader = requestReader();
        const out = feed(reader, bytes, cuts);
        expect(out.map((f) => ({ kind: f.kind, header: new Uint8Array(f.header), payload: new Uint8Array(f.payload) }))).toEqual(
          frames.map((f) => ({ kind: f.kind, header: f.header, payload: f.payload })),
        );
        expect(reader.idle).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes yield frames or a codec error, and a broken reader stays broken', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 6 }), (bytes, cutSeeds) => {
        const reader = requestReader();
        const buffer = Buffer.from(bytes);
        let code: string | undefined;
        try {
          feed(reader, buffer, cutSeeds.map((s) => s % (buffer.length + 1)));
        } catch (err) {
          code = err instanceof TesseraError ? err.code : 'not a TesseraError';
        }
        if (code !== undefined) {
          expect(code).toMatch(/^CODEC_/);
          expect(codeOf(() => reader.push(Buffer.from([0])))).toBe(ErrorCodes.CODEC_BAD_MAGIC);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a valid prefix mutated anywhere is refused or read within its bounds', () => {
    fc.assert(
      fc.property(fc.nat({ max: 15 }), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const prefix = encodePrefix(REQUEST_MAGIC, 1, 8, 16);
        prefix[at] = value;
        const reader = requestReader();
        const code = codeOf(() => reader.push(Buffer.concat([prefix, Buffer.alloc(8 + MAX_PAYLOAD)])));
        if (code !== undefined) expect(code).toMatch(/^CODEC_/);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses from the prefix alone: oversize header, oversize payload, unknown kind, bad magic, reserved bytes', () => {
    expect(codeOf(() => requestReader().push(encodePrefix(REQUEST_MAGIC, 1, MAX_REQUEST_HEADER_BYTES + 1, 0)))).toBe(ErrorCodes.CODEC_FIELD_TOO_LONG);
    expect(codeOf(() => requestReader().push(encodePrefix(REQUEST_MAGIC, 1, 0, MAX_PAYLOAD + 1)))).toBe(ErrorCodes.CODEC_FIELD_TOO_LONG);
    expect(codeOf(() => requestReader().push(encodePrefix(REQUEST_MAGIC, 2, 0, 0)))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    expect(codeOf(() => requestReader().push(encodePrefix(ANSWER_MAGIC, 1, 0, 0)))).toBe(ErrorCodes.CODEC_BAD_MAGIC);
    const reserved = encodePrefix(REQUEST_MAGIC, 1, 0, 0);
    reserved[6] = 1;
    expect(codeOf(() => requestReader().push(reserved))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    // The largest allowed sizes pass the prefix check (nothing buffered beyond the prefix yet).
    const reader = requestReader();
    expect(reader.push(encodePrefix(REQUEST_MAGIC, 1, MAX_REQUEST_HEADER_BYTES, MAX_PAYLOAD))).toEqual([]);
    expect(reader.idle).toBe(false);
  });

  it('an empty frame completes with its prefix', () => {
    const frames = requestReader().push(encodeRequest(7, new Uint8Array(0), new Uint8Array(0)));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.kind).toBe(7);
    expect(frames[0]!.header.length + frames[0]!.payload.length).toBe(0);
  });

  it('request heads are bounded when encoded too', () => {
    expect(codeOf(() => encodeRequestHead(0, new Uint8Array(0), 0))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    expect(codeOf(() => encodeRequestHead(256, new Uint8Array(0), 0))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    expect(codeOf(() => encodeRequestHead(1, new Uint8Array(MAX_REQUEST_HEADER_BYTES + 1), 0))).toBe(ErrorCodes.CODEC_FIELD_TOO_LONG);
  });
});

describe('bulk answers', () => {
  const answerReader = (): FrameReader =>
    new FrameReader({ magic: ANSWER_MAGIC, maxHeaderBytes: 4096, maxPayloadBytes: (status) => (status <= 1 ? 0 : undefined) });

  it('an ok answer carries its body', () => {
    const [frame] = answerReader().push(encodeOkAnswer(Buffer.from('receipt')));
    expect(frame!.kind).toBe(ANSWER_OK);
    expect(frame!.header.toString()).toBe('receipt');
  });

  it('an error answer carries a known code, the retriable flag and a bounded message', () => {
    const [frame] = answerReader().push(encodeErrorAnswer(ErrorCodes.CHECKSUM_MISMATCH, true, 'x'.repeat(2000)));
    const err = decodeErrorAnswer(frame!.header);
    expect(err.code).toBe(ErrorCodes.CHECKSUM_MISMATCH);
    expect(err.retriable).toBe(true);
    expect(err.message).toBe('x'.repeat(512));
  });

  it('a malformed or unknown error answer is INTERNAL', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const err = decodeErrorAnswer(Buffer.from(text));
        const [code, flag] = text.split('\n');
        const wellFormed = code !== undefined && Object.hasOwn(ErrorCodes, code) && (flag === '0' || flag === '1') && text.split('\n').length >= 3;
        if (!wellFormed) expect(err.code).toBe(ErrorCodes.INTERNAL);
      }),
    );
    expect(decodeErrorAnswer(Buffer.from('NOT_A_CODE\n0\nmsg')).code).toBe(ErrorCodes.INTERNAL);
  });
});
