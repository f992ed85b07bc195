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
