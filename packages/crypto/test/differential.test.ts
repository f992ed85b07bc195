/**
 * Differential test of AES-256-GCM: @noble/ciphers (independent pure-JS
 * implementation) opens what node:crypto seals through this package, and this
 * package opens what noble seals. Sizes 0..1 MiB, biased towards the block
 * edges (0, 1, 15, 16, 17) and large inputs.
 */
import { gcm } from '@noble/ciphers/aes.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aes256GcmOpen, aes256GcmSeal } from '../src/index.js';

const MiB = 1024 * 1024;
const size = fc.oneof(
  fc.constantFrom(0, 1, 15, 16, 17, 31, 32, 33),
  fc.integer({ min: 0, max: 4096 }),
  fc.integer({ min: MiB - 4096, max: MiB }),
  fc.integer({ min: 0, max: MiB }),
);
const bytes = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n });

describe('AES-256-GCM: node:crypto and @noble/ciphers agree', () => {
  it('noble opens what we seal, and we open what noble seals', () => {
    fc.assert(
      fc.property(bytes(32), bytes(12), fc.uint8Array({ maxLength: 64 }), size, fc.integer(), (key, nonce, aad, n, seed) => {
        // Large plaintexts come from a seeded xorshift: fast-check arrays of a megabyte are slow to build.
        const plaintext = Buffer.alloc(n);
        let state = seed | 1;
        for (let i = 0; i < n; i++) {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          plaintext[i] = state & 0xff;
        }
        const ours = aes256GcmSeal(key, nonce, plaintext, aad);
        const theirs = gcm(key, nonce, aad).encrypt(plaintext);
        expect(Buffer.from(theirs).equals(ours)).toBe(true);
        expect(Buffer.from(gcm(key, nonce, aad).decrypt(ours)).equals(plaintext)).toBe(true);
        expect(aes256GcmOpen(key, nonce, theirs, aad).equals(plaintext)).toBe(true);
      }),
      {
        numRuns: 20,
        // The edge sizes always run, whatever the random draw.
        examples: [0, 1, 15, 16, 17, MiB].map((n): [Uint8Array, Uint8Array, Uint8Array, number, number] => [new Uint8Array(32).fill(n & 0xff), new Uint8Array(12).fill(1), new Uint8Array(0), n, n]),
      },
    );
  });
});
