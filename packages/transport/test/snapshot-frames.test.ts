import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { SnapshotFrame, SnapshotFrame__Output } from '@tessera/wire';
import { parseGroupId } from '../src/raft/envelope.js';
import { SnapshotAssembler, snapshotFrames } from '../src/raft/snapshot-frames.js';

const envelope = { clusterId: 'c', groupId: '1', from: 'n1', fromIncarnationId: 'i1', to: 'n2', toIncarnationId: 'i2', message: Buffer.from('ignored') };

/** A frame as the receiver sees it after protobuf decoding. */
function received(frame: SnapshotFrame): SnapshotFrame__Output {
  if (frame.header) return { kind: 'header', header: { envelope: { ...envelope, message: Buffer.alloc(0) }, totalBytes: String(frame.header.totalBytes) } };
  if (frame.trailer) return { kind: 'trailer', trailer: { crc32c: Number(frame.trailer.crc32c) } };
  return { kind: 'data', data: Buffer.from(frame.data as Uint8Array) };
}

function assemble(frames: Iterable<SnapshotFrame>, maxBytes = 1 << 20, frameBytes = 64): Buffer | undefined {
  const a = new SnapshotAssembler(maxBytes, frameBytes);
  let out: Buffer | undefined;
  for (const f of frames) out = a.push(received(f))?.message ?? out;
  return out;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof TesseraError) return err.code;
    throw err;
  }
  return undefined;
}

describe('InstallSnapshot framing', () => {
  it('splits a message into a header, bounded data frames and a trailer, and reassembles it', () => {
    const message = randomBytes(1000);
    const frames = [...snapshotFrames(envelope, message, 64)];
    expect(frames[0]?.header?.envelope?.message).toEqual(Buffer.alloc(0));
    expect(frames[0]?.header?.totalBytes).toBe('1000');
    expect(frames.slice(1, -1).every((f) => (f.data as Buffer).byteLength <= 64)).toBe(true);
    expect(frames).toHaveLength(1 + Math.ceil(1000 / 64) + 1);
    expect(assemble(frames)).toEqual(message);
  });

  it('refuses a snapshot over the size bound at the header, before any data', () => {
    const frames = [...snapshotFrames(envelope, randomBytes(100), 64)];
    const a = new SnapshotAssembler(99, 64);
    expect(codeOf(() => a.push(received(frames[0]!)))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });

  it('refuses a flipped bit (checksum), missing or extra data, frames out of order and oversized frames', () => {
    const message = randomBytes(300);
    const frames = [...snapshotFrames(envelope, message, 64)];
    const flipped = frames.map((f, i) => (i === 2 ? { data: Buffer.from((f.data as Buffer).map((b, j) => (j === 0 ? b ^ 1 : b))) } : f));
    expect(codeOf(() => assemble(flipped))).toBe(ErrorCodes.CHECKSUM_MISMATCH);
    expect(codeOf(() => assemble([...frames.slice(0, 2), ...frames.slice(3)]))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => assemble([...frames.slice(0, -1), { data: Buffer.from('x') }, frames.at(-1)!]))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => assemble(frames.slice(1)))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => assemble([frames[0]!, frames[0]!]))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => assemble([...frames, frames.at(-1)!]))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => assemble(snapshotFrames(envelope, message, 128), 1 << 20, 64))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });

  it('turns any sequence of frames into a message or a TesseraError, never anything else (fuzz)', () => {
    const frame = fc.oneof(
      fc.record({ kind: fc.constant('header' as const), header: fc.record({ envelope: fc.constant({ ...envelope, message: Buffer.alloc(0) }), totalBytes: fc.oneof(fc.nat(300).map(String), fc.string()) }) }),
      fc.record({ kind: fc.constant('data' as const), data: fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b)) }),
      fc.record({ kind: fc.constant('trailer' as const), trailer: fc.record({ crc32c: fc.nat() }) }),
      fc.constant({} as SnapshotFrame__Output),
    );
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 8 }), (frames) => {
        const a = new SnapshotAssembler(256, 64);
        for (const f of frames) {
          if (codeOf(() => a.push(f as SnapshotFrame__Output)) !== undefined) return;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('group ids on the wire', () => {
  it('accept only canonical decimal u32', () => {
    expect(parseGroupId('0')).toBe(0);
    expect(parseGroupId('4294967295')).toBe(0xffff_ffff);
    for (const bad of ['', '01', '+1', '-1', '1.0', '4294967296', ' 1', '0x1']) expect(parseGroupId(bad), bad).toBeUndefined();
  });
});
