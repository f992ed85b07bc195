/**
 * Planted bugs (TESSERA_MUTATE, DESIGN §4): the simulator must catch each one
 * within 50 seeds. Each runs the ordinary simulator with the bug switched on
 * through `RaftConfig.mutations` (the same switch the environment variable
 * sets), under the fault profile that exercises the rule the bug breaks.
 */
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../src/sim/simulation.js';
import type { MutationName } from '../src/index.js';
import { firstFailure, replayCommand } from './sim-support.js';

const MAX_SEEDS = 50;
const STEPS = 2000;

const cases: ReadonlyArray<{ mutation: MutationName; profile?: 'flapping' | 'crashy'; invariants: readonly string[] }> = [
  // Figure 8 needs many short-lived leaders whose entries reach a minority.
  { mutation: 'commit-old-term', profile: 'flapping', invariants: ['leader completeness', 'state-machine safety'] },
  // A forgotten vote needs a crash right after voting.
  { mutation: 'skip-vote-persist', profile: 'crashy', invariants: ['election safety'] },
  { mutation: 'truncate-committed', invariants: ['state-machine safety', 'leader completeness', 'exception', 'progress'] },
];

describe('planted bugs are caught by the simulator', () => {
  for (const tc of cases) {
    it(`${tc.mutation} is caught within ${MAX_SEEDS} seeds`, () => {
      const options = { steps: STEPS, mutations: new Set([tc.mutation]), ...(tc.profile ? { profile: tc.profile } : {}) };
      const r = firstFailure(MAX_SEEDS, options);
      expect(r, `${tc.mutation} was not caught in ${MAX_SEEDS} seeds`).toBeDefined();
      if (r === undefined) return;
      console.log(`${tc.mutation}: caught at seed ${r.seed}, step ${r.failedAt} (${r.invariant}); replay: ${replayCommand(r, options)}`);
      expect(tc.invariants).toContain(r.invariant);
      // Without the bug, the same seed passes.
      const clean = runSimulation({ seed: r.seed, steps: STEPS, ...(tc.profile ? { profile: tc.profile } : {}) });
      expect(clean.ok).toBe(true);
    }, 300_000);
  }
});

describe('simulator determinism', () => {
  it('a seed replays exactly (same events, same statistics)', () => {
    const a = runSimulation({ seed: 4242, steps: 600, trace: true });
    const b = runSimulation({ seed: 4242, steps: 600, trace: true });
    expect(a.ok).toBe(true);
    expect(b.events).toEqual(a.events);
    expect(b.stats).toEqual(a.stats);
    const other = runSimulation({ seed: 4243, steps: 600, trace: true });
    expect(other.events).not.toEqual(a.events);
  });
});
