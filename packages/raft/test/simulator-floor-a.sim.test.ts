import { describe, expect, it } from 'vitest';
import { SIM_FLOOR, runSeeds } from './sim-support.js';

describe('simulator floor (first half of the seeds)', () => {
  it(`seeds 1..${SIM_FLOOR.seeds / 2} x ${SIM_FLOOR.steps} steps: every safety check after every step, liveness at the end`, () => {
    const report = runSeeds(1, SIM_FLOOR.seeds / 2, { steps: SIM_FLOOR.steps });
    console.log(`simulator floor A: ${report.seeds} seeds, ${report.steps} steps in ${report.seconds.toFixed(1)} s`);
    expect(report.failures).toEqual([]);
  }, 400_000);
});
