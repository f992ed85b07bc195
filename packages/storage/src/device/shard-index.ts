/**
 * The device's shard index over a DurableKv, and the per-batch update that
 * the group committer and recovery build: lookups see the batch's own
 * earlier decisions, and the resulting KV operations (shard entries, ghosts,
 * extent bookkeeping) are written as one atomic batch.
 */
import { setTimeout as sleep } from 'node:timers/promises';
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
  encodeLocation,
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
import { recordLength } from '../format/record.js';
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

/** A put's previous location: known while planning, or looked up once the batch is durable. */
type Previous = ShardLocation | undefined | 'look-up';

type Decision =
  | { readonly type: 'put'; readonly key: Buffer; readonly location: ShardLocation; previous: Previous }
  | { readonly type: 'remove'; readonly key: Buffer; readonly previous: ShardLocation };

/**
 * Index updates of durable, acknowledged batches whose KV write has not
 * landed yet. Callers are acknowledged as soon as their batch is fdatasynced
 * (the extents are the truth; the index write is not needed for durability),
 * so lookups — by readers and by the next batch's plan — consult these
 * first, newest first. The updates are finished (previous locations looked
 * up, bookkeeping applied, KV written) strictly one after another, in order.
 */
const LINGER_UPDATES = 16;
const LINGER_MS = 2;

export class PendingIndex {
  private readonly updates: IndexUpdate[] = [];
  private queued: Array<{ readonly update: IndexUpdate; readonly finish: () => Promise<IndexWrite>; readonly done: Settle }> = [];
  private worker: Promise<void> | undefined;

  constructor(private readonly kv: DurableKv) {}

  /** The newest pending decision about a key: a location, null (deleted), or undefined (none pending). */
  lookup(hex: string): ShardLocation | null | undefined {
    return this.lookupBefore(undefined, hex);
  }

  /** Like lookup, among the updates older than `update` only (all of them when undefined). */
  lookupBefore(update: IndexUpdate | undefined, hex: string): ShardLocation | null | undefined {
    let i = update === undefined ? this.updates.length : this.updates.indexOf(update);
    if (i < 0) i = this.updates.length;
    while (--i >= 0) {
      const decided = this.updates[i]!.decided(hex);
      if (decided !== undefined) return decided;
    }
    return undefined;
  }

  /**
   * Makes `update` visible now; `finish` (bookkeeping, returning the KV
   * operations) runs after every earlier update's. Updates that pile up
   * while a write is under way go to the KV together, in one batch.
   */
  publish(update: IndexUpdate, finish: () => Promise<IndexWrite>): Promise<void> {
    this.updates.push(update);
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ update, finish, done: { resolve, reject } });
      this.worker ??= this.work();
    });
  }

  /** Resolves once every update published so far has been written (or failed). */
  async settled(): Promise<void> {
    while (this.worker !== undefined) await this.worker;
  }

  private async work(): Promise<void> {
    try {
      while (this.queued.length > 0) {
        // Linger briefly so several batches share one LevelDB write: each
        // write costs ~100 µs of event-loop time however few keys it has.
        if (this.queued.length < LINGER_UPDATES) await sleep(LINGER_MS);
        const group = this.queued.splice(0);
        try {
          const ops: KvOp[] = [];
          let sync = false;
          for (const item of group) {
            const write = await item.finish();
            ops.push(...write.ops);
            sync ||= write.sync;
          }
          await this.kv.write(ops, { sync });
          for (const item of group) item.done.resolve();
        } catch (err) {
          for (const item of group) item.done.reject(err);
        } finally {
          for (const item of group) {
            const at = this.updates.indexOf(item.update);
            if (at >= 0) this.updates.splice(at, 1);
          }
        }
      }
    } finally {
      this.worker = undefined;
    }
  }
}

export interface IndexWrite {
  readonly ops: readonly KvOp[];
  readonly sync: boolean;
}

interface Settle {
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Decisions of one batch. `plan*` calls happen before the batch is written;
 * `resolvePrevious` and `apply` run once the batch is durable: they update
 * the extents' counters and produce the KV operations.
 */
export class IndexUpdate {
  private readonly overlay = new Map<string, ShardLocation | null>();
  private readonly decisions: Decision[] = [];

  constructor(
    private readonly index: ShardIndex,
    private readonly extents: ReadonlyMap<number, Extent>,
    private readonly pending?: PendingIndex,
    /** The batch in flight this one was planned on top of (not yet published). */
    private parent?: IndexUpdate,
  ) {}

  /** What this batch, or the one it was planned on, decided about a key. */
  private decidedHere(hex: string): ShardLocation | null | undefined {
    const own = this.overlay.get(hex);
    if (own !== undefined) return own;
    // Once the parent is published it is in the pending index as well; either answer is the same.
    return this.parent?.overlay.get(hex);
  }

  /** This batch's own decision about a key, if any. */
  decided(hex: string): ShardLocation | null | undefined {
    return this.overlay.get(hex);
  }

  /** The key's live location as of every decision planned so far (this batch's, pending ones', the index's). */
  async current(key: Buffer): Promise<ShardLocation | undefined> {
    const hex = key.toString('hex');
    const own = this.decidedHere(hex);
    if (own !== undefined) return own ?? undefined;
    const pending = this.pending?.lookupBefore(this, hex);
    if (pending !== undefined) return pending ?? undefined;
    return this.index.location(key);
  }

  /**
   * A put needs no lookup while planning: what it replaces only matters for
   * bookkeeping (dead bytes, ghosts), which `resolvePrevious` does after the
   * batch is durable — off the write's critical path.
   */
  planPut(key: Buffer, location: ShardLocation): void {
    const hex = key.toString('hex');
    const here = this.decidedHere(hex);
    const known = here !== undefined ? here : this.pending?.lookupBefore(this, hex);
    // Asked before the key is noted: "never seen" settles the lookup now.
    const seen = this.index.mayContain(key);
    this.index.noteKey(key);
    const previous: Previous = known !== undefined ? (known ?? undefined) : seen ? 'look-up' : undefined;
    this.decisions.push({ type: 'put', key, location, previous });
    this.overlay.set(hex, location);
  }

  /** Returns false (and plans nothing) when the key has no live record. */
  async planRemove(key: Buffer): Promise<boolean> {
    const previous = await this.current(key);
    if (previous === undefined) return false;
    this.decisions.push({ type: 'remove', key, previous });
    this.overlay.set(key.toString('hex'), null);
    return true;
  }

  get size(): number {
    return this.decisions.length;
  }

  /** Looks up, in one parallel round, what each put replaced (as of before this batch). */
  async resolvePrevious(): Promise<void> {
    this.parent = undefined; // published by now: the pending index answers for it
    const open = this.decisions.filter((d): d is Extract<Decision, { type: 'put' }> => d.type === 'put' && d.previous === 'look-up');
    await Promise.all(
      open.map(async (d) => {
        const pending = this.pending?.lookupBefore(this, d.key.toString('hex'));
        d.previous = pending !== undefined ? (pending ?? undefined) : await this.index.location(d.key);
      }),
    );
  }

  /**
   * Applies the decisions to the extents' counters and returns the KV
   * operations, including fresh metadata for every extent touched and the
   * new indexed tail of `tailOf` (the extent the batch was appended to).
   * Call `resolvePrevious` first.
   */
  apply(tailOf?: { extent: Extent; tail: number }): KvOp[] {
    const ops: KvOp[] = [];
    const touched = new Set<Extent>();
    const unlive = (key: Buffer, previous: ShardLocation): void => {
      const extent = this.extents.get(previous.extentId);
      if (extent !== undefined) {
        extent.liveBytes = Math.max(0, extent.liveBytes - recordLength(previous.payloadLength));
        extent.liveRecords = Math.max(0, extent.liveRecords - 1);
        touched.add(extent);
      }
      ops.push({ type: 'put', key: ghostEntryKey(key, previous.extentId), value: Buffer.alloc(0) });
    };
    for (const d of this.decisions) {
      if (d.previous === 'look-up') throw new Error('IndexUpdate.apply before resolvePrevious');
      // A rescan of a record the index already has at this very place: nothing changes.
      if (d.type === 'put' && d.previous?.extentId === d.location.extentId && d.previous.offset === d.location.offset) continue;
      if (d.previous !== undefined) unlive(d.key, d.previous);
      if (d.type === 'put') {
        const extent = this.extents.get(d.location.extentId);
        if (extent !== undefined) {
          extent.liveBytes += recordLength(d.location.payloadLength);
          extent.liveRecords += 1;
          touched.add(extent);
        }
        ops.push({ type: 'put', key: shardEntryKey(d.key), value: encodeLocation(d.location) });
      } else {
        ops.push({ type: 'del', key: shardEntryKey(d.key) });
      }
    }
    if (tailOf !== undefined) {
      tailOf.extent.tail = Math.max(tailOf.extent.tail, tailOf.tail);
      touched.add(tailOf.extent);
    }
    for (const extent of touched) ops.push(extentMetaOp(extent));
    return ops;
  }
}
