/**
 * Reusable buffers for assembling an uploaded chunk from its frames.
 *
 * Why: a fresh 4 MiB buffer per PutChunk lives for the whole put (upload,
 * seal, shard writes, commit), long enough to survive two scavenges, so V8
 * promotes it and only a full mark-compact gives its memory back; every
 * 64 MiB of such buffers starts one ("external memory pressure", ADR 0025).
 * A leased buffer is allocated once and reused, so it adds nothing to that
 * count. Chunks larger than the pooled size get a buffer of their own.
 */
export interface AssemblyLease {
  /** Exactly the requested size; valid until `release`. */
  readonly bytes: Buffer;
  /** Gives the buffer back; later calls do nothing. The bytes must not be used after. */
  release(): void;
}

export class AssemblyPool {
  readonly #free: Buffer[] = [];

  /**
   * @param bufferBytes size of a pooled buffer (larger requests are not pooled)
   * @param maxFree buffers kept when nobody uses them (memory held while idle: maxFree × bufferBytes)
   */
  constructor(
    private readonly bufferBytes: number,
    private readonly maxFree: number,
  ) {}

  lease(size: number): AssemblyLease {
    if (size > this.bufferBytes) return { bytes: Buffer.allocUnsafe(size), release: () => undefined };
    const whole = this.#free.pop() ?? Buffer.allocUnsafeSlow(this.bufferBytes);
    let held = true;
    return {
      bytes: whole.subarray(0, size),
      release: () => {
        if (!held) return;
        held = false;
        if (this.#free.length < this.maxFree) this.#free.push(whole);
      },
    };
  }

  /** Buffers waiting for a lease (for tests). */
  get freeCount(): number {
    return this.#free.length;
  }
}
