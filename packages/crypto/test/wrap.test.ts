import { ErrorCodes, isTesseraError } from '@tessera/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyMaterial, WrapPurposes, unwrapKey, wrapKey } from '../src/index.js';
import type { WrapContext } from '../src/index.js';
import { codeOf } from './helpers.js';

const kek = KeyMaterial.generate();
const tdk = KeyMaterial.generate();
const tdkContext: WrapContext = { purpose: 'tdk', tenant: 'acme', epoch: 3, kekVersion: 2 };
const blob = wrapKey(kek, tdk, tdkContext);

describe('context-bound key wrap', () => {
  it('unwraps under the same context to the same key', () => {
    const back = unwrapKey(kek, blob, tdkContext);
    expect(back.expose().equals(tdk.expose())).toBe(true);
    expect(back).not.toBe(tdk);
  });

  it('round-trips every purpose', () => {
    const contexts: WrapContext[] = [
      { purpose: WrapPurposes.SYSTEM_MASTER, epoch: 9, kekVersion: 1 },
      { purpose: WrapPurposes.DEDUP, epoch: 0, kekVersion: 1 },
      { purpose: WrapPurposes.TDK, tenant: 'a', epoch: 1, kekVersion: 0 },
      { purpose: WrapPurposes.TIK, tenant: 'b-2', epoch: 0, kekVersion: 0xffff_ffff },
    ];
    for (const context of contexts) {
      const key = KeyMaterial.generate();
      expect(unwrapKey(kek, wrapKey(kek, key, context), context).expose().equals(key.expose())).toBe(true);
    }
  });

  it('a TIK blob does not unwrap as a TDK (and vice versa)', () => {
    const tik = KeyMaterial.generate();
    const tikBlob = wrapKey(kek, tik, { purpose: 'tik', tenant: 'acme', epoch: 3, kekVersion: 2 });
    expect(codeOf(() => unwrapKey(kek, tikBlob, tdkContext))).toBe(ErrorCodes.CRYPTO_UNWRAP_FAILED);
    expect(codeOf(() => unwrapKey(kek, blob, { ...tdkContext, purpose: 'tik' }))).toBe(ErrorCodes.CRYPTO_UNWRAP_FAILED);
  });

  it('an epoch-3 blob does not unwrap as epoch 4', () => {
    expect(codeOf(() => unwrapKey(kek, blob, { ...tdkContext, epoch: 4 }))).toBe(ErrorCodes.CRYPTO_UNWRAP_FAILED);
  });

  it('a wrong tenant or KEK version fails', () => {
    expect(codeOf(() => unwrapKey(kek, blob, { ...tdkContext, tenant: 'acme2' }))).toBe(ErrorCodes.CRYPTO_UNWRAP_FAILED);
    expect(codeOf(() => unwrapKey(kek, blob, { ...tdkContext, tenant: 'acm' }))).toBe(ErrorCodes.CRYPTO_UNWRAP_FAILED);
    expect(codeOf(() => unwrapKey(kek, blob, { ...tdkContext, kekVersion: 3 }))).toBe(ErrorCodes.CRYPTO_UNWRAP_FAILED);
  });

  it('a system key does not unwrap as another system purpose', () => {
    const master = KeyMaterial.generate();
    const masterBlob = wrapKey(kek, master, { purpose: 'system-master', epoch: 1, kekVersion: 1 });
    expect(codeOf(() => unwrapKey(kek, masterBlob, { purpose: 'dedup', epoch: 1, kekVersion: 1 }))).toBe(ErrorCodes.CRYPTO_UNWRAP_FAILED);
  });

  it('a wrong KEK fails', () => {
    expect(codeOf(() => unwrapKey(KeyMaterial.generate(), blob, tdkContext))).toBe(ErrorCodes.CRYPTO_UNWRAP_FAILED);
  });

  it('refuses contexts that break the tenant rules, at wrap and at unwrap', () => {
    const key = KeyMaterial.generate();
    const bad: WrapContext[] = [
      { purpose: 'tdk', epoch: 1, kekVersion: 1 }, // tenant key without a tenant
      { purpose: 'tik', tenant: 'Not Valid', epoch: 1, kekVersion: 1 },
      { purpose: 'system-master', tenant: 'acme', epoch: 1, kekVersion: 1 }, // system key naming a tenant
      { purpose: 'tdk', tenant: 'acme', epoch: -1, kekVersion: 1 },
      { purpose: 'tdk', tenant: 'acme', epoch: 1, kekVersion: 2 ** 32 },
      { purpose: 'unknown' as WrapContext['purpose'], epoch: 1, kekVersion: 1 },
    ];
    for (const context of bad) {
      expect(codeOf(() => wrapKey(kek, key, context))).toBe(ErrorCodes.CRYPTO_WRAP_FAILED);
      expect(codeOf(() => unwrapKey(kek, blob, context))).toBe(ErrorCodes.CRYPTO_UNWRAP_FAILED);
    }
  });

  it('a destroyed KEK or key refuses to work', () => {
    const doomed = KeyMaterial.generate();
    doomed.destroy();
    expect(codeOf(() => wrapKey(doomed, tdk, tdkContext))).toBe(ErrorCodes.CRYPTO_KEY_DESTROYED);
    expect(codeOf(() => wrapKey(kek, doomed, tdkContext))).toBe(ErrorCodes.CRYPTO_KEY_DESTROYED);
    expect(codeOf(() => unwrapKey(doomed, blob, tdkContext))).toBe(ErrorCodes.CRYPTO_KEY_DESTROYED);
  });

  it('any single bit flip in a blob fails closed', () => {
    fc.assert(
      fc.property(fc.nat({ max: blob.length * 8 - 1 }), (bit) => {
        const damaged = Buffer.from(blob);
        damaged[bit >> 3]! ^= 1 << (bit & 7);
        expect(codeOf(() => unwrapKey(kek, damaged, tdkContext))).toBe(ErrorCodes.CRYPTO_UNWRAP_FAILED);
      }),
      { numRuns: 100 },
    );
  });

  it('arbitrary bytes only ever produce CRYPTO_UNWRAP_FAILED', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          unwrapKey(kek, bytes, tdkContext);
          return false;
        } catch (error) {
          return isTesseraError(error, ErrorCodes.CRYPTO_UNWRAP_FAILED);
        }
      }),
      { numRuns: 300 },
    );
  });
});
