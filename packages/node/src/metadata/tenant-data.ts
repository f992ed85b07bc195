/**
 * The per-tenant part of the metadata state: stored deltas (the persisted
 * truth) and the tables derived from them (references, latest versions,
 * usage, live tombstones), which apply maintains incrementally and
 * `deriveTenantTables` rebuilds identically after a load or a restore.
 * Header-only: nothing here looks inside a payload.
 */
import type { ChunkRecord, StoredDelta } from './types.js';

export interface TenantData {
  /** Next sequence to assign to a delta. */
  nextSequence: number;
  /** Every stored delta, in ascending sequence order (superseded ones stay until compaction). */
  readonly deltas: Map<number, StoredDelta>;
  /** keyTag hex → sequence of the latest delta of that key. */
  readonly latest: Map<string, number>;
  /** chunk id hex → number of stored deltas naming it. */
  readonly refs: Map<string, number>;
  /** client id → chunk id hex → leader time the pending reference was added. */
  readonly pending: Map<number, Map<string, number>>;
  /**
   * Sequence → leader time of every tombstone that is the latest delta of its
   * key, ascending (new tombstones always carry the highest sequence so far),
   * so the first entry is the oldest: compaction candidates in O(1).
   */
  readonly latestTombstones: Map<number, number>;
  logicalBytes: number;
  objects: number;
}

export function emptyTenantData(): TenantData {
  return { nextSequence: 1, deltas: new Map(), latest: new Map(), refs: new Map(), pending: new Map(), latestTombstones: new Map(), logicalBytes: 0, objects: 0 };
}

export function isEmptyTenantData(data: TenantData): boolean {
  return data.nextSequence === 1 && data.deltas.size === 0 && data.pending.size === 0;
}

/** Logical bytes a stored delta stands for: its chunks' sizes plus its payload. */
export function deltaLogicalBytes(chunks: ReadonlyMap<string, ChunkRecord>, delta: StoredDelta): number {
  let bytes = delta.header.payloadSize;
  for (const c of delta.header.chunkRefs) bytes += chunks.get(c.toString('hex'))?.size ?? 0;
  return bytes;
}

/**
 * Rebuilds references, latest versions, live tombstones and usage from a
 * tenant's deltas, exactly as apply maintains them. The deltas map is
 * re-ordered by sequence on the way (loaders may fill it in any order).
 */
export function deriveTenantTables(chunks: ReadonlyMap<string, ChunkRecord>, data: TenantData): void {
  data.refs.clear();
  data.latest.clear();
  data.latestTombstones.clear();
  data.logicalBytes = 0;
  data.objects = 0;
  const sorted = [...data.deltas].sort(([a], [b]) => a - b);
  data.deltas.clear();
  for (const [sequence, delta] of sorted) {
    data.deltas.set(sequence, delta);
    for (const c of delta.header.chunkRefs) {
      const key = c.toString('hex');
      data.refs.set(key, (data.refs.get(key) ?? 0) + 1);
    }
    data.latest.set(delta.header.keyTag.toString('hex'), sequence);
  }
  for (const [sequence, delta] of sorted) {
    if (data.latest.get(delta.header.keyTag.toString('hex')) !== sequence) continue;
    if (delta.header.tombstone) {
      data.latestTombstones.set(sequence, delta.leaderTimeMs);
      continue;
    }
    data.objects += 1;
    data.logicalBytes += deltaLogicalBytes(chunks, delta);
  }
}

/** Superseded deltas of the tenant: every stored delta that is not the latest of its key. */
export function supersededCount(data: TenantData): number {
  return data.deltas.size - data.latest.size;
}
