/**
 * PutChunk's handler reading a client stream: grpc-js hands it a Duplex, so
 * the way the frames are read decides whether the call is destroyed (with an
 * AbortError built and grpc-js's error path run) when they end.
 */
import { Duplex } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { dataService, type DataServiceDeps } from '../src/data/service.js';
import { DataPathStats } from '../src/data/data-path-stats.js';

const TENANT = 'acme';

/** The deps PutChunk touches: a tenant principal of an active tenant, and a chunk store that records what it was given. */
function fakeDeps(stored: Buffer[]): DataServiceDeps {
  const deps = {
    principalOf: () => ({ kind: 'tenant-client', tenant: TENANT, name: 'app', spiffeId: 'spiffe://t/tenant/acme/client/app', trustDomain: 't' }),
    machine: { tenant: (id: string) => (id === TENANT ? { id, state: 'active' } : undefined) },
    readBarrier: async () => undefined,
    assertReady: () => undefined,
    clock: () => 0,
    logger: { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined },
    chunks: {
      stats: { dataPath: new DataPathStats() },
      put: async (_tenant: unknown, _session: unknown, plaintext: Buffer) => {
        stored.push(Buffer.from(plaintext));
        return { chunkId: Buffer.alloc(32, 7), size: plaintext.byteLength };
      },
    },
  };
  return deps as unknown as DataServiceDeps;
}

/** A client stream as grpc-js serves it: an object-mode Duplex with the request metadata. */
function clientStream(frames: readonly object[]): Duplex & { metadata: grpc.Metadata } {
  const call = new Duplex({ objectMode: true, read: () => undefined, write: (_chunk, _enc, done) => done() }) as Duplex & { metadata: grpc.Metadata };
  call.metadata = new grpc.Metadata();
  for (const frame of frames) call.push(frame);
  call.push(null);
  return call;
}

describe('PutChunk reading its client stream', () => {
  it('answers a complete upload without destroying the call or raising an error on it', async () => {
    const stored: Buffer[] = [];
    const service = dataService(fakeDeps(stored));
    const bytes = Buffer.from('hello, chunk');
    const call = clientStream([
      { kind: 'header', header: { session: { clientId: '1', seq: '1', ackedThrough: '0' }, size: String(bytes.byteLength) } },
      { kind: 'data', data: bytes.subarray(0, 5) },
      { kind: 'data', data: bytes.subarray(5) },
    ]);
    const errors: Error[] = [];
    call.on('error', (err: Error) => errors.push(err));
    const handler = service['PutChunk'] as (call: unknown, callback: grpc.sendUnaryData<unknown>) => void;
    const answer = await new Promise<{ err: unknown; res: unknown }>((resolve) => handler(call, (err, res) => resolve({ err, res })));
    expect(answer.err).toBeNull();
    expect(answer.res).toMatchObject({ size: String(bytes.byteLength) });
    expect(stored).toEqual([bytes]);
    // Let any destroy scheduled by the stream machinery run before looking.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(call.destroyed).toBe(false);
    expect(errors).toEqual([]);
  });

  it('still refuses a stream whose data exceeds the announced size', async () => {
    const service = dataService(fakeDeps([]));
    const call = clientStream([
      { kind: 'header', header: { session: { clientId: '1', seq: '1', ackedThrough: '0' }, size: '3' } },
      { kind: 'data', data: Buffer.from('four') },
    ]);
    call.on('error', () => undefined);
    const handler = service['PutChunk'] as (call: unknown, callback: grpc.sendUnaryData<unknown>) => void;
    const answer = await new Promise<{ err: unknown }>((resolve) => handler(call, (err) => resolve({ err })));
    expect(answer.err).toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  });
});
