/**
 * The V8 heap setting every `tessera` process runs with (ADR 0025).
 *
 * Why: with V8's own growing factor (Node 20, V8 11.3) a node moving large
 * objects kept only about as much old-generation headroom as its new space
 * holds, so the check V8 makes after each scavenge asked for the next
 * incremental mark-compact almost at once: a storage node ran a full
 * mark-compact every ~200 ms under 4 MiB puts, and half of its CPU was
 * garbage collection. A fixed factor of 3 (`--heap-growing-percent=200`)
 * lets the old generation grow to three times what the last collection
 * kept before the next one: 2-3 full collections per 60 puts instead of
 * 20-30, for about 30 MiB more resident memory per process.
 *
 * `TESSERA_HEAP_GROWING_PERCENT` overrides the percentage (0 keeps V8's
 * own); a `--heap-growing-percent` given to node itself always wins.
 */
import { setFlagsFromString } from 'node:v8';
import { ErrorCodes, TesseraError } from '@tessera/common';

export const HEAP_GROWING_PERCENT_ENV = 'TESSERA_HEAP_GROWING_PERCENT';
/** Old generation limit = 3 × the size the last full collection kept. */
export const DEFAULT_HEAP_GROWING_PERCENT = 200;
const MAX_HEAP_GROWING_PERCENT = 1000;
const FLAG = '--heap-growing-percent';

/**
 * The V8 flag to set for this process, or undefined to leave V8's own
 * growing factor. Throws INVALID_ARGUMENT for a malformed environment value.
 */
export function heapTuningFlag(env: Readonly<Record<string, string | undefined>>, execArgv: readonly string[]): string | undefined {
  if (execArgv.some((arg) => arg === FLAG || arg.startsWith(`${FLAG}=`))) return undefined;
  const raw = env[HEAP_GROWING_PERCENT_ENV];
  let percent = DEFAULT_HEAP_GROWING_PERCENT;
  if (raw !== undefined && raw !== '') {
    if (!/^\d{1,4}$/.test(raw) || Number(raw) > MAX_HEAP_GROWING_PERCENT) {
      throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `${HEAP_GROWING_PERCENT_ENV} must be an integer from 0 to ${MAX_HEAP_GROWING_PERCENT} (0 keeps V8's own heap growing)`);
    }
    percent = Number(raw);
  }
  return percent === 0 ? undefined : `${FLAG}=${percent}`;
}

/** Sets the heap flag for this process (the whole process: call it only from an executable's entry). */
export function applyHeapTuning(env: Readonly<Record<string, string | undefined>> = process.env, execArgv: readonly string[] = process.execArgv): void {
  const flag = heapTuningFlag(env, execArgv);
  if (flag !== undefined) setFlagsFromString(flag);
}
