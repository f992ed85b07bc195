import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import {
  OBJECT_LIMITS,
  OBJECT_PAYLOAD_MAX_BYTES,
  decodeObjectPayload,
  deltaChunkRefs,
  encodeObjectPayload,
  objectSize,
  type ObjectPayload,
} from '../src/objects/payload.js';
import { compareUtf8 } from '../src/objects/text.js';

// Any code point but a surrogate (fast-check's 'binary' unit does the same, far more slowly).
const codePoint = fc.oneof(fc.integer({ min: 0, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff })).map((c) => String.fromCodePoint(c));

const noNul = (s: string): boolean => !s.includes('\u0000');
const utf8Max = (max: number) => (s: string): boolean => Buffer.byteLength(s, 'utf8') <= max;

const nameArb = fc.string({ unit: codePoint, minLength: 1, maxLength: 40 }).filter(noNul);
const keyArb = fc.string({ unit: codePoint, minLength: 1, maxLength: 20 }).filter(noNul).filter(utf8Max(OBJECT_LIMITS.attributeKeyBytes));
const valueArb = fc.string({ unit: codePoint, maxLength: 40 });
const chunkIdArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b));
const chunkArb = fc.record({ id: chunkIdArb, size: fc.integer({ min: 1, max: OBJECT_LIMITS.chunkBytes }) });

const payloadArb: fc.Arbitrary<ObjectPayload> = fc
  .record({
    name: nameArb,
    attributes: fc.array(fc.tuple(keyArb, valueArb), { maxLength: 8 }).map((entries) => new Map(entries)),
    body: fc.oneof(
      fc.array(chunkArb, { minLength: 1, maxLength: 12 }).chain((chunks) =>
        // Sometimes repeat a chunk: an object may contain the same content twice.
        fc.boolean().map((repeat) => ({ chunks: repeat ? [...chunks, chunks[0] as (typeof chunks)[number]] : chunks, inline: Buffer.alloc(0) })),
      ),
      fc.uint8Array({ maxLength: 200 }).map((b) => ({ chunks: [], inline: Buffer.from(b) })),
    ),
  })
  .map(({ name, attributes, body }) => ({ name, attributes, ...body }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (!(err instanceof TesseraError)) throw err;
    return err.code;
  }
}

function sample(overrides: Partial<ObjectPayload> = {}): ObjectPayload {
  return { name: 'photos/2026/cat.jpg', attributes: new Map([['content-type', 'image/jpeg']]), chunks: [{ id: Buffer.alloc(32, 1), size: 1000 }], inline: Buffer.alloc(0), ...overrides };
}

describe('object payload codec', () => {
  it('round-trips and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(payloadArb, (p) => {
        const bytes = encodeObjectPayload(p);
        const decoded = decodeObjectPayload(bytes);
        expect(decoded.name).toBe(p.name);
        expect([...decoded.attributes].sort(([a], [b]) => compareUtf8(a, b))).toEqual([...p.attributes].sort(([a], [b]) => compareUtf8(a, b)));
        expect(decoded.chunks).toEqual(p.chunks);
        expect(decoded.inline.equals(p.inline)).toBe(true);
        expect(encodeObjectPayload(decoded).equals(bytes)).toBe(true);
        expect(objectSize(decoded)).toBe(objectSize(p));
      }),
      { numRuns: 300 },
    );
  });

  it('encodes attributes in key byte order whatever the map order', () => {
    fc.assert(
      fc.property(payloadArb, (p) => {
        const reversed = { ...p, attributes: new Map([...p.attributes].reverse()) };
        expect(encodeObjectPayload(reversed).equals(encodeObjectPayload(p))).toBe(true);
        const keys = [...decodeObjectPayload(encodeObjectPayload(reversed)).attributes.keys()].map((k) => Buffer.from(k, 'utf8'));
        for (let i = 1; i < keys.length; i++) expect(Buffer.compare(keys[i - 1] as Buffer, keys[i] as Buffer)).toBeLessThan(0);
      }),
      { numRuns: 100 },
    );
  });

  it('decodes arbitrary bytes to a payload or a TesseraError, never anything else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void codeOf(() => decodeObjectPayload(bytes))), { numRuns: 2000 });
  });

  it('rejects every mutation of a valid encoding with a TesseraError, or decodes it canonically', () => {
    fc.assert(
      fc.property(payloadArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (p, at, xor) => {
        const bytes = Buffer.from(encodeObjectPayload(p));
        const i = at % bytes.length;
        bytes[i] = (bytes[i] as number) ^ xor;
        let decoded: ObjectPayload | undefined;
        const code = codeOf(() => (decoded = decodeObjectPayload(bytes)));
        if (code === undefined) expect(encodeObjectPayload(decoded as ObjectPayload).equals(bytes)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects truncations and trailing bytes', () => {
    const bytes = encodeObjectPayload(sample());
    for (let n = 0; n < bytes.length; n++) expect(codeOf(() => decodeObjectPayload(bytes.subarray(0, n)))).toBeDefined();
    expect(codeOf(() => decodeObjectPayload(Buffer.concat([bytes, Buffer.from([0])])))).toBe(ErrorCodes.CODEC_TRAILING_BYTES);
  });

  it('rejects an unknown version, unsorted or repeated attribute keys, and input longer than any payload', () => {
    const bytes = Buffer.from(encodeObjectPayload(sample()));
    bytes[0] = 2;
    expect(codeOf(() => decodeObjectPayload(bytes))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);

    const twoAttrs = encodeObjectPayload(sample({ attributes: new Map([['a', '1'], ['b', '2']]) }));
    const swapped = Buffer.from(twoAttrs.toString('latin1').replace('\u0001a\u0000\u00011\u0001b\u0000\u00012', '\u0001b\u0000\u00012\u0001a\u0000\u00011'), 'latin1');
    expect(swapped.equals(twoAttrs)).toBe(false);
    expect(codeOf(() => decodeObjectPayload(swapped))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
    const repeated = Buffer.from(twoAttrs.toString('latin1').replace('\u0001b\u0000\u00012', '\u0001a\u0000\u00012'), 'latin1');
    expect(codeOf(() => decodeObjectPayload(repeated))).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);

    expect(codeOf(() => decodeObjectPayload(Buffer.alloc(OBJECT_PAYLOAD_MAX_BYTES + 1)))).toBe(ErrorCodes.CODEC_FIELD_TOO_LONG);
  });

  it('refuses to decode a tombstone (empty payload) as an object', () => {
    expect(codeOf(() => decodeObjectPayload(new Uint8Array(0)))).toBe(ErrorCodes.CODEC_TRUNCATED);
  });

  it('accepts every limit exactly, and the largest payload fits a delta entry', () => {
    const maxName = 'é'.repeat(OBJECT_LIMITS.nameBytes / 2);
    const attributes = new Map(Array.from({ length: OBJECT_LIMITS.attributes }, (_, i) => [`${String(i).padStart(3, '0')}${'k'.repeat(OBJECT_LIMITS.attributeKeyBytes - 3)}`, 'v'.repeat(OBJECT_LIMITS.attributeValueBytes)]));
    const chunks = Array.from({ length: OBJECT_LIMITS.chunks }, (_, i) => ({ id: Buffer.alloc(32, i % 251), size: OBJECT_LIMITS.chunkBytes }));
    const big = encodeObjectPayload({ name: maxName, attributes, chunks, inline: Buffer.alloc(0) });
    expect(decodeObjectPayload(big).chunks).toHaveLength(OBJECT_LIMITS.chunks);
    const inline = encodeObjectPayload({ name: maxName, attributes, chunks: [], inline: Buffer.alloc(OBJECT_LIMITS.inlineBytes, 7) });
    expect(decodeObjectPayload(inline).inline.length).toBe(OBJECT_LIMITS.inlineBytes);
    expect(Math.max(big.length, inline.length)).toBeLessThanOrEqual(OBJECT_PAYLOAD_MAX_BYTES);
    expect(OBJECT_PAYLOAD_MAX_BYTES).toBeLessThan(1024 * 1024 - 64 * 1024);
  });

  it('refuses to encode what breaks a limit, with INVALID_ARGUMENT', () => {
    const bad: Array<Partial<ObjectPayload>> = [
      { name: '' },
      { name: 'a\u0000b' },
      { name: 'x'.repeat(OBJECT_LIMITS.nameBytes + 1) },
      { name: 'é'.repeat(OBJECT_LIMITS.nameBytes / 2) + 'x' },
      { name: 'lone \uD800 surrogate' },
      { attributes: new Map(Array.from({ length: OBJECT_LIMITS.attributes + 1 }, (_, i) => [`k${i}`, ''])) },
      { attributes: new Map([['', 'v']]) },
      { attributes: new Map([['k\u0000', 'v']]) },
      { attributes: new Map([['k'.repeat(OBJECT_LIMITS.attributeKeyBytes + 1), 'v']]) },
      { attributes: new Map([['k', 'v'.repeat(OBJECT_LIMITS.attributeValueBytes + 1)]]) },
      { attributes: new Map([['k', '\uDC00']]) },
      { chunks: Array.from({ length: OBJECT_LIMITS.chunks + 1 }, () => ({ id: Buffer.alloc(32), size: 1 })) },
      { chunks: [{ id: Buffer.alloc(31), size: 1 }] },
      { chunks: [{ id: Buffer.alloc(32), size: 0 }] },
      { chunks: [{ id: Buffer.alloc(32), size: OBJECT_LIMITS.chunkBytes + 1 }] },
      { chunks: [{ id: Buffer.alloc(32), size: 1.5 }] },
      { inline: Buffer.alloc(1) },
      { chunks: [], inline: Buffer.alloc(OBJECT_LIMITS.inlineBytes + 1) },
    ];
    for (const overrides of bad) expect(codeOf(() => encodeObjectPayload(sample(overrides)))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });

  it('sizes an object by its inline bytes or the sum of its chunks', () => {
    expect(objectSize(sample({ chunks: [], inline: Buffer.alloc(17) }))).toBe(17);
    expect(objectSize(sample({ chunks: [{ id: Buffer.alloc(32, 1), size: 10 }, { id: Buffer.alloc(32, 1), size: 10 }, { id: Buffer.alloc(32, 2), size: 5 }] }))).toBe(25);
    expect(objectSize(sample({ chunks: [], inline: Buffer.alloc(0) }))).toBe(0);
  });

  it('lists each chunk id once, in order of first appearance, as the header refs', () => {
    fc.assert(
      fc.property(payloadArb, (p) => {
        const refs = deltaChunkRefs(p).map((b) => b.toString('hex'));
        const ids = p.chunks.map((c) => c.id.toString('hex'));
        expect(refs).toEqual([...new Set(ids)]);
      }),
      { numRuns: 200 },
    );
  });
});
