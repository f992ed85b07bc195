import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, isTesseraError } from '@tessera/common';
import {
  SHARD_RECORD_OVERHEAD,
  crc32cReference,
  decodeShardRecord,
  encodeShardRecord,
  type ShardRecord,
} from '../src/index.js';
import { bytesEqual, expectTesseraError } from './support/shards.js';

const recordArb: fc.Arbitrary<ShardRecord> = fc
  .record({ k: fc.integer({ min: 1, max: 20 }), m: fc.integer({ min: 0, max: 6 }) })
  .chain(({ k, m }) =>
    fc.record({
      k: fc.constant(k),
      m: fc.constant(m),
      shardIndex: fc.integer({ min: 0, max: k + m - 1 }),
      payload: fc.uint8Array({ maxLength: 300 }),
    }),
  );

/** Only TesseraErrors may escape the decoder; returns the code, or 'ok'. */
function decodeOutcome(bytes: Uint8Array, maxPayload?: number): string {
  try {
    decodeShardRecord(bytes, maxPayload === undefined ? {} : { maxPayload });
    return 'ok';
  } catch (e) {
    if (!isTesseraError(e)) throw e;
    return e.code;
  }
}

describe('shard records', () => {
  it('round-trip', () => {
    fc.assert(
      fc.property(recordArb, (record) => {
        const bytes = encodeShardRecord(record);
        expect(bytes.length).toBe(record.payload.length + SHARD_RECORD_OVERHEAD);
        const back = decodeShardRecord(bytes);
        expect({ ...back, payload: Buffer.from(back.payload) }).toEqual({ ...record, payload: Buffer.from(record.payload) });
      }),
      { numRuns: 200 },
    );
  });

  it('lays out magic, version, profile, index, big-endian length and a CRC-32C over header and payload', () => {
    const bytes = encodeShardRecord({ k: 4, m: 2, shardIndex: 5, payload: Uint8Array.of(0xde, 0xad) });
    expect(bytes.subarray(0, 14).toString('hex')).toBe('5453485201040205' + '00000002' + 'dead');
    expect(bytes.readUInt32BE(14)).toBe(crc32cReference(bytes.subarray(0, 14)));
  });

  it('rejects any single corrupted byte; a changed payload, profile, index or CRC is CHECKSUM_MISMATCH', () => {
    fc.assert(
      fc.property(recordArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (record, posSeed, flip) => {
        const bytes = encodeShardRecord(record);
        const pos = posSeed % bytes.length;
        bytes[pos]! ^= flip;
        const outcome = decodeOutcome(bytes);
        expect(outcome).not.toBe('ok');
        const framing = pos < 5 || (pos >= 8 && pos < 12); // magic, version, length
        if (!framing) expect(outcome).toBe(ErrorCodes.CHECKSUM_MISMATCH);
      }),
      { numRuns: 400 },
    );
  });

  it('bounds the payload length on both sides', () => {
    const record = { k: 1, m: 1, shardIndex: 0, payload: new Uint8Array(100) };
    expectTesseraError(() => encodeShardRecord(record, { maxPayload: 99 }), ErrorCodes.CODEC_FIELD_TOO_LONG);
    const bytes = encodeShardRecord(record);
    expect(decodeOutcome(bytes, 99)).toBe(ErrorCodes.CODEC_FIELD_TOO_LONG);
    // a length field claiming 4 GiB is refused before anything is read or allocated
    const huge = Buffer.from(bytes);
    huge.writeUInt32BE(0xffff_ffff, 8);
    expect(decodeOutcome(huge)).toBe(ErrorCodes.CODEC_FIELD_TOO_LONG);
    expectTesseraError(() => decodeShardRecord(bytes, { maxPayload: -1 }), ErrorCodes.INVALID_ARGUMENT);
  });

  it('reports truncation, trailing bytes, bad magic and unknown versions with their codes', () => {
    const bytes = encodeShardRecord({ k: 4, m: 2, shardIndex: 1, payload: new Uint8Array(10).fill(9) });
    expect(decodeOutcome(bytes.subarray(0, bytes.length - 1))).toBe(ErrorCodes.CODEC_TRUNCATED);
    expect(decodeOutcome(Buffer.concat([bytes, Buffer.of(0)]))).toBe(ErrorCodes.CODEC_TRAILING_BYTES);
    expect(decodeOutcome(Buffer.concat([Buffer.from('XSHR'), bytes.subarray(4)]))).toBe(ErrorCodes.CODEC_BAD_MAGIC);
    const v2 = Buffer.from(bytes);
    v2[4] = 2;
    expect(decodeOutcome(v2)).toBe(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE);
  });

  it('refuses impossible profiles and indices, on encode and on a correctly checksummed decode', () => {
    expectTesseraError(() => encodeShardRecord({ k: 4, m: 2, shardIndex: 6, payload: new Uint8Array(1) }), ErrorCodes.ERASURE_BAD_PARAMS);
    expectTesseraError(() => encodeShardRecord({ k: 0, m: 2, shardIndex: 0, payload: new Uint8Array(1) }), ErrorCodes.ERASURE_BAD_PARAMS);
    const forged = encodeShardRecord({ k: 4, m: 2, shardIndex: 1, payload: new Uint8Array(3) });
    forged[7] = 9; // index 9 of a 4+2 profile, then a valid CRC over it
    forged.writeUInt32BE(crc32cReference(forged.subarray(0, forged.length - 4)), forged.length - 4);
    expect(decodeOutcome(forged)).toBe(ErrorCodes.ERASURE_BAD_PARAMS);
  });

  it('returns the payload as a view of the input', () => {
    const bytes = encodeShardRecord({ k: 2, m: 1, shardIndex: 2, payload: Uint8Array.of(1, 2, 3) });
    const { payload } = decodeShardRecord(bytes);
    expect(bytesEqual(payload, Uint8Array.of(1, 2, 3))).toBe(true);
    expect(payload.buffer).toBe(bytes.buffer);
  });

  it('fuzz: arbitrary bytes only ever produce a TesseraError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        decodeOutcome(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('fuzz: mutated valid records (splices, truncations, random bytes) only ever produce a TesseraError', () => {
    fc.assert(
      fc.property(recordArb, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 6 }), fc.nat(), (record, edits, cut) => {
        const bytes = Buffer.from(encodeShardRecord(record));
        for (const [pos, value] of edits) bytes[pos % bytes.length] = value;
        decodeOutcome(bytes.subarray(0, bytes.length - (cut % 8)));
      }),
      { numRuns: 500 },
    );
  });
});
