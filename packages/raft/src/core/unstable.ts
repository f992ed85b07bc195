/**
 * The part of the log not yet known durable: entries (and possibly an incoming
 * snapshot) waiting to be written by the driver. Entries from
 * `offsetInProgress` on have not been handed out in a Ready yet; once a Ready
 * is persisted, `stableTo` drops them.
 */
import type { Entry, Snapshot } from '../types.js';

export class Unstable {
  snapshot: Snapshot | undefined;
  /** Whether `snapshot` was handed out in a Ready that is not yet advanced. */
  snapshotInProgress = false;
  entries: Entry[] = [];
  /** Index of `entries[0]`. */
  offset: number;
  /** Entries from this index on were not yet handed out in a Ready. */
  offsetInProgress: number;

  constructor(offset: number) {
    this.offset = offset;
    this.offsetInProgress = offset;
  }

  /** Index of the first entry, if the unstable part starts with a snapshot. */
  maybeFirstIndex(): number | undefined {
    return this.snapshot === undefined ? undefined : this.snapshot.metadata.index + 1;
  }

  maybeLastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot?.metadata.index;
  }

  maybeTerm(index: number): number | undefined {
    if (index < this.offset) {
      const meta = this.snapshot?.metadata;
      return meta !== undefined && meta.index === index ? meta.term : undefined;
    }
    const e = this.entries[index - this.offset];
    return e?.term;
  }

  /** Entries not yet handed out in a Ready. */
  nextEntries(): Entry[] {
    const start = this.offsetInProgress - this.offset;
    return start >= this.entries.length ? [] : this.entries.slice(start);
  }

  nextSnapshot(): Snapshot | undefined {
    return this.snapshotInProgress ? undefined : this.snapshot;
  }

  /** Marks everything currently unstable as handed out. */
  acceptInProgress(): void {
    this.offsetInProgress = this.offset + this.entries.length;
    if (this.snapshot !== undefined) this.snapshotInProgress = true;
  }

  /**
   * Entries up to (index, term) are durable. Ignored if the entry was replaced
   * meanwhile (a later append truncated it), since then what was written is
   * no longer what the log holds.
   */
  stableTo(index: number, term: number): void {
    const t = this.maybeTerm(index);
    if (t === undefined || t !== term || index < this.offset) return;
    const n = index + 1 - this.offset;
    this.entries = this.entries.slice(n);
    this.offset = index + 1;
    this.offsetInProgress = Math.max(this.offsetInProgress, this.offset);
  }

  stableSnapTo(index: number): void {
    if (this.snapshot !== undefined && this.snapshot.metadata.index === index) {
      this.snapshot = undefined;
      this.snapshotInProgress = false;
    }
  }

  restore(s: Snapshot): void {
    this.offset = s.metadata.index + 1;
    this.offsetInProgress = this.offset;
    this.entries = [];
    this.snapshot = s;
    this.snapshotInProgress = false;
  }

  truncateAndAppend(ents: readonly Entry[]): void {
    const first = ents[0];
    if (first === undefined) return;
    const from = first.index;
    if (from === this.offset + this.entries.length) {
      this.entries.push(...ents);
    } else if (from <= this.offset) {
      // Replaces everything unstable; the storage write truncates its own suffix.
      this.entries = ents.slice();
      this.offset = from;
      this.offsetInProgress = from;
    } else {
      this.entries = this.entries.slice(0, from - this.offset).concat(ents);
      this.offsetInProgress = Math.min(this.offsetInProgress, from);
    }
  }

  /** Entries [lo, hi) (caller checks bounds). */
  slice(lo: number, hi: number): Entry[] {
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }
}
