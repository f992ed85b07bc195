/**
 * Tessera's own history format for the chaos suite: JSON Lines, one event per
 * line, written by the workload clients as they go (see the package README).
 *
 *   {"type":"invoke","process":3,"time":1200,"f":"write","key":"k1","value":"v7"}
 *   {"type":"ok","process":3,"time":1350}
 *   {"type":"ok","process":1,"time":1400,"value":"v7"}     read/get result
 *   {"type":"ok","process":2,"time":1500,"ok":false}       cas result
 *   {"type":"info","process":4,"time":1600}                unknown outcome
 *   {"type":"fail","process":5,"time":1700}                certainly no effect
 *
 * `time` is a monotonic clock (nanoseconds or any unit), non-decreasing along
 * the file. `key` is optional for the register model (one register per key).
 */
import type { History } from '../history.js';
import type { KvInput, KvOutput } from '../models/kv.js';
import type { RegisterInput, RegisterOutput, RegisterValue } from '../models/register.js';
import type { ParseLimits } from './limits.js';
import { boundedLines, historyError, OperationPairer } from './limits.js';

export type JsonlEventType = 'invoke' | 'ok' | 'fail' | 'info';

/** One line of a JSONL history. Fields beyond these are ignored. */
export interface JsonlEvent {
  readonly type: JsonlEventType;
  readonly process: number | string;
  readonly time: number;
  /** Operation name, on `invoke` (optional on completions; checked when present). */
  readonly f?: string;
  readonly key?: string;
  /** Written value on `invoke`; value read on a read's `ok` (null = absent). */
  readonly value?: RegisterValue | null;
  readonly from?: RegisterValue;
  readonly to?: RegisterValue;
  /** Result of a cas on `ok`. */
  readonly ok?: boolean;
}

/** Serialises one event as a JSONL line (without the newline). */
export function formatJsonlEvent(event: JsonlEvent): string {
  return JSON.stringify(event);
}

type Fields = Readonly<Record<string, unknown>>;

function isValue(v: unknown): v is RegisterValue {
  return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string';
}

function readEvents(text: string, limits: ParseLimits, onEvent: (fields: Fields, type: JsonlEventType, process: number | string, time: number, where: string) => void): void {
  const lines = boundedLines(text, limits);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const where = `line ${i + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw historyError(`${where}: not JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw historyError(`${where}: not a JSON object`);
    const fields = parsed as Fields;
    const type = fields['type'];
    if (type !== 'invoke' && type !== 'ok' && type !== 'fail' && type !== 'info') throw historyError(`${where}: unknown event type`);
    const process = fields['process'];
    if (!((typeof process === 'number' && Number.isSafeInteger(process)) || (typeof process === 'string' && process.length <= 256))) {
      throw historyError(`${where}: process must be an integer or a short string`);
    }
    const time = fields['time'];
    if (typeof time !== 'number') throw historyError(`${where}: time must be a number`);
    onEvent(fields, type, process, time, where);
  }
}

function optionalKey(fields: Fields, where: string): string | undefined {
  const key = fields['key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string') throw historyError(`${where}: key must be a string`);
  return key;
}

function checkSameOp(fields: Fields, f: string, where: string): void {
  const named = fields['f'];
  if (named !== undefined && named !== f) throw historyError(`${where}: completion of a different operation`);
}

/** Parses a JSONL history of register operations (read, write, cas). */
export function parseRegisterJsonl(text: string, limits: ParseLimits = {}): History<RegisterInput, RegisterOutput> {
  const pairer = new OperationPairer<RegisterInput, RegisterOutput>(limits);
  readEvents(text, limits, (fields, type, process, time, where) => {
    if (type === 'invoke') {
      const key = optionalKey(fields, where);
      const keyed = key === undefined ? {} : { key };
      const f = fields['f'];
      const value = fields['value'];
      const from = fields['from'];
      const to = fields['to'];
      if (f === 'read') pairer.invoke(process, time, { f, ...keyed }, where);
      else if (f === 'write' && isValue(value)) pairer.invoke(process, time, { f, value, ...keyed }, where);
      else if (f === 'cas' && isValue(from) && isValue(to)) pairer.invoke(process, time, { f, from, to, ...keyed }, where);
      else throw historyError(`${where}: invalid register operation`);
      return;
    }
    const input = pairer.pending(process, where);
    checkSameOp(fields, input.f, where);
    if (type === 'info') return pairer.unknown(process, time, where);
    if (type === 'fail') return pairer.drop(process, time, where);
    if (input.f === 'write') return pairer.complete(process, time, { f: 'write' }, where);
    if (input.f === 'read') {
      const value = fields['value'];
      if (value !== null && !isValue(value)) throw historyError(`${where}: read result must be null, a number or a string`);
      return pairer.complete(process, time, { f: 'read', value }, where);
    }
    const ok = fields['ok'];
    if (typeof ok !== 'boolean') throw historyError(`${where}: cas result must be a boolean`);
    return pairer.complete(process, time, { f: 'cas', ok }, where);
  });
  return pairer.finish();
}

/** Parses a JSONL history of key-value operations (get, put, append, delete). */
export function parseKvJsonl(text: string, limits: ParseLimits = {}): History<KvInput, KvOutput> {
  const pairer = new OperationPairer<KvInput, KvOutput>(limits);
  readEvents(text, limits, (fields, type, process, time, where) => {
    if (type === 'invoke') {
      const key = optionalKey(fields, where);
      if (key === undefined) throw historyError(`${where}: key-value operation without a key`);
      const f = fields['f'];
      const value = fields['value'];
      if (f === 'get' || f === 'delete') pairer.invoke(process, time, { f, key }, where);
      else if ((f === 'put' || f === 'append') && typeof value === 'string') pairer.invoke(process, time, { f, key, value }, where);
      else throw historyError(`${where}: invalid key-value operation`);
      return;
    }
    const input = pairer.pending(process, where);
    checkSameOp(fields, input.f, where);
    if (type === 'info') return pairer.unknown(process, time, where);
    if (type === 'fail') return pairer.drop(process, time, where);
    if (input.f !== 'get') return pairer.complete(process, time, null, where);
    const value = fields['value'];
    if (typeof value !== 'string') throw historyError(`${where}: get result must be a string`);
    return pairer.complete(process, time, { value }, where);
  });
  return pairer.finish();
}
