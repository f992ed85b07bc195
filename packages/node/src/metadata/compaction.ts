/**
 * Header-only compaction (DESIGN sections 1 K3 and 7): `Compact{tenant,
 * upToSeq}` applied on every replica at the same index, with the entry's
 * leader time as "now". It reads delta headers and the state machine's own
 * fields (sequence, leader time) — never a payload — and imports nothing
 * that could hold or fetch a key (a test walks this file's import graph).
 *
 * Rule, for each keyTag of the tenant:
 *  - of its deltas with sequence <= upToSeq only the latest is kept (every
 *    delta above upToSeq is kept too): the others are superseded and dropped;
 *  - that latest one is dropped as well when it is a tombstone whose leader
 *    time is at least `tombstoneTtlMs` old — nothing older remains for the key
 *    by then, so dropping it can never uncover an older version;
 *  - every chunk reference of a dropped delta is released.
 * Usage does not change: a dropped delta is either not the latest of its key
 * or a tombstone, and neither counts.
 */
import type { TenantData } from './tenant-data.js';

/** How long a tombstone outlives the object it deleted, by default. */
export const TOMBSTONE_TTL_MS = 24 * 60 * 60 * 1000;
/** Upper bound a command may carry (a year): keeps `leaderTime + ttl` far from 2^53. */
export const MAX_TOMBSTONE_TTL_MS = 366 * 24 * 60 * 60 * 1000;

/** Sequences compaction would drop, ascending; pure. */
export function planCompaction(data: TenantData, upToSeq: number, nowMs: number, tombstoneTtlMs: number): number[] {
  const drop: number[] = [];
  const keptPerKey = new Map<string, number>();
  for (const [sequence, delta] of data.deltas) {
    if (sequence > upToSeq) break; // deltas are held in ascending sequence order
    const key = delta.header.keyTag.toString('hex');
    const older = keptPerKey.get(key);
    if (older !== undefined) drop.push(older);
    keptPerKey.set(key, sequence);
  }
  for (const sequence of keptPerKey.values()) {
    const delta = data.deltas.get(sequence);
    if (delta !== undefined && delta.header.tombstone && delta.leaderTimeMs + tombstoneTtlMs <= nowMs) drop.push(sequence);
  }
  return drop.sort((a, b) => a - b);
}

/**
 * Applies the rule to one tenant's data; `release(chunkHex)` is called once
 * per released reference (for the group-wide counts), `latestDropped(keyTagHex)`
 * once per key whose latest delta (an expired tombstone) went, leaving the key
 * absent from `latest`. Returns the dropped sequences, ascending.
 */
export function compactTenant(
  data: TenantData,
  upToSeq: number,
  nowMs: number,
  tombstoneTtlMs: number,
  release: (chunkHex: string) => void,
  latestDropped: (keyTagHex: string) => void = () => undefined,
): number[] {
  const dropped = planCompaction(data, upToSeq, nowMs, tombstoneTtlMs);
  for (const sequence of dropped) {
    const delta = data.deltas.get(sequence);
    if (delta === undefined) continue;
    data.deltas.delete(sequence);
    const key = delta.header.keyTag.toString('hex');
    if (data.latest.get(key) === sequence) {
      // Only an expired tombstone can be the latest delta and be dropped.
      data.latest.delete(key);
      data.latestTombstones.delete(sequence);
      latestDropped(key);
    }
    for (const c of delta.header.chunkRefs) {
      const hex = c.toString('hex');
      const left = (data.refs.get(hex) ?? 0) - 1;
      if (left > 0) data.refs.set(hex, left);
      else data.refs.delete(hex);
      release(hex);
    }
  }
  return dropped;
}
