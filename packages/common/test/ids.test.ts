import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError, chunkIdFromBytes, chunkIdToHex, isValidTenantId, parseChunkId, parseTenantId } from '../src/index.js';

describe('chunk ids', () => {
  it('round-trip between bytes and lowercase hex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const id = chunkIdFromBytes(bytes);
        const hex = chunkIdToHex(id);
        expect(hex).toMatch(/^[0-9a-f]{64}$/);
        expect(parseChunkId(hex).equals(id)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('reject wrong lengths and non-canonical hex', () => {
    for (const bad of ['', 'ab', 'A'.repeat(64), 'g'.repeat(64), '0'.repeat(63), '0'.repeat(65)]) {
      expect(() => parseChunkId(bad)).toThrowError(expect.objectContaining({ code: ErrorCodes.INVALID_CHUNK_ID }) as Error);
    }
    expect(() => chunkIdFromBytes(new Uint8Array(31))).toThrowError(TesseraError);
  });
});

describe('tenant ids', () => {
  it('accept 1-63 characters of [a-z0-9-]', () => {
    for (const ok of ['a', 'tenant-1', '0', 'a'.repeat(63), '---']) expect(isValidTenantId(ok)).toBe(true);
    expect(parseTenantId('acme')).toBe('acme');
  });

  it('reject everything else without echoing the input', () => {
    for (const bad of ['', 'A', 'a'.repeat(64), 'a_b', 'a/b', 'ä', 'a b', '../x', 'a\n']) {
      expect(isValidTenantId(bad)).toBe(false);
      try {
        parseTenantId(bad);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(TesseraError);
        expect((err as TesseraError).code).toBe(ErrorCodes.INVALID_TENANT_ID);
        if (bad.length > 1) expect((err as TesseraError).message).not.toContain(bad);
      }
    }
    expect(isValidTenantId(42)).toBe(false);
  });
});
