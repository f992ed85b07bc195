/**
 * HKDF-SHA256: every Wycheproof case and RFC 5869 cases 1-3 (PRK and OKM).
 * HMAC-SHA256: every Wycheproof case, full and truncated tags, through
 * hmacSha256 and verifyHmac.
 */
import { describeVectors, readVectorJson } from '@tessera/common/testing';
import { ErrorCodes, isTesseraError } from '@tessera/common';
import { afterAll, expect, it } from 'vitest';
import { hkdfExpand, hkdfExtract, hkdfSha256, hmacSha256, verifyHmac } from '../src/index.js';
import { casesOf, hex } from './wycheproof.js';
import type { HkdfCase, HkdfGroup, MacCase, MacGroup, WycheproofFile } from './wycheproof.js';

interface Rfc5869File {
  readonly tests: ReadonlyArray<{ tcId: number; ikm: string; salt: string; info: string; L: number; prk: string; okm: string }>;
}

describeVectors('Wycheproof hkdf_sha256_test.json', (dir) => {
  const file = readVectorJson<WycheproofFile<HkdfGroup>>(dir, 'wycheproof/hkdf_sha256_test.json');
  const cases = casesOf<HkdfGroup, HkdfCase>(file);
  let exercised = 0;

  it('passes every case', () => {
    expect(cases.length).toBe(file.numberOfTests);
    expect(cases.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const { test } of cases) {
      let okm: string | undefined;
      let code: string | undefined;
      try {
        okm = hkdfSha256(hex(test.ikm), hex(test.salt), hex(test.info), test.size).toString('hex');
      } catch (error) {
        code = isTesseraError(error) ? error.code : 'non-TesseraError';
      }
      if (test.result === 'valid' && okm !== test.okm) failures.push(`tc ${test.tcId}: ${code ?? 'wrong okm'}`);
      if (test.result === 'invalid' && code !== ErrorCodes.INVALID_ARGUMENT) failures.push(`tc ${test.tcId}: accepted`);
      exercised++;
    }
    expect(failures).toEqual([]);
  });

  afterAll(() => console.info(`hkdf_sha256: ${exercised} cases exercised`));
});

describeVectors('RFC 5869 HKDF-SHA256 test cases 1-3', (dir) => {
  const file = readVectorJson<Rfc5869File>(dir, 'rfc5869.json');

  it('has the three cases', () => {
    expect(file.tests.map((t) => t.tcId)).toEqual([1, 2, 3]);
  });

  for (const test of file.tests) {
    it(`case ${test.tcId}: PRK, OKM, and the one-shot HKDF`, () => {
      const prk = hkdfExtract(hex(test.salt), hex(test.ikm));
      expect(prk.toString('hex')).toBe(test.prk);
      expect(hkdfExpand(prk, hex(test.info), test.L).toString('hex')).toBe(test.okm);
      expect(hkdfSha256(hex(test.ikm), hex(test.salt), hex(test.info), test.L).toString('hex')).toBe(test.okm);
    });
  }
});

describeVectors('Wycheproof hmac_sha256_test.json', (dir) => {
  const file = readVectorJson<WycheproofFile<MacGroup>>(dir, 'wycheproof/hmac_sha256_test.json');
  const cases = casesOf<MacGroup, MacCase>(file);
  let exercised = 0;

  it('covers full and truncated tags', () => {
    expect(cases.length).toBe(file.numberOfTests);
    expect(new Set(cases.map(({ group }) => group.tagSize))).toEqual(new Set([128, 256]));
  });

  it('passes every case', () => {
    const failures: string[] = [];
    for (const { group, test } of cases) {
      const tagBytes = group.tagSize / 8;
      const key = hex(test.key);
      const msg = hex(test.msg);
      const tag = hex(test.tag);
      const computed = hmacSha256(key, msg).subarray(0, tagBytes);
      const verified = verifyHmac(key, msg, tag, tagBytes);
      if (test.result === 'valid') {
        if (computed.toString('hex') !== test.tag) failures.push(`tc ${test.tcId}/${group.tagSize}: wrong mac`);
        if (!verified) failures.push(`tc ${test.tcId}/${group.tagSize}: did not verify`);
      } else if (verified) {
        failures.push(`tc ${test.tcId}/${group.tagSize}: invalid tag verified`);
      }
      exercised++;
    }
    expect(failures).toEqual([]);
  });

  afterAll(() => console.info(`hmac_sha256: ${exercised} cases exercised`));
});
