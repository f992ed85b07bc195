import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { describeVectors, readVectorJson } from '@tessera/common/testing';
import { crc32c, crc32cImplementation, crc32cReference } from '../src/index.js';
import { loadNativeCrc32c, resolveCrc32c } from '../src/crc32c.js';
import { expectTesseraError } from './support/shards.js';

interface Crc32cVectorFile {
  readonly vectors: readonly { readonly name: string; readonly inputHex: string; readonly crc32c: string; readonly rfcWireBytes?: string }[];
}

describeVectors('CRC-32C known answers (RFC 3720 B.4, CRC catalogue)', (dir) => {
  const file = readVectorJson<Crc32cVectorFile>(dir, 'crc32c.json');

  it('has cases to check', () => {
    expect(file.vectors.length).toBeGreaterThan(0);
  });

  describe.each(file.vectors)('$name', (vector) => {
    const input = Buffer.from(vector.inputHex, 'hex');
    // `crc32c` is the API value as big-endian hex
    const expected = Number.parseInt(vector.crc32c, 16);

    it('matches with the active implementation and the reference', () => {
      expect(crc32c(input)).toBe(expected);
      expect(crc32cReference(input)).toBe(expected);
    });

    it('matches when computed in two incremental steps', () => {
      const cut = input.length >> 1;
      expect(crc32c(input.subarray(cut), crc32c(input.subarray(0, cut)))).toBe(expected);
      expect(crc32cReference(input.subarray(cut), crc32cReference(input.subarray(0, cut)))).toBe(expected);
    });

    if (vector.rfcWireBytes !== undefined) {
      const wire = vector.rfcWireBytes;
      it('puts the value on the wire least-significant byte first, as RFC 3720 prints it', () => {
        const le = Buffer.alloc(4);
        le.writeUInt32LE(crc32c(input));
        expect(le.toString('hex')).toBe(wire);
      });
    }
  });
});

describe('CRC-32C implementations', () => {
  it('uses the native fast path whenever @node-rs/crc32 loads here', () => {
    let nativeLoads = true;
    try {
      createRequire(import.meta.url)('@node-rs/crc32');
    } catch {
      nativeLoads = false;
    }
    expect(crc32cImplementation()).toBe(nativeLoads ? 'node-rs' : 'crc-32');
  });

  it('agrees between native and reference on random buffers and incremental updates', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.nat(), fc.nat({ max: 0xffff_ffff }), (buf, cutSeed, previous) => {
        const cut = buf.length === 0 ? 0 : cutSeed % (buf.length + 1);
        const whole = crc32c(buf);
        expect(whole).toBe(crc32cReference(buf));
        expect(crc32c(buf.subarray(cut), crc32c(buf.subarray(0, cut)))).toBe(whole);
        // the two continue each other's running CRCs
        expect(crc32cReference(buf.subarray(cut), crc32c(buf.subarray(0, cut)))).toBe(whole);
        expect(crc32c(buf, previous)).toBe(crc32cReference(buf, previous));
        expect(whole >>> 0).toBe(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on a 1 MiB buffer', () => {
    const big = new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24);
    expect(crc32c(big)).toBe(crc32cReference(big));
  });

  it('falls back when the native module is missing, malformed or wrong', () => {
    expect(
      loadNativeCrc32c(() => {
        throw new Error('Cannot find module @node-rs/crc32-linux-x64-gnu');
      }),
    ).toBeUndefined();
    expect(loadNativeCrc32c(() => ({}))).toBeUndefined();
    expect(loadNativeCrc32c(() => ({ crc32c: () => 0 }))).toBeUndefined();
    const viaReference = loadNativeCrc32c(() => ({ crc32c: (b: Uint8Array, p?: number | null) => crc32cReference(b, p ?? 0) }));
    expect(viaReference?.(Buffer.from('123456789'), 0)).toBe(0xe3069283);

    const fallback = resolveCrc32c(() => {
      throw new Error('no prebuilt binary');
    });
    expect(fallback.name).toBe('crc-32');
    expect(fallback.fn(Buffer.from('123456789'), 0)).toBe(0xe3069283);
  });

  it('rejects a previous value that is not a u32', () => {
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN]) {
      expectTesseraError(() => crc32c(new Uint8Array(1), bad), ErrorCodes.INVALID_ARGUMENT);
      expectTesseraError(() => crc32cReference(new Uint8Array(1), bad), ErrorCodes.INVALID_ARGUMENT);
    }
  });
});
