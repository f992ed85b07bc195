/**
 * Crypto-agility: a second AEAD registered under a new id round-trips through
 * the envelope. (Its own file: registration changes the module-wide registry,
 * and vitest gives each test file a fresh module graph.)
 */
import { randomBytes } from 'node:crypto';
import { ErrorCodes } from '@tessera/common';
import { describe, expect, it } from 'vitest';
import { AES_256_GCM, AeadIds, CHACHA20_POLY1305, isAeadRegistered, openChunk, parseEnvelopeHeader, registerAead, sealChunk } from '../src/index.js';
import type { AeadAlgorithm } from '../src/index.js';
import { codeOf } from './helpers.js';
import { makeKeys } from './keyset.js';

describe('AEAD registry', () => {
  const keys = makeKeys();

  it('ChaCha20-Poly1305 is not registered until asked for', () => {
    expect(isAeadRegistered(AeadIds.CHACHA20_POLY1305)).toBe(false);
    expect(codeOf(() => sealChunk({ keys: keys.shared, plaintext: Buffer.from('x'), alg: AeadIds.CHACHA20_POLY1305 }))).toBe(ErrorCodes.CRYPTO_UNKNOWN_ALGORITHM);
  });

  it('a registered ChaCha20-Poly1305 round-trips through envelopes of both policies', () => {
    registerAead(AeadIds.CHACHA20_POLY1305, CHACHA20_POLY1305);
    for (const set of [keys.shared, keys.isolated]) {
      for (const size of [0, 1, 64, 70_000]) {
        const plaintext = randomBytes(size);
        const { envelope } = sealChunk({ keys: set, plaintext, alg: AeadIds.CHACHA20_POLY1305 });
        expect(parseEnvelopeHeader(envelope).alg).toBe(AeadIds.CHACHA20_POLY1305);
        expect(openChunk(envelope, set).equals(plaintext)).toBe(true);
      }
    }
  });

  it('the algorithm id is authenticated: relabelling a ChaCha envelope as AES-GCM fails', () => {
    const { envelope } = sealChunk({ keys: keys.shared, plaintext: Buffer.from('agile'), alg: AeadIds.CHACHA20_POLY1305 });
    envelope.writeUInt16BE(AeadIds.AES_256_GCM, 5);
    expect(codeOf(() => openChunk(envelope, keys.shared))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
  });

  it('refuses re-registration, bad ids and algorithms that do not fit envelope v1', () => {
    expect(codeOf(() => registerAead(AeadIds.AES_256_GCM, CHACHA20_POLY1305))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => registerAead(0, CHACHA20_POLY1305))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => registerAead(0x10000, CHACHA20_POLY1305))).toBe(ErrorCodes.INVALID_ARGUMENT);
    const shortTag = { ...AES_256_GCM, tagLength: 8 } as unknown as AeadAlgorithm;
    expect(codeOf(() => registerAead(99, shortTag))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(isAeadRegistered(99)).toBe(false);
  });
});
