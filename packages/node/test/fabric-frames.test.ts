/**
 * The pure halves of the Fabric streams: PutShard frames → one checked
 * shard write, GetShard frames → the requested bytes. Arbitrary frame
 * sequences only ever produce a result or a TesseraError.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError, type ErrorCode } from '@tessera/common';
import { crc32c } from '@tessera/erasure';
import type { GetShardFrame__Output, PutShardFrame__Output, PutShardHeader__Output } from '@tessera/wire';
import { GetShardAssembler, resolveRange } from '../src/fabric/get-assembler.js';
import { FABRIC_LIMITS } from '../src/fabric/limits.js';
import { PutShardAssembler } from '../src/fabric/put-assembler.js';
import { frameSlices } from '../src/fabric/wire-shard.js';

const MiB = 1024 * 1024;

function header(payload: Uint8Array, overrides: Partial<PutShardHeader__Output> = {}): PutShardFrame__Output {
  return {
    kind: 'header',
    header: {
      key: { chunkId: Buffer.alloc(32, 7), writeId: Buffer.alloc(16, 9), shardIndex: 3 },
      deviceId: 'd1',
      sysEpoch: '2',
      gatewayTimeMs: '1700000000000',
      length: String(payload.length),
      crc32c: crc32c(payload),
      ...overrides,
    },
  };
}

const data = (bytes: Uint8Array): PutShardFrame__Output => ({ kind: 'data', data: Buffer.from(bytes) });

function assemble(frames: readonly PutShardFrame__Output[], max?: number): ReturnType<PutShardAssembler['finish']> {
  const a = new PutShardAssembler(max);
  for (const f of frames) a.push(f);
  return a.finish();
}

function refusedWith(fn: () => unknown, code: ErrorCode): void {
  expect(fn).toThrow(expect.objectContaining({ code }) as Error);
}

describe('PutShard frames', () => {
  it('assembles header and frames into the write the store gets', () => {
    const payload = randomBytes(3 * MiB + 17);
    const frames = [header(payload), ...[...frameSlices(payload)].map(data)];
    expect(frames).toHaveLength(5);
    const { deviceId, write } = assemble(frames);
    expect(deviceId).toBe('d1');
    expect(write).toMatchObject({ shardIndex: 3, sysEpoch: 2, gatewayTime: 1_700_000_000_000, purpose: 'new' });
    expect(Buffer.compare(write.payload, payload)).toBe(0);
    expect(Buffer.from(write.chunkId).equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it('accepts an empty shard (header only)', () => {
    expect(assemble([header(Buffer.alloc(0))]).write.payload.length).toBe(0);
  });

  it('refuses streams that break the protocol', () => {
    const payload = Buffer.alloc(100, 1);
    const h = header(payload);
    refusedWith(() => assemble([]), ErrorCodes.INVALID_ARGUMENT);
    refusedWith(() => assemble([data(payload)]), ErrorCodes.INVALID_ARGUMENT);
    refusedWith(() => assemble([h, h, data(payload)]), ErrorCodes.INVALID_ARGUMENT);
    refusedWith(() => assemble([h, data(payload), data(Buffer.alloc(1))]), ErrorCodes.INVALID_ARGUMENT);
    refusedWith(() => assemble([h, data(payload.subarray(0, 99))]), ErrorCodes.INVALID_ARGUMENT);
    refusedWith(() => assemble([h, { kind: 'data', data: Buffer.alloc(0) }, data(payload)]), ErrorCodes.INVALID_ARGUMENT);
    refusedWith(() => assemble([h, {}]), ErrorCodes.INVALID_ARGUMENT);
    refusedWith(() => assemble([{ kind: 'header', header: null }]), ErrorCodes.INVALID_ARGUMENT);
    const big = Buffer.alloc(MiB + 1);
    refusedWith(() => assemble([header(big), data(big)]), ErrorCodes.INVALID_ARGUMENT);
  });

  it('refuses bad header fields before buffering anything', () => {
    const payload = Buffer.alloc(10);
    const key = { chunkId: Buffer.alloc(32), writeId: Buffer.alloc(16), shardIndex: 0 };
    const bad: Array<[Partial<PutShardHeader__Output>, ErrorCode]> = [
      [{ key: null }, ErrorCodes.INVALID_ARGUMENT],
      [{ key: { ...key, chunkId: Buffer.alloc(31) } }, ErrorCodes.INVALID_ARGUMENT],
      [{ key: { ...key, writeId: Buffer.alloc(17) } }, ErrorCodes.INVALID_ARGUMENT],
      [{ key: { ...key, shardIndex: 255 } }, ErrorCodes.INVALID_ARGUMENT],
      [{ deviceId: '' }, ErrorCodes.INVALID_ARGUMENT],
      [{ deviceId: '../escape' }, ErrorCodes.INVALID_ARGUMENT],
      [{ sysEpoch: '4294967296' }, ErrorCodes.INVALID_ARGUMENT],
      [{ gatewayTimeMs: '18446744073709551615' }, ErrorCodes.WIRE_BAD_U64],
      [{ length: '-1' }, ErrorCodes.WIRE_BAD_U64],
      [{ length: String(FABRIC_LIMITS.maxShardBytes + 1) }, ErrorCodes.INVALID_ARGUMENT],
    ];
    for (const [override, code] of bad) refusedWith(() => new PutShardAssembler().push(header(payload, override)), code);
    refusedWith(() => new PutShardAssembler(5).push(header(payload)), ErrorCodes.INVALID_ARGUMENT);
  });

  it('refuses a payload whose CRC-32C does not match the header', () => {
    const payload = Buffer.alloc(4096, 3);
    const damaged = Buffer.from(payload);
    damaged[100] = damaged[100]! ^ 1;
    refusedWith(() => assemble([header(payload), data(damaged)]), ErrorCodes.CHECKSUM_MISMATCH);
  });

  it('fuzz: arbitrary frame sequences only ever assemble or raise a TesseraError', () => {
    const frame: fc.Arbitrary<PutShardFrame__Output> = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map(data),
      fc.record({ kind: fc.constant('header' as const), header: fc.record({
        key: fc.option(fc.record({ chunkId: fc.uint8Array({ minLength: 30, maxLength: 33 }).map((b) => Buffer.from(b)), writeId: fc.uint8Array({ minLength: 15, maxLength: 17 }).map((b) => Buffer.from(b)), shardIndex: fc.integer({ min: -1, max: 300 }) })),
        deviceId: fc.constantFrom('d1', '', 'X', 'a'.repeat(70)),
        sysEpoch: fc.constantFrom('0', '1', '4294967296', 'x'),
        gatewayTimeMs: fc.constantFrom('0', '9007199254740992', '01'),
        length: fc.nat({ max: 200 }).map(String),
        crc32c: fc.nat({ max: 0xffff_ffff }),
      }) }),
      fc.constant({} as PutShardFrame__Output),
    );
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 8 }), (frames) => {
        try {
          assemble(frames, 150);
        } catch (err) {
          expect(err).toBeInstanceOf(TesseraError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('GetShard frames', () => {
  const stored = randomBytes(2 * MiB + 5);
  const head = (length = stored.length, crc = crc32c(stored)): GetShardFrame__Output => ({ kind: 'header', header: { length: String(length), crc32c: crc, sysEpoch: '1' } });
  const frames = (bytes: Uint8Array): GetShardFrame__Output[] => [...frameSlices(bytes)].map((b) => ({ kind: 'data', data: Buffer.from(b) }));
  const read = (range: { offset: number; length?: number } | undefined, stream: readonly GetShardFrame__Output[]): Buffer => {
    const a = new GetShardAssembler(range);
    for (const f of stream) a.push(f);
    return a.finish();
  };

  it('returns the whole payload once its CRC-32C matches, or the requested range', () => {
    expect(read(undefined, [head(), ...frames(stored)]).equals(stored)).toBe(true);
    const part = stored.subarray(MiB - 3, MiB + 1000);
    expect(read({ offset: MiB - 3, length: 1003 }, [head(), ...frames(part)]).equals(part)).toBe(true);
    expect(read({ offset: stored.length - 5 }, [head(), ...frames(stored.subarray(stored.length - 5))]).length).toBe(5);
  });

  it('refuses a damaged, short, long or headless answer (the reader then goes to parity)', () => {
    const damaged = Buffer.from(stored);
    damaged[5] = damaged[5]! ^ 0x40;
    refusedWith(() => read(undefined, [head(), ...frames(damaged)]), ErrorCodes.CHECKSUM_MISMATCH);
    refusedWith(() => read(undefined, [head(), ...frames(stored.subarray(1))]), ErrorCodes.CHECKSUM_MISMATCH);
    refusedWith(() => read(undefined, [head(), ...frames(stored), { kind: 'data', data: Buffer.alloc(1) }]), ErrorCodes.CHECKSUM_MISMATCH);
    refusedWith(() => read(undefined, frames(stored)), ErrorCodes.CHECKSUM_MISMATCH);
    refusedWith(() => read(undefined, [head(), head()]), ErrorCodes.CHECKSUM_MISMATCH);
    refusedWith(() => read(undefined, [head(FABRIC_LIMITS.maxShardBytes + 1)]), ErrorCodes.CHECKSUM_MISMATCH);
    refusedWith(() => read(undefined, [head(), { kind: 'data', data: Buffer.alloc(MiB + 1) }]), ErrorCodes.CHECKSUM_MISMATCH);
  });

  it('resolves ranges against the payload, refusing ones beyond its end', () => {
    expect(resolveRange(undefined, 10)).toEqual({ offset: 0, length: 10 });
    expect(resolveRange({ offset: 4, length: 0 }, 10)).toEqual({ offset: 4, length: 6 });
    expect(resolveRange({ offset: 10 }, 10)).toEqual({ offset: 10, length: 0 });
    refusedWith(() => resolveRange({ offset: 11 }, 10), ErrorCodes.INVALID_ARGUMENT);
    refusedWith(() => resolveRange({ offset: 5, length: 6 }, 10), ErrorCodes.INVALID_ARGUMENT);
  });
});
