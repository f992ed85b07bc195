/** The chunk pipeline: order, bounded concurrency and read-ahead, first failure stops everything. */
import { describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { RpcFailure } from '@tessera/transport';
import { judge } from '../src/failures.js';
import { ByteReader } from '../src/source.js';
import { uploadChunks } from '../src/upload.js';

/** A source of `count` pieces of `size` bytes (piece i filled with i), counting what was read. */
function countingSource(count: number, size: number): { reader: ByteReader; read: () => number } {
  let read = 0;
  const reader = new ByteReader(
    (async function* () {
      for (let i = 0; i < count; i++) {
        read += size;
        yield Buffer.alloc(size, i);
      }
    })(),
  );
  return { reader, read: () => read };
}

interface Gate {
  readonly bytes: Buffer;
  readonly open: (id: Buffer) => void;
  readonly fail: (err: unknown) => void;
}

describe('uploadChunks', () => {
  it('keeps at most `concurrency` uploads in flight and reads ahead no further, and keeps chunk order', async () => {
    const chunk = 100;
    const { reader, read } = countingSource(10, chunk);
    const gates: Gate[] = [];
    let maxInFlight = 0;
    let inFlight = 0;
    let maxReadAhead = 0;
    let done = 0;
    const result = uploadChunks(reader, chunk, 3, (bytes) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      maxReadAhead = Math.max(maxReadAhead, read() - done * chunk);
      return new Promise<Buffer>((open, fail) => gates.push({ bytes, open, fail })).finally(() => {
        inFlight--;
        done++;
      });
    });
    // Finish uploads newest first whenever three are waiting, so completion order differs from source order.
    for (let finished = 0; finished < 10; ) {
      await new Promise((r) => setImmediate(r));
      const waiting = gates.splice(0);
      for (const g of waiting.reverse()) {
        g.open(Buffer.from([g.bytes[0]!]));
        finished++;
      }
    }
    const ids = await result;
    expect(ids.map((b) => b[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(maxInFlight).toBe(3);
    expect(maxReadAhead).toBeLessThanOrEqual(3 * chunk);
  });

  it('stops reading and cancels the others on the first failure', async () => {
    const { reader, read } = countingSource(100, 10);
    const signals: AbortSignal[] = [];
    const failure = new TesseraError(ErrorCodes.QUOTA_EXCEEDED, 'over quota');
    let calls = 0;
    const err = await uploadChunks(reader, 10, 2, (_bytes, signal) => {
      signals.push(signal);
      calls++;
      if (calls === 2) return Promise.reject(failure);
      return new Promise<Buffer>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    }).catch((e: unknown) => e);
    expect(err).toBe(failure);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(read()).toBeLessThan(100 * 10);
  });
});

describe('judge', () => {
  const f = (status: grpc.status, code: TesseraError['code']): RpcFailure => new RpcFailure(status, code, 'x', undefined);
  it.each([
    [grpc.status.UNAVAILABLE, ErrorCodes.RAFT_NOT_LEADER, 'not-done', true],
    [grpc.status.UNAVAILABLE, ErrorCodes.INSUFFICIENT_DEVICES, 'not-done', false],
    [grpc.status.INTERNAL, ErrorCodes.INSUFFICIENT_DEVICES, 'not-done', false],
    [grpc.status.UNAVAILABLE, ErrorCodes.TRANSPORT_PEER_UNREACHABLE, 'maybe-done', true],
    [grpc.status.ABORTED, ErrorCodes.RAFT_UNKNOWN_OUTCOME, 'maybe-done', true],
    [grpc.status.DEADLINE_EXCEEDED, ErrorCodes.INTERNAL, 'maybe-done', true],
    // A broken stream (no Tessera code: rpcFailure falls back to INTERNAL) or an unexpected server failure.
    [grpc.status.INTERNAL, ErrorCodes.INTERNAL, 'maybe-done', true],
    [grpc.status.UNKNOWN, ErrorCodes.INTERNAL, 'maybe-done', true],
    [grpc.status.UNAVAILABLE, ErrorCodes.CHUNK_GONE, 'final', false],
    [grpc.status.RESOURCE_EXHAUSTED, ErrorCodes.QUOTA_EXCEEDED, 'final', false],
    [grpc.status.NOT_FOUND, ErrorCodes.NOT_FOUND, 'final', false],
    [grpc.status.PERMISSION_DENIED, ErrorCodes.TRANSPORT_PERMISSION_DENIED, 'final', false],
    [grpc.status.FAILED_PRECONDITION, ErrorCodes.RAFT_SESSION_EXPIRED, 'final', false],
  ] as const)('status %i with %s is %s (move: %s)', (status, code, outcome, move) => {
    expect(judge(f(status, code))).toEqual({ outcome, move });
  });
});
