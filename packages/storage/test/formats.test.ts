import { ErrorCodes, TesseraError } from '@tessera/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExtentHeader, encodeExtentHeader } from '../src/format/extent-header.js';
import { decodeExtentMeta, decodeIndexMarker, decodeLocation, decodeScrubProgress, encodeLocation } from '../src/format/index-entries.js';
import { RECORD_HEADER_BYTES, decodeRecord, encodeRecord, parseRecordHeader, recordLength, type RecordFields } from '../src/format/record.js';
import { shardKeyBytes, shardKeyFromBytes } from '../src/format/shard-key.js';
import { decodeSuperblock, encodeSuperblock } from '../src/format/superblock.js';

const fieldsArb: fc.Arbitrary<RecordFields> = fc.record({
  kind: fc.constant('shard' as const),
  chunkId: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  writeId: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  shardIndex: fc.integer({ min: 0, max: 254 }),
  sysEpoch: fc.integer({ min: 0, max: 0xffff_ffff }),
  gatewayTime: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
});

/** Only TesseraError may escape a decoder, whatever the input. */
function onlyTesseraErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TesseraError);
  }
}

describe('extent records', () => {
  it('round-trips every field and the payload', () => {
    fc.assert(
      fc.property(fieldsArb, fc.uint8Array({ maxLength: 3000 }), (fields, payload) => {
        const bytes = encodeRecord(fields, payload);
        expect(bytes.length).toBe(recordLength(payload.length));
        const { header, payload: got } = decodeRecord(bytes);
        expect(header).toMatchObject({ ...fields, chunkId: Buffer.from(fields.chunkId), writeId: Buffer.from(fields.writeId) });
        expect(Buffer.compare(got, payload)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('encodes tombstones without payload', () => {
    const bytes = encodeRecord({ kind: 'tombstone', chunkId: Buffer.alloc(32, 1), writeId: Buffer.alloc(16, 2), shardIndex: 3, sysEpoch: 0, gatewayTime: 5 });
    expect(decodeRecord(bytes).header.kind).toBe('tombstone');
    expect(() => encodeRecord({ kind: 'tombstone', chunkId: Buffer.alloc(32), writeId: Buffer.alloc(16), shardIndex: 0, sysEpoch: 0, gatewayTime: 0 }, Buffer.alloc(1))).toThrow(
      TesseraError,
    );
  });

  it('detects any single flipped bit as CHECKSUM_MISMATCH', () => {
    fc.assert(
      fc.property(fieldsArb, fc.uint8Array({ minLength: 1, maxLength: 500 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (fields, payload, at, bit) => {
        const bytes = encodeRecord(fields, payload);
        const i = at % bytes.length;
        bytes[i]! ^= 1 << bit;
        expect(() => decodeRecord(bytes)).toThrow(expect.objectContaining({ code: ErrorCodes.CHECKSUM_MISMATCH }));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects truncated and extended records', () => {
    const bytes = encodeRecord({ kind: 'shard', chunkId: Buffer.alloc(32), writeId: Buffer.alloc(16), shardIndex: 0, sysEpoch: 1, gatewayTime: 2 }, Buffer.alloc(100, 9));
    for (const cut of [0, 10, RECORD_HEADER_BYTES, bytes.length - 1]) {
      expect(() => decodeRecord(bytes.subarray(0, cut))).toThrow(expect.objectContaining({ code: ErrorCodes.CHECKSUM_MISMATCH }));
    }
    expect(() => decodeRecord(Buffer.concat([bytes, Buffer.of(0)]))).toThrow(TesseraError);
  });

  it('parseRecordHeader never throws and decodeRecord throws only TesseraError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat({ max: 400 }), (bytes, offset) => {
        const parsed = parseRecordHeader(bytes, Math.min(offset, bytes.length));
        expect(typeof parsed.ok).toBe('boolean');
        onlyTesseraErrors(() => decodeRecord(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses bad fields when encoding', () => {
    const ok = { kind: 'shard' as const, chunkId: Buffer.alloc(32), writeId: Buffer.alloc(16), shardIndex: 0, sysEpoch: 0, gatewayTime: 0 };
    for (const bad of [
      { ...ok, chunkId: Buffer.alloc(31) },
      { ...ok, writeId: Buffer.alloc(15) },
      { ...ok, shardIndex: 255 },
      { ...ok, sysEpoch: -1 },
      { ...ok, gatewayTime: 1.5 },
    ]) {
      expect(() => encodeRecord(bad)).toThrow(TesseraError);
    }
  });
});

describe('shard keys', () => {
  it('round-trip through their 49-byte form', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 254 }), (chunkId, writeId, shardIndex) => {
        const key = shardKeyFromBytes(shardKeyBytes({ chunkId, writeId, shardIndex }));
        expect(Buffer.compare(key.chunkId, chunkId)).toBe(0);
        expect(Buffer.compare(key.writeId, writeId)).toBe(0);
        expect(key.shardIndex).toBe(shardIndex);
      }),
    );
  });
});

describe('extent headers and superblocks', () => {
  it('round-trip and reject arbitrary bytes with TesseraError only', () => {
    const header = { deviceUuid: Buffer.alloc(16, 7), extentId: 42, alignment: 4096 as const, createdAt: 1_700_000_000_000 };
    expect(decodeExtentHeader(encodeExtentHeader(header))).toEqual(header);
    const sb = {
      formatVersion: 1,
      deviceUuid: Buffer.alloc(16, 3),
      deviceId: 'nvme0',
      nodeId: 'node-a',
      deviceClass: 'nvme',
      capacityBytes: 1 << 30,
      formattedAt: 1_700_000_000_000,
    };
    expect(decodeSuperblock(encodeSuperblock(sb))).toEqual(sb);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        onlyTesseraErrors(() => decodeExtentHeader(bytes));
        expect(() => decodeSuperblock(bytes)).toThrow(expect.objectContaining({ code: ErrorCodes.DEVICE_FOREIGN_FORMAT }));
      }),
      { numRuns: 300 },
    );
  });

  it('reports a damaged superblock as a foreign format', () => {
    const bytes = encodeSuperblock({
      formatVersion: 1,
      deviceUuid: Buffer.alloc(16, 3),
      deviceId: 'd1',
      nodeId: 'n1',
      deviceClass: 'nvme',
      capacityBytes: 100,
      formattedAt: 1,
    });
    for (let i = 0; i < bytes.length; i++) {
      const copy = Buffer.from(bytes);
      copy[i]! ^= 0x40;
      expect(() => decodeSuperblock(copy)).toThrow(expect.objectContaining({ code: ErrorCodes.DEVICE_FOREIGN_FORMAT }));
    }
  });
});

describe('index entries', () => {
  it('decode arbitrary bytes with TesseraError only', () => {
    const loc = { extentId: 9, offset: 123_456_789, payloadLength: 77, sysEpoch: 2, gatewayTime: 1_700_000_000_000 };
    expect(decodeLocation(encodeLocation(loc))).toEqual(loc);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        onlyTesseraErrors(() => decodeLocation(bytes));
        onlyTesseraErrors(() => decodeExtentMeta(bytes));
        onlyTesseraErrors(() => decodeIndexMarker(bytes));
        onlyTesseraErrors(() => decodeScrubProgress(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
