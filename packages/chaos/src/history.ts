/**
 * A concurrent history: one entry per operation, already paired (invocation
 * with its completion). Times are any monotonic numbers (nanoseconds, line
 * numbers); only their order matters.
 */

/** One client operation. `ret === undefined` means the outcome is unknown. */
export interface Operation<I, O> {
  /** The client (Jepsen "process") that issued it; a client runs one operation at a time. */
  readonly clientId: number | string;
  /** When the operation was invoked. */
  readonly call: number;
  /**
   * When it completed, or `undefined` for an unknown outcome (a timeout, a lost
   * connection, Jepsen `:info`): such an operation may take effect at any point
   * after `call`, or never, and its `output` is ignored.
   */
  readonly ret: number | undefined;
  readonly input: I;
  /** The observed result; `undefined` exactly when the outcome is unknown. */
  readonly output: O | undefined;
}

export type History<I, O> = readonly Operation<I, O>[];

/** Whether the operation's outcome is unknown (Jepsen `:info`). */
export function isUnknownOutcome<I, O>(op: Operation<I, O>): boolean {
  return op.ret === undefined;
}
