/**
 * Chunked upload: one PutChunk stream per chunk (a header, then data frames
 * of at most 1 MiB, written with backpressure), at most `concurrency`
 * chunks in flight, chunk ids kept in source order. The next chunk is read
 * from the source only once an upload slot is free, so memory stays at
 * about concurrency × chunkSize whatever the object's size.
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError, toTesseraError } from '@tessera/common';
import { rpcFailure } from '@tessera/transport';
import { FRAME_BYTES, u64Number, u64String, type DataClient, type DataSession, type PutChunkFrame, type PutChunkResponse__Output } from '@tessera/wire';
import { MAX_CHUNKS_PER_OBJECT } from './options.js';
import { abortReason } from './router.js';
import type { ByteReader } from './source.js';

const CHUNK_ID_BYTES = 32;

/** One PutChunk attempt on one node. Cancelled (and rejected) when `signal` aborts. */
export function putChunkAttempt(data: DataClient, session: DataSession, bytes: Buffer, timeoutMs: number, signal: AbortSignal | undefined): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    if (signal?.aborted === true) return reject(abortReason(signal));
    let settled = false;
    let wake: (() => void) | undefined;
    const finish = (err: unknown, chunkId?: Buffer): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      wake?.();
      if (chunkId !== undefined) resolve(chunkId);
      else reject(err);
    };
    const onAbort = (): void => {
      call.cancel();
      finish(abortReason(signal!));
    };
    const call = data.PutChunk({ deadline: Date.now() + timeoutMs }, (err: grpc.ServiceError | null, res?: PutChunkResponse__Output) => {
      if (err !== null) return finish(rpcFailure(err));
      if (res === undefined || res.chunkId.length !== CHUNK_ID_BYTES || u64Number(res.size) !== bytes.length) {
        return finish(new TesseraError(ErrorCodes.INTERNAL, 'the node answered PutChunk with an unexpected chunk'));
      }
      finish(undefined, Buffer.from(res.chunkId));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    // Waits for the stream to take more, or for the call to end (then writing stops).
    const drained = (): Promise<void> =>
      new Promise<void>((r) => {
        wake = r;
        call.once('drain', r);
      });
    const send = async (frame: PutChunkFrame): Promise<void> => {
      if (!call.write(frame) && !settled) await drained();
    };
    void (async () => {
      await send({ header: { session, size: u64String(bytes.length) } });
      for (let offset = 0; offset < bytes.length && !settled; offset += FRAME_BYTES) {
        await send({ data: bytes.subarray(offset, offset + FRAME_BYTES) });
      }
      if (!settled) call.end();
    })().catch((err: unknown) => {
      call.cancel();
      finish(toTesseraError(err));
    });
  });
}

/**
 * Reads `reader` in chunks of `chunkSize` and uploads each with `upload`
 * (which retries on its own), at most `concurrency` at a time. Resolves to
 * the chunk ids in order; the first failure cancels the other uploads and
 * stops reading.
 */
export async function uploadChunks(
  reader: ByteReader,
  chunkSize: number,
  concurrency: number,
  upload: (bytes: Buffer, signal: AbortSignal) => Promise<Buffer>,
  onChunkDone?: (bytes: number) => void,
): Promise<Buffer[]> {
  const ids: Buffer[] = [];
  const inFlight = new Set<Promise<void>>();
  const controller = new AbortController();
  let failure: TesseraError | undefined;
  const fail = (err: unknown): void => {
    if (failure !== undefined) return;
    failure = toTesseraError(err);
    controller.abort(failure);
  };
  try {
    for (let index = 0; ; index++) {
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      if (failure !== undefined) break;
      const bytes = await reader.read(chunkSize);
      if (bytes.length === 0) break;
      if (index >= MAX_CHUNKS_PER_OBJECT) {
        throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `an object has at most ${MAX_CHUNKS_PER_OBJECT} chunks: use a larger chunk size`);
      }
      const task: Promise<void> = upload(bytes, controller.signal)
        .then((id) => {
          ids[index] = id;
          onChunkDone?.(bytes.length);
        }, fail)
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (bytes.length < chunkSize) break;
    }
  } catch (err) {
    fail(err);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) {
    await reader.close();
    throw failure;
  }
  return ids;
}
