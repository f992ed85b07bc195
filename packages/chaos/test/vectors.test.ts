import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeVectors, readVectorJson } from '@tessera/common/testing';
import { afterAll, expect, it } from 'vitest';
import { checkHistory, formatCheckResult, kvModel, parseEdnKvHistory, parseJepsenRegisterLog, registerModel } from '../src/index.js';

/** Per-history budget: generous for 2 shared cores; exceeding it is a failure ("unknown"). */
const BUDGET_MS = 10_000;
const timings: { name: string; ms: number }[] = [];

afterAll(() => {
  if (timings.length === 0) return;
  const slowest = [...timings].sort((a, b) => b.ms - a.ms).slice(0, 3);
  const total = timings.reduce((s, t) => s + t.ms, 0);
  console.log(`linearizability vectors: ${timings.length} histories, ${total.toFixed(0)} ms total; slowest: ${slowest.map((t) => `${t.name} ${t.ms.toFixed(0)} ms`).join(', ')}`);
});

describeVectors('linearizability conformance (Porcupine test data)', (dir) => {
  const verdicts = readVectorJson<Record<string, boolean>>(dir, 'linearizability/jepsen-verdicts.json');

  it('lists the 102 Jepsen etcd histories', () => {
    expect(Object.keys(verdicts)).toHaveLength(102);
  });

  for (const [file, linearizable] of Object.entries(verdicts)) {
    it(`jepsen/${file} is ${linearizable ? '' : 'not '}linearizable`, () => {
      const history = parseJepsenRegisterLog(readFileSync(join(dir, 'linearizability', 'jepsen', file), 'utf8'));
      const result = checkHistory(registerModel, history, { timeBudgetMs: BUDGET_MS });
      timings.push({ name: file, ms: result.elapsedMs });
      expect(result.verdict, formatCheckResult(registerModel, result)).toBe(linearizable ? 'linearizable' : 'not-linearizable');
    });
  }

  for (const clients of ['c01', 'c10', 'c50']) {
    for (const suffix of ['ok', 'bad']) {
      const file = `${clients}-${suffix}.txt`;
      it(`kv/${file} is ${suffix === 'ok' ? '' : 'not '}linearizable`, () => {
        const history = parseEdnKvHistory(readFileSync(join(dir, 'linearizability', 'kv', file), 'utf8'));
        const result = checkHistory(kvModel, history, { timeBudgetMs: BUDGET_MS });
        timings.push({ name: file, ms: result.elapsedMs });
        expect(result.verdict, formatCheckResult(kvModel, result)).toBe(suffix === 'ok' ? 'linearizable' : 'not-linearizable');
        if (suffix === 'bad') expect(result.failure?.blocking).toBeDefined();
      });
    }
  }
});
