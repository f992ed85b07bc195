/**
 * Sizes used for every byte budget (maxSizePerMsg, inflight bytes,
 * uncommitted size). One definition so core, storage and driver agree.
 */
import type { Entry } from './types.js';

/** Fixed per-entry overhead counted against message budgets (term, index, type, CRC). */
export const ENTRY_OVERHEAD_BYTES = 24;

/** Bytes an entry costs in a message or in storage. */
export function entrySize(entry: Entry): number {
  return entry.data.byteLength + ENTRY_OVERHEAD_BYTES;
}

/** Bytes an entry counts against the uncommitted-size limit (payload only; the no-op is free). */
export function payloadSize(entry: Entry): number {
  return entry.data.byteLength;
}

/** Total `entrySize` of `entries`. */
export function entriesSize(entries: readonly Entry[]): number {
  let total = 0;
  for (const e of entries) total += entrySize(e);
  return total;
}

/**
 * The longest prefix of `entries` within `maxBytes`, but never empty when
 * `entries` is not (a single oversized entry still travels alone).
 */
export function limitSize(entries: readonly Entry[], maxBytes: number): Entry[] {
  if (entries.length === 0) return [];
  let size = entrySize(entries[0] as Entry);
  let n = 1;
  while (n < entries.length) {
    size += entrySize(entries[n] as Entry);
    if (size > maxBytes) break;
    n++;
  }
  return entries.slice(0, n);
}
