import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../src/bounded-cache.js';

describe('BoundedCache', () => {
  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new BoundedCache<string, number>(2);
    let created = 0;
    const get = (key: string): number => cache.getOrCreate(key, () => ++created);
    expect(get('a')).toBe(1);
    expect(get('b')).toBe(2);
    expect(get('a')).toBe(1); // hit; 'b' is now the oldest
    expect(get('c')).toBe(3);
    expect(cache.size).toBe(2);
    expect(cache.has('b')).toBe(false);
    expect(cache.has('a')).toBe(true);
    expect(get('b')).toBe(4); // recomputed
  });

  it('refuses a non-positive capacity', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
  });
});
