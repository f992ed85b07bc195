/**
 * The run's monotonic clock: milliseconds (fractional) since the run began,
 * from `performance.now()`, shared by the history and the fault log so their
 * times compare directly.
 */
export class RunClock {
  private readonly origin = performance.now();

  now(): number {
    return Math.round((performance.now() - this.origin) * 1_000) / 1_000;
  }
}
