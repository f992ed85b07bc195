import { inspect, format } from 'node:util';
import { ErrorCodes, Logger, SECRET_BRAND, isSecretBranded } from '@tessera/common';
import { describe, expect, it } from 'vitest';
import { ChunkKeys, KeyMaterial, computeChunkId } from '../src/index.js';
import { codeOf } from './helpers.js';

function encodings(bytes: Buffer): string[] {
  return [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64url')];
}

function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: new Logger({ level: 'debug', sink: { write: (line) => lines.push(line) } }), lines };
}

describe('KeyMaterial', () => {
  it('holds 32 bytes in a buffer of its own (not a slice of the shared pool)', () => {
    const key = KeyMaterial.generate();
    const bytes = key.expose();
    expect(bytes.length).toBe(32);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(32);
    const copied = KeyMaterial.fromBytes(Buffer.alloc(32, 7)).expose();
    expect(copied.buffer.byteLength).toBe(32);
  });

  it('copies its source, so wiping the source leaves the key intact', () => {
    const source = Buffer.alloc(32, 9);
    const key = KeyMaterial.fromBytes(source);
    source.fill(0);
    expect(key.expose()).toEqual(Buffer.alloc(32, 9));
  });

  it('refuses anything but 32 bytes', () => {
    for (const size of [0, 16, 31, 33]) expect(codeOf(() => KeyMaterial.fromBytes(Buffer.alloc(size)))).toBe(ErrorCodes.CRYPTO_BAD_KEY);
  });

  it('generates distinct random keys', () => {
    const seen = new Set(Array.from({ length: 100 }, () => KeyMaterial.generate().expose().toString('hex')));
    expect(seen.size).toBe(100);
  });

  it('destroy() zero-fills the bytes; every later use throws CRYPTO_KEY_DESTROYED', () => {
    const key = KeyMaterial.fromBytes(Buffer.alloc(32, 0xaa));
    const live = key.expose();
    key.destroy();
    expect(live).toEqual(Buffer.alloc(32)); // the very buffer that held the key is now zero
    expect(key.destroyed).toBe(true);
    expect(codeOf(() => key.expose())).toBe(ErrorCodes.CRYPTO_KEY_DESTROYED);
    expect(codeOf(() => key.assertAlive())).toBe(ErrorCodes.CRYPTO_KEY_DESTROYED);
    expect(codeOf(() => key.onDestroy(() => undefined))).toBe(ErrorCodes.CRYPTO_KEY_DESTROYED);
    key.destroy(); // idempotent
  });

  it('never shows its bytes through toString, toJSON, inspect or format', () => {
    const key = KeyMaterial.generate();
    const shown = [String(key), `${key}`, JSON.stringify(key), JSON.stringify({ key }), inspect(key), inspect({ nested: { key } }, { depth: 10 }), format('%o %O %s %j', key, key, key, key)];
    for (const text of shown) {
      for (const encoded of encodings(key.expose())) expect(text).not.toContain(encoded);
    }
    expect(String(key)).toBe('KeyMaterial([redacted])');
  });

  it('is secret-branded, so the logger redacts it wherever it appears', () => {
    const key = KeyMaterial.generate();
    expect(isSecretBranded(key)).toBe(true);
    expect(key[SECRET_BRAND]).toBe(true);
    const { logger, lines } = captureLogger();
    logger.info('fetched', { material: key, nested: { deeper: [key] }, note: 'fine' });
    logger.info('as text', { text: key.toString(), json: JSON.parse(JSON.stringify({ key })) as unknown });
    logger.info('encoded by mistake', { blob: key.expose().toString('hex'), blob64: key.expose().toString('base64'), raw: key.expose() });
    const output = lines.join('');
    for (const encoded of encodings(key.expose())) expect(output).not.toContain(encoded);
    expect(output).toContain('fine');
  });
});

describe('ChunkKeys lifetime follows its source keys', () => {
  const sources = () => ({ master: KeyMaterial.generate(), tdk: KeyMaterial.generate(), tik: KeyMaterial.generate() });

  for (const which of ['master', 'tdk', 'tik'] as const) {
    it(`destroying the ${which} destroys the isolated key set derived from it`, () => {
      const s = sources();
      const set = ChunkKeys.isolated({ sysEpoch: 1, tenant: 't', tenEpoch: 1, ...s });
      s[which].destroy();
      expect(set.destroyed).toBe(true);
      expect(codeOf(() => computeChunkId(set, Buffer.from('x')))).toBe(ErrorCodes.CRYPTO_KEY_DESTROYED);
    });
  }

  it('destroying a key set leaves the caller-owned keys (such as the cluster dedup key) alive', () => {
    const master = KeyMaterial.generate();
    const dedupKey = KeyMaterial.generate();
    const set = ChunkKeys.shared({ sysEpoch: 1, master, dedupKey });
    set.destroy();
    expect(master.destroyed).toBe(false);
    expect(dedupKey.destroyed).toBe(false);
    master.destroy(); // after release, a late source destroy is harmless
    expect(set.destroyed).toBe(true);
  });

  it('is secret-branded and prints no key bytes', () => {
    const s = sources();
    const set = ChunkKeys.isolated({ sysEpoch: 1, tenant: 't', tenEpoch: 1, ...s });
    expect(isSecretBranded(set)).toBe(true);
    expect(inspect(set)).toBe('ChunkKeys([redacted])');
    expect(JSON.stringify({ set })).toBe('{"set":"ChunkKeys([redacted])"}');
  });

  it('refuses bad epochs and tenants', () => {
    const s = sources();
    expect(codeOf(() => ChunkKeys.isolated({ sysEpoch: 1, tenant: 'Bad Tenant', tenEpoch: 1, ...s }))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => ChunkKeys.isolated({ sysEpoch: -1, tenant: 't', tenEpoch: 1, ...s }))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => ChunkKeys.shared({ sysEpoch: 1.5, master: s.master, dedupKey: s.tik }))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});
