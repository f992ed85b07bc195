import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedBlocks } from '../src/objects/sorted-blocks.js';

interface Item {
  readonly key: number;
}
const byKey = (a: Item, b: Item): number => a.key - b.key;

describe('sorted blocks', () => {
  it('holds the same sequence as a sorted array through inserts, removals and bulk assigns, across block splits and merges', () => {
    const op = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), key: fc.integer({ min: 0, max: 5_000 }), count: fc.integer({ min: 1, max: 400 }) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 400 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('assign' as const), count: fc.integer({ min: 0, max: 3_000 }) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const blocks = new SortedBlocks<Item>(byKey);
        let model: Item[] = [];
        let nextKey = 0;
        for (const o of ops) {
          if (o.kind === 'insert') {
            // A run of keys around one spot: fills one block until it splits.
            for (let i = 0; i < o.count; i++) {
              const item = { key: o.key + i / 1_000 + nextKey++ * 1e-9 };
              blocks.insert(item);
              model.push(item);
            }
            model.sort(byKey);
          } else if (o.kind === 'remove') {
            for (let i = 0; i < o.count && model.length > 0; i++) {
              const [item] = model.splice((o.at + i) % model.length, 1);
              expect(blocks.remove(item as Item)).toBe(true);
              expect(blocks.remove(item as Item)).toBe(false);
            }
          } else {
            model = Array.from({ length: o.count }, (_, i) => ({ key: i * 2 }));
            blocks.assign(model);
          }
          expect(blocks.size).toBe(model.length);
          expect(blocks.toArray()).toEqual(model);
        }
        // Lower bounds and ranged reads agree with the array.
        for (const probe of [-1, 0, 1, 777.5, 2_500, 6_000]) {
          const at = blocks.firstNotBefore((e) => e.key < probe);
          const from = model.findIndex((e) => e.key >= probe);
          const expected = from < 0 ? [] : model.slice(from, from + 7).filter((e) => e.key < probe + 3_000);
          const { entries, more } = blocks.take(at, 7, (e) => e.key < probe + 3_000);
          expect(entries).toEqual(expected);
          const next = from < 0 ? undefined : model[from + 7];
          expect(more).toBe(entries.length === 7 && next !== undefined && next.key < probe + 3_000);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('removes the very entry asked for among entries that compare equal, across a block boundary', () => {
    // Found by the property above with equal keys: the lower bound is only the first equal entry.
    const blocks = new SortedBlocks<Item>(byKey);
    const model = Array.from({ length: 2018 }, (_, i) => ({ key: i * 2 }));
    blocks.assign(model);
    const original = model[3758 / 2] as Item;
    // An insert goes before its equals: the twins end up ahead of the original, newest first.
    const twins = Array.from({ length: 1500 }, () => ({ key: 3758 }));
    for (const twin of twins) blocks.insert(twin);
    expect(blocks.size).toBe(2018 + 1500);
    // The last of the equals, behind 1,500 others and at least one block boundary.
    expect(blocks.remove(original)).toBe(true);
    expect(blocks.remove(original)).toBe(false);
    expect(blocks.remove({ key: 3758 })).toBe(false);
    // Oldest first: each is the last of the equals left.
    for (const twin of twins) expect(blocks.remove(twin)).toBe(true);
    expect(blocks.size).toBe(2017);
    expect(blocks.toArray()).toEqual(model.filter((e) => e !== original));
  });
});
