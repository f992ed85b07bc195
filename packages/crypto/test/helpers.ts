import { isTesseraError } from '@tessera/common';
import type { ErrorCode } from '@tessera/common';

/** The TesseraError code `fn` throws; fails the test if it returns or throws anything else. */
export function codeOf(fn: () => unknown): ErrorCode {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    if (isTesseraError(error)) return error.code;
    throw new Error(`expected a TesseraError, got ${String(error)}`);
  }
  throw new Error(`expected a TesseraError, got a result (${typeof result})`);
}
