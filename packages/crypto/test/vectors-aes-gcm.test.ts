/**
 * Wycheproof AES-GCM against the raw primitive: every case with a 96-bit IV
 * and 128-bit tag, for 128/192/256-bit keys. Valid cases must decrypt to the
 * message and encrypt to ct ‖ tag; invalid ones must be rejected. Cases with
 * other IV sizes must be refused with CRYPTO_BAD_NONCE (12-byte IVs only).
 */
import { describeVectors, readVectorJson } from '@tessera/common/testing';
import { ErrorCodes, isTesseraError } from '@tessera/common';
import { afterAll, expect, it } from 'vitest';
import { aesGcmDecryptRaw, aesGcmEncryptRaw } from '../src/index.js';
import { casesOf, hex } from './wycheproof.js';
import type { AeadCase, AeadGroup, WycheproofFile } from './wycheproof.js';

function rejects(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return isTesseraError(error) ? error.code : 'non-TesseraError';
  }
}

describeVectors('Wycheproof aes_gcm_test.json (raw AES-GCM, 12-byte IV, 16-byte tag)', (dir) => {
  const file = readVectorJson<WycheproofFile<AeadGroup>>(dir, 'wycheproof/aes_gcm_test.json');
  const all = casesOf<AeadGroup, AeadCase>(file);
  const inScope = all.filter(({ group }) => group.ivSize === 96 && group.tagSize === 128);
  const outOfScope = all.filter(({ group }) => group.ivSize !== 96);
  let exercised = 0;

  it('iterates the file and finds in-scope cases for every key size', () => {
    expect(all.length).toBe(file.numberOfTests);
    expect(inScope.length).toBeGreaterThan(0);
    expect(new Set(inScope.map(({ group }) => group.keySize))).toEqual(new Set([128, 192, 256]));
  });

  it('passes every in-scope case', () => {
    const failures: string[] = [];
    for (const { test } of inScope) {
      const key = hex(test.key);
      const iv = hex(test.iv);
      const aad = hex(test.aad);
      if (test.result === 'valid') {
        let plaintext: Buffer | undefined;
        try {
          plaintext = aesGcmDecryptRaw(key, iv, hex(test.ct), hex(test.tag), aad);
        } catch {
          plaintext = undefined;
        }
        if (plaintext === undefined || plaintext.toString('hex') !== test.msg) failures.push(`tc ${test.tcId}: decrypt`);
        const sealed = aesGcmEncryptRaw(key, iv, hex(test.msg), aad);
        if (sealed.ciphertext.toString('hex') !== test.ct || sealed.tag.toString('hex') !== test.tag) failures.push(`tc ${test.tcId}: encrypt`);
      } else {
        // No 'acceptable' AES-GCM cases exist; anything not valid must be refused with a typed error.
        const code = rejects(() => aesGcmDecryptRaw(key, iv, hex(test.ct), hex(test.tag), aad));
        if (code !== ErrorCodes.CRYPTO_AUTH_FAILED) failures.push(`tc ${test.tcId}: ${code ?? 'accepted'}`);
      }
      exercised++;
    }
    expect(failures).toEqual([]);
    expect(exercised).toBe(inScope.length);
  });

  it('refuses every case whose IV is not 12 bytes, with CRYPTO_BAD_NONCE', () => {
    expect(outOfScope.length).toBeGreaterThan(0);
    for (const { test } of outOfScope) {
      const key = hex(test.key);
      const iv = hex(test.iv);
      expect(rejects(() => aesGcmDecryptRaw(key, iv, hex(test.ct), hex(test.tag), hex(test.aad)))).toBe(ErrorCodes.CRYPTO_BAD_NONCE);
      expect(rejects(() => aesGcmEncryptRaw(key, iv, hex(test.msg), hex(test.aad)))).toBe(ErrorCodes.CRYPTO_BAD_NONCE);
    }
  });

  afterAll(() => {
    // Reported in the test output so the count is visible in CI logs.
    console.info(`aes_gcm: ${exercised} in-scope cases exercised (of ${all.length} in the file)`);
  });
});
