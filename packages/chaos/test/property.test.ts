import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KvInput, KvOutput, KvState, Operation, RegisterInput, RegisterOutput, RegisterState } from '../src/index.js';
import { checkHistory, kvModel, registerModel } from '../src/index.js';

type RegOp = Operation<RegisterInput, RegisterOutput>;

const inputArb: fc.Arbitrary<RegisterInput> = fc.oneof(
  fc.record({ f: fc.constant('read' as const) }),
  fc.record({ f: fc.constant('write' as const), value: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ f: fc.constant('cas' as const), from: fc.integer({ min: 0, max: 4 }), to: fc.integer({ min: 0, max: 4 }) }),
);

interface Step {
  readonly input: RegisterInput;
  readonly before: number;
  readonly after: number;
  readonly lost: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  input: inputArb,
  before: fc.integer({ min: 0, max: 35 }),
  after: fc.integer({ min: 0, max: 35 }),
  lost: fc.integer({ min: 0, max: 9 }),
});

/**
 * Runs the operations one after another on the model (operation k takes
 * effect at time 10k), then widens each into an interval around that point:
 * the result is linearizable by construction. About one operation in ten
 * gets an unknown outcome.
 */
function sequentialHistory(steps: readonly Step[]): RegOp[] {
  let state: RegisterState = null;
  return steps.map((s, k) => {
    const point = 10 * (k + 1);
    let output: RegisterOutput;
    if (s.input.f === 'read') output = { f: 'read', value: state };
    else if (s.input.f === 'write') output = { f: 'write' };
    else output = { f: 'cas', ok: s.input.from === state };
    state = registerModel.step(state, s.input, output)[0] ?? state;
    const unknown = s.lost === 0;
    return {
      clientId: k,
      call: point - s.before,
      ret: unknown ? undefined : point + s.after,
      input: s.input,
      output: unknown ? undefined : output,
    };
  });
}

const historyArb = fc.array(stepArb, { minLength: 1, maxLength: 30 }).map(sequentialHistory);

describe('checker properties', () => {
  it('accepts every history produced by a sequential execution with overlapping timings', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        expect(checkHistory(registerModel, history).verdict).toBe('linearizable');
      }),
      { numRuns: 150 },
    );
  });

  it('rejects the history once one completed read returns a value never written', () => {
    fc.assert(
      fc.property(historyArb, fc.nat(), (history, pick) => {
        const reads = history.map((op, i) => ({ op, i })).filter(({ op }) => op.input.f === 'read' && op.ret !== undefined);
        fc.pre(reads.length > 0);
        const target = reads[pick % reads.length] as (typeof reads)[number];
        const mutated = history.slice();
        mutated[target.i] = { ...target.op, output: { f: 'read', value: 'never-written' } };
        const result = checkHistory(registerModel, mutated);
        expect(result.verdict).toBe('not-linearizable');
        // The impossible read is never part of the linearizable prefix in the report.
        expect(result.failure?.prefix.some((p) => p.op === mutated[target.i])).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});

type KvOp = Operation<KvInput, KvOutput>;

const kvInputArb: fc.Arbitrary<KvInput> = fc.constantFrom('a', 'b', 'c').chain((key) =>
  fc.oneof(
    fc.constant<KvInput>({ f: 'get', key }),
    fc.constant<KvInput>({ f: 'delete', key }),
    fc.constantFrom('x', 'y').map<KvInput>((value) => ({ f: 'put', key, value })),
    fc.constantFrom('x', 'y').map<KvInput>((value) => ({ f: 'append', key, value })),
  ),
);

const kvHistoryArb = fc
  .array(fc.record({ input: kvInputArb, before: fc.integer({ min: 0, max: 35 }), after: fc.integer({ min: 0, max: 35 }), lost: fc.integer({ min: 0, max: 9 }) }), {
    minLength: 1,
    maxLength: 40,
  })
  .map((steps): KvOp[] => {
    let state: KvState = kvModel.init();
    return steps.map((s, k) => {
      const point = 10 * (k + 1);
      const output: KvOutput = s.input.f === 'get' ? { value: state.get(s.input.key) ?? '' } : null;
      state = kvModel.step(state, s.input, output)[0] ?? state;
      const unknown = s.lost === 0;
      return { clientId: k, call: point - s.before, ret: unknown ? undefined : point + s.after, input: s.input, output: unknown ? undefined : output };
    });
  });

describe('key-value checker properties (partitioned per key)', () => {
  it('accepts sequential executions with overlapping timings, and rejects a get of a never-written value', () => {
    fc.assert(
      fc.property(kvHistoryArb, fc.nat(), (history, pick) => {
        expect(checkHistory(kvModel, history).verdict).toBe('linearizable');
        const gets = history.map((op, i) => ({ op, i })).filter(({ op }) => op.input.f === 'get' && op.ret !== undefined);
        if (gets.length === 0) return;
        const target = gets[pick % gets.length] as (typeof gets)[number];
        const mutated = history.slice();
        mutated[target.i] = { ...target.op, output: { value: 'never-written' } };
        expect(checkHistory(kvModel, mutated).verdict).toBe('not-linearizable');
      }),
      { numRuns: 150 },
    );
  });
});
