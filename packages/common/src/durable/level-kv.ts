/**
 * The small durable key-value surface that Tessera's LevelDB-backed stores
 * (Raft log, state machine, later the extent index) are written against.
 *
 * It is deliberately narrower than abstract-level: binary keys and values,
 * atomic batches with an explicit `sync` flag, bounded range reads. Keeping the
 * surface small is what lets the crash-simulation layer (`crashsim.ts`) model
 * exactly which writes survive a power loss.
 */

export type KvOp =
  | { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: Uint8Array };

/** A key range; bounds are byte-wise (LevelDB's default comparator). */
export interface KvRange {
  readonly gte?: Uint8Array;
  readonly gt?: Uint8Array;
  readonly lte?: Uint8Array;
  readonly lt?: Uint8Array;
  readonly reverse?: boolean;
  /** At most this many entries; unbounded when absent. */
  readonly limit?: number;
}

export interface KvWriteOptions {
  /**
   * `true`: the batch (and every earlier write) is durable when the promise
   * resolves. `false`: the batch is visible to reads but may be lost by a
   * power failure until a later sync write covers it.
   */
  readonly sync: boolean;
}

/** Test-only hook run before a batch reaches LevelDB: throw to fail it (ENOSPC), await to stall it (slow disk). */
export type KvWriteFault = (ops: readonly KvOp[], options: KvWriteOptions) => void | Promise<void>;

export interface CrashOptions {
  /**
   * How many of the oldest un-synced batches reach the disk anyway (LevelDB's
   * log is append-only and checksummed per record, so a power loss keeps a
   * prefix of the un-synced batches, never a later one without an earlier one).
   * Default 0: every un-synced write is lost.
   */
  readonly keepUnsyncedBatches?: number;
}

export interface DurableKv {
  /** True when this store simulates power loss (TESSERA_CRASHSIM=1 or the option). */
  readonly crashSimulated: boolean;
  get(key: Uint8Array): Promise<Buffer | undefined>;
  /** Entries in key order (reverse when asked), merged with un-synced writes. */
  entries(range: KvRange): Promise<Array<[Buffer, Buffer]>>;
  /** Applies `ops` atomically; see {@link KvWriteOptions.sync}. Writes are applied in call order. */
  write(ops: readonly KvOp[], options: KvWriteOptions): Promise<void>;
  /** Makes every earlier write durable (an empty sync batch). */
  flush(): Promise<void>;
  /** Clean shutdown: every write issued so far is kept, as the OS would keep it on a clean exit. */
  close(): Promise<void>;
  /**
   * Power-loss simulation: waits for writes already handed to LevelDB, drops
   * every write not covered by a completed sync (unless told to keep a
   * prefix), and closes. Without crash simulation it behaves like `kill -9`:
   * LevelDB's un-synced writes are already in the OS and survive.
   */
  crash(options?: CrashOptions): Promise<void>;
  /** Test-only fault injection; `undefined` removes the hook. */
  setWriteFault(fault: KvWriteFault | undefined): void;
}

export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

/** Whether `key` lies inside the bounds of `range` (ignores reverse and limit). */
export function keyInRange(key: Uint8Array, range: KvRange): boolean {
  if (range.gte !== undefined && compareKeys(key, range.gte) < 0) return false;
  if (range.gt !== undefined && compareKeys(key, range.gt) <= 0) return false;
  if (range.lte !== undefined && compareKeys(key, range.lte) > 0) return false;
  if (range.lt !== undefined && compareKeys(key, range.lt) >= 0) return false;
  return true;
}
