/**
 * The window of append messages sent to one follower and not yet acknowledged,
 * bounded both in count and in bytes, so a slow follower cannot make the
 * leader buffer without limit.
 */
export class Inflights {
  private readonly indexes: number[] = [];
  private readonly sizes: number[] = [];
  private bytes = 0;

  constructor(
    readonly maxCount: number,
    /** 0 = no byte limit. */
    readonly maxBytes: number,
  ) {}

  /** Records an append whose last entry is `index`, carrying `bytes`. */
  add(index: number, bytes: number): void {
    this.indexes.push(index);
    this.sizes.push(bytes);
    this.bytes += bytes;
  }

  /** Frees every message whose last index is <= `to` (acknowledged). */
  freeLE(to: number): void {
    let n = 0;
    while (n < this.indexes.length && (this.indexes[n] as number) <= to) {
      this.bytes -= this.sizes[n] as number;
      n++;
    }
    if (n > 0) {
      this.indexes.splice(0, n);
      this.sizes.splice(0, n);
    }
  }

  full(): boolean {
    return this.indexes.length >= this.maxCount || (this.maxBytes > 0 && this.bytes >= this.maxBytes);
  }

  count(): number {
    return this.indexes.length;
  }

  byteCount(): number {
    return this.bytes;
  }

  reset(): void {
    this.indexes.length = 0;
    this.sizes.length = 0;
    this.bytes = 0;
  }
}
