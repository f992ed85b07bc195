/** Option value parsers shared by commands (invalid values are usage errors, exit 2). */
import { InvalidArgumentError } from 'commander';

export function parseDays(value: string): number {
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 36500) {
    throw new InvalidArgumentError('must be a whole number of days between 1 and 36500');
  }
  return Number(value);
}

/** For repeatable options: `--dns a --dns b`. */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}
