/**
 * What `put` reads from, and a reader that hands out exactly n bytes at a
 * time, so a stream of any piece sizes becomes fixed-size chunks while at
 * most one chunk (plus one source piece) is held here.
 */
import { createReadStream } from 'node:fs';
import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';

export type PutSource = Uint8Array | NodeJS.ReadableStream | AsyncIterable<Uint8Array> | { readonly file: string };

function invalid(message: string, cause?: unknown): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message, cause === undefined ? {} : { cause });
}

function isFileSource(source: object): source is { readonly file: string } {
  return 'file' in source && typeof (source as { file: unknown }).file === 'string';
}

function isAsyncIterable(source: object): source is AsyncIterable<unknown> {
  return typeof (source as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

async function* single(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Reads a file in pieces of at most `pieceBytes`; a missing or unreadable file is INVALID_ARGUMENT naming it. */
async function* fileSource(file: string, pieceBytes: number): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(file, { highWaterMark: pieceBytes });
  try {
    for await (const piece of stream) yield piece as Buffer;
  } catch (cause) {
    throw invalid(`cannot read the file ${file}`, cause);
  } finally {
    stream.destroy();
  }
}

export function sourceIterator(source: PutSource, pieceBytes: number): AsyncIterator<unknown> {
  if (source instanceof Uint8Array) return single(source);
  if (typeof source === 'object' && source !== null) {
    if (isFileSource(source)) return fileSource(source.file, pieceBytes);
    if (isAsyncIterable(source)) return source[Symbol.asyncIterator]();
  }
  throw invalid('the source must be bytes, a readable stream, an async iterable of bytes, or { file }');
}

export class ByteReader {
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private ended = false;

  constructor(private readonly iterator: AsyncIterator<unknown>) {}

  /** Exactly `n` bytes, fewer only when the source ends (an empty buffer then). */
  async read(n: number): Promise<Buffer> {
    while (this.pendingBytes < n && !this.ended) await this.pull();
    return this.take(Math.min(n, this.pendingBytes));
  }

  /** Puts bytes back in front (they are read again first). */
  unshift(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const next = this.pending[0];
    if (next !== undefined && next.buffer === bytes.buffer && bytes.byteOffset + bytes.length === next.byteOffset) {
      // The bytes were a view just in front of the next piece (put's inline probe of a Buffer source):
      // one view again, so the next read can hand out a view of it instead of copying a whole chunk.
      this.pending[0] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length + next.length);
    } else {
      this.pending.unshift(bytes);
    }
    this.pendingBytes += bytes.length;
  }

  /** Stops the source early (a failed put): streams are closed, files released. */
  async close(): Promise<void> {
    this.ended = true;
    this.pending.length = 0;
    this.pendingBytes = 0;
    await this.iterator.return?.().catch(() => undefined);
  }

  private async pull(): Promise<void> {
    let step: IteratorResult<unknown>;
    try {
      step = await this.iterator.next();
    } catch (cause) {
      this.ended = true;
      throw isTesseraError(cause) ? cause : new TesseraError(ErrorCodes.INTERNAL, 'reading the source failed', { cause });
    }
    if (step.done === true) {
      this.ended = true;
      return;
    }
    const value = step.value;
    let piece: Buffer;
    if (typeof value === 'string') piece = Buffer.from(value, 'utf8');
    else if (value instanceof Uint8Array) piece = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    else throw invalid('the source yielded something that is not bytes');
    if (piece.length === 0) return;
    this.pending.push(piece);
    this.pendingBytes += piece.length;
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.pending[0]!;
    if (first.length >= n) {
      // Hand out a view of the first piece when it holds enough: no copy.
      const out = first.subarray(0, n);
      if (first.length === n) this.pending.shift();
      else this.pending[0] = first.subarray(n);
      this.pendingBytes -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const piece = this.pending[0]!;
      const used = Math.min(piece.length, n - filled);
      piece.copy(out, filled, 0, used);
      filled += used;
      if (used === piece.length) this.pending.shift();
      else this.pending[0] = piece.subarray(used);
    }
    this.pendingBytes -= n;
    return out;
  }
}
