/**
 * Checker benchmarks on the slowest conformance histories (parsed once; the
 * figure is the search alone). Vectors come from `$TESSERA_VECTORS` or
 * `../shared/vectors`; absent vectors yield no results.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchSync, type BenchResult } from '@tessera/common/bench';
import { checkHistory, kvModel, parseEdnKvHistory, parseJepsenRegisterLog, registerModel } from '../src/index.js';

function vectorsDir(): string | undefined {
  const fromEnv = process.env['TESSERA_VECTORS'];
  const dir = fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'vectors');
  return existsSync(dir) ? dir : undefined;
}

export function runBenchmarks(): Promise<BenchResult[]> {
  const dir = vectorsDir();
  if (dir === undefined) return Promise.resolve([]);
  const base = join(dir, 'linearizability');
  const results: BenchResult[] = [];
  for (const file of ['etcd_002.log', 'etcd_007.log', 'etcd_099.log']) {
    const history = parseJepsenRegisterLog(readFileSync(join(base, 'jepsen', file), 'utf8'));
    results.push(benchSync(`check register ${file} (${history.length} ops)`, 0, () => checkHistory(registerModel, history), { runs: 3, minRunMs: 200 }));
  }
  for (const file of ['c50-ok.txt', 'c50-bad.txt']) {
    const history = parseEdnKvHistory(readFileSync(join(base, 'kv', file), 'utf8'));
    results.push(benchSync(`check kv ${file} (${history.length} ops)`, 0, () => checkHistory(kvModel, history), { runs: 3, minRunMs: 200 }));
  }
  return Promise.resolve(results);
}
