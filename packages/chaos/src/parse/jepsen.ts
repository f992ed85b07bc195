/**
 * Jepsen etcd register logs (the Knossos/Porcupine `jepsen/etcd_NNN.log`
 * format). Only `jepsen.util` operation lines matter; everything else is
 * ignored. The line number is the time.
 *
 *   INFO  jepsen.util - P  :invoke|:ok|:fail|:info  :read|:write|:cas  nil|V|[FROM TO]|:timed-out
 *
 * `:fail :cas` is a cas whose comparison failed (output ok=false); a
 * `:fail :read` (`:timed-out`), an `:info`, and an operation still open at the
 * end have an unknown outcome; any other `:fail` had no effect and is dropped.
 */
import type { History } from '../history.js';
import type { RegisterInput, RegisterOutput, RegisterValue } from '../models/register.js';
import type { ParseLimits } from './limits.js';
import { boundedLines, historyError, OperationPairer } from './limits.js';

const LINE = /^INFO\s+jepsen\.util\s+-\s+(\d{1,9})\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/;
const INT = /^-?\d{1,15}$/;
const PAIR = /^\[(-?\d{1,15})\s+(-?\d{1,15})\]$/;

function value(text: string, where: string): RegisterValue | null {
  if (text === 'nil') return null;
  if (INT.test(text)) return Number(text);
  throw historyError(`${where}: expected nil or an integer`);
}

export function parseJepsenRegisterLog(text: string, limits: ParseLimits = {}): History<RegisterInput, RegisterOutput> {
  const lines = boundedLines(text, limits);
  const pairer = new OperationPairer<RegisterInput, RegisterOutput>(limits);
  for (let i = 0; i < lines.length; i++) {
    const m = LINE.exec(lines[i] as string);
    if (m === null) continue;
    const where = `line ${i + 1}`;
    const process = Number(m[1]);
    const type = m[2] as 'invoke' | 'ok' | 'fail' | 'info';
    const f = m[3] as 'read' | 'write' | 'cas';
    const arg = m[4] as string;
    if (type === 'invoke') {
      if (f === 'read') pairer.invoke(process, i, { f }, where);
      else if (f === 'write') {
        const v = value(arg, where);
        if (v === null) throw historyError(`${where}: write of nil`);
        pairer.invoke(process, i, { f, value: v }, where);
      } else {
        const p = PAIR.exec(arg);
        if (p === null) throw historyError(`${where}: cas needs [FROM TO]`);
        pairer.invoke(process, i, { f, from: Number(p[1]), to: Number(p[2]) }, where);
      }
      continue;
    }
    if (pairer.pending(process, where).f !== f) throw historyError(`${where}: completion of a different operation`);
    if (type === 'info' || (type === 'fail' && f === 'read')) pairer.unknown(process, i, where);
    else if (type === 'fail') {
      if (f === 'cas') pairer.complete(process, i, { f, ok: false }, where);
      else pairer.drop(process, i, where);
    } else if (f === 'read') pairer.complete(process, i, { f, value: value(arg, where) }, where);
    else if (f === 'write') pairer.complete(process, i, { f }, where);
    else pairer.complete(process, i, { f, ok: true }, where);
  }
  return pairer.finish();
}
