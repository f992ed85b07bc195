/**
 * Index updates of durable, acknowledged batches whose LevelDB write has not
 * landed yet. Callers are acknowledged as soon as their batch is durable (the
 * extents are the truth; the index write is not needed for durability), so
 * lookups — by readers and by the next batch's plan — consult these first,
 * newest first. The updates are finished (previous locations looked up,
 * bookkeeping applied, KV written) strictly one after another, in order, and
 * several that pile up go to LevelDB in one write.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DurableKv, KvOp } from '@tessera/common/durable';
import type { ShardLocation } from '../format/index-entries.js';
import type { IndexUpdate } from './index-update.js';

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

