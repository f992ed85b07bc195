/**
 * A small structured JSON logger (one object per line) that refuses secrets.
 *
 * Why so strict: K1 and O1 forbid secrets in logs. Rather than trusting every
 * call site, the logger itself replaces with "[redacted]":
 *  - any binary value (Buffer, typed array, ArrayBuffer, DataView): keys and
 *    plaintext are binary, and nothing an operator needs is;
 *  - any object branded with SECRET_BRAND (key material);
 *  - any field whose name says it holds a secret (key, secret, password, token, ...);
 *  - any long opaque string (hex or base64 of 128 bits or more) outside the
 *    fields known to hold public identifiers, since that is what a key looks
 *    like once someone has encoded it;
 *  - PEM private keys.
 * Errors are logged by code and message only (their `cause` is not followed).
 */
import { TesseraError } from './errors.js';
import { isSecretBranded } from './secret.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export const REDACTED = '[redacted]';

const SECRET_FIELD = /(^|[^a-z])(key|keys|secret|password|passphrase|token|dek|kek|tdk|tik|plaintext|private)([^a-z]|$)|Key$|Secret$|Password$|Token$|Plaintext$/i;

/** Fields that carry public identifiers (hashes, ids) and may hold long hex. */
const PUBLIC_ID_FIELDS = new Set(['chunkId', 'writeId', 'deltaId', 'hash', 'chainHash', 'clusterId', 'incarnationId', 'spki']);

/**
 * Error-code fields keep values shaped like a stable error code
 * (RAFT_SNAPSHOT_OUT_OF_DATE would otherwise read as base64 to the
 * opaque-string rule; an operator needs it); anything else in them is
 * scrubbed as usual.
 */
const ERROR_CODE_FIELDS = new Set(['code', 'errorCode']);
const ERROR_CODE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

const OPAQUE_HEX = /^(0x)?[0-9a-fA-F]{32,}$/;
const OPAQUE_BASE64 = /^[A-Za-z0-9+/_-]{22,}={0,2}$/;
const PEM_PRIVATE = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

const MAX_DEPTH = 6;
const MAX_STRING = 4096;

export interface LogSink {
  write(line: string): void;
}

export interface LoggerOptions {
  readonly level?: LogLevel;
  readonly sink?: LogSink;
  readonly base?: Readonly<Record<string, unknown>>;
  readonly clock?: () => number;
}

export class Logger {
  private readonly level: number;
  private readonly sink: LogSink;
  private readonly base: Readonly<Record<string, unknown>>;
  private readonly clock: () => number;

  constructor(options: LoggerOptions = {}) {
    this.level = LEVEL_ORDER[options.level ?? 'info'];
    this.sink = options.sink ?? { write: (line) => process.stderr.write(line) };
    this.base = options.base ?? {};
    this.clock = options.clock ?? Date.now;
  }

  /** A logger that adds `fields` to every line. */
  child(fields: Readonly<Record<string, unknown>>): Logger {
    return new Logger({
      level: levelName(this.level),
      sink: this.sink,
      base: { ...this.base, ...fields },
      clock: this.clock,
    });
  }

  debug(msg: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('error', msg, fields);
  }

  log(level: LogLevel, msg: string, fields: Readonly<Record<string, unknown>> = {}): void {
    if (LEVEL_ORDER[level] < this.level) return;
    const record: Record<string, unknown> = {
      time: new Date(this.clock()).toISOString(),
      level,
      msg: scrubString('msg', msg),
    };
    for (const [k, v] of Object.entries({ ...this.base, ...fields })) {
      if (k === 'time' || k === 'level' || k === 'msg') continue;
      record[k] = scrub(k, v, 0, new WeakSet());
    }
    this.sink.write(JSON.stringify(record) + '\n');
  }
}

function levelName(order: number): LogLevel {
  return (Object.keys(LEVEL_ORDER) as LogLevel[]).find((l) => LEVEL_ORDER[l] === order) ?? 'info';
}

function scrubString(field: string, value: string): string {
  if (PEM_PRIVATE.test(value)) return REDACTED;
  const trimmed = value.length > MAX_STRING ? value.slice(0, MAX_STRING) + '…' : value;
  if (ERROR_CODE_FIELDS.has(field) && ERROR_CODE.test(trimmed) && trimmed.length <= 64) return trimmed;
  if (!PUBLIC_ID_FIELDS.has(field) && (OPAQUE_HEX.test(trimmed) || OPAQUE_BASE64.test(trimmed))) return REDACTED;
  return trimmed;
}

/** Returns a JSON-safe copy of `value` with every secret-shaped part replaced. */
export function scrub(field: string, value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (SECRET_FIELD.test(field) && !PUBLIC_ID_FIELDS.has(field)) return REDACTED;
  if (value === null || value === undefined) return value ?? null;
  switch (typeof value) {
    case 'string':
      return scrubString(field, value);
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  const obj = value as object;
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer || obj instanceof SharedArrayBuffer) return REDACTED;
  if (isSecretBranded(obj)) return REDACTED;
  if (obj instanceof TesseraError) return { code: obj.code, message: scrubString('message', obj.message) };
  if (obj instanceof Error) return { name: obj.name, message: REDACTED };
  if (obj instanceof Date) return obj.toISOString();
  if (depth >= MAX_DEPTH || seen.has(obj)) return '[…]';
  seen.add(obj);
  if (Array.isArray(obj)) return obj.map((v) => scrub(field, v, depth + 1, seen));
  if (obj instanceof Map || obj instanceof Set) return REDACTED;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = scrub(k, v, depth + 1, seen);
  return out;
}
