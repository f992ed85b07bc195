/**
 * Reuse of the plaintext buffers that carry a job's bytes to a worker.
 *
 * Every identify and seal job copies the caller's plaintext into an
 * ArrayBuffer of its own and moves it to a worker. Allocated fresh each time,
 * a 4 MiB chunk costs this thread a new mapping, page faults on first touch
 * and external-memory pressure that triggers full garbage collections, and
 * the worker a cross-thread free — measured as much as the copy itself. So
 * the worker zero-fills the whole buffer once the stage is done with it (as
 * it always did: plaintext never outlives its job) and moves it back; the
 * next job copies into it.
 *
 * Only buffers of at least MIN_RECYCLED_BYTES are kept (smaller ones are
 * cheap to allocate), their capacity rounded up to a class (capacityFor) so
 * the last, shorter chunk of an object fits a chunk-sized buffer; the total
 * kept is bounded. Plaintext buffers in the free list hold only zeros.
 *
 * Sealed stripes (ciphertext, not secret) are recycled the same way when the
 * caller releases them (ChunkPipeline.release): the next seal job carries one
 * to its worker to encode into.
 */
import { ownedBuffer } from './transfer.js';

export const MIN_RECYCLED_BYTES = 256 * 1024;
/** At most this many bytes wait for reuse (e.g. 8 buffers of 4 MiB). */
export const MAX_RECYCLED_BYTES = 32 * 1024 * 1024;

const MiB = 1024 * 1024;

/** Capacity classes: powers of two up to 1 MiB, then whole MiB (a 4+2 stripe of a 4 MiB chunk, 6 MiB + a few KiB, takes 7). */
function capacityFor(length: number): number {
  if (length > MiB) return Math.ceil(length / MiB) * MiB;
  let capacity = MIN_RECYCLED_BYTES;
  while (capacity < length) capacity *= 2;
  return capacity;
}

export class BufferRecycler {
  readonly #free = new Map<number, ArrayBuffer[]>();
  #freeBytes = 0;
  readonly #maxBytes: number;

  constructor(maxBytes: number = MAX_RECYCLED_BYTES) {
    this.#maxBytes = maxBytes;
  }

  /** A free buffer able to hold `length` bytes (its whole capacity), if one is kept; never a fresh one. */
  takeFree(length: number): ArrayBuffer | undefined {
    if (length < MIN_RECYCLED_BYTES) return undefined;
    const capacity = capacityFor(length);
    const reused = this.#free.get(capacity)?.pop();
    if (reused !== undefined) this.#freeBytes -= capacity;
    return reused;
  }

  /** An owned, transferable view of `length` bytes: reused (all zeros) when one is free, else fresh (uninitialised). */
  take(length: number): Uint8Array {
    if (length < MIN_RECYCLED_BYTES) return ownedBuffer(length);
    const capacity = capacityFor(length);
    const reused = this.#free.get(capacity)?.pop();
    if (reused !== undefined) {
      this.#freeBytes -= capacity;
      return new Uint8Array(reused, 0, length);
    }
    return new Uint8Array(ownedBuffer(capacity).buffer, 0, length);
  }

  /**
   * Takes back a buffer a worker returned. Only one this recycler could have
   * handed out (a recycled capacity, not shared, not detached) is kept, and
   * only while the bound allows; the caller guarantees it is all zeros.
   */
  give(buffer: unknown): void {
    if (!(buffer instanceof ArrayBuffer)) return;
    const capacity = buffer.byteLength;
    if (capacity < MIN_RECYCLED_BYTES || capacity !== capacityFor(capacity)) return;
    if (this.#freeBytes + capacity > this.#maxBytes) return;
    const list = this.#free.get(capacity) ?? [];
    list.push(buffer);
    this.#free.set(capacity, list);
    this.#freeBytes += capacity;
  }

  /** Bytes waiting for reuse. */
  get freeBytes(): number {
    return this.#freeBytes;
  }

  /** Drops every kept buffer (on close). */
  clear(): void {
    this.#free.clear();
    this.#freeBytes = 0;
  }
}
