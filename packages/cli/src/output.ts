/**
 * Output for people (aligned `key  value` lines under a title) or for
 * scripts (`-o json`: one JSON document).
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { CliIo } from './io.js';

export const OUTPUT_FORMATS = ['table', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function parseOutputFormat(value: unknown): OutputFormat {
  if (value === 'table' || value === 'json') return value;
  throw new TesseraError(ErrorCodes.CLI_USAGE, 'output format must be table or json');
}

function label(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.join(', ');
  if (value === undefined || value === null || value === '') return '-';
  return String(value);
}

export function formatTable(title: string, record: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(record).map(([k, v]) => [label(k), show(v)] as const);
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return [title, ...entries.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n') + '\n';
}

export function printResult(io: CliIo, format: OutputFormat, title: string, record: Readonly<Record<string, unknown>>): void {
  if (format === 'json') io.stdout.write(JSON.stringify(record, null, 2) + '\n');
  else io.stdout.write(formatTable(title, record));
}

/** A list: aligned columns under a title for people, `{ [key]: rows }` as JSON for scripts. */
export function printRows(
  io: CliIo,
  format: OutputFormat,
  title: string,
  key: string,
  rows: readonly Readonly<Record<string, unknown>>[],
  columns: readonly string[],
): void {
  if (format === 'json') {
    io.stdout.write(JSON.stringify({ [key]: rows }, null, 2) + '\n');
    return;
  }
  const headers = columns.map(label);
  const cells = rows.map((r) => columns.map((c) => show(r[c])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]): string => '  ' + values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  const body = rows.length === 0 ? ['  (none)'] : [line(headers), ...cells.map(line)];
  io.stdout.write([title, ...body].join('\n') + '\n');
}
