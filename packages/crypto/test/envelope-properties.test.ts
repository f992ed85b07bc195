/**
 * Property tests and fuzzing of envelopes: every tampering is rejected with a
 * TesseraError, and the decoder never throws anything else on any input.
 */
import { ErrorCodes, isTesseraError } from '@tessera/common';
import type { ErrorCode } from '@tessera/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openChunk, parseEnvelopeHeader, sealChunk } from '../src/index.js';
import type { ChunkKeys } from '../src/index.js';
import { makeKeys } from './keyset.js';

const keys = makeKeys();
const policy = fc.constantFrom<'shared' | 'isolated'>('shared', 'isolated');
const plaintextArb = fc.uint8Array({ maxLength: 300 });

/** What a tampered envelope may be rejected with (never a result, never another exception). */
const REJECTIONS: ReadonlySet<ErrorCode> = new Set([
  ErrorCodes.CRYPTO_BAD_ENVELOPE,
  ErrorCodes.CRYPTO_UNKNOWN_VERSION,
  ErrorCodes.CRYPTO_UNKNOWN_ALGORITHM,
  ErrorCodes.CRYPTO_KEY_MISMATCH,
  ErrorCodes.CRYPTO_AUTH_FAILED,
  ErrorCodes.CRYPTO_CHUNK_ID_MISMATCH,
]);

function rejection(envelope: Uint8Array, set: ChunkKeys): ErrorCode | 'opened' | 'foreign exception' {
  try {
    openChunk(envelope, set);
    return 'opened';
  } catch (error) {
    return isTesseraError(error) ? error.code : 'foreign exception';
  }
}

function isRejected(envelope: Uint8Array, set: ChunkKeys): boolean {
  const outcome = rejection(envelope, set);
  return outcome !== 'opened' && outcome !== 'foreign exception' && REJECTIONS.has(outcome);
}

describe('envelope tampering is always rejected', () => {
  it('any single bit flip anywhere', () => {
    fc.assert(
      fc.property(policy, plaintextArb, fc.nat(), (p, plaintext, at) => {
        const { envelope } = sealChunk({ keys: keys[p], plaintext });
        const bit = at % (envelope.length * 8);
        envelope[bit >> 3]! ^= 1 << (bit & 7);
        expect(isRejected(envelope, keys[p])).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('a bit flip in every byte of one envelope (exhaustive over positions)', () => {
    for (const p of ['shared', 'isolated'] as const) {
      const { envelope } = sealChunk({ keys: keys[p], plaintext: Buffer.from('every position') });
      for (let i = 0; i < envelope.length; i++) {
        const damaged = Buffer.from(envelope);
        damaged[i]! ^= 0x10;
        expect(isRejected(damaged, keys[p])).toBe(true);
      }
    }
  });

  it("splicing one chunk's body under another chunk's header", () => {
    fc.assert(
      fc.property(policy, plaintextArb, plaintextArb, fc.boolean(), (p, a, b, sameLength) => {
        const second = sameLength ? Uint8Array.from(a, (byte) => byte ^ 0x5a) : b;
        fc.pre(!Buffer.from(a).equals(Buffer.from(second)));
        const sealedA = sealChunk({ keys: keys[p], plaintext: a }).envelope;
        const sealedB = sealChunk({ keys: keys[p], plaintext: second }).envelope;
        const headerB = parseEnvelopeHeader(sealedB).headerLength;
        const bodyA = sealedA.subarray(parseEnvelopeHeader(sealedA).headerLength);
        const spliced = Buffer.concat([sealedB.subarray(0, headerB), bodyA]);
        expect(isRejected(spliced, keys[p])).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('truncation and extension', () => {
    fc.assert(
      fc.property(policy, plaintextArb, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 40 }), (p, plaintext, cut, extra) => {
        const { envelope } = sealChunk({ keys: keys[p], plaintext });
        expect(isRejected(envelope.subarray(0, cut % envelope.length), keys[p])).toBe(true);
        expect(isRejected(Buffer.concat([envelope, extra]), keys[p])).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the decoder only ever throws TesseraError', () => {
  const onlyTyped = (fn: () => unknown): boolean => {
    try {
      fn();
      return true;
    } catch (error) {
      return isTesseraError(error);
    }
  };

  it('on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(onlyTyped(() => parseEnvelopeHeader(bytes))).toBe(true);
        expect(onlyTyped(() => openChunk(bytes, keys.shared))).toBe(true);
        expect(onlyTyped(() => openChunk(bytes, keys.isolated))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('on arbitrary bytes behind a valid magic and version (to reach the deeper fields)', () => {
    const prefix = Buffer.from('TSEN\x01\x00\x01', 'latin1');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (rest) => {
        const bytes = Buffer.concat([prefix, rest]);
        expect(onlyTyped(() => parseEnvelopeHeader(bytes))).toBe(true);
        expect(onlyTyped(() => openChunk(bytes, keys.shared))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('on valid envelopes with random bytes overwritten', () => {
    fc.assert(
      fc.property(policy, plaintextArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (p, plaintext, edits) => {
        const { envelope } = sealChunk({ keys: keys[p], plaintext });
        for (const [at, value] of edits) envelope[at % envelope.length] = value;
        expect(onlyTyped(() => parseEnvelopeHeader(envelope))).toBe(true);
        expect(onlyTyped(() => openChunk(envelope, keys[p]))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
