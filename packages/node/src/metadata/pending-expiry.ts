/**
 * Expiry order of pending references: a queue of (addedAt, tenant, client,
 * chunk) in the order they were added. Leader time never moves back, so the
 * queue is sorted by addedAt and the due entries are always at its head,
 * whatever gcGrace is. A re-added pending reference gets a new queue entry;
 * the stale one is recognised (its time no longer matches) and skipped.
 * Derived state: rebuilt from the pending tables after a load or restore.
 */
export interface PendingEntry {
  readonly addedAtMs: number;
  readonly tenant: string;
  readonly clientId: number;
  readonly chunkHex: string;
}

export class PendingExpiryQueue {
  private entries: PendingEntry[] = [];
  private head = 0;

  push(entry: PendingEntry): void {
    this.entries.push(entry);
  }

  /** Removes and returns the entries added at or before `cutoffMs`. */
  takeDue(cutoffMs: number): PendingEntry[] {
    const due: PendingEntry[] = [];
    while (this.head < this.entries.length && (this.entries[this.head] as PendingEntry).addedAtMs <= cutoffMs) due.push(this.entries[this.head++] as PendingEntry);
    // Reclaim the consumed prefix once it dominates the array.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return due;
  }

  /** Replaces the queue with `entries`, sorted by time. */
  reset(entries: PendingEntry[]): void {
    this.entries = entries.sort((a, b) => a.addedAtMs - b.addedAtMs);
    this.head = 0;
  }
}
