/**
 * `tessera put|get|ls|stat|rm` — a tenant's objects, through the tenant SDK
 * (@tessera/client) with a tenant client or tenant admin certificate.
 *
 * `put FILE NAME` (FILE `-` reads stdin), `get NAME [FILE]` (no FILE or
 * `-` writes the bytes to stdout; a FILE is written beside itself and
 * renamed into place, so it is never left half-written). Tables for
 * people, `-o json` for scripts; `get` to stdout prints only the bytes.
 * A progress line goes to stderr for transfers of 8 MiB or more, only when
 * stderr is a terminal.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Transform, Writable } from 'node:stream';
import { InvalidArgumentError, type Command } from 'commander';
import type { ObjectInfo, PutSource } from '@tessera/client';
import { MAX_CHUNK_SIZE, MAX_PAGE_SIZE } from '@tessera/client';
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { CliIo } from '../io.js';
import { sizeIn } from '../options.js';
import { parseOutputFormat, printResult, printRows, type OutputFormat } from '../output.js';
import { DATA_CONNECTION_HELP, withDataClient, withDataConnection, type DataConnectionOptions } from './data-connection.js';
import { Progress } from './progress.js';

/**
 * What the object verbs may use beyond text output: a byte stdin and
 * stdout (the process's by default; tests give their own), and whether
 * stderr is a terminal (for the progress line).
 */
export interface ObjectIo extends CliIo {
  readonly stdin?: NodeJS.ReadableStream;
  readonly binaryStdout?: NodeJS.WritableStream;
  readonly stderrIsTty?: boolean;
}

interface Context {
  readonly io: CliIo;
}

function outputOf(cmd: Command): OutputFormat {
  return parseOutputFormat(cmd.optsWithGlobals()['output']);
}

function examples(lines: readonly string[]): string {
  return `${DATA_CONNECTION_HELP}\n\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

function usage(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CLI_USAGE, message);
}

/** `65536`, `64KiB`, `4MiB`, `1m` → bytes, 1 B to 16 MiB. */
export const parseChunkSize: (value: string) => number = sizeIn(1, MAX_CHUNK_SIZE, 'must be a size from 1 B to 16 MiB, such as 65536, 64KiB or 4MiB');

/** `k=v` (repeatable) → attributes; the value may contain `=`. */
export function parseAttribute(value: string, previous: Readonly<Record<string, string>> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('must be key=value');
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** `OFFSET:LENGTH`, or `OFFSET:` to read to the end. */
export function parseRange(value: string): { offset: number; length?: number } {
  const m = /^([0-9]{1,15}):([0-9]{0,15})$/.exec(value.trim());
  if (m === null || (m[2] !== '' && Number(m[2]) < 1)) throw new InvalidArgumentError('must be OFFSET:LENGTH (LENGTH ≥ 1) or OFFSET: to read to the end');
  return m[2] === '' ? { offset: Number(m[1]) } : { offset: Number(m[1]), length: Number(m[2]) };
}

export function parseLimit(value: string): number {
  if (!/^[0-9]{1,9}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return Number(value);
}

function when(ms: number): string {
  return new Date(ms).toISOString();
}

function infoRow(info: ObjectInfo): Record<string, unknown> {
  return { name: info.name, size: info.size, modified: when(info.modifiedMs), etag: info.etag, chunks: info.chunks };
}

function attributesText(attributes: Readonly<Record<string, string>>): string[] {
  return Object.entries(attributes)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
}

export function objectIo(io: CliIo): { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; stderrIsTty: boolean } {
  const extra = io as ObjectIo;
  return {
    stdin: extra.stdin ?? process.stdin,
    stdout: extra.binaryStdout ?? process.stdout,
    stderrIsTty: extra.stderrIsTty ?? (io.stderr === process.stderr && process.stderr.isTTY),
  };
}

/** Counts bytes going through, for the progress line. */
function counting(progress: Progress | undefined): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      progress?.add(chunk.length);
      done(null, chunk);
    },
  });
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    throw usage(`cannot read the file ${file}`);
  }
}

interface PutOpts extends DataConnectionOptions {
  readonly attr?: Record<string, string>;
  readonly chunkSize?: number;
}

interface GetOpts extends DataConnectionOptions {
  readonly range?: { offset: number; length?: number };
}

interface LsOpts extends DataConnectionOptions {
  readonly limit?: number;
}

export function registerObjectCommands(program: Command, ctx: Context): void {
  const io = objectIo(ctx.io);

  withDataConnection(
    program
      .command('put')
      .description("store an object of your tenant (FILE '-' reads stdin)")
      .argument('<file>', "file to upload, or '-' for stdin")
      .argument('<name>', 'object name (1 to 1,024 bytes of UTF-8)')
      .option('--attr <key=value>', 'a user attribute stored with the object (repeatable)', parseAttribute)
      .option('--chunk-size <size>', 'bytes per chunk for large objects, 1 B to 16 MiB (default 4MiB)', parseChunkSize),
  )
    .addHelpText('after', examples(['tessera put report.pdf reports/2026/q1.pdf --attr type=pdf', 'tar c data | tessera put - backups/data.tar --chunk-size 8MiB', 'tessera -o json put photo.jpg photos/1.jpg']))
    .action(async (file: string, name: string, opts: PutOpts, cmd: Command) => {
      const format = outputOf(cmd);
      const total = file === '-' ? undefined : await sizeOf(file);
      const source: PutSource = file === '-' ? io.stdin : { file };
      const progress = Progress.maybe(ctx.io.stderr, io.stderrIsTty, `put ${name}`, total);
      const info = await withDataClient(
        opts,
        async (client) => {
          try {
            return await client.put(source, name, { attributes: opts.attr ?? {}, ...(progress !== undefined ? { onProgress: (n: number) => progress.add(n) } : {}) });
          } finally {
            progress?.finish();
          }
        },
        opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {},
      );
      printResult(ctx.io, format, 'object stored', { ...infoRow(info), attributes: attributesText(info.attributes) });
    });

  withDataConnection(
    program
      .command('get')
      .description("read an object of your tenant into FILE, or to stdout (no FILE, or '-')")
      .argument('<name>', 'object name')
      .argument('[file]', "where to write it ('-' or absent: stdout)")
      .option('--range <offset:length>', 'read only LENGTH bytes from OFFSET (OFFSET: reads to the end)', parseRange),
  )
    .addHelpText('after', examples(['tessera get reports/2026/q1.pdf q1.pdf', 'tessera get backups/data.tar | tar x', 'tessera get logs/today.log - --range 1000:500', 'tessera get --tenant acme reports/2026/q1.pdf q1.pdf   # a cluster admin under a grant']))
    .action(async (name: string, file: string | undefined, opts: GetOpts, cmd: Command) => {
      const format = outputOf(cmd);
      const toStdout = file === undefined || file === '-';
      await withDataClient(opts, async (client) => {
        const body = await client.get(name, opts.range);
        const size = opts.range === undefined ? body.info.size : Math.max(0, Math.min(body.info.size, opts.range.offset + (opts.range.length ?? body.info.size)) - opts.range.offset);
        const progress = Progress.maybe(ctx.io.stderr, io.stderrIsTty, `get ${name}`, size);
        try {
          if (toStdout) {
            // Never end the process's stdout: other output may follow in the same process.
            const out = new Writable({ write: (chunk: Buffer, _e, done) => (io.stdout.write(chunk) ? done() : io.stdout.once('drain', () => done())) });
            await pipeline(body, counting(progress), out);
            return;
          }
          const partial = `${file}.${process.pid}.partial`;
          try {
            await pipeline(body, counting(progress), createWriteStream(partial, { mode: 0o600 }));
            await rename(partial, file);
          } catch (err) {
            await rm(partial, { force: true });
            throw err;
          }
        } finally {
          progress?.finish();
        }
        printResult(ctx.io, format, 'object read', { ...infoRow(body.info), bytes: size, file });
      });
    });

  withDataConnection(
    program
      .command('ls')
      .description('list your tenant’s objects by name')
      .argument('[prefix]', 'only names starting with this')
      .option('--limit <n>', 'list at most N objects', parseLimit),
  )
    .addHelpText('after', examples(['tessera ls', 'tessera ls reports/2026/ --limit 100', 'tessera -o json ls logs/']))
    .action(async (prefix: string | undefined, opts: LsOpts, cmd: Command) => {
      const format = outputOf(cmd);
      const rows: Record<string, unknown>[] = [];
      await withDataClient(opts, async (client) => {
        const limit = opts.limit ?? Infinity;
        for await (const info of client.list({ ...(prefix !== undefined ? { prefix } : {}), pageSize: Math.min(MAX_PAGE_SIZE, limit) })) {
          if (rows.length >= limit) break;
          rows.push(infoRow(info));
        }
      });
      printRows(ctx.io, format, 'objects', 'objects', rows, ['name', 'size', 'modified', 'etag']);
    });

  withDataConnection(program.command('stat').description('show an object’s metadata and attributes').argument('<name>', 'object name'))
    .addHelpText('after', examples(['tessera stat reports/2026/q1.pdf', 'tessera -o json stat photos/1.jpg']))
    .action(async (name: string, opts: DataConnectionOptions, cmd: Command) => {
      const format = outputOf(cmd);
      const info = await withDataClient(opts, (client) => client.stat(name));
      if (format === 'json') printResult(ctx.io, format, '', { ...infoRow(info), attributes: info.attributes });
      else printResult(ctx.io, format, `object ${name}`, { ...infoRow(info), attributes: attributesText(info.attributes) });
    });

  withDataConnection(program.command('rm').description('delete an object (exit 0 also when there was none: see "existed")').argument('<name>', 'object name'))
    .addHelpText('after', examples(['tessera rm reports/2026/q1.pdf', 'tessera -o json rm tmp/scratch']))
    .action(async (name: string, opts: DataConnectionOptions, cmd: Command) => {
      const format = outputOf(cmd);
      const res = await withDataClient(opts, (client) => client.delete(name));
      printResult(ctx.io, format, res.existed ? 'object deleted' : 'no such object (nothing deleted)', { name, existed: res.existed });
    });
}

