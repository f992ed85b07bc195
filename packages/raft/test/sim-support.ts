/**
 * The CI floor of the simulator suite and a runner that reports failing seeds
 * with their replay command. The floor was set from the measured rate on the
 * 2-core CI box (see CHECKLIST.md): two files of SIM_FLOOR.seeds / 2 seeds run
 * in parallel, about two and a half minutes in all. It is a fixed amount of
 * work, not a time budget: the suite fails if it cannot finish it (vitest's
 * timeout), and never skips seeds to fit.
 */
import { runSimulation, type SimOptions, type SimResult } from '../src/sim/simulation.js';

export const SIM_FLOOR = { seeds: 1400, steps: 2000 } as const;

export interface FloorReport {
  readonly seeds: number;
  readonly steps: number;
  readonly failures: readonly string[];
  readonly seconds: number;
}

export function replayCommand(r: SimResult, options: Omit<SimOptions, 'seed'>): string {
  const parts = [`SEED=${r.seed} npm run sim -w @tessera/raft -- --steps ${options.steps}`];
  if (options.profile !== undefined) parts.push(`--profile ${options.profile}`);
  if (options.mutations !== undefined && options.mutations.size > 0) parts.push(`--mutate ${[...options.mutations].join(',')}`);
  return parts.join(' ');
}

/** Runs seeds [first, first + count) and collects failures with their replay commands. */
export function runSeeds(first: number, count: number, options: Omit<SimOptions, 'seed'>): FloorReport {
  const started = process.hrtime.bigint();
  const failures: string[] = [];
  let steps = 0;
  for (let seed = first; seed < first + count; seed++) {
    const r = runSimulation({ ...options, seed });
    steps += r.stats.steps;
    if (!r.ok) {
      failures.push(`seed ${seed}: ${r.invariant} at step ${r.failedAt}: ${r.error?.split('\n')[0] ?? ''}\n  replay: ${replayCommand(r, options)}`);
    }
  }
  return { seeds: count, steps, failures, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Runs seeds 1..maxSeeds until the first failure; returns it (the planted bug was caught) or undefined. */
export function firstFailure(maxSeeds: number, options: Omit<SimOptions, 'seed'>): SimResult | undefined {
  for (let seed = 1; seed <= maxSeeds; seed++) {
    const r = runSimulation({ ...options, seed });
    if (!r.ok) return r;
  }
  return undefined;
}
