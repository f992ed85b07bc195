/**
 * EDN key-value histories (Porcupine's `kv/` format), one map per line:
 *
 *   {:process P, :type :invoke|:ok|:fail|:info, :f :get|:put|:append|:delete, :key "K", :value nil|"V"}
 *
 * The line number is the time. `:fail` had no effect (dropped); `:info` and
 * operations still open at the end have an unknown outcome. Blank lines are
 * ignored; any other line is an error.
 */
import type { History } from '../history.js';
import type { KvInput, KvOutput } from '../models/kv.js';
import type { ParseLimits } from './limits.js';
import { boundedLines, historyError, OperationPairer } from './limits.js';

const STRING = '"((?:[^"\\\\]|\\\\.)*)"';
const LINE = new RegExp(
  `^\\{:process (\\d{1,9}), :type :(invoke|ok|fail|info), :f :(get|put|append|delete), :key ${STRING}, :value (nil|${STRING})\\}$`,
);

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r' };

function unescape(text: string, where: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => {
    const out = ESCAPES[c];
    if (out === undefined) throw historyError(`${where}: unsupported string escape`);
    return out;
  });
}

export function parseEdnKvHistory(text: string, limits: ParseLimits = {}): History<KvInput, KvOutput> {
  const lines = boundedLines(text, limits);
  const pairer = new OperationPairer<KvInput, KvOutput>(limits);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const where = `line ${i + 1}`;
    const m = LINE.exec(line);
    if (m === null) throw historyError(`${where}: not a key-value operation map`);
    const process = Number(m[1]);
    const type = m[2] as 'invoke' | 'ok' | 'fail' | 'info';
    const f = m[3] as KvInput['f'];
    const key = unescape(m[4] as string, where);
    const value = m[6] === undefined ? null : unescape(m[6], where);
    if (type === 'invoke') {
      let input: KvInput;
      if (f === 'get' || f === 'delete') input = { f, key };
      else {
        if (value === null) throw historyError(`${where}: ${f} needs a value`);
        input = { f, key, value };
      }
      pairer.invoke(process, i, input, where);
      continue;
    }
    const pending = pairer.pending(process, where);
    if (pending.f !== f || pending.key !== key) throw historyError(`${where}: completion of a different operation`);
    if (type === 'info') pairer.unknown(process, i, where);
    else if (type === 'fail') pairer.drop(process, i, where);
    else if (f === 'get') {
      if (value === null) throw historyError(`${where}: get completed without a value`);
      pairer.complete(process, i, { value }, where);
    } else pairer.complete(process, i, null, where);
  }
  return pairer.finish();
}
