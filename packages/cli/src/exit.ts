/**
 * Exit codes (DESIGN section 8): 0 success, 1 runtime failure, 2 usage error.
 * Errors are one line on stderr, never a stack trace: a TesseraError shows its
 * (caller-safe) message; anything else is reported as an internal error.
 */
import { CommanderError } from 'commander';
import { ErrorCodes, isTesseraError } from '@tessera/common';
import type { ErrorCode } from '@tessera/common';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set([ErrorCodes.CLI_USAGE, ErrorCodes.INVALID_ARGUMENT, ErrorCodes.INVALID_TENANT_ID]);

/** Commander codes that mean "help or version was asked for and printed". */
const COMMANDER_SUCCESS = new Set(['commander.helpDisplayed', 'commander.version']);

export interface Failure {
  readonly exitCode: number;
  /** The line to print; undefined when commander already printed it. */
  readonly line?: string;
  readonly code: string;
}

export function classify(err: unknown): Failure {
  if (err instanceof CommanderError) {
    if (COMMANDER_SUCCESS.has(err.code)) return { exitCode: EXIT_OK, code: err.code };
    // `tessera help …` exits 0; help shown because a command is missing exits non-zero.
    if (err.code === 'commander.help' && err.exitCode === 0) return { exitCode: EXIT_OK, code: err.code };
    return { exitCode: EXIT_USAGE, code: ErrorCodes.CLI_USAGE };
  }
  if (isTesseraError(err)) {
    return { exitCode: USAGE_CODES.has(err.code) ? EXIT_USAGE : EXIT_FAILURE, line: err.message, code: err.code };
  }
  return { exitCode: EXIT_FAILURE, line: 'internal error', code: ErrorCodes.INTERNAL };
}
