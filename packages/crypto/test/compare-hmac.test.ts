import { ErrorCodes } from '@tessera/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyMaterial, constantTimeEqual, hmacSha256, verifyHmac } from '../src/index.js';
import { codeOf } from './helpers.js';

describe('constantTimeEqual', () => {
  it('is byte equality for equal lengths, false for unequal lengths (never throwing)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
        expect(constantTimeEqual(a, Uint8Array.from(a))).toBe(true);
      }),
      { numRuns: 200 },
    );
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    expect(constantTimeEqual(Buffer.alloc(32), Buffer.alloc(31))).toBe(false);
  });

  it('compares views at their offsets, not their whole backing store', () => {
    const backing = Buffer.from('xxabcdyy');
    expect(constantTimeEqual(backing.subarray(2, 6), Buffer.from('abcd'))).toBe(true);
  });
});

describe('verifyHmac', () => {
  const key = KeyMaterial.generate();
  const message = Buffer.from('message');
  const tag = hmacSha256(key, message);

  it('verifies full and truncated tags', () => {
    expect(verifyHmac(key, message, tag)).toBe(true);
    expect(verifyHmac(key, message, tag.subarray(0, 16), 16)).toBe(true);
    expect(verifyHmac(key.expose(), message, tag.subarray(0, 20), 20)).toBe(true);
  });

  it('does not verify a wrong message, a changed tag, or a tag of the wrong length', () => {
    expect(verifyHmac(key, Buffer.from('messagf'), tag)).toBe(false);
    const changed = Buffer.from(tag);
    changed[31]! ^= 1;
    expect(verifyHmac(key, message, changed)).toBe(false);
    expect(verifyHmac(key, message, tag.subarray(0, 16))).toBe(false); // truncated tag where a full one is expected
    expect(verifyHmac(key, message, tag, 16)).toBe(false); // full tag where a truncated one is expected
    expect(verifyHmac(key, message, new Uint8Array(0))).toBe(false);
  });

  it('refuses tag lengths below 128 bits or above 256', () => {
    expect(codeOf(() => verifyHmac(key, message, tag.subarray(0, 8), 8))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => verifyHmac(key, message, tag, 33))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});
