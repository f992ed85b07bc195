import { describe, expect, it } from 'vitest';
import { SIM_FLOOR, runSeeds } from './sim-support.js';

describe('simulator floor (second half of the seeds)', () => {
  const first = SIM_FLOOR.seeds / 2 + 1;
  it(`seeds ${first}..${SIM_FLOOR.seeds} x ${SIM_FLOOR.steps} steps: every safety check after every step, liveness at the end`, () => {
    const report = runSeeds(first, SIM_FLOOR.seeds / 2, { steps: SIM_FLOOR.steps });
    console.log(`simulator floor B: ${report.seeds} seeds, ${report.steps} steps in ${report.seconds.toFixed(1)} s`);
    expect(report.failures).toEqual([]);
  }, 400_000);
});
