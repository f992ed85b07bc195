import { randomBytes } from 'node:crypto';
import { ErrorCodes } from '@tessera/common';
import { describe, expect, it, vi } from 'vitest';
import {
  AES_256_GCM,
  CHACHA20_POLY1305,
  KeyMaterial,
  aes256GcmOpen,
  aes256GcmSeal,
  aesGcmDecryptRaw,
  aesGcmEncryptRaw,
} from '../src/index.js';
import { codeOf } from './helpers.js';

const nonce = Buffer.alloc(12, 9);
const aad = Buffer.from('header');

describe('AES-256-GCM public API', () => {
  it('round-trips with KeyMaterial and with 32 raw bytes', () => {
    const key = KeyMaterial.generate();
    const plaintext = randomBytes(1000);
    const sealed = aes256GcmSeal(key, nonce, plaintext, aad);
    expect(sealed.length).toBe(plaintext.length + 16);
    expect(aes256GcmOpen(key, nonce, sealed, aad)).toEqual(plaintext);
    const raw = Buffer.from(key.expose());
    expect(aes256GcmOpen(raw, nonce, aes256GcmSeal(raw, nonce, plaintext, aad), aad)).toEqual(plaintext);
  });

  it('refuses keys that are not 32 bytes', () => {
    for (const size of [0, 16, 24, 31, 33, 64]) {
      expect(codeOf(() => aes256GcmSeal(Buffer.alloc(size), nonce, Buffer.alloc(1)))).toBe(ErrorCodes.CRYPTO_BAD_KEY);
      expect(codeOf(() => aes256GcmOpen(Buffer.alloc(size), nonce, Buffer.alloc(17)))).toBe(ErrorCodes.CRYPTO_BAD_KEY);
    }
  });

  it('refuses nonces that are not 12 bytes', () => {
    const key = KeyMaterial.generate();
    for (const size of [0, 8, 11, 13, 16]) {
      expect(codeOf(() => aes256GcmSeal(key, Buffer.alloc(size), Buffer.alloc(1)))).toBe(ErrorCodes.CRYPTO_BAD_NONCE);
      expect(codeOf(() => aes256GcmOpen(key, Buffer.alloc(size), Buffer.alloc(17)))).toBe(ErrorCodes.CRYPTO_BAD_NONCE);
    }
  });

  it('rejects a wrong key, nonce, AAD, ciphertext or tag with CRYPTO_AUTH_FAILED', () => {
    const key = KeyMaterial.generate();
    const sealed = aes256GcmSeal(key, nonce, Buffer.from('attack at dawn'), aad);
    const flipped = (i: number): Buffer => {
      const copy = Buffer.from(sealed);
      copy[i]! ^= 1;
      return copy;
    };
    expect(codeOf(() => aes256GcmOpen(KeyMaterial.generate(), nonce, sealed, aad))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
    expect(codeOf(() => aes256GcmOpen(key, Buffer.alloc(12, 8), sealed, aad))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
    expect(codeOf(() => aes256GcmOpen(key, nonce, sealed, Buffer.from('headeR')))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
    expect(codeOf(() => aes256GcmOpen(key, nonce, flipped(0), aad))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
    expect(codeOf(() => aes256GcmOpen(key, nonce, flipped(sealed.length - 1), aad))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
    expect(codeOf(() => aes256GcmOpen(key, nonce, sealed.subarray(0, 15), aad))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
  });

  it('refuses a truncated tag instead of checking only its prefix', () => {
    const key = Buffer.alloc(32, 1);
    const { ciphertext, tag } = aesGcmEncryptRaw(key, nonce, Buffer.from('short tags are forgeable'), aad);
    for (const length of [4, 8, 12, 15]) {
      expect(codeOf(() => aesGcmDecryptRaw(key, nonce, ciphertext, tag.subarray(0, length), aad))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
    }
  });

  it('the raw primitive takes 16/24/32-byte keys and nothing else', () => {
    for (const size of [16, 24, 32]) {
      const key = randomBytes(size);
      const { ciphertext, tag } = aesGcmEncryptRaw(key, nonce, Buffer.from('x'), aad);
      expect(aesGcmDecryptRaw(key, nonce, ciphertext, tag, aad).toString()).toBe('x');
    }
    for (const size of [0, 15, 20, 33]) {
      expect(codeOf(() => aesGcmEncryptRaw(Buffer.alloc(size), nonce, Buffer.from('x')))).toBe(ErrorCodes.CRYPTO_BAD_KEY);
    }
  });

  it('releases no plaintext when the tag is wrong: the decrypted bytes are zeroed and only an error comes out', () => {
    const key = Buffer.alloc(32, 3);
    const plaintext = Buffer.alloc(4096, 0x41);
    const { ciphertext, tag } = aesGcmEncryptRaw(key, nonce, plaintext, aad);
    tag[0]! ^= 1;
    // update() output is internal to open(); observe its wipe through Buffer.prototype.fill.
    const fill = vi.spyOn(Buffer.prototype, 'fill');
    try {
      expect(codeOf(() => AES_256_GCM.open(key, nonce, aad, ciphertext, tag))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
      const wiped = fill.mock.calls.some((call, i) => call[0] === 0 && (fill.mock.contexts[i] as Buffer).length === plaintext.length);
      expect(wiped).toBe(true);
    } finally {
      fill.mockRestore();
    }
  });
});

describe('ChaCha20-Poly1305 (node:crypto) as an AeadAlgorithm', () => {
  it('round-trips and authenticates', () => {
    const key = randomBytes(32);
    const plaintext = randomBytes(300);
    const out = Buffer.alloc(plaintext.length + 16);
    CHACHA20_POLY1305.sealInto(key, nonce, aad, plaintext, out, 0);
    expect(CHACHA20_POLY1305.open(key, nonce, aad, out.subarray(0, 300), out.subarray(300))).toEqual(plaintext);
    out[5]! ^= 0x80;
    expect(codeOf(() => CHACHA20_POLY1305.open(key, nonce, aad, out.subarray(0, 300), out.subarray(300)))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
  });

  it('matches RFC 8439 section 2.8.2', () => {
    const key = Buffer.from('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f', 'hex');
    const iv = Buffer.from('070000004041424344454647', 'hex');
    const rfcAad = Buffer.from('50515253c0c1c2c3c4c5c6c7', 'hex');
    const text = Buffer.from("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
    const out = Buffer.alloc(text.length + 16);
    CHACHA20_POLY1305.sealInto(key, iv, rfcAad, text, out, 0);
    expect(out.subarray(text.length).toString('hex')).toBe('1ae10b594f09e26a7e902ecbd0600691');
    expect(out.subarray(0, 16).toString('hex')).toBe('d31a8d34648e60db7b86afbc53ef7ec2');
  });
});
