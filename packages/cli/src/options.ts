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

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `0`, `500ms`, `30s`, `10m`, `24h`, `7d` → milliseconds. */
export function parseDuration(value: string): number {
  const m = /^([0-9]{1,12})(ms|s|m|h|d)?$/.exec(value.trim());
  if (m === null) throw new InvalidArgumentError('must be a duration such as 0, 30s, 10m, 24h or 7d');
  return Number(m[1]) * (DURATION_UNITS[m[2] ?? 'ms'] ?? 1);
}

/** A whole number for a flag. */
export function parseCount(value: string): number {
  if (!/^[0-9]{1,12}$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

/**
 * `256`, `256B`, `64K`, `64KiB`, `4MiB`, `10G`, `2T` → bytes (binary units,
 * any case); undefined when it is not such a size or not a safe integer.
 */
export function byteSize(value: string): number | undefined {
  const m = /^([0-9]{1,16})\s*([KMGTP]?)(i?B?)$/i.exec(value.trim());
  if (m === null || (m[2] === '' && /^i/i.test(m[3]!))) return undefined;
  const unit = m[2]!.toUpperCase();
  const bytes = Number(m[1]) * (unit === '' ? 1 : 1024 ** ('KMGTP'.indexOf(unit) + 1));
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A size flag from `min` to `max` bytes; `message` says what is accepted. */
export function sizeIn(min: number, max: number, message: string): (value: string) => number {
  return (value) => {
    const bytes = byteSize(value);
    if (bytes === undefined || bytes < min || bytes > max) throw new InvalidArgumentError(message);
    return bytes;
  };
}
