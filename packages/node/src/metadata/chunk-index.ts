/**
 * In-memory indexes over the chunk table, derived from the persisted state
 * (never encoded, never part of the digest) and kept current by apply, so
 * the node's duties (GC, re-encryption, scrub, evacuation, shard
 * reconciliation, orphan reclamation) query without scanning every record.
 *
 * Memory, per chunk record: one hex key shared by reference; ~2 map/set
 * entries for counts and states, one array slot per device it touches
 * (current and retired slots) and per epoch, one map entry per writeId:
 * roughly 150-250 bytes on top of the record itself (~1 KB) — about 25 MB
 * of index for 100k chunks.
 */
import { SortedKeys } from './sorted-keys.js';
import type { ChunkRecord } from './types.js';

export function deviceIndexKey(nodeId: string, deviceId: string): string {
  return `${nodeId}\u0000${deviceId}`;
}

function devicesOf(record: ChunkRecord | undefined): Set<string> {
  const out = new Set<string>();
  if (record === undefined) return out;
  for (const s of record.slots) out.add(deviceIndexKey(s.nodeId, s.deviceId));
  for (const r of record.retired) for (const s of r.slots) out.add(deviceIndexKey(s.nodeId, s.deviceId));
  return out;
}

function writeIdsOf(record: ChunkRecord | undefined): string[] {
  if (record === undefined) return [];
  return [record.writeId.toString('hex'), ...record.retired.map((r) => r.writeId.toString('hex'))];
}

export class ChunkIndex {
  /** chunk hex → references from stored deltas, all tenants together. */
  readonly refs = new Map<string, number>();
  /** chunk hex → pending references, all tenants and sessions together. */
  readonly pending = new Map<string, number>();
  /** Live records with no references and no pending references (GC may consider them). */
  readonly unreferenced = new Set<string>();
  /** Records in state `deleting`. */
  readonly deleting = new Set<string>();
  /** Records holding at least one retired placement. */
  readonly withRetired = new Set<string>();
  /** system epoch → live records sealed under it. */
  readonly byEpoch = new Map<number, SortedKeys>();
  /** node \0 device → records with a current or retired slot there (any state). */
  readonly byDevice = new Map<string, SortedKeys>();
  /** writeId hex → how many current or retired placements name it. */
  readonly writeIds = new Map<string, number>();

  constructor(private readonly chunks: ReadonlyMap<string, ChunkRecord>) {}

  /** Call after the record of `hex` changed from `before` to what the chunk table now holds. */
  recordChanged(hex: string, before: ChunkRecord | undefined): void {
    const after = this.chunks.get(hex);
    if (before?.state === 'live') this.byEpoch.get(before.sysEpoch)?.delete(hex);
    if (after?.state === 'live') this.sortedIn(this.byEpoch, after.sysEpoch).add(hex);
    const beforeDevices = devicesOf(before);
    const afterDevices = devicesOf(after);
    for (const d of beforeDevices) if (!afterDevices.has(d)) this.byDevice.get(d)?.delete(hex);
    for (const d of afterDevices) if (!beforeDevices.has(d)) this.sortedIn(this.byDevice, d).add(hex);
    for (const w of writeIdsOf(before)) bump(this.writeIds, w, -1);
    for (const w of writeIdsOf(after)) bump(this.writeIds, w, 1);
    if (after?.state === 'deleting') this.deleting.add(hex);
    else this.deleting.delete(hex);
    if (after !== undefined && after.retired.length > 0) this.withRetired.add(hex);
    else this.withRetired.delete(hex);
    this.refreshUnreferenced(hex);
  }

  addRefs(hex: string, delta: number): void {
    bump(this.refs, hex, delta);
    this.refreshUnreferenced(hex);
  }

  addPending(hex: string, delta: number): void {
    bump(this.pending, hex, delta);
    this.refreshUnreferenced(hex);
  }

  isUnreferenced(hex: string): boolean {
    return (this.refs.get(hex) ?? 0) === 0 && (this.pending.get(hex) ?? 0) === 0;
  }

  private refreshUnreferenced(hex: string): void {
    if (this.chunks.get(hex)?.state === 'live' && this.isUnreferenced(hex)) this.unreferenced.add(hex);
    else this.unreferenced.delete(hex);
  }

  private sortedIn<K>(map: Map<K, SortedKeys>, key: K): SortedKeys {
    let set = map.get(key);
    if (set === undefined) {
      set = new SortedKeys();
      map.set(key, set);
    }
    return set;
  }

  /** Rebuilds every index from the chunk table and the given reference counts (after a load or restore). */
  rebuild(refs: ReadonlyMap<string, number>, pending: ReadonlyMap<string, number>): void {
    for (const m of [this.refs, this.pending, this.writeIds]) m.clear();
    for (const s of [this.unreferenced, this.deleting, this.withRetired]) s.clear();
    this.byEpoch.clear();
    this.byDevice.clear();
    for (const [hex, n] of refs) this.refs.set(hex, n);
    for (const [hex, n] of pending) this.pending.set(hex, n);
    const epochKeys = new Map<number, string[]>();
    const deviceKeys = new Map<string, string[]>();
    for (const [hex, record] of this.chunks) {
      if (record.state === 'live') pushTo(epochKeys, record.sysEpoch, hex);
      for (const d of devicesOf(record)) pushTo(deviceKeys, d, hex);
      for (const w of writeIdsOf(record)) bump(this.writeIds, w, 1);
      if (record.state === 'deleting') this.deleting.add(hex);
      if (record.retired.length > 0) this.withRetired.add(hex);
      this.refreshUnreferenced(hex);
    }
    for (const [epoch, keys] of epochKeys) this.byEpoch.set(epoch, SortedKeys.of(keys));
    for (const [device, keys] of deviceKeys) this.byDevice.set(device, SortedKeys.of(keys));
  }
}

function bump<K>(map: Map<K, number>, key: K, delta: number): void {
  const next = (map.get(key) ?? 0) + delta;
  if (next > 0) map.set(key, next);
  else map.delete(key);
}

function pushTo<K>(map: Map<K, string[]>, key: K, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
