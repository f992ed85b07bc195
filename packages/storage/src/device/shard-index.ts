/**
 * The device's shard index over a DurableKv: lookups, listing, extent
 * bookkeeping, scrub progress, and the in-memory filter of indexed keys.
 * Batches of changes are built by IndexUpdate (index-update.ts) and become
 * visible before they land through PendingIndex (pending-index.ts).
 */
import type { DurableKv, KvOp } from '@tessera/common/durable';
import {
  EXTENT_RANGE,
  INDEX_FORMAT_VERSION,
  SHARD_RANGE,
  decodeExtentMeta,
  decodeIndexMarker,
  decodeLocation,
  decodeScrubProgress,
  encodeExtentMeta,
  encodeIndexMarker,
  encodeScrubProgress,
  extentEntryKey,
  extentIdOfEntry,
  ghostEntryKey,
  ghostExtentOf,
  ghostRange,
  metaKey,
  shardEntryKey,
  shardKeyOfEntry,
  type ExtentMeta,
  type ScrubProgress,
  type ShardLocation,
} from '../format/index-entries.js';
import type { Extent } from './extent.js';
import { KeyFilter } from './key-filter.js';

export class ShardIndex {
  private filter: KeyFilter | undefined;

  constructor(readonly kv: DurableKv) {}

  async location(key: Buffer): Promise<ShardLocation | undefined> {
    if (this.filter !== undefined && !this.filter.mayContain(key)) return undefined;
    const value = await this.kv.get(shardEntryKey(key));
    return value === undefined ? undefined : decodeLocation(value);
  }

  /** Builds the key filter from every live entry; from then on lookups of absent keys skip LevelDB. */
  async enableFilter(): Promise<void> {
    const keys: Buffer[] = [];
    for await (const { key } of this.all()) keys.push(key);
    const filter = new KeyFilter(keys.length);
    for (const key of keys) filter.add(key);
    this.filter = filter;
  }

  /** False only for a key the index has never held (true for every key until the filter is built). */
  mayContain(key: Buffer): boolean {
    return this.filter === undefined || this.filter.mayContain(key);
  }

  /** A key that is about to get a live entry (must be called before its KV write). */
  noteKey(key: Buffer): void {
    this.filter?.add(key);
  }

  async ghostExtents(key: Buffer): Promise<number[]> {
    return (await this.kv.entries(ghostRange(key))).map(([k]) => ghostExtentOf(k));
  }

  async extentMetas(): Promise<Map<number, ExtentMeta>> {
    const out = new Map<number, ExtentMeta>();
    for (const [k, v] of await this.kv.entries(EXTENT_RANGE)) out.set(extentIdOfEntry(k), decodeExtentMeta(v));
    return out;
  }

  /** Live shard entries in key order, after `after` (exclusive), at most `limit`. */
  async page(after: Buffer | undefined, limit: number): Promise<Array<{ key: Buffer; location: ShardLocation }>> {
    const range = after === undefined ? { ...SHARD_RANGE, limit } : { gt: shardEntryKey(after), lt: SHARD_RANGE.lt, limit };
    return (await this.kv.entries(range)).map(([k, v]) => ({ key: Buffer.from(shardKeyOfEntry(k)), location: decodeLocation(v) }));
  }

  /** Every live entry, page by page (for rare whole-index walks). */
  async *all(pageSize = 4096): AsyncGenerator<{ key: Buffer; location: ShardLocation }> {
    let after: Buffer | undefined;
    for (;;) {
      const page = await this.page(after, pageSize);
      yield* page;
      if (page.length < pageSize) return;
      after = page[page.length - 1]!.key;
    }
  }

  async markerMatches(deviceUuid: Uint8Array): Promise<boolean> {
    const value = await this.kv.get(metaKey('marker'));
    if (value === undefined) return false;
    try {
      const marker = decodeIndexMarker(value);
      return marker.version === INDEX_FORMAT_VERSION && Buffer.compare(marker.deviceUuid, deviceUuid) === 0;
    } catch {
      return false;
    }
  }

  markerOp(deviceUuid: Uint8Array): KvOp {
    return { type: 'put', key: metaKey('marker'), value: encodeIndexMarker({ version: INDEX_FORMAT_VERSION, deviceUuid }) };
  }

  async scrubProgress(): Promise<ScrubProgress | undefined> {
    const value = await this.kv.get(metaKey('scrub'));
    if (value === undefined) return undefined;
    try {
      return decodeScrubProgress(value);
    } catch {
      return undefined; // a damaged progress record restarts the pass; nothing is lost
    }
  }

  async saveScrubProgress(progress: ScrubProgress, sync: boolean): Promise<void> {
    await this.kv.write([{ type: 'put', key: metaKey('scrub'), value: encodeScrubProgress(progress) }], { sync });
  }
}

export function extentMetaOp(extent: Extent): KvOp {
  return { type: 'put', key: extentEntryKey(extent.id), value: encodeExtentMeta(extent.meta()) };
}

export function deleteExtentMetaOp(extentId: number): KvOp {
  return { type: 'del', key: extentEntryKey(extentId) };
}

export function deleteGhostOp(key: Buffer, extentId: number): KvOp {
  return { type: 'del', key: ghostEntryKey(key, extentId) };
}

