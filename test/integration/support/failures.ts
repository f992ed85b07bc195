/**
 * Whether any test of a multi-process test file failed: a file's cluster then
 * keeps its files and prints its processes' logs at shutdown.
 */
export class FailureFlag {
  failed = false;

  /** Wraps a test body: a throw marks the file failed (and still fails the test). */
  readonly track = (fn: () => Promise<void>): (() => Promise<void>) => {
    return async () => {
      try {
        await fn();
      } catch (err) {
        this.failed = true;
        throw err;
      }
    };
  };
}
