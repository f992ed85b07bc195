/**
 * A state machine's records, written behind its applies.
 *
 * A replicated state machine keeps its state in memory and stores it in its
 * own LevelDB only so that a restart need not replay the whole Raft log.
 * Those writes need no durability of their own: every applied entry is
 * already durable in the Raft log, and a write lost in a crash is replayed
 * from it. So an apply can answer from memory and leave the write behind it,
 * as long as
 *
 *  - every batch on disk is a consistent state: records and the applied
 *    index of one moment (the machine builds the batch from its current
 *    state, synchronously, at the moment the write starts);
 *  - batches reach the store in order, one at a time (a later state never
 *    lands before an earlier one);
 *  - a failed write stops everything after it: once a batch failed, no later
 *    batch may land over the gap (it would pair a newer applied index with
 *    records that miss the failed batch's changes), and the machine's next
 *    apply fails, which stops the node.
 *
 * While one batch is being written, further requests coalesce into the next
 * one: a busy leader writes one batch per store round trip instead of one per
 * apply, and a record changed by many applies is written once. With
 * `gatherMs`, a write that would start on an idle store waits that long for
 * more applies first: with one client, a store round trip per apply was a
 * LevelDB batch and two thread hand-offs per put on every replica (issue #12).
 */
import type { DurableKv, KvOp } from './level-kv.js';

export interface BehindBatch {
  readonly ops: readonly KvOp[];
  /** Runs once the batch is in the store (for a synced batch: durable). */
  readonly written?: () => void;
}

/** The state machines' `gatherMs`: a few Raft rounds at one client, far below any sync interval. */
export const STATE_WRITE_GATHER_MS = 10;

export interface WriteBehindOptions {
  /**
   * An unsynced write waits this long for more applies to join it when the
   * store is idle (0: starts at once). A synced request, `drain` and a write
   * already in flight never wait for it.
   */
  readonly gatherMs?: number;
}

export class WriteBehind {
  private inFlight: Promise<void> | undefined;
  private gatherTimer: NodeJS.Timeout | undefined;
  private readonly gatherMs: number;
  private wanted = false;
  private syncWanted = false;
  private failure: { readonly error: unknown } | undefined;

  /**
   * @param build the batch that stores the machine's state as it is now;
   *   called synchronously when a write starts. `sync`: the batch must be
   *   durable before `written` runs.
   */
  constructor(
    private readonly kv: DurableKv,
    private readonly build: (sync: boolean) => BehindBatch,
    options: WriteBehindOptions = {},
  ) {
    this.gatherMs = options.gatherMs ?? 0;
  }

  /** The first write failure, if any (then nothing more is written). */
  get failed(): unknown {
    return this.failure?.error;
  }

  /**
   * Asks for the current state to be written (synced when `sync`). Starts at
   * once when no write is in flight, else after it, together with every
   * request made meanwhile. Throws the first earlier write failure.
   */
  request(sync: boolean): void {
    this.throwIfFailed();
    this.wanted = true;
    this.syncWanted ||= sync;
    if (this.inFlight !== undefined) return;
    if (this.syncWanted || this.gatherMs <= 0) {
      this.startNow();
      return;
    }
    this.gatherTimer ??= setTimeout(() => {
      this.gatherTimer = undefined;
      if (this.inFlight === undefined && this.wanted) this.start();
    }, this.gatherMs);
  }

  private startNow(): void {
    if (this.gatherTimer !== undefined) {
      clearTimeout(this.gatherTimer);
      this.gatherTimer = undefined;
    }
    this.start();
  }

  /** Resolves once every requested write is in the store; rejects with the first failure. */
  async drain(): Promise<void> {
    if (this.gatherTimer !== undefined && this.inFlight === undefined && this.wanted) this.startNow();
    while (this.inFlight !== undefined) await this.inFlight;
    this.throwIfFailed();
  }

  private start(): void {
    const sync = this.syncWanted;
    this.wanted = false;
    this.syncWanted = false;
    let batch: BehindBatch;
    try {
      batch = this.build(sync);
    } catch (err) {
      this.failure = { error: err };
      return;
    }
    this.inFlight = this.kv.write(batch.ops, { sync }).then(
      () => {
        batch.written?.();
        this.inFlight = undefined;
        if (this.wanted) this.start();
      },
      (err: unknown) => {
        this.failure ??= { error: err };
        this.inFlight = undefined;
      },
    );
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }
}
