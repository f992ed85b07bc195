/**
 * Wycheproof AES-KWP (RFC 5649) and AES-KW (RFC 3394) against the raw wrap
 * primitives. Valid: wrap gives ct, unwrap gives msg. Invalid: unwrap refuses
 * with CRYPTO_UNWRAP_FAILED (including the empty ciphertexts that node:crypto
 * would unwrap to an empty key). Acceptable (KW, 8-byte key): either outcome,
 * but an accepted unwrap must return the message.
 */
import { describeVectors, readVectorJson } from '@tessera/common/testing';
import { ErrorCodes, isTesseraError } from '@tessera/common';
import { afterAll, expect, it } from 'vitest';
import { aesKwUnwrap, aesKwWrap, aesKwpUnwrap, aesKwpWrap } from '../src/index.js';
import { casesOf, hex } from './wycheproof.js';
import type { KeyWrapCase, KeyWrapGroup, WycheproofFile } from './wycheproof.js';

type Outcome = { ok: true; value: string } | { ok: false; code: string };

function attempt(fn: () => Buffer): Outcome {
  try {
    return { ok: true, value: fn().toString('hex') };
  } catch (error) {
    return { ok: false, code: isTesseraError(error) ? error.code : 'non-TesseraError' };
  }
}

interface Primitive {
  readonly file: string;
  readonly wrap: (kek: Uint8Array, key: Uint8Array) => Buffer;
  readonly unwrap: (kek: Uint8Array, wrapped: Uint8Array) => Buffer;
}

const primitives: readonly Primitive[] = [
  { file: 'wycheproof/aes_kwp_test.json', wrap: aesKwpWrap, unwrap: aesKwpUnwrap },
  { file: 'wycheproof/aes_wrap_test.json', wrap: aesKwWrap, unwrap: aesKwUnwrap },
];

describeVectors('Wycheproof key wrap (KWP and KW)', (dir) => {
  const counts: string[] = [];
  for (const primitive of primitives) {
    it(`passes every case of ${primitive.file}`, () => {
      const file = readVectorJson<WycheproofFile<KeyWrapGroup>>(dir, primitive.file);
      const cases = casesOf<KeyWrapGroup, KeyWrapCase>(file);
      expect(cases.length).toBe(file.numberOfTests);
      expect(cases.length).toBeGreaterThan(0);
      const failures: string[] = [];
      let emptyCiphertexts = 0;
      for (const { test } of cases) {
        const kek = hex(test.key);
        const unwrapped = attempt(() => primitive.unwrap(kek, hex(test.ct)));
        if (test.result === 'valid') {
          if (!unwrapped.ok || unwrapped.value !== test.msg) failures.push(`tc ${test.tcId}: unwrap`);
          const wrapped = attempt(() => primitive.wrap(kek, hex(test.msg)));
          if (!wrapped.ok || wrapped.value !== test.ct) failures.push(`tc ${test.tcId}: wrap`);
        } else if (test.result === 'invalid') {
          if (test.ct === '') emptyCiphertexts++;
          if (unwrapped.ok || unwrapped.code !== ErrorCodes.CRYPTO_UNWRAP_FAILED) failures.push(`tc ${test.tcId}: not refused`);
        } else if (unwrapped.ok && unwrapped.value !== test.msg) {
          failures.push(`tc ${test.tcId}: acceptable case unwrapped to the wrong key`);
        }
      }
      expect(failures).toEqual([]);
      counts.push(`${primitive.file}: ${cases.length} cases (${emptyCiphertexts} with an empty ciphertext)`);
    });
  }

  it('refuses empty and misaligned inputs before the primitive runs', () => {
    const kek = Buffer.alloc(32, 7);
    for (const unwrap of [aesKwUnwrap, aesKwpUnwrap]) {
      expect(attempt(() => unwrap(kek, Buffer.alloc(0)))).toEqual({ ok: false, code: ErrorCodes.CRYPTO_UNWRAP_FAILED });
      expect(attempt(() => unwrap(kek, Buffer.alloc(25)))).toEqual({ ok: false, code: ErrorCodes.CRYPTO_UNWRAP_FAILED });
    }
    expect(attempt(() => aesKwWrap(kek, Buffer.alloc(0)))).toEqual({ ok: false, code: ErrorCodes.CRYPTO_WRAP_FAILED });
    expect(attempt(() => aesKwWrap(kek, Buffer.alloc(12)))).toEqual({ ok: false, code: ErrorCodes.CRYPTO_WRAP_FAILED });
    expect(attempt(() => aesKwpWrap(kek, Buffer.alloc(0)))).toEqual({ ok: false, code: ErrorCodes.CRYPTO_WRAP_FAILED });
    expect(attempt(() => aesKwpWrap(Buffer.alloc(20), Buffer.alloc(32)))).toEqual({ ok: false, code: ErrorCodes.CRYPTO_WRAP_FAILED });
  });

  afterAll(() => console.info(`key wrap: ${counts.join('; ')}`));
});
