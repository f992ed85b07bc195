/**
 * The index decisions of one batch of records (from the group committer, or
 * from recovery's forward scan), turned into KV operations once the batch is
 * durable.
 */
import type { KvOp } from '@tessera/common/durable';
import { encodeLocation, ghostEntryKey, shardEntryKey, type ShardLocation } from '../format/index-entries.js';
import { recordLength } from '../format/record.js';
import type { Extent } from './extent.js';
import type { PendingIndex } from './pending-index.js';
import { extentMetaOp, type ShardIndex } from './shard-index.js';

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
