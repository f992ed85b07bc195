/**
 * The chaos CI slice (issue 11, DESIGN section 9): one cluster of real
 * processes (key manager, three nodes with three devices each, 4+2, every
 * link through a fault proxy, TESSERA_CRASHSIM=1), and eight scenarios on
 * it, one after another, each under ≥ 5 concurrent clients (six writers
 * through rotating gateways, three small-object writers, one multi-chunk
 * writer, one reader pinned to each node): its own keys, its own history checked per key, ≥ 500
 * acknowledged operations and ≥ 50 overlapping a fault window, then healing,
 * convergence, a final read of every key and the checker's verdict.
 * Finally every process stops and no disk may hold the plaintext marker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addNodeNemesis,
  deviceLossNemesis,
  flipShardBytesNemesis,
  keyManagerNemesis,
  killNemesis,
  partitionNemesis,
  pauseNemesis,
  powerLossNemesis,
  type FaultStep,
  type ScenarioResult,
} from '@tessera/chaos';
import { finishChaosFile, scenario, startChaosFile, stopAndScan, type ChaosFile } from './support/harness.js';

const SEED = 1_101;
const WORKLOAD = { keys: 120 } as const;
let file: ChaosFile | undefined;

beforeAll(async () => {
  file = await startChaosFile('failover', { TESSERA_CRASHSIM: '1' }, { seed: SEED, spares: 1 });
}, 180_000);

afterAll(async () => {
  await finishChaosFile(file);
}, 120_000);

function expectSound(r: ScenarioResult): void {
  expect(r.violations, r.checkerReport).toEqual([]);
  expect(r.verdict).toBe('linearizable');
  expect(r.converged).toBe(true);
  expect(r.faults.length).toBeGreaterThan(0);
  expect(r.ops.ok).toBeGreaterThanOrEqual(500);
  expect(r.overlapping).toBeGreaterThanOrEqual(50);
  expect(r.finalReads.failed).toBe(0);
}

const cases: ReadonlyArray<readonly [string, number, readonly FaultStep[]]> = [
  // First, while the log is short: the joiner replays it from index 2 (AddMember waits up to 60 s for it
  // to catch up, and a long log under load takes longer than that on this machine).
  ['membership-change-under-load', 7, [{ gapMs: 0, nemesis: addNodeNemesis() }]],
  ['leader-sigkill', 1, [{ gapMs: 0, nemesis: killNemesis('leader', 4_000) }]],
  ['leader-isolated-in-minority', 2, [{ gapMs: 0, nemesis: partitionNemesis('isolate-leader', 8_000) }]],
  ['asymmetric-cut', 3, [{ gapMs: 0, nemesis: partitionNemesis('asymmetric', 8_000) }]],
  ['leader-sigstop', 4, [{ gapMs: 0, nemesis: pauseNemesis('leader', 7_000) }]],
  ['shard-byte-flip-and-device-loss', 5, [{ gapMs: 0, nemesis: flipShardBytesNemesis(3_000) }, { gapMs: 1_000, nemesis: deviceLossNemesis(3_000) }]],
  ['key-manager-kill', 6, [{ gapMs: 0, nemesis: keyManagerNemesis('kill', 5_000) }]],
  // A follower on a slow disk loses power (the control for the ack-before-fsync self-test: a correct
  // build loses no acknowledged shard), then every node at once.
  [
    'power-loss-crashsim',
    8,
    [
      { gapMs: 0, nemesis: powerLossNemesis('follower', 0, { slowDiskFirstMs: 2_500, slowDiskWriteIops: 10 }) },
      { gapMs: 1_000, nemesis: powerLossNemesis('all', 1_000) },
    ],
  ],
];

describe('chaos slice: one cluster, eight scenarios', () => {
  for (const [name, offset, steps] of cases) {
    it(name, async () => {
      expectSound(await scenario(file!, name, SEED + offset, steps, WORKLOAD));
    });
  }

  it('leaves no plaintext marker on any disk (every process stopped)', async () => {
    expect(await stopAndScan(file!)).toBe(0);
  });
});
