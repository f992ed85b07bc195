/**
 * Exit codes (DESIGN section 8): 0 success, 1 runtime failure, 2 usage error.
 * Errors are one line on stderr, never a stack trace: a TesseraError shows its
 * (caller-safe) message and, for the failures an operator can act on, a
 * hint; anything else is reported as an internal error. `--debug` adds the
 * error's code, stack and causes below that line.
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

const UNREACHABLE_HINT = 'is the cluster running? check the endpoints (--endpoint, TESSERA_ENDPOINT / TESSERA_DATA_ENDPOINT, or the config file); --debug shows the cause';
const TLS_HINT = 'check --cert/--key/--ca (or TESSERA_CERT/TESSERA_KEY/TESSERA_CA, or the config file)';

/** What an operator can do about a failure, by code (messages that already say it get none). */
const HINTS: ReadonlyMap<ErrorCode, string> = new Map<ErrorCode, string>([
  [ErrorCodes.KM_UNAVAILABLE, UNREACHABLE_HINT],
  [ErrorCodes.TRANSPORT_PEER_UNREACHABLE, UNREACHABLE_HINT],
  [ErrorCodes.TRANSPORT_CLOSED, UNREACHABLE_HINT],
  [ErrorCodes.RAFT_TIMEOUT, UNREACHABLE_HINT],
  // Membership changes are made on the leader; nodes are tried in turn, so listing them all finds it.
  [ErrorCodes.RAFT_NOT_LEADER, 'membership changes, scrub, repair and compaction go to the leader: pass its client port, or every node\'s (--endpoint is repeatable)'],
  [ErrorCodes.TRANSPORT_UNAUTHENTICATED, TLS_HINT],
  [ErrorCodes.TRANSPORT_PERMISSION_DENIED, 'this certificate\'s role may not do that (cluster admin, tenant admin and tenant client are separate roles)'],
  [ErrorCodes.TRANSPORT_TLS_MATERIAL, TLS_HINT],
  [ErrorCodes.CLI_USAGE, 'run with --help for usage'],
]);

function withHint(code: ErrorCode, message: string): string {
  const hint = HINTS.get(code);
  if (hint === undefined || message.includes('--help') || message.includes('hint:')) return message;
  return `${message} (hint: ${hint})`;
}

export function classify(err: unknown): Failure {
  if (err instanceof CommanderError) {
    if (COMMANDER_SUCCESS.has(err.code)) return { exitCode: EXIT_OK, code: err.code };
    // `tessera help …` exits 0; help shown because a command is missing exits non-zero.
    if (err.code === 'commander.help' && err.exitCode === 0) return { exitCode: EXIT_OK, code: err.code };
    return { exitCode: EXIT_USAGE, code: ErrorCodes.CLI_USAGE };
  }
  if (isTesseraError(err)) {
    return { exitCode: USAGE_CODES.has(err.code) ? EXIT_USAGE : EXIT_FAILURE, line: withHint(err.code, err.message), code: err.code };
  }
  return { exitCode: EXIT_FAILURE, line: 'internal error (run with --debug for details)', code: ErrorCodes.INTERNAL };
}

/** How many causes `--debug` follows (a cycle or a very deep chain stops there). */
const MAX_CAUSES = 8;

/** `--debug`: the error's code, stack and causes, for a bug report (never printed without the flag). */
export function debugDetails(err: unknown): string {
  const lines: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth <= MAX_CAUSES; depth++) {
    const prefix = depth === 0 ? 'debug:' : 'caused by:';
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      lines.push(`${prefix} ${current.name}${code !== undefined ? ` [${String(code)}]` : ''}`, current.stack ?? current.message);
      current = (current as { cause?: unknown }).cause;
    } else {
      lines.push(`${prefix} ${String(current)}`);
      current = undefined;
    }
  }
  return lines.join('\n') + '\n';
}
