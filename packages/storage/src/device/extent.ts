/**
 * One extent file in memory: its file, its index bookkeeping (state, indexed
 * tail, live bytes) and a reference count, so compaction can retire an extent
 * while reads that already looked it up finish on the open descriptor.
 */
import { EXTENT_HEADER_BYTES, type ExtentAlignment } from '../format/extent-header.js';
import type { ExtentMeta, ExtentState } from '../format/index-entries.js';
import type { ExtentFile } from '../io/extent-file.js';

export class Extent {
  state: ExtentState;
  /** Every record before this offset is reflected in the index. */
  tail: number;
  liveBytes: number;
  liveRecords: number;
  /**
   * For a new extent whose header is not written yet: the header block, which
   * goes to disk with the first batch (so creating an extent costs no write
   * of its own, and an extent left empty by a crash is simply removed).
   */
  freshHeader: Buffer | undefined;
  /** Batches planned into this extent and not yet settled (written and published, or failed). */
  batchesInFlight = 0;
  private refs = 0;
  private retiring = false;
  private closed: Promise<void> | undefined;

  constructor(
    readonly id: number,
    readonly file: ExtentFile,
    readonly alignment: ExtentAlignment,
    meta: ExtentMeta,
  ) {
    this.state = meta.state;
    this.tail = meta.tail;
    this.liveBytes = meta.liveBytes;
    this.liveRecords = meta.liveRecords;
  }

  get size(): number {
    return this.file.size;
  }

  /** Bytes that are not live records (dead records, tombstones, padding, header). */
  get deadBytes(): number {
    return Math.max(0, this.size - EXTENT_HEADER_BYTES - this.liveBytes);
  }

  /** Nothing is being appended to it and everything in it is indexed: safe to compact. */
  get quiescent(): boolean {
    return this.batchesInFlight === 0 && this.tail >= this.size;
  }

  /** Whether the extent has no records at all (only its header). */
  get empty(): boolean {
    return this.size <= EXTENT_HEADER_BYTES;
  }

  meta(): ExtentMeta {
    return { state: this.state, tail: this.tail, liveBytes: this.liveBytes, liveRecords: this.liveRecords };
  }

  /** Pins the file open for one read; false once the extent is being retired. */
  acquire(): boolean {
    if (this.retiring) return false;
    this.refs++;
    return true;
  }

  release(): void {
    this.refs--;
    if (this.refs === 0 && this.retiring) void this.closeNow();
  }

  /** No new readers; the file closes when the last one finishes. */
  retire(): Promise<void> {
    this.retiring = true;
    if (this.refs === 0) return this.closeNow();
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.retiring = true;
    return this.closeNow();
  }

  private closeNow(): Promise<void> {
    this.closed ??= this.file.close().catch(() => undefined);
    return this.closed;
  }
}
