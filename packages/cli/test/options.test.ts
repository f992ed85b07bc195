import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseObjectSize } from '../src/commands/bench.js';
import { parseChunkSize } from '../src/commands/objects.js';
import { byteSize, sizeIn } from '../src/options.js';

describe('byte sizes for flags', () => {
  it('reads plain counts and binary units in any case', () => {
    expect(byteSize('256')).toBe(256);
    expect(byteSize(' 256B ')).toBe(256);
    expect(byteSize('64k')).toBe(64 * 1024);
    expect(byteSize('64KiB')).toBe(64 * 1024);
    expect(byteSize('4 MiB')).toBe(4 * 1024 ** 2);
    expect(byteSize('1gib')).toBe(1024 ** 3);
    expect(byteSize('10G')).toBe(10 * 1024 ** 3);
    expect(byteSize('2TB')).toBe(2 * 1024 ** 4);
    expect(byteSize('1P')).toBe(1024 ** 5);
  });

  it('refuses anything else, never throwing', () => {
    for (const bad of ['', 'B', 'KiB', '1.5M', '-1', '5iB', '4 M iB', '0x10', '1E', '99999999999P', '12345678901234567']) expect(byteSize(bad), bad).toBeUndefined();
    fc.assert(
      fc.property(fc.string(), (text) => {
        const bytes = byteSize(text);
        expect(bytes === undefined || (Number.isSafeInteger(bytes) && bytes >= 0)).toBe(true);
      }),
    );
  });

  it('reads every count in every unit, refusing what is not a safe integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 20 }), fc.constantFrom('', 'B', 'K', 'KiB', 'M', 'MiB', 'G', 'GiB', 'T', 'TiB'), (n, unit) => {
        const scale = unit === '' || unit === 'B' ? 1 : 1024 ** ('KMGT'.indexOf(unit[0]!) + 1);
        // Past 2^53 - 1 bytes a size is refused rather than rounded.
        expect(byteSize(`${n}${unit}`)).toBe(Number.isSafeInteger(n * scale) ? n * scale : undefined);
      }),
    );
  });

  it('bounds each flag: chunk sizes 1 B to 16 MiB, bench object sizes 1 B to 1 GiB', () => {
    expect(parseChunkSize('16MiB')).toBe(16 * 1024 ** 2);
    expect(() => parseChunkSize('17MiB')).toThrow(/1 B to 16 MiB/);
    expect(() => parseChunkSize('0')).toThrow();
    expect(parseObjectSize('1GiB')).toBe(1024 ** 3);
    expect(() => parseObjectSize('1025MiB')).toThrow(/1 B to 1 GiB/);
    expect(() => sizeIn(10, 20, 'ten to twenty')('9')).toThrow('ten to twenty');
  });
});
