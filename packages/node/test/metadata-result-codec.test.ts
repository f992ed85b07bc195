import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError, type ErrorCode } from '@tessera/common';
import type { MetadataResult } from '../src/metadata/machine.js';
import { MAX_METADATA_RESULT_BYTES, decodeMetadataResult, encodeMetadataResult } from '../src/metadata/result-codec.js';

const safe = fc.maxSafeNat();
const codes = Object.values(ErrorCodes) as ErrorCode[];

const anyResult: fc.Arbitrary<MetadataResult> = fc.oneof(
  fc.record({ kind: fc.constant('none' as const), index: safe }),
  fc.record({ kind: fc.constant('ok' as const), index: safe, duplicate: fc.boolean() }),
  fc.record({ kind: fc.constant('session' as const), index: safe, clientId: safe }),
  fc.record({ kind: fc.constant('chunk' as const), index: safe, existing: fc.boolean() }),
  fc.record({ kind: fc.constant('delta' as const), index: safe, sequence: safe, leaderTimeMs: safe, duplicate: fc.boolean() }),
  fc.record({ kind: fc.constant('error' as const), index: safe, code: fc.constantFrom(...codes), retriable: fc.boolean(), duplicate: fc.boolean() }),
  fc.record({ kind: fc.constant('compacted' as const), index: safe, tenant: fc.stringMatching(/^[a-z0-9-]{0,63}$/), dropped: safe, released: safe, leaderTimeMs: safe }),
);

function decodesOrRefuses(bytes: Uint8Array): void {
  try {
    const decoded = decodeMetadataResult(bytes);
    // Whatever decodes is canonical: it re-encodes to exactly the same bytes.
    expect(encodeMetadataResult(decoded).equals(Buffer.from(bytes))).toBe(true);
  } catch (err) {
    expect(err).toBeInstanceOf(TesseraError);
  }
}

describe('metadata result codec', () => {
  it('round-trips every kind of result, canonically and within the bound', () => {
    fc.assert(
      fc.property(anyResult, (result) => {
        const bytes = encodeMetadataResult(result);
        expect(bytes.length).toBeLessThanOrEqual(MAX_METADATA_RESULT_BYTES);
        const decoded = decodeMetadataResult(bytes);
        expect(decoded).toEqual(result);
        expect(encodeMetadataResult(decoded).equals(bytes)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('fixes the layout: version, kind, index, fields', () => {
    expect(encodeMetadataResult({ kind: 'chunk', index: 258, existing: true }).toString('hex')).toBe('0104' + '0000000000000102' + '01');
    const compacted = encodeMetadataResult({ kind: 'compacted', index: 3, tenant: 'ab', dropped: 4, released: 5, leaderTimeMs: 6 });
    expect(compacted.toString('hex')).toBe('0107' + '0000000000000003' + '026162' + '0000000000000004' + '0000000000000005' + '0000000000000006');
    const error = encodeMetadataResult({ kind: 'error', index: 1, code: ErrorCodes.CHUNK_GONE, retriable: true, duplicate: false });
    expect(error.toString('hex')).toBe('0106' + '0000000000000001' + '0a' + Buffer.from('CHUNK_GONE').toString('hex') + '01' + '00');
  });

  it('refuses what has another encoding or no meaning', () => {
    const ok = encodeMetadataResult({ kind: 'ok', index: 7, duplicate: false });
    const refusals: Array<[string, Buffer, ErrorCode]> = [
      ['empty', Buffer.alloc(0), ErrorCodes.CODEC_TRUNCATED],
      ['version 2', Buffer.concat([Buffer.from([2]), ok.subarray(1)]), ErrorCodes.CODEC_VALUE_OUT_OF_RANGE],
      ['kind 0', Buffer.concat([Buffer.from([1, 0]), ok.subarray(2)]), ErrorCodes.CODEC_VALUE_OUT_OF_RANGE],
      ['kind 8', Buffer.concat([Buffer.from([1, 8]), ok.subarray(2)]), ErrorCodes.CODEC_VALUE_OUT_OF_RANGE],
      ['boolean 2', Buffer.concat([ok.subarray(0, ok.length - 1), Buffer.from([2])]), ErrorCodes.CODEC_VALUE_OUT_OF_RANGE],
      ['trailing byte', Buffer.concat([ok, Buffer.from([0])]), ErrorCodes.CODEC_TRAILING_BYTES],
      ['truncated', ok.subarray(0, ok.length - 1), ErrorCodes.CODEC_TRUNCATED],
      ['index above 2^53', Buffer.from('0101ffffffffffffffff00', 'hex'), ErrorCodes.CODEC_VALUE_OUT_OF_RANGE],
      ['unknown error code', Buffer.from('0106' + '0000000000000001' + '04' + Buffer.from('NOPE').toString('hex') + '0000', 'hex'), ErrorCodes.CODEC_VALUE_OUT_OF_RANGE],
      ['oversized input', Buffer.alloc(MAX_METADATA_RESULT_BYTES + 1, 1), ErrorCodes.CODEC_FIELD_TOO_LONG],
    ];
    for (const [what, bytes, code] of refusals) {
      expect(() => decodeMetadataResult(bytes), what).toThrow(expect.objectContaining({ code }) as Error);
    }
  });

  it('refuses to encode an unknown error code or an unsafe number', () => {
    expect(() => encodeMetadataResult({ kind: 'error', index: 1, code: 'NOPE' as ErrorCode, retriable: false, duplicate: false })).toThrow(TesseraError);
    expect(() => encodeMetadataResult({ kind: 'none', index: 2 ** 53 })).toThrow(TesseraError);
    expect(() => encodeMetadataResult({ kind: 'session', index: 1, clientId: -1 })).toThrow(TesseraError);
  });

  it('fuzz: arbitrary bytes only ever produce a result or a TesseraError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 160 }), decodesOrRefuses), { numRuns: 2000 });
  });

  it('fuzz: damaged encodings only ever produce a canonical result or a TesseraError', () => {
    fc.assert(
      fc.property(anyResult, fc.nat(), fc.integer({ min: 1, max: 255 }), (result, at, flip) => {
        const bytes = encodeMetadataResult(result);
        const i = at % bytes.length;
        bytes[i] = bytes[i]! ^ flip;
        decodesOrRefuses(bytes);
      }),
      { numRuns: 1000 },
    );
  });
});
