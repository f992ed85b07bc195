/** Polling with a deadline: the only way the launcher waits for a condition (never a fixed sleep). */
import { ErrorCodes, TesseraError } from '@tessera/common';

export interface PollOptions {
  readonly timeoutMs: number;
  /** Pause between probes. Default 25 ms. */
  readonly intervalMs?: number;
}

/**
 * Calls `probe` until it returns something other than undefined/false (which
 * is returned), and fails with LAUNCHER_TIMEOUT naming `what` at the deadline.
 * A probe that throws ends the wait with that error.
 */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 25;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new TesseraError(ErrorCodes.LAUNCHER_TIMEOUT, `timed out after ${options.timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
