/** Human-readable rendering of a checker result. */
import type { CheckResult } from './checker.js';
import type { Operation } from './history.js';
import type { Model } from './model.js';

function timing<I, O>(op: Operation<I, O>): string {
  return `[${op.call} .. ${op.ret ?? '?'}]`;
}

function line<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): string {
  return `client ${String(op.clientId)} ${timing(op)} ${model.describeOperation(op.input, op.ret === undefined ? undefined : op.output)}`;
}

/**
 * Formats a result for people. For a violation it prints the longest
 * linearizable prefix found (with the state after each step), the state at
 * the point of failure, the completed operation that could not be placed and
 * the other pending operations: the minimal window to look at.
 */
export function formatCheckResult<S, I, O>(model: Model<S, I, O>, result: CheckResult<I, O>): string {
  const head = `verdict: ${result.verdict} (${result.operations} operations in ${result.partitions} part(s), ${result.elapsedMs.toFixed(1)} ms)`;
  const failure = result.failure;
  if (failure === undefined) {
    if (result.verdict !== 'unknown') return head;
    const budget = result.unknownReason === 'memory-budget' ? 'memo-table bound' : 'time budget';
    return `${head}\nthe ${budget} ran out before the search finished; treat as a failure`;
  }
  const out = [head, `part ${failure.partition} (${failure.partitionSize} operations):`, `longest linearizable prefix (${failure.prefix.length} operations):`];
  for (const step of failure.prefix) out.push(`  ${line(model, step.op)}   => ${step.stateAfter}`);
  out.push(`state then: ${failure.stateAtFailure}`);
  out.push(`cannot be placed (returned before it could take effect): ${line(model, failure.blocking)}`);
  if (failure.candidates.length > 0) {
    out.push('pending operations, none of which can go next consistently:');
    for (const op of failure.candidates) out.push(`  ${line(model, op)}`);
  }
  return out.join('\n');
}
