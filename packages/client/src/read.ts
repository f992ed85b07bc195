/**
 * Reading an object: GetObject answers one info frame, then data frames.
 * The returned body is a byte stream that resumes where it stopped when a
 * node fails mid-read (another GetObject for the rest of the range, on the
 * same version: a different etag means the object was replaced meanwhile,
 * which is an error rather than a silent splice of two versions). A node
 * that sends nothing for `idleTimeoutMs` counts as failed. Resumptions that
 * deliver no new byte share one `retryTimeoutMs` window (a node that answers
 * the object's info and then fails every time, as one with an unreadable
 * chunk does, must not keep a reader resuming forever).
 */
import { Readable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { RpcFailure, rpcFailure } from '@tessera/transport';
import { u64String, type DataClient, type GetObjectFrame__Output } from '@tessera/wire';
import { judge } from './failures.js';
import { objectInfoFromWire, type ObjectInfo } from './object-info.js';
import type { Router } from './router.js';

export interface ByteRangeOption {
  /** First byte to read. */
  readonly offset: number;
  /** Bytes to read; absent reads to the end of the object. */
  readonly length?: number;
}

/** A readable byte stream of an object (or part of it), with the version's metadata. */
export type ObjectReadable = Readable & { readonly info: ObjectInfo };

export interface ReadSettings {
  readonly retryTimeoutMs: number;
  readonly idleTimeoutMs: number;
}

export function checkRange(range: ByteRangeOption | undefined): void {
  if (range === undefined) return;
  if (!Number.isSafeInteger(range.offset) || range.offset < 0) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'range offset must be a whole number ≥ 0');
  if (range.length !== undefined && (!Number.isSafeInteger(range.length) || range.length < 1)) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'range length must be a whole number ≥ 1 (omit it to read to the end)');
  }
}

/** Frames of one GetObject call, failing with a DEADLINE_EXCEEDED RpcFailure when the node goes quiet. */
async function* framesOf(data: DataClient, name: string, offset: number, length: number | undefined, idleTimeoutMs: number): AsyncGenerator<GetObjectFrame__Output> {
  const range = offset === 0 && length === undefined ? {} : { range: { offset: u64String(offset), length: u64String(length ?? 0) } };
  const call = data.GetObject({ name, ...range });
  let idle = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      call.cancel();
    }, idleTimeoutMs);
  };
  try {
    arm();
    for await (const frame of call as AsyncIterable<GetObjectFrame__Output>) {
      arm();
      yield frame;
    }
  } catch (err) {
    if (idle) throw new RpcFailure(grpc.status.DEADLINE_EXCEEDED, ErrorCodes.INTERNAL, 'the node sent no data in time', undefined);
    throw isServiceError(err) ? rpcFailure(err) : err;
  } finally {
    clearTimeout(timer);
    call.cancel();
  }
}

function isServiceError(err: unknown): err is grpc.ServiceError {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'number';
}

interface OpenedRead {
  readonly info: ObjectInfo;
  readonly frames: AsyncGenerator<GetObjectFrame__Output>;
}

async function openAt(router: Router, name: string, offset: number, length: number | undefined, settings: ReadSettings): Promise<OpenedRead> {
  return router.run(
    async (data) => {
      const frames = framesOf(data, name, offset, length, settings.idleTimeoutMs);
      const first = await frames.next();
      if (first.done === true || first.value.info === undefined || first.value.info === null) {
        await frames.return(undefined);
        throw new TesseraError(ErrorCodes.INTERNAL, 'the node answered GetObject without the object info');
      }
      return { info: objectInfoFromWire(first.value.info), frames };
    },
    { mode: 'idempotent', retryTimeoutMs: settings.retryTimeoutMs, what: 'a read' },
  );
}

/** Opens a read; resolves once the node has answered with the object's info (so NOT_FOUND rejects here). */
export async function openObject(router: Router, name: string, range: ByteRangeOption | undefined, settings: ReadSettings): Promise<ObjectReadable> {
  const start = range?.offset ?? 0;
  const first = await openAt(router, name, start, range?.length, settings);
  const info = first.info;
  const end = range?.length === undefined ? info.size : Math.min(info.size, start + range.length);
  const expected = Math.max(0, end - start);

  async function* body(): AsyncGenerator<Buffer> {
    let delivered = 0;
    let frames = first.frames;
    /** When resumptions started failing without a new byte in between (undefined while reading makes progress). */
    let stalledSince: number | undefined;
    let deliveredAtFailure = -1;
    let pauseMs = 50;
    try {
      for (;;) {
        try {
          for await (const frame of frames) {
            const bytes = frame.data;
            if (bytes === undefined || bytes.length === 0) continue;
            if (delivered + bytes.length > expected) throw new TesseraError(ErrorCodes.INTERNAL, 'the node sent more bytes than the range holds');
            delivered += bytes.length;
            yield bytes;
          }
          if (delivered !== expected) throw new TesseraError(ErrorCodes.INTERNAL, 'the node ended the read early');
          return;
        } catch (err) {
          if (!(err instanceof RpcFailure) || judge(err).outcome === 'final' || delivered === expected) throw err;
          const now = Date.now();
          if (delivered > deliveredAtFailure) {
            stalledSince = now;
            pauseMs = 50;
          }
          deliveredAtFailure = delivered;
          if (now - (stalledSince ?? now) > settings.retryTimeoutMs) throw err;
          await new Promise((resolve) => setTimeout(resolve, pauseMs));
          pauseMs = Math.min(pauseMs * 2, 1_000);
          // Resume the rest of the range on the same version.
          const next = await openAt(router, name, start + delivered, expected - delivered, settings);
          if (next.info.etag !== info.etag) {
            await next.frames.return(undefined);
            throw new TesseraError(ErrorCodes.OBJECT_CHANGED, 'the object was replaced while it was being read: read it again');
          }
          frames = next.frames;
        }
      }
    } finally {
      await frames.return(undefined);
    }
  }

  return Object.assign(Readable.from(body(), { objectMode: false }), { info });
}
