import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TesseraError } from '@tessera/common';
import { KEYMANAGER_AUDIT_DOMAIN, METADATA_AUDIT_DOMAIN, MemoryAuditLog, decodeAuditBundle, encodeAuditBundle, encodeTrail, isAuditBundle, tenantChain } from '../src/index.js';
import { record } from './arbitraries.js';

const chain = tenantChain('acme');

function trailOf(records: Parameters<MemoryAuditLog['append']>[1][]): ReturnType<MemoryAuditLog['trail']> {
  const log = new MemoryAuditLog();
  records.forEach((r, i) => log.append(chain, r, 1_700_000_000_000 + i));
  return log.trail(chain);
}

describe('the export bundle (one chain from both logs)', () => {
  it('round-trips the trails of each log, in canonical domain order', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 4 }), fc.array(record, { maxLength: 4 }), (a, b) => {
        const parts = [
          { domain: KEYMANAGER_AUDIT_DOMAIN, trail: trailOf(a) },
          { domain: METADATA_AUDIT_DOMAIN, trail: trailOf(b) },
        ];
        const bytes = encodeAuditBundle(parts);
        expect(isAuditBundle(bytes)).toBe(true);
        const back = decodeAuditBundle(bytes);
        expect(back.map((p) => p.domain)).toEqual([KEYMANAGER_AUDIT_DOMAIN, METADATA_AUDIT_DOMAIN]);
        expect(back.map((p) => encodeTrail(p.trail))).toEqual(parts.map((p) => encodeTrail(p.trail)));
      }),
      { numRuns: 60 },
    );
  });

  it('refuses unsorted, repeated, empty or oversized part lists', () => {
    const t = trailOf([]);
    expect(() => encodeAuditBundle([])).toThrow(TesseraError);
    expect(() => encodeAuditBundle([{ domain: 'metadata', trail: t }, { domain: 'keymanager', trail: t }])).toThrow(TesseraError);
    expect(() => encodeAuditBundle([{ domain: 'metadata', trail: t }, { domain: 'metadata', trail: t }])).toThrow(TesseraError);
    expect(() => encodeAuditBundle(Array.from({ length: 5 }, (_, i) => ({ domain: `d${i}`, trail: t })))).toThrow(TesseraError);
    expect(isAuditBundle(encodeTrail(t))).toBe(false);
  });

  it('turns arbitrary bytes, truncations and flipped bytes into TesseraErrors only', () => {
    const valid = encodeAuditBundle([
      { domain: KEYMANAGER_AUDIT_DOMAIN, trail: trailOf([{ type: 'key.unwrap', principal: 'p', outcome: 'ok' }]) },
      { domain: METADATA_AUDIT_DOMAIN, trail: trailOf([{ type: 'data.access', principal: 'admin/ops', outcome: 'denied', reason: 'no-grant' }]) },
    ]);
    for (let cut = 0; cut < valid.length; cut++) expect(() => decodeAuditBundle(valid.subarray(0, cut))).toThrow(TesseraError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (tail, at, xor) => {
        for (const bytes of [Buffer.concat([Buffer.from('TSAB\x01', 'latin1'), tail]), Buffer.from(tail)]) {
          try {
            decodeAuditBundle(bytes);
          } catch (err) {
            expect(err).toBeInstanceOf(TesseraError);
          }
        }
        const flipped = Buffer.from(valid);
        flipped[at % flipped.length] = flipped[at % flipped.length]! ^ xor;
        try {
          decodeAuditBundle(flipped);
        } catch (err) {
          expect(err).toBeInstanceOf(TesseraError);
        }
      }),
      { numRuns: 400 },
    );
  });
});
