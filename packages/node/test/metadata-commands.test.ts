import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { decodeMetadataCommand, encodeMetadataCommand, type MetadataCommand } from '../src/metadata/commands.js';
import { METADATA_LIMITS } from '../src/metadata/fields.js';
import { T0, chunkCommit, chunkIdOf, deleteCmd, keyTagOf, putCmd, topologyAndTenants } from './support/metadata-fixtures.js';

const session = { clientId: 3, seq: 5, ackedThrough: 4 };

const samples: MetadataCommand[] = [
  { op: 'openSession', timeMs: T0, tenant: 'a' },
  { op: 'clock', timeMs: T0 + 1 },
  ...topologyAndTenants([{ id: 'acme', policy: 'isolated', quotaBytes: 5 }]),
  { op: 'setDeviceState', timeMs: T0, nodeId: 'n1', deviceId: 'd1', state: 'degraded' },
  { op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1) },
  { op: 'addPendingRef', timeMs: T0, session, tenant: 'acme', chunkId: chunkIdOf(1) },
  putCmd('acme', session, keyTagOf(1), [chunkIdOf(1), chunkIdOf(2)]),
  deleteCmd('acme', session, keyTagOf(1)),
  { op: 'setMinDecryptEpoch', timeMs: T0, epoch: 2 },
  { op: 'compact', timeMs: T0, tenant: 'acme', upToSeq: 42, tombstoneTtlMs: 86_400_000 },
  { op: 'chunkDelete', timeMs: T0, chunkId: chunkIdOf(1), writeId: Buffer.alloc(16, 1) },
  { op: 'chunkGone', timeMs: T0, chunkId: chunkIdOf(1), writeId: Buffer.alloc(16, 1) },
  {
    op: 'replacePlacement',
    timeMs: T0,
    chunkId: chunkIdOf(1),
    oldWriteId: Buffer.alloc(16, 1),
    newWriteId: Buffer.alloc(16, 2),
    slots: chunkCommit(1).slots,
    sysEpoch: 2,
    tenEpoch: 0,
    gatewayTimeMs: T0,
  },
  { op: 'dropRetired', timeMs: T0, chunkId: chunkIdOf(1), writeId: Buffer.alloc(16, 1) },
  { op: 'setGcGrace', timeMs: T0, gcGraceMs: 1000 },
  { op: 'disableTenant', timeMs: T0, tenant: 'acme' },
  { op: 'purgeTenant', timeMs: T0, tenant: 'acme' },
  { op: 'setTenantQuota', timeMs: T0, tenant: 'acme', quotaBytes: 2 ** 40 },
];

describe('metadata command codec', () => {
  it('round-trips every command kind, and re-encodes to the same bytes', () => {
    for (const cmd of samples) {
      const bytes = encodeMetadataCommand(cmd);
      const decoded = decodeMetadataCommand(bytes);
      expect(decoded).toEqual(cmd);
      expect(encodeMetadataCommand(decoded).equals(bytes)).toBe(true);
    }
  });

  it('refuses to encode invalid commands', () => {
    const bad: MetadataCommand[] = [
      { op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1, { slots: chunkCommit(1).slots.slice(0, 2) }) },
      { op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1, { slots: chunkCommit(1).slots.map((s) => ({ ...s, shardIndex: 0 })) }) },
      { op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1, { chunkId: Buffer.alloc(31) }) },
      { op: 'addPendingRef', timeMs: T0, session, tenant: 'Not A Tenant', chunkId: chunkIdOf(1) },
      { ...putCmd('acme', session, keyTagOf(1), [chunkIdOf(1)]), session: { clientId: 3, seq: 6, ackedThrough: 4 } } as MetadataCommand,
      putCmd('acme', session, keyTagOf(1), [chunkIdOf(1), chunkIdOf(1)]),
      { op: 'registerNode', timeMs: T0, node: { nodeId: 'has space', address: 'x' } },
      { op: 'compact', timeMs: T0, tenant: 'acme', upToSeq: 1, tombstoneTtlMs: 400 * 86_400_000 },
      { op: 'chunkDelete', timeMs: T0, chunkId: chunkIdOf(1), writeId: Buffer.alloc(15) },
      { op: 'setGcGrace', timeMs: T0, gcGraceMs: 0 },
      { op: 'purgeTenant', timeMs: T0, tenant: 'UPPER' },
      { op: 'setTenantQuota', timeMs: T0, tenant: 'UPPER', quotaBytes: 1 },
      { op: 'replacePlacement', timeMs: T0, chunkId: chunkIdOf(1), oldWriteId: Buffer.alloc(16, 1), newWriteId: Buffer.alloc(16, 2), slots: [], sysEpoch: 1, tenEpoch: 0, gatewayTimeMs: T0 },
      {
        op: 'replacePlacement',
        timeMs: T0,
        chunkId: chunkIdOf(1),
        oldWriteId: Buffer.alloc(16, 1),
        newWriteId: Buffer.alloc(16, 2),
        slots: chunkCommit(1).slots.map((s) => ({ ...s, shardIndex: 1 })),
        sysEpoch: 1,
        tenEpoch: 0,
        gatewayTimeMs: T0,
      },
    ];
    for (const cmd of bad) expect(() => encodeMetadataCommand(cmd)).toThrow(TesseraError);
  });

  it('bounds a delta entry at 1 MiB and an object at 10,000 chunks', () => {
    const big = Buffer.alloc(METADATA_LIMITS.deltaEntryBytes);
    expect(() => encodeMetadataCommand(putCmd('acme', session, keyTagOf(1), [], big))).toThrow(TesseraError);
    const chunks = Array.from({ length: METADATA_LIMITS.chunksPerObject + 1 }, (_, i) => {
      const id = Buffer.alloc(32);
      id.writeUInt32BE(i);
      return id;
    });
    expect(() => encodeMetadataCommand(putCmd('acme', session, keyTagOf(1), chunks))).toThrow(TesseraError);
    expect(decodeMetadataCommand(encodeMetadataCommand(putCmd('acme', session, keyTagOf(1), chunks.slice(0, METADATA_LIMITS.chunksPerObject))))).toMatchObject({ op: 'delta' });
  });

  it('rejects a delta whose header disagrees with its session or payload', () => {
    const bytes = encodeMetadataCommand(putCmd('acme', session, keyTagOf(1), [chunkIdOf(1)]));
    // The session's seq is at offset 1 + 1 + 8 + 8; change it (keeping ackedThrough below it).
    const tampered = Buffer.from(bytes);
    tampered.writeBigUInt64BE(9n, 18);
    expect(() => decodeMetadataCommand(tampered)).toThrow(expect.objectContaining({ code: ErrorCodes.CODEC_VALUE_OUT_OF_RANGE }));
  });

  it('arbitrary bytes only ever produce a TesseraError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        try {
          decodeMetadataCommand(bytes);
        } catch (err) {
          if (!(err instanceof TesseraError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated valid commands only ever decode or produce a TesseraError', () => {
    const encoded = samples.map((c) => encodeMetadataCommand(c));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: encoded.length - 1 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat({ max: 8 }), (which, at, value, cut) => {
        const original = encoded[which] as Buffer;
        const bytes = Buffer.from(original.subarray(0, original.length - cut));
        if (bytes.length > 0) bytes[at % bytes.length] = value;
        try {
          const cmd = decodeMetadataCommand(bytes);
          // Whatever decodes is canonical: it re-encodes to the same bytes.
          expect(encodeMetadataCommand(cmd).equals(bytes)).toBe(true);
        } catch (err) {
          if (!(err instanceof TesseraError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
