/**
 * LevelDB behind the {@link DurableKv} surface, with an optional power-loss
 * simulation (DESIGN section 4, `TESSERA_CRASHSIM=1`).
 *
 * Without simulation every batch goes straight to LevelDB. With simulation,
 * a batch written with `sync: false` is held in an in-memory overlay that reads
 * see; the next `sync: true` batch carries every held batch plus its own
 * operations to LevelDB as one synced batch (exactly what a synced LevelDB
 * write does to the earlier un-synced records in its log). `crash()` then drops
 * the overlay, so a test observes precisely the writes a power failure could
 * have kept — something `kill -9` never shows, because the OS keeps LevelDB's
 * un-synced writes alive after a process dies.
 *
 * Writes run strictly in call order through one queue: LevelDB does not
 * promise that two batches issued concurrently from the thread pool land in
 * issue order, and the overlay bookkeeping relies on that order.
 */
import { ErrorCodes, TesseraError } from '../errors.js';
import { Level } from 'level';
import {
  compareKeys,
  keyInRange,
  type CrashOptions,
  type DurableKv,
  type KvOp,
  type KvRange,
  type KvWriteFault,
  type KvWriteOptions,
} from './level-kv.js';

export const CRASHSIM_ENV = 'TESSERA_CRASHSIM';

/**
 * A key no Tessera store uses: `flush()` deletes it in a synced batch, because
 * LevelDB skips empty batches and so would never fsync.
 */
const FLUSH_SENTINEL_KEY = Buffer.from('\xff\xff\xff\xfftessera-flush', 'latin1');

export interface DurableKvOptions {
  /** Force the simulation on or off; by default it follows `TESSERA_CRASHSIM=1`. */
  readonly crashSim?: boolean;
  /** Environment consulted when `crashSim` is absent (tests pass their own). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function crashSimEnabled(options: DurableKvOptions = {}): boolean {
  if (options.crashSim !== undefined) return options.crashSim;
  const env = options.env ?? process.env;
  return env[CRASHSIM_ENV] === '1';
}

type LevelDb = Level<Buffer, Buffer>;

/** Every open store with simulation on: what a process-wide power loss drops. */
const simulatedStores = new Set<DurableKv>();

/**
 * Power loss for the whole process: crashes every open store that simulates
 * it (the Raft store, the state-machine store, the extent store alike). A
 * process told to crash (the chaos suite's signal) calls this, then exits.
 */
export async function simulatePowerLoss(): Promise<void> {
  await Promise.all([...simulatedStores].map((kv) => kv.crash()));
}

/** Opens (creating if needed) the LevelDB at `location`. */
export async function openDurableKv(location: string, options: DurableKvOptions = {}): Promise<DurableKv> {
  const db: LevelDb = new Level<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  try {
    await db.open();
  } catch (err) {
    throw ioError('open', err);
  }
  const kv = new LevelDurableKv(db, crashSimEnabled(options));
  if (kv.crashSimulated) simulatedStores.add(kv);
  return kv;
}

/** A value held by the overlay; `null` is a deletion that hides the disk's value. */
type OverlayValue = Buffer | null;

type Lifecycle = 'open' | 'closing' | 'closed';

class LevelDurableKv implements DurableKv {
  readonly crashSimulated: boolean;
  private readonly db: LevelDb;
  /** Un-synced batches in write order (simulation only). */
  private pending: KvOp[][] = [];
  /** The net effect of `pending`, keyed by hex (hex order equals byte order). */
  private readonly overlay = new Map<string, OverlayValue>();
  private queue: Promise<void> = Promise.resolve();
  private lifecycle: Lifecycle = 'open';
  private fault: KvWriteFault | undefined;

  constructor(db: LevelDb, crashSimulated: boolean) {
    this.db = db;
    this.crashSimulated = crashSimulated;
  }

  setWriteFault(fault: KvWriteFault | undefined): void {
    this.fault = fault;
  }

  async get(key: Uint8Array): Promise<Buffer | undefined> {
    this.assertOpen();
    const held = this.overlay.get(hexKey(key));
    if (held !== undefined) return held === null ? undefined : Buffer.from(held);
    try {
      return await this.db.get(Buffer.from(key));
    } catch (err) {
      throw ioError('read', err);
    }
  }

  async entries(range: KvRange): Promise<Array<[Buffer, Buffer]>> {
    this.assertOpen();
    const limit = range.limit ?? Number.POSITIVE_INFINITY;
    const reverse = range.reverse === true;
    const held = this.heldInRange(range, reverse);
    const out: Array<[Buffer, Buffer]> = [];
    if (limit <= 0) return out;
    // "a comes before b in iteration order"
    const before = (a: Uint8Array, b: Uint8Array): boolean => (reverse ? compareKeys(a, b) > 0 : compareKeys(a, b) < 0);
    let h = 0;
    const emitHeld = (): void => {
      const [key, value] = held[h++]!;
      if (value !== null) out.push([Buffer.from(key), Buffer.from(value)]);
    };
    try {
      // Deletions in the overlay can hide disk entries, so the disk read is
      // only limited when nothing is held.
      const iterator = this.db.iterator(levelRange(range, held.length === 0 ? limit : undefined));
      try {
        for await (const [key, value] of iterator) {
          while (h < held.length && before(held[h]![0], key) && out.length < limit) emitHeld();
          if (out.length >= limit) break;
          if (h < held.length && compareKeys(held[h]![0], key) === 0) emitHeld();
          else out.push([key, value]);
          if (out.length >= limit) break;
        }
      } finally {
        await iterator.close();
      }
    } catch (err) {
      throw ioError('read', err);
    }
    while (h < held.length && out.length < limit) emitHeld();
    return out;
  }

  write(ops: readonly KvOp[], options: KvWriteOptions): Promise<void> {
    if (this.lifecycle !== 'open') return Promise.reject(closedError());
    const batch = ops.map(copyOp);
    return this.enqueue(async () => {
      // Re-checked at the batch's turn: a crash may have happened meanwhile.
      this.assertOpen();
      await this.runFault(batch, options);
      if (!this.crashSimulated) return this.writeToDisk(batch, options.sync);
      if (!options.sync) {
        this.hold(batch);
        return;
      }
      // The queue is FIFO, so every held batch was issued before this one.
      await this.writeToDisk([...this.pending.flat(), ...batch], true);
      this.pending = [];
      this.overlay.clear();
    });
  }

  flush(): Promise<void> {
    return this.write([{ type: 'del', key: FLUSH_SENTINEL_KEY }], { sync: true });
  }

  async close(): Promise<void> {
    if (this.lifecycle !== 'open') return;
    this.lifecycle = 'closing';
    await this.queue;
    // A clean exit: the OS would still write LevelDB's un-synced log records.
    await this.shutDown(this.pending.length);
  }

  async crash(options: CrashOptions = {}): Promise<void> {
    if (this.lifecycle !== 'open') return;
    this.lifecycle = 'closing';
    // A batch already handed to LevelDB may finish or not; a power loss gives
    // no answer either way, and its caller's promise settles as LevelDB says.
    await this.queue;
    const keep = Math.max(0, Math.min(this.pending.length, options.keepUnsyncedBatches ?? 0));
    await this.shutDown(keep);
  }

  private async shutDown(keepBatches: number): Promise<void> {
    simulatedStores.delete(this);
    const survivors = this.pending.slice(0, keepBatches).flat();
    this.pending = [];
    this.overlay.clear();
    try {
      if (survivors.length > 0) await this.db.batch(toLevelOps(survivors), { sync: false });
    } finally {
      this.lifecycle = 'closed';
      await this.db.close();
    }
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async runFault(batch: readonly KvOp[], options: KvWriteOptions): Promise<void> {
    const fault = this.fault;
    if (fault === undefined) return;
    try {
      await fault(batch, options);
    } catch (err) {
      throw ioError('write', err);
    }
  }

  private async writeToDisk(ops: readonly KvOp[], sync: boolean): Promise<void> {
    if (ops.length === 0) return;
    try {
      await this.db.batch(toLevelOps(ops), { sync });
    } catch (err) {
      throw ioError('write', err);
    }
  }

  private hold(batch: KvOp[]): void {
    this.pending.push(batch);
    for (const op of batch) this.overlay.set(hexKey(op.key), op.type === 'put' ? Buffer.from(op.value) : null);
  }

  /** Held entries inside `range`, in iteration order. */
  private heldInRange(range: KvRange, reverse: boolean): Array<[Buffer, OverlayValue]> {
    if (this.overlay.size === 0) return [];
    const keys = [...this.overlay.keys()].sort();
    if (reverse) keys.reverse();
    const out: Array<[Buffer, OverlayValue]> = [];
    for (const hex of keys) {
      const key = Buffer.from(hex, 'hex');
      if (keyInRange(key, range)) out.push([key, this.overlay.get(hex)!]);
    }
    return out;
  }

  private assertOpen(): void {
    if (this.lifecycle !== 'open') throw closedError();
  }
}

function closedError(): TesseraError {
  return new TesseraError(ErrorCodes.STORAGE_CLOSED, 'store is closed');
}

function hexKey(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex');
}

type LevelOp = { type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer };

/** The one copy a batch gets: `write` returns before LevelDB reads the caller's buffers. */
function copyOp(op: KvOp): LevelOp {
  return op.type === 'put'
    ? { type: 'put', key: Buffer.from(op.key), value: Buffer.from(op.value) }
    : { type: 'del', key: Buffer.from(op.key) };
}

/** Batches built by `copyOp` already are LevelDB operations: no second copy. */
function toLevelOps(ops: readonly KvOp[]): LevelOp[] {
  return ops.map((op) => (Buffer.isBuffer(op.key) && (op.type === 'del' || Buffer.isBuffer(op.value)) ? (op as LevelOp) : copyOp(op)));
}

interface LevelRange {
  gte?: Buffer;
  gt?: Buffer;
  lte?: Buffer;
  lt?: Buffer;
  reverse?: boolean;
  limit?: number;
}

function levelRange(range: KvRange, limit: number | undefined): LevelRange {
  const out: LevelRange = {};
  if (range.gte !== undefined) out.gte = Buffer.from(range.gte);
  if (range.gt !== undefined) out.gt = Buffer.from(range.gt);
  if (range.lte !== undefined) out.lte = Buffer.from(range.lte);
  if (range.lt !== undefined) out.lt = Buffer.from(range.lt);
  if (range.reverse === true) out.reverse = true;
  if (limit !== undefined && Number.isFinite(limit)) out.limit = limit;
  return out;
}

/** Wraps an I/O failure; the message names only the operation and, when present, the errno code. */
function ioError(operation: 'open' | 'read' | 'write', err: unknown): TesseraError {
  if (err instanceof TesseraError) return err;
  const code = errnoCode(err);
  const suffix = code === undefined ? '' : ` (${code})`;
  return new TesseraError(ErrorCodes.STORAGE_IO, `storage ${operation} failed${suffix}`, { cause: err });
}

function errnoCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}
