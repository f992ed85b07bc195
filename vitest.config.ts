import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Workspace packages export a `development` condition that points at their
// TypeScript sources, so tests run without a build step.
const conditions = ['development', 'module', 'node', 'import', 'default'];

// One vitest project per CI suite (DESIGN section 9). `scripts/run-tests.mjs`
// runs them one after another and prints each suite's wall time.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['development'] } },
  test: {
    // One worker per core (vitest's default leaves one core idle): the unit suite is bound by starting
    // and importing 180 test files, and took 134 s with one worker on the 2-core CI machine, 88 s with two.
    maxWorkers: availableParallelism(),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: ['packages/*/test/**/*.sim.test.ts', '**/node_modules/**', '**/dist/**'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'simulator',
          include: ['packages/*/test/**/*.sim.test.ts'],
          testTimeout: 600_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'security',
          include: ['test/security/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'operations',
          include: ['test/operations/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
        },
      },
      // Long variants for people, not CI (`npm run test:long`); run-tests.mjs never selects it.
      {
        extends: true,
        test: {
          name: 'long',
          include: ['test/long/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 1_800_000,
        },
      },
    ],
  },
});
