import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TesseraError } from '@tessera/common';
import { SYSTEM_CHAIN, decodeChainRecord, encodeChainRecord, recordFields, tenantChain } from '../src/index.js';
import { chainId, record, sampleRecord } from './arbitraries.js';

describe('a record bound for a chain (forwarded to the leader)', () => {
  it('round-trips every valid record, filled in the way entries hold it', () => {
    fc.assert(
      fc.property(chainId, record, (chain, r) => {
        const back = decodeChainRecord(encodeChainRecord({ chain, record: r }));
        expect(back.chain).toBe(chain);
        expect(back.record).toEqual(recordFields(r));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the chain it was bound for (a tenant record cannot land in the system chain)', () => {
    const bytes = encodeChainRecord({ chain: tenantChain('acme'), record: sampleRecord(1) });
    expect(decodeChainRecord(bytes).chain).toBe('tenant/acme');
    expect(decodeChainRecord(encodeChainRecord({ chain: SYSTEM_CHAIN, record: sampleRecord(1) })).chain).toBe('system');
  });

  it('turns arbitrary bytes into a TesseraError, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeChainRecord(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(TesseraError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('turns every truncation and every flipped byte of a valid record into a TesseraError or another valid record', () => {
    const bytes = encodeChainRecord({ chain: tenantChain('acme'), record: sampleRecord(3) });
    for (let cut = 0; cut < bytes.length; cut++) expect(() => decodeChainRecord(bytes.subarray(0, cut))).toThrow(TesseraError);
    for (let i = 0; i < bytes.length; i++) {
      const flipped = Buffer.from(bytes);
      flipped[i] = flipped[i]! ^ 0x5a;
      try {
        decodeChainRecord(flipped);
      } catch (err) {
        expect(err).toBeInstanceOf(TesseraError);
      }
    }
  });
});
