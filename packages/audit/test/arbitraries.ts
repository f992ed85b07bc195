/** fast-check arbitraries for audit records and chains. */
import fc from 'fast-check';
import { SYSTEM_CHAIN, tenantChain, type AuditRecord, type AuditTarget, type ChainId } from '../src/index.js';

const printable = (max: number, min = 0): fc.Arbitrary<string> =>
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: min, maxLength: max });

export const tenantId = fc.stringMatching(/^[a-z0-9-]{1,12}$/);

export const chainId: fc.Arbitrary<ChainId> = fc.oneof(fc.constant(SYSTEM_CHAIN), tenantId.map(tenantChain));

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b));

export const target: fc.Arbitrary<AuditTarget> = fc.oneof(
  bytes32.map((keyTag) => ({ kind: 'keyTag' as const, keyTag })),
  bytes32.map((chunkId) => ({ kind: 'chunk' as const, chunkId })),
  tenantId.map((tenant) => ({ kind: 'tenant' as const, tenant })),
  printable(40, 1).map((nodeId) => ({ kind: 'node' as const, nodeId })),
  fc
    .record({ purpose: fc.constantFrom('tdk', 'tik', 'kek', 'system-master', 'dedup'), epoch: fc.nat(), version: fc.nat({ max: 0xffff_ffff }) })
    .map((k) => ({ kind: 'key' as const, ...k })),
  bytes32.map((spkiSha256) => ({ kind: 'pin' as const, spkiSha256 })),
  printable(80, 1).map((principal) => ({ kind: 'principal' as const, principal })),
  fc.uint8Array({ minLength: 16, maxLength: 16 }).map((id) => ({ kind: 'access' as const, id: Buffer.from(id) })),
  fc.record({ nodeId: printable(20, 1), deviceId: printable(20, 1) }).map((d) => ({ kind: 'device' as const, ...d })),
);

export const record: fc.Arbitrary<AuditRecord> = fc.record({
  type: fc.stringMatching(/^[a-z][a-z0-9_.-]{0,20}$/),
  principal: printable(80),
  method: printable(40),
  targets: fc.array(target, { maxLength: 4 }),
  outcome: fc.constantFrom('ok' as const, 'denied' as const, 'failed' as const),
  reason: printable(20),
  count: fc.integer({ min: 1, max: 0xffff_ffff }),
  windowStartMs: fc.nat(),
});

export function sampleRecord(i: number, over: Partial<AuditRecord> = {}): AuditRecord {
  return {
    type: 'key.unwrap',
    principal: `spiffe://td/node/n${i % 3}`,
    method: '/tessera.keys.v1.Keys/UnwrapTdk',
    outcome: 'ok',
    targets: [{ kind: 'key', purpose: 'tdk', epoch: i, version: 1 }],
    ...over,
  };
}
