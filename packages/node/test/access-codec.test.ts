/**
 * The access commands' canonical binary form (issue #9): round trips for
 * arbitrary valid commands, refusal of invalid ones, and fuzzing — arbitrary
 * or mutated bytes only ever produce a TesseraError, and whatever decodes
 * re-encodes to the same bytes. The record and audit-entry codecs of the
 * image and store are fuzzed the same way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter, TesseraError } from '@tessera/common';
import { decodeMetadataCommand, encodeMetadataCommand, type MetadataCommand } from '../src/metadata/commands.js';
import { readAccessRecord, readAuditEntry, writeAccessRecord, writeAuditEntry } from '../src/access/codec.js';
import { ACCESS_MODES, AUDIT_OUTCOMES, GRANTED_METHODS, type AccessRecord } from '../src/access/types.js';
import { T0 } from './support/metadata-fixtures.js';
import { SEALED, approveCmd, auditCmd, denyCmd, expiredCmd, requestCmd, revokeCmd } from './support/access-fixtures.js';

const name = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/);
const tenant = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
const id16 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b));
const time = fc.nat({ max: 2 ** 45 });

const accessCommand: fc.Arbitrary<MetadataCommand> = fc.oneof(
  fc.record({
    op: fc.constant('accessRequest' as const),
    timeMs: time,
    requestId: id16,
    tenant,
    requester: name,
    prefixSealed: fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b)),
    mode: fc.constantFrom(...ACCESS_MODES),
    durationMs: fc.integer({ min: 1_000, max: 30 * 24 * 3_600_000 }),
  }),
  fc.record({ op: fc.constant('accessApprove' as const), timeMs: time, tenant, requestId: id16, approver: name }),
  fc.record({ op: fc.constant('accessDeny' as const), timeMs: time, tenant, requestId: id16, denier: name }),
  fc.record({ op: fc.constant('accessRevoke' as const), timeMs: time, tenant, grantId: id16, revoker: name }),
  fc.record({ op: fc.constant('accessExpired' as const), timeMs: time, tenant, grantId: id16 }),
  fc
    .record({
      timeMs: time,
      tenant,
      admin: name,
      grantId: id16,
      method: fc.constantFrom(...GRANTED_METHODS),
      keyTag: fc.oneof(fc.constant(Buffer.alloc(0)), fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b))),
      outcome: fc.constantFrom(...AUDIT_OUTCOMES),
    })
    .map(({ timeMs, tenant: t, admin, grantId, method, keyTag, outcome }) => ({
      op: 'auditAccess' as const,
      timeMs,
      tenant: t,
      audit: { admin, grantId: outcome === 'no-grant' ? Buffer.alloc(0) : grantId, method, keyTag, outcome },
    })),
);

const samples: MetadataCommand[] = [requestCmd(1), approveCmd(1), denyCmd(2), revokeCmd(1), expiredCmd(1, T0 + 1), auditCmd(1), auditCmd(undefined, { keyTag: Buffer.alloc(0) })];

describe('access command codec', () => {
  it('round-trips arbitrary valid access commands, canonically', () => {
    fc.assert(
      fc.property(accessCommand, (cmd) => {
        const bytes = encodeMetadataCommand(cmd);
        const decoded = decodeMetadataCommand(bytes);
        expect(decoded).toEqual(cmd);
        expect(encodeMetadataCommand(decoded).equals(bytes)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses to encode invalid access commands', () => {
    const bad: MetadataCommand[] = [
      { ...(requestCmd(1) as Extract<MetadataCommand, { op: 'accessRequest' }>), durationMs: 999 },
      { ...(requestCmd(1) as Extract<MetadataCommand, { op: 'accessRequest' }>), durationMs: 31 * 24 * 3_600_000 },
      { ...(requestCmd(1) as Extract<MetadataCommand, { op: 'accessRequest' }>), prefixSealed: Buffer.alloc(0) },
      { ...(requestCmd(1) as Extract<MetadataCommand, { op: 'accessRequest' }>), requestId: Buffer.alloc(15) },
      { ...(requestCmd(1) as Extract<MetadataCommand, { op: 'accessRequest' }>), requester: 'has space' },
      { ...(approveCmd(1) as Extract<MetadataCommand, { op: 'accessApprove' }>), tenant: 'Not A Tenant' },
      auditCmd(1, { outcome: 'no-grant' }),
      auditCmd(undefined, { outcome: 'allowed' }),
      auditCmd(1, { keyTag: Buffer.alloc(31) }),
    ];
    for (const cmd of bad) expect(() => encodeMetadataCommand(cmd), cmd.op).toThrow(TesseraError);
  });

  it('mutated access commands only ever decode canonically or produce a TesseraError', () => {
    const encoded = samples.map((c) => encodeMetadataCommand(c));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: encoded.length - 1 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat({ max: 8 }), (which, at, value, cut) => {
        const original = encoded[which] as Buffer;
        const bytes = Buffer.from(original.subarray(0, original.length - cut));
        if (bytes.length > 0) bytes[at % bytes.length] = value;
        try {
          const cmd = decodeMetadataCommand(bytes);
          expect(encodeMetadataCommand(cmd).equals(bytes)).toBe(true);
        } catch (err) {
          if (!(err instanceof TesseraError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('arbitrary bytes after an access op code only ever produce a TesseraError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 19, max: 24 }), fc.uint8Array({ maxLength: 300 }), (op, rest) => {
        const bytes = Buffer.concat([Buffer.from([1, op]), Buffer.alloc(8), rest]);
        try {
          decodeMetadataCommand(bytes);
        } catch (err) {
          if (!(err instanceof TesseraError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

const approved: AccessRecord = {
  requestId: Buffer.alloc(16, 1),
  tenant: 'acme',
  requester: 'ops',
  prefixSealed: SEALED,
  mode: 'read',
  durationMs: 60_000,
  createdMs: T0,
  state: 'approved',
  decidedBy: 'boss',
  decidedMs: T0 + 1,
  notBeforeMs: T0 + 1,
  notAfterMs: T0 + 60_001,
  ending: 'none',
  endedBy: '',
  endedMs: 0,
};

describe('access record and audit entry codecs', () => {
  it('round-trip, and refuse records whose fields disagree with their state', () => {
    const bytes = writeAccessRecord(new BinaryWriter(), approved).finish();
    expect(readAccessRecord(new BinaryReader(bytes))).toEqual(approved);
    expect(() => writeAccessRecord(new BinaryWriter(), { ...approved, notAfterMs: T0 })).toThrow(TesseraError);
    expect(() => writeAccessRecord(new BinaryWriter(), { ...approved, state: 'pending' })).toThrow(TesseraError);
    expect(() => writeAccessRecord(new BinaryWriter(), { ...approved, state: 'expired', ending: 'revoked', endedMs: T0 + 5 })).toThrow(TesseraError);
    const entry = { seq: 3, timeMs: T0, admin: 'ops', grantId: Buffer.alloc(16, 2), method: 'ListObjects' as const, keyTag: Buffer.alloc(0), outcome: 'outside-prefix' as const };
    expect(readAuditEntry(new BinaryReader(writeAuditEntry(new BinaryWriter(), entry).finish()))).toEqual(entry);
  });

  it('mutated records and entries only ever decode canonically or produce a TesseraError', () => {
    const record = writeAccessRecord(new BinaryWriter(), approved).finish();
    const entry = writeAuditEntry(new BinaryWriter(), { seq: 1, timeMs: T0, admin: 'ops', grantId: Buffer.alloc(16, 2), method: 'GetObject', keyTag: Buffer.alloc(32, 1), outcome: 'allowed' }).finish();
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat({ max: 6 }), (isRecord, at, value, cut) => {
        const original = isRecord ? record : entry;
        const bytes = Buffer.from(original.subarray(0, original.length - cut));
        if (bytes.length > 0) bytes[at % bytes.length] = value;
        try {
          const r = new BinaryReader(bytes);
          if (isRecord) {
            const decoded = readAccessRecord(r);
            r.end();
            expect(writeAccessRecord(new BinaryWriter(), decoded).finish().equals(bytes)).toBe(true);
          } else {
            const decoded = readAuditEntry(r);
            r.end();
            expect(writeAuditEntry(new BinaryWriter(), decoded).finish().equals(bytes)).toBe(true);
          }
        } catch (err) {
          if (!(err instanceof TesseraError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
