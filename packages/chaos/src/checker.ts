/**
 * The linearizability checker: splits a history by key when the model allows
 * (P-compositionality), drops unknown-outcome reads (they constrain nothing),
 * and runs the Wing-Gong-Lowe search on each part under one time budget.
 */
import type { History, Operation } from './history.js';
import type { Model } from './model.js';
import { createSearch } from './search.js';

/** Search steps per part between deadline checks and switches to the next part. */
const SLICE_STEPS = 1024;

export type Verdict = 'linearizable' | 'not-linearizable' | 'unknown';

/** Why the checker could not decide: it ran out of time or of memo-table room. */
export type UnknownReason = 'time-budget' | 'memory-budget';

export interface CheckOptions {
  /** Wall-clock budget for the whole history in milliseconds (default 10 000). Exceeding it yields `unknown`. */
  readonly timeBudgetMs?: number;
  /** Clock in milliseconds; injectable so tests can force a timeout deterministically. */
  readonly now?: () => number;
  /**
   * Bound on memoised configurations per part (default 2 000 000, roughly
   * 200 MB for a few hundred operations); exceeding it yields `unknown`.
   */
  readonly maxMemoEntries?: number;
}

/** One step of a failure report: an operation and the state it left. */
export interface PlacedOperation<I, O> {
  readonly op: Operation<I, O>;
  readonly stateAfter: string;
}

/**
 * Where a non-linearizable (sub-)history got stuck, at the deepest point the
 * search reached: the longest linearizable prefix it found, then the
 * completed operation that could not be placed although it had returned, and
 * the other pending operations, none of which could go next either.
 */
export interface FailureWindow<I, O> {
  /** Index of the failing part when the history was partitioned (0 otherwise). */
  readonly partition: number;
  /** The operations of that part (the window is relative to them). */
  readonly partitionSize: number;
  readonly prefix: readonly PlacedOperation<I, O>[];
  readonly stateAtFailure: string;
  readonly blocking: Operation<I, O>;
  readonly candidates: readonly Operation<I, O>[];
}

export interface CheckResult<I, O> {
  readonly verdict: Verdict;
  readonly elapsedMs: number;
  /** Number of independent parts checked. */
  readonly partitions: number;
  /** Operations searched (after dropping unknown-outcome reads). */
  readonly operations: number;
  /** Present when the verdict is `unknown`: which budget ran out. */
  readonly unknownReason?: UnknownReason;
  /** Present when the verdict is `not-linearizable`. */
  readonly failure?: FailureWindow<I, O>;
}

export const DEFAULT_TIME_BUDGET_MS = 10_000;
export const DEFAULT_MAX_MEMO_ENTRIES = 2_000_000;

export function checkHistory<S, I, O>(model: Model<S, I, O>, history: History<I, O>, options: CheckOptions = {}): CheckResult<I, O> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const deadline = started + (options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  const expired = (): boolean => now() > deadline;

  const relevant = history.filter((op) => !(op.ret === undefined && model.isReadOnly?.(op.input) === true));
  const parts = model.partition !== undefined ? model.partition(relevant) : [relevant];
  // Parts are searched in interleaved slices (P-compositionality): the first
  // part proven non-linearizable decides the history, however hard the others.
  const searches = parts.map((ops) => ({ ops, search: createSearch(model, ops, options.maxMemoEntries ?? DEFAULT_MAX_MEMO_ENTRIES) }));
  let running = searches.map((_, p) => p);
  let gaveUp: UnknownReason | undefined;
  while (running.length > 0 && gaveUp !== 'time-budget') {
    const stillRunning: number[] = [];
    for (const p of running) {
      if (expired()) {
        gaveUp = 'time-budget';
        break;
      }
      const { ops, search } = searches[p] as (typeof searches)[number];
      const outcome = search.advance(SLICE_STEPS);
      if (outcome === 'running') {
        stillRunning.push(p);
        continue;
      }
      if (outcome.kind === 'memory-exhausted') {
        // Other parts go on: one of them may still prove a violation.
        gaveUp = 'memory-budget';
        continue;
      }
      if (outcome.kind === 'not-linearizable') {
        const { stuck } = outcome;
        const prefix = stuck.prefix.map((i, k) => ({ op: ops[i] as Operation<I, O>, stateAfter: stuck.statesAfter[k] ?? '' }));
        return {
          verdict: 'not-linearizable',
          elapsedMs: now() - started,
          partitions: parts.length,
          operations: relevant.length,
          failure: {
            partition: p,
            partitionSize: ops.length,
            prefix,
            stateAtFailure: stuck.stateDescription,
            blocking: ops[stuck.blocking] as Operation<I, O>,
            candidates: stuck.candidates.map((i) => ops[i] as Operation<I, O>),
          },
        };
      }
    }
    running = stillRunning;
  }
  const summary = { elapsedMs: now() - started, partitions: parts.length, operations: relevant.length };
  return gaveUp === undefined ? { verdict: 'linearizable', ...summary } : { verdict: 'unknown', unknownReason: gaveUp, ...summary };
}
