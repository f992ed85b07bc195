import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignUp } from '../src/format/extent-header.js';
import { encodeRecord, type RecordFields } from '../src/format/record.js';
import { scanExtent, type ScanItem } from '../src/format/scan.js';

function fields(i: number): RecordFields {
  return { kind: i % 5 === 4 ? 'tombstone' : 'shard', chunkId: Buffer.alloc(32, i), writeId: Buffer.alloc(16, i + 1), shardIndex: i % 7, sysEpoch: i, gatewayTime: 1000 + i };
}

function source(bytes: Buffer) {
  return { read: async (pos: number, len: number) => Buffer.from(bytes.subarray(pos, pos + len)) };
}

async function scan(bytes: Buffer, alignment = 1, windowBytes = 1024): Promise<ScanItem[]> {
  const out: ScanItem[] = [];
  for await (const item of scanExtent(source(bytes), { from: 0, to: bytes.length, alignment, windowBytes })) {
    out.push(item.type === 'record' ? { ...item, bytes: Buffer.from(item.bytes) } : item);
  }
  return out;
}

function build(sizes: number[], alignment = 1): { bytes: Buffer; offsets: number[]; lengths: number[] } {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  const lengths: number[] = [];
  let at = 0;
  sizes.forEach((size, i) => {
    const f = fields(i);
    const rec = encodeRecord(f, f.kind === 'tombstone' ? Buffer.alloc(0) : Buffer.alloc(size, i + 3));
    offsets.push(at);
    lengths.push(rec.length);
    parts.push(rec);
    at += rec.length;
    const padded = alignUp(at, alignment);
    if (padded > at) parts.push(Buffer.alloc(padded - at));
    at = padded;
  });
  return { bytes: Buffer.concat(parts), offsets, lengths };
}

const recordOffsets = (items: ScanItem[]): number[] => items.filter((i) => i.type === 'record').map((i) => i.offset);

describe('extent scan', () => {
  it('finds every record, across windows and 4 KiB padding', async () => {
    for (const alignment of [1, 4096]) {
      const { bytes, offsets } = build([10, 3000, 0, 70_000, 5, 1], alignment);
      const items = await scan(bytes, alignment);
      expect(recordOffsets(items)).toEqual(offsets);
      expect(items.some((i) => i.type !== 'record')).toBe(false);
    }
  });

  it('steps over a record with a damaged payload and reports it', async () => {
    const { bytes, offsets } = build([100, 200, 300]);
    bytes[offsets[1]! + 100]! ^= 0xff;
    const items = await scan(bytes);
    expect(recordOffsets(items)).toEqual([offsets[0], offsets[2]]);
    const bad = items.find((i) => i.type === 'bad');
    expect(bad).toMatchObject({ type: 'bad', offset: offsets[1] });
    expect(bad?.type === 'bad' && bad.header?.shardIndex).toBe(1);
  });

  it('resynchronises after a damaged header', async () => {
    const { bytes, offsets } = build([100, 200, 300, 50]);
    bytes[offsets[1]! + 70]! ^= 0x01; // inside the header CRC'd region: length no longer trusted
    const items = await scan(bytes);
    expect(recordOffsets(items)).toEqual([offsets[0], offsets[2], offsets[3]]);
    expect(items.find((i) => i.type === 'bad')).toMatchObject({ offset: offsets[1], length: offsets[2]! - offsets[1]! });
  });

  it('reports damage with nothing valid after it as a torn tail', async () => {
    const { bytes, offsets } = build([100, 200, 300]);
    const torn = bytes.subarray(0, offsets[2]! + 150);
    const items = await scan(torn);
    expect(recordOffsets(items)).toEqual([offsets[0], offsets[1]]);
    expect(items.at(-1)).toMatchObject({ type: 'tail', offset: offsets[2], length: 150 });
    const zeros = Buffer.concat([bytes, Buffer.alloc(777)]);
    expect((await scan(zeros)).at(-1)).toMatchObject({ type: 'tail', offset: bytes.length, length: 777 });
  });

  it('recovers every intact record whatever bytes are damaged (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
        fc.constantFrom(1, 4096),
        async (sizes, flips, alignment) => {
          const { bytes, offsets, lengths } = build(sizes, alignment);
          const ends = offsets.map((o, i) => o + lengths[i]!);
          const damaged = new Set<number>();
          for (const [at, mask] of flips) {
            const i = at % bytes.length;
            bytes[i]! ^= mask;
            const r = offsets.findIndex((o, j) => i >= o && i < ends[j]!);
            if (r >= 0) damaged.add(r);
          }
          const items = await scan(bytes, alignment, 4096);
          const found = recordOffsets(items);
          // Every undamaged record is found, nothing damaged is returned as a record.
          offsets.forEach((o, i) => {
            if (!damaged.has(i)) expect(found).toContain(o);
          });
          for (const o of found) expect(damaged.has(offsets.indexOf(o))).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });
});
