import { randomBytes } from 'node:crypto';
import { ErrorCodes } from '@tessera/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeChunkId, openChunk, sealChunkParts } from '../src/index.js';
import { sealPartsWithNonce, sealWithNonce } from '../src/envelope.js';
import { codeOf } from './helpers.js';
import { makeKeys } from './keyset.js';

describe('sealChunkParts (zero-copy envelope)', () => {
  const keys = makeKeys();

  it('produces exactly the bytes sealChunk produces, for both policies', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), fc.uint8Array({ minLength: 12, maxLength: 12 }), fc.boolean(), (plaintext, nonce, isolated) => {
        const set = isolated ? keys.isolated : keys.shared;
        const whole = sealWithNonce({ keys: set, plaintext }, nonce);
        const parts = sealPartsWithNonce({ keys: set, plaintext }, nonce);
        const joined = Buffer.concat(parts.parts);
        expect(parts.length).toBe(joined.length);
        expect(joined.equals(whole.envelope)).toBe(true);
        expect(parts.chunkId.equals(whole.chunkId)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('opens with openChunk and uses a fresh nonce each time', () => {
    const plaintext = randomBytes(4096);
    const a = sealChunkParts({ keys: keys.isolated, plaintext });
    const b = sealChunkParts({ keys: keys.isolated, plaintext });
    expect(openChunk(Buffer.concat(a.parts), keys.isolated).equals(plaintext)).toBe(true);
    expect(a.parts[0].equals(b.parts[0])).toBe(false);
  });

  it('takes a precomputed id only for the same plaintext and keys', () => {
    const plaintext = randomBytes(1000);
    const id = computeChunkId(keys.shared, plaintext);
    expect(sealChunkParts({ keys: keys.shared, plaintext, chunkId: id }).chunkId.equals(id.id)).toBe(true);
    const other = randomBytes(1000);
    expect(codeOf(() => sealChunkParts({ keys: keys.shared, plaintext: other, chunkId: id }))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});
