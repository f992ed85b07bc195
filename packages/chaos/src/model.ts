/**
 * A sequential specification the checker linearizes against.
 *
 * States must be treated as immutable values: `step` returns new states and
 * never mutates its argument, because the search keeps earlier states to
 * backtrack to.
 */
import type { Operation } from './history.js';

export interface Model<S, I, O> {
  /** The state before any operation. */
  init(): S;
  /**
   * The states the object may be in after applying `input` to `state` and
   * observing `output`. An empty array means the operation cannot take effect
   * here with that output. `output === undefined` means the outcome is unknown:
   * the model must then accept every output the operation could have produced.
   * More than one state expresses non-determinism (rarely needed).
   */
  step(state: S, input: I, output: O | undefined): readonly S[];
  /**
   * A string that is equal for two states exactly when the states are equal:
   * the memoisation key of the search.
   */
  hash(state: S): string;
  /**
   * Optional P-compositionality: split a history into independent
   * sub-histories (per key) that are linearizable together exactly when each
   * is linearizable alone.
   */
  partition?(history: readonly Operation<I, O>[]): readonly (readonly Operation<I, O>[])[];
  /**
   * Whether an operation never changes the state (a read). Such an operation
   * with an unknown outcome constrains nothing, so the checker drops it.
   */
  isReadOnly?(input: I): boolean;
  /** Human-readable operation, for failure reports. */
  describeOperation(input: I, output: O | undefined): string;
  /** Human-readable state, for failure reports. */
  describeState(state: S): string;
}

/** Groups operations by a key, keeping their order: the usual `partition`. */
export function partitionBy<I, O>(
  history: readonly Operation<I, O>[],
  keyOf: (input: I) => string,
): readonly (readonly Operation<I, O>[])[] {
  const groups = new Map<string, Operation<I, O>[]>();
  for (const op of history) {
    const key = keyOf(op.input);
    let group = groups.get(key);
    if (group === undefined) {
      group = [];
      groups.set(key, group);
    }
    group.push(op);
  }
  return [...groups.values()];
}
