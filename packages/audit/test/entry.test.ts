import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter, ErrorCodes, isTesseraError } from '@tessera/common';
import {
  AuditChains,
  SYSTEM_CHAIN,
  decodeEntry,
  decodeHead,
  decodeSignedHead,
  decodeTrail,
  encodeEntry,
  readRecordFields,
  recordFields,
  writeRecordFields,
  entryHash,
  genesisHash,
  tenantChain,
  type AuditRecord,
} from '../src/index.js';
import { chainId, record, sampleRecord } from './arbitraries.js';

function onlyTesseraErrors(decode: (bytes: Uint8Array) => unknown): void {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      try {
        decode(bytes);
      } catch (err) {
        if (!isTesseraError(err)) throw err;
      }
    }),
    { numRuns: 1500 },
  );
}

/** Mutations of a valid encoding reach deeper than random bytes do. */
function mutationsOnlyTesseraErrors(valid: Buffer, decode: (bytes: Uint8Array) => unknown): void {
  fc.assert(
    fc.property(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.nat({ max: valid.length }), (at, xor, cut) => {
      const mutated = Buffer.from(valid);
      mutated[at] = mutated[at]! ^ xor;
      for (const candidate of [mutated, valid.subarray(0, cut), Buffer.concat([valid, Buffer.from([xor])])]) {
        try {
          decode(candidate);
        } catch (err) {
          if (!isTesseraError(err)) throw err;
        }
      }
    }),
    { numRuns: 800 },
  );
}

describe('audit entries', () => {
  it('round-trip through the canonical encoding, byte for byte', () => {
    fc.assert(
      fc.property(chainId, fc.array(record, { minLength: 1, maxLength: 4 }), fc.nat(), (chain, records, ts) => {
        const chains = new AuditChains();
        for (const r of records) {
          const { entry, encoded, hash } = chains.append(chain, r, ts);
          const decoded = decodeEntry(encoded);
          expect(decoded).toEqual(entry);
          expect(encodeEntry(decoded).equals(encoded)).toBe(true);
          expect(entryHash(decoded).equals(hash)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses records that cannot be encoded canonically', () => {
    const chains = new AuditChains();
    const bad: AuditRecord[] = [
      { ...sampleRecord(1), type: 'Key.Unwrap' },
      { ...sampleRecord(1), principal: 'spiffe://td/tenant/acme/admin/é' },
      { ...sampleRecord(1), principal: 'has space' },
      { ...sampleRecord(1), method: 'x'.repeat(256) },
      { ...sampleRecord(1), count: 0 },
      { ...sampleRecord(1), targets: [{ kind: 'keyTag', keyTag: Buffer.alloc(31) }] },
      { ...sampleRecord(1), targets: [{ kind: 'tenant', tenant: 'Not_A_Tenant' }] },
      { ...sampleRecord(1), targets: Array.from({ length: 9 }, () => ({ kind: 'tenant' as const, tenant: 'a' })) },
    ];
    for (const r of bad) {
      expect(() => chains.append(SYSTEM_CHAIN, r, 1)).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT }));
    }
    expect(chains.head(SYSTEM_CHAIN).length).toBe(0);
  });

  it('gives each chain its own genesis hash', () => {
    expect(genesisHash(SYSTEM_CHAIN).equals(genesisHash(tenantChain('acme')))).toBe(false);
    expect(genesisHash(tenantChain('acme')).equals(genesisHash(tenantChain('acme')))).toBe(true);
  });

  it('decoders only ever throw TesseraError on arbitrary bytes', () => {
    onlyTesseraErrors(decodeEntry);
    onlyTesseraErrors(decodeTrail);
    onlyTesseraErrors(decodeHead);
    onlyTesseraErrors(decodeSignedHead);
    onlyTesseraErrors(AuditChains.decode);
  });

  it('round-trips record fields (what Raft commands carry) and decodes arbitrary bytes to TesseraErrors only', () => {
    fc.assert(
      fc.property(record, (r) => {
        const bytes = writeRecordFields(new BinaryWriter(), recordFields(r)).finish();
        const reader = new BinaryReader(bytes);
        const back = readRecordFields(reader);
        reader.end();
        expect(writeRecordFields(new BinaryWriter(), back).finish().equals(bytes)).toBe(true);
      }),
      { numRuns: 200 },
    );
    onlyTesseraErrors((bytes) => readRecordFields(new BinaryReader(bytes)));
  });

  it('decoders only ever throw TesseraError on mutated valid encodings', () => {
    const chains = new AuditChains();
    const { encoded } = chains.append(tenantChain('acme'), sampleRecord(3, { targets: [{ kind: 'pin', spkiSha256: Buffer.alloc(32, 1) }, { kind: 'principal', principal: 'spiffe://td/admin/root' }] }), 10);
    chains.append(SYSTEM_CHAIN, sampleRecord(4), 11);
    mutationsOnlyTesseraErrors(encoded, decodeEntry);
    mutationsOnlyTesseraErrors(chains.encode(), AuditChains.decode);
  });
});
