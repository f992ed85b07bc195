/**
 * Which objects of a tenant changed, and in what order (issue #12): a node's
 * local, in-memory journal of the keyTags whose entry in the tenant's
 * `latest` map changed (put, overwrite, tombstone, compaction of an expired
 * tombstone), so a listing brings the name index up to date in O(changes)
 * instead of walking every stored object.
 *
 * Derived and local like the name index: never persisted, never replicated,
 * not part of the state's digest or snapshot. Anything that replaces or
 * drops state wholesale (a restore, a reopen, a tenant purge) is not
 * journaled key by key; instead the identity a cursor carries changes, and
 * the next query answers "resync" (rebuild from the full `latest` map).
 *
 * Cursor identity has three parts, so a cursor from an older state can never
 * be read as current:
 *  - `journal`: unique per journal instance in this process; the machine
 *    makes a new journal when it opens and on every restore;
 *  - `log`: unique per tenant log within the journal; a tenant's log is
 *    dropped when its data is purged and a later one gets a new id;
 *  - `position`: how many changes the log had recorded.
 *
 * Bound: `limit` changes across all tenants (default 2^18 = 262,144), oldest
 * dropped first. A global bound keeps memory flat however many tenants write
 * (16 bytes of references per change, the keyTag strings themselves shared
 * with the `latest` map while they are current: a few MiB, at worst some
 * tens when every journaled key has since been overwritten). A listing that
 * falls behind by more than that resyncs, an O(objects) rebuild paid at most
 * once per `limit` changes, which is far less than the applies behind them.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';

/** Where a reader of the journal is; opaque to callers, meaningful only to the journal that issued it. */
export interface ObjectChangeCursor {
  readonly journal: number;
  readonly log: number;
  readonly position: number;
}

export type ObjectChanges =
  /** keyTags (hex) whose latest delta changed since the cursor, each once, in no particular order. */
  | { readonly kind: 'changes'; readonly cursor: ObjectChangeCursor; readonly changed: readonly string[] }
  /** The journal cannot tell what changed since the cursor: rebuild from the full current map, then continue from `cursor`. */
  | { readonly kind: 'resync'; readonly cursor: ObjectChangeCursor };

export const DEFAULT_OBJECT_JOURNAL_LIMIT = 1 << 18;

/** Journals are numbered across the process, so two machines' cursors never coincide. */
let journalsMade = 0;

/** One tenant's changes: a queue of keyTags, oldest first, `first` being the position of `keyTags[head]`. */
class TenantLog {
  private keyTags: string[] = [];
  private head = 0;
  private first = 0;

  constructor(readonly id: number) {}

  /** Position after the last recorded change. */
  get end(): number {
    return this.first + this.keyTags.length - this.head;
  }

  /** The oldest position still held. */
  get start(): number {
    return this.first;
  }

  push(keyTag: string): void {
    this.keyTags.push(keyTag);
  }

  dropOldest(): void {
    if (this.head >= this.keyTags.length) return;
    this.head++;
    this.first++;
    // Compact the array once the dropped prefix is half of it (amortized O(1) per change).
    if (this.head >= 1024 && this.head * 2 >= this.keyTags.length) {
      this.keyTags = this.keyTags.slice(this.head);
      this.head = 0;
    }
  }

  /** The distinct keyTags changed at positions ≥ `position` (start ≤ position ≤ end). */
  since(position: number): string[] {
    const distinct = new Set<string>();
    for (let i = this.head + (position - this.first); i < this.keyTags.length; i++) distinct.add(this.keyTags[i] as string);
    return [...distinct];
  }
}

export class ObjectChangeJournal {
  readonly id = ++journalsMade;
  private readonly logs = new Map<string, TenantLog>();
  private logsMade = 0;
  /**
   * Every held change's log, oldest at `ringHead` (a ring of `limit` slots,
   * grown by appending until full): trimming follows global age.
   */
  private readonly ring: TenantLog[] = [];
  private ringHead = 0;
  private held = 0;

  constructor(private readonly limit: number = DEFAULT_OBJECT_JOURNAL_LIMIT) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'object journal limit must be a positive integer');
  }

  /** The tenant's object `keyTag` (hex) has a new latest delta, or none any more. */
  changed(tenant: string, keyTag: string): void {
    const log = this.logOf(tenant);
    if (this.held === this.limit) {
      this.ring[this.ringHead]?.dropOldest();
      this.ringHead = (this.ringHead + 1) % this.limit;
      this.held--;
    }
    this.ring[(this.ringHead + this.held) % this.limit] = log;
    this.held++;
    log.push(keyTag);
  }

  /** The tenant's data is gone as a whole (purge): every cursor of it must resync. */
  tenantDropped(tenant: string): void {
    // Its entries stay in the ring until they age out; trimming them touches only the detached log.
    this.logs.delete(tenant);
  }

  /** What changed for `tenant` since `cursor` (no cursor: resync from now). */
  since(tenant: string, cursor: ObjectChangeCursor | undefined): ObjectChanges {
    const log = this.logOf(tenant);
    const now: ObjectChangeCursor = { journal: this.id, log: log.id, position: log.end };
    if (cursor === undefined || cursor.journal !== this.id || cursor.log !== log.id || cursor.position < log.start || cursor.position > log.end) {
      return { kind: 'resync', cursor: now };
    }
    return { kind: 'changes', cursor: now, changed: log.since(cursor.position) };
  }

  private logOf(tenant: string): TenantLog {
    let log = this.logs.get(tenant);
    if (log === undefined) {
      log = new TenantLog(++this.logsMade);
      this.logs.set(tenant, log);
    }
    return log;
  }
}
