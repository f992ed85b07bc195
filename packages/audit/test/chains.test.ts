import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditChains, MemoryAuditLog, SYSTEM_CHAIN, entryHash, genesisHash, tenantChain } from '../src/index.js';
import { chainId, record, sampleRecord } from './arbitraries.js';

describe('AuditChains', () => {
  it('links each entry to the hash of the one before, from the genesis hash', () => {
    const log = new MemoryAuditLog();
    const chain = tenantChain('acme');
    for (let i = 0; i < 5; i++) log.append(chain, sampleRecord(i), 1000 + i);
    const entries = log.entries(chain);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]!.prevHash.equals(genesisHash(chain))).toBe(true);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash.equals(entryHash(entries[i - 1]!))).toBe(true);
    const head = log.chains.head(chain);
    expect(head.length).toBe(5);
    expect(head.hash.equals(entryHash(entries[4]!))).toBe(true);
  });

  it('keeps leader timestamps monotonic per chain', () => {
    const chains = new AuditChains();
    expect(chains.append(SYSTEM_CHAIN, sampleRecord(1), 5000).entry.timestampMs).toBe(5000);
    expect(chains.append(SYSTEM_CHAIN, sampleRecord(2), 4000).entry.timestampMs).toBe(5000);
    expect(chains.append(tenantChain('a'), sampleRecord(3), 4000).entry.timestampMs).toBe(4000);
  });

  it('is deterministic: the same appends give the same encoded heads on every replica', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(chainId, record, fc.nat()), { maxLength: 12 }), (appends) => {
        const a = new AuditChains();
        const b = new AuditChains();
        for (const [chain, r, ts] of appends) {
          const x = a.append(chain, r, ts);
          const y = b.append(chain, r, ts);
          expect(x.encoded.equals(y.encoded)).toBe(true);
        }
        expect(a.encode().equals(b.encode())).toBe(true);
        const restored = AuditChains.decode(a.encode());
        expect(restored.encode().equals(a.encode())).toBe(true);
        expect(restored.heads()).toEqual(a.heads());
      }),
      { numRuns: 100 },
    );
  });

  it('continues a restored chain exactly where it stopped', () => {
    const a = new AuditChains();
    a.append(SYSTEM_CHAIN, sampleRecord(1), 100);
    const b = AuditChains.decode(a.encode());
    const next = b.append(SYSTEM_CHAIN, sampleRecord(2), 50);
    expect(next.entry.seq).toBe(2);
    expect(next.entry.timestampMs).toBe(100);
    expect(next.entry.prevHash.equals(a.head(SYSTEM_CHAIN).hash)).toBe(true);
  });

  it('lists selected heads sorted, including empty chains at their genesis', () => {
    const chains = new AuditChains();
    chains.append(tenantChain('b'), sampleRecord(1), 1);
    chains.append(SYSTEM_CHAIN, sampleRecord(1), 1);
    expect(chains.heads().map((h) => h.chain)).toEqual(['system', 'tenant/b']);
    const selected = chains.heads([tenantChain('z'), tenantChain('b')]);
    expect(selected.map((h) => [h.chain, h.length])).toEqual([
      ['tenant/b', 1],
      ['tenant/z', 0],
    ]);
  });
});
