import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedKeys } from '../src/metadata/sorted-keys.js';

describe('SortedKeys (paged index of the chunk table)', () => {
  it('agrees with a sorted reference set under random adds, deletes and cursor scans, across block splits', () => {
    const key = fc.integer({ min: 0, max: 5000 }).map((n) => n.toString(16).padStart(4, '0'));
    const op = fc.oneof(fc.record({ add: key }), fc.record({ del: key }), fc.record({ scan: fc.option(key, { nil: undefined }) }));
    fc.assert(
      fc.property(fc.array(key, { maxLength: 3000, size: 'max' }), fc.array(op, { maxLength: 300, size: 'max' }), (initial, ops) => {
        const keys = SortedKeys.of(initial);
        const reference = new Set(initial);
        for (const o of ops) {
          if ('add' in o) {
            keys.add(o.add);
            reference.add(o.add);
          } else if ('del' in o) {
            keys.delete(o.del);
            reference.delete(o.del);
          } else {
            const expected = [...reference].sort().filter((k) => o.scan === undefined || k > o.scan);
            expect([...keys.from(o.scan)]).toEqual(expected);
          }
        }
        expect(keys.size).toBe(reference.size);
        expect(keys.toArray()).toEqual([...reference].sort());
        for (const k of reference) expect(keys.has(k)).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  it('splits blocks as it grows one key at a time and stays ordered', () => {
    const keys = new SortedKeys();
    const all = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5000).toString(16).padStart(4, '0'));
    for (const k of all) keys.add(k);
    expect(keys.toArray()).toEqual([...all].sort());
    for (const k of all.slice(0, 2500)) keys.delete(k);
    expect(keys.toArray()).toEqual(all.slice(2500).sort());
    expect([...keys.from('ffff')]).toEqual([]);
  });
});
