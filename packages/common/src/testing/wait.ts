/**
 * Polling with a deadline: the one way tests wait for a condition (never a
 * fixed sleep). The probe may be sync or async; `undefined` or `false` means
 * "not yet", anything else is returned.
 */
export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  readonly timeoutMs?: number;
  /** Pause between probes (default 5 ms). */
  readonly intervalMs?: number;
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: number | WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 5 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
