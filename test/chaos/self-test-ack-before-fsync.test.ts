/**
 * Self-test (DESIGN section 4, issue 11): with TESSERA_MUTATE=ack-before-fsync
 * every device acknowledges a shard write before its fdatasync. Under
 * TESSERA_CRASHSIM=1 a power loss keeps only what a completed sync covered,
 * so power losses of every node at once, under a stream of writes, must
 * lose an acknowledged object: its final read fails, or returns an older
 * value, and the run must FAIL. One fixed-seed run; the test passes only if
 * the run fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { powerLossNemesis, type FaultStep } from '@tessera/chaos';
import { finishChaosFile, scenario, startChaosFile, type ChaosFile } from './support/harness.js';

const SEED = 3_301;
let file: ChaosFile | undefined;

beforeAll(async () => {
  file = await startChaosFile('mutate-fsync', { TESSERA_CRASHSIM: '1', TESSERA_MUTATE: 'ack-before-fsync' }, { seed: SEED });
}, 180_000);

afterAll(async () => {
  await finishChaosFile(file);
}, 120_000);

describe('self-test: TESSERA_MUTATE=ack-before-fsync', () => {
  it('is caught by the power-loss scenario (an acknowledged write is lost)', async () => {
    // Large single-chunk objects (1-3 MiB: shards of 256-768 KiB), so a device's datasync takes longer
    // than the two Raft commits that follow the shard acknowledgements; writers only, no pinned readers.
    const steps: FaultStep[] = [0, 1, 2, 3, 4].map((i) => ({ gapMs: i === 0 ? 0 : 2_000, nemesis: powerLossNemesis('all', 0) }));
    const workload = { keys: 40, clients: 8, putShare: 0.8, deleteShare: 0, inlineShare: 0, minBytes: 1_024 * 1_024, maxBytes: 3 * 1_024 * 1_024, multiChunkClients: 0, pinnedReaders: false };
    const result = await scenario(file!, 'power-loss-ack-before-fsync', SEED, steps, workload, false);
    expect(result.passed).toBe(false);
    expect(result.violations.length).toBeGreaterThan(0);
  });
});
