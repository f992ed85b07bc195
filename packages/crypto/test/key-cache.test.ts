import { ErrorCodes } from '@tessera/common';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_TTL_MS, KeyCache, KeyMaterial } from '../src/index.js';
import { codeOf } from './helpers.js';

function fakeClock(start = 1000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** A key and a handle on the buffer that held it, to check the wipe after destroy. */
function trackedKey(fill: number): { key: KeyMaterial; bytes: Buffer } {
  const key = KeyMaterial.fromBytes(Buffer.alloc(32, fill));
  return { key, bytes: key.expose() };
}

const ZERO = Buffer.alloc(32);

describe('KeyCache', () => {
  it('serves a key until its absolute TTL (default 60 s), then destroys it', () => {
    const clock = fakeClock();
    const cache = new KeyCache<string, KeyMaterial>({ clock: clock.now });
    const { key, bytes } = trackedKey(1);
    cache.set('acme/3', key);
    clock.advance(DEFAULT_KEY_TTL_MS - 1);
    expect(cache.get('acme/3')).toBe(key);
    clock.advance(1);
    expect(cache.get('acme/3')).toBeUndefined();
    expect(key.destroyed).toBe(true);
    expect(bytes).toEqual(ZERO);
  });

  it('does not extend the TTL on reads', () => {
    const clock = fakeClock();
    const cache = new KeyCache<string, KeyMaterial>({ ttlMs: 100, clock: clock.now });
    cache.set('k', KeyMaterial.generate());
    for (let i = 0; i < 9; i++) {
      clock.advance(10);
      expect(cache.has('k')).toBe(true);
    }
    clock.advance(10);
    expect(cache.has('k')).toBe(false);
  });

  it('zero-fills on delete, on clear and on replacement', () => {
    const cache = new KeyCache<string, KeyMaterial>({ clock: fakeClock().now });
    const a = trackedKey(1);
    const b = trackedKey(2);
    const c = trackedKey(3);
    const d = trackedKey(4);
    cache.set('a', a.key);
    cache.set('b', b.key);
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    expect(a.bytes).toEqual(ZERO);
    cache.set('b', c.key); // replacement destroys the previous value
    expect(b.bytes).toEqual(ZERO);
    cache.set('d', d.key);
    cache.clear();
    expect(c.bytes).toEqual(ZERO);
    expect(d.bytes).toEqual(ZERO);
    expect(cache.size).toBe(0);
  });

  it('re-setting the same object keeps it alive', () => {
    const cache = new KeyCache<string, KeyMaterial>({ clock: fakeClock().now });
    const key = KeyMaterial.generate();
    cache.set('k', key);
    cache.set('k', key);
    expect(key.destroyed).toBe(false);
  });

  it('is bounded: inserting past maxEntries evicts (and zero-fills) the oldest', () => {
    const clock = fakeClock();
    const cache = new KeyCache<number, KeyMaterial>({ maxEntries: 3, clock: clock.now });
    const keys = [1, 2, 3, 4, 5].map(trackedKey);
    keys.forEach(({ key }, i) => {
      clock.advance(1);
      cache.set(i, key);
    });
    expect(cache.size).toBe(3);
    expect(cache.get(0)).toBeUndefined();
    expect(cache.get(1)).toBeUndefined();
    expect(keys[0]!.bytes).toEqual(ZERO);
    expect(keys[1]!.bytes).toEqual(ZERO);
    expect(cache.get(4)).toBe(keys[4]!.key);
  });

  it('sweep() destroys every expired entry without a read', () => {
    const clock = fakeClock();
    const cache = new KeyCache<string, KeyMaterial>({ ttlMs: 50, clock: clock.now });
    const early = trackedKey(1);
    cache.set('early', early.key);
    clock.advance(30);
    const late = trackedKey(2);
    cache.set('late', late.key);
    clock.advance(25);
    expect(cache.sweep()).toBe(1);
    expect(early.bytes).toEqual(ZERO);
    expect(late.key.destroyed).toBe(false);
    expect(cache.size).toBe(1);
  });

  it('a caller still holding an evicted key fails closed', () => {
    const clock = fakeClock();
    const cache = new KeyCache<string, KeyMaterial>({ ttlMs: 10, clock: clock.now });
    const key = KeyMaterial.generate();
    cache.set('k', key);
    clock.advance(10);
    cache.sweep();
    expect(codeOf(() => key.expose())).toBe(ErrorCodes.CRYPTO_KEY_DESTROYED);
  });

  it('refuses nonsensical options', () => {
    expect(codeOf(() => new KeyCache({ ttlMs: 0 }))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => new KeyCache({ maxEntries: 0 }))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});
