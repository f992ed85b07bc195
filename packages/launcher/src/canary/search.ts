/**
 * Finding needles in bytes that arrive in chunks (files of any size), with a
 * fixed buffer: each chunk is searched together with the last
 * (longest needle − 1) bytes of the previous one, so a needle split across
 * a chunk boundary is found, and a match lying wholly in that carried tail
 * (already reported) is not reported twice. Pure: the caller does the I/O.
 */
import type { CanaryNeedle } from './needles.js';

export interface NeedleMatch {
  readonly encoding: string;
  /** Offset of the match's first byte in the whole stream (or buffer). */
  readonly offset: number;
}

/** Default amount read per step: large enough for throughput, small enough to bound memory. */
export const DEFAULT_SCAN_CHUNK_BYTES = 1 << 20;

/**
 * Every match in `window` of every needle that starts at or after `from`
 * (overlapping matches included), offsets shifted by `base`.
 */
export function findNeedles(window: Buffer, needles: readonly CanaryNeedle[], from = 0, base = 0): NeedleMatch[] {
  const matches: NeedleMatch[] = [];
  for (const needle of needles) {
    let at = window.indexOf(needle.bytes, Math.max(0, from));
    while (at !== -1) {
      matches.push({ encoding: needle.encoding, offset: base + at });
      at = window.indexOf(needle.bytes, at + 1);
    }
  }
  return matches.sort((a, b) => a.offset - b.offset || (a.encoding < b.encoding ? -1 : a.encoding > b.encoding ? 1 : 0));
}

/**
 * One stream's search state. Usage: read at most `target().length` bytes into
 * `target()`, then `advance(bytesRead)`; repeat until the source is empty.
 */
export class ChunkedNeedleSearch {
  private readonly needles: readonly CanaryNeedle[];
  private readonly overlap: number;
  private readonly buffer: Buffer;
  /** Bytes carried over from the previous window, at the buffer's start. */
  private carried = 0;
  /** Stream offset of buffer[0]. */
  private base = 0;

  constructor(needles: readonly CanaryNeedle[], chunkBytes: number = DEFAULT_SCAN_CHUNK_BYTES) {
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) throw new RangeError('chunkBytes must be a positive integer');
    this.needles = needles;
    this.overlap = Math.max(0, ...needles.map((n) => n.bytes.length)) - 1;
    this.buffer = Buffer.alloc(Math.max(0, this.overlap) + chunkBytes);
  }

  /** Where the next chunk goes (reused between calls). */
  target(): Buffer {
    return this.buffer.subarray(this.carried);
  }

  /** Searches the `bytesRead` bytes just written into `target()`; returns the new matches. */
  advance(bytesRead: number): NeedleMatch[] {
    const length = this.carried + bytesRead;
    if (bytesRead <= 0) return [];
    const window = this.buffer.subarray(0, length);
    const matches: NeedleMatch[] = [];
    for (const needle of this.needles) {
      // A match starting before this point lies wholly in the carried tail: reported last time.
      const from = this.carried - needle.bytes.length + 1;
      matches.push(...findNeedles(window, [needle], from, this.base));
    }
    const keep = Math.min(Math.max(0, this.overlap), length);
    this.buffer.copyWithin(0, length - keep, length);
    this.base += length - keep;
    this.carried = keep;
    return matches.sort((a, b) => a.offset - b.offset);
  }
}
