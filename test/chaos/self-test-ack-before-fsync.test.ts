/**
 * Self-test (DESIGN section 4, issue 11): with TESSERA_MUTATE=ack-before-fsync
 * every device acknowledges a shard write before its fdatasync. Under
 * TESSERA_CRASHSIM=1 a power loss keeps only what a completed sync covered,
 * so a follower's power losses under a stream of writes must lose shards of
 * acknowledged objects: the final reads need parity (or fail, or return an
 * older value), and the run must FAIL. One fixed-seed run; the test passes only if
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
    // A follower's disk is slowed (write IOPS capped through a cgroup: fdatasync then takes tens of ms
    // instead of well under one on this machine), then it loses power, three times, under a stream of writes:
    // shards it acknowledged before syncing vanish, while the gateway and the leader (still up) commit
    // the chunks and acknowledge the objects. The placement-scrub pass of the final checks then finds
    // shards of committed chunks missing, which a correct build never has without a disk fault (D1).
    const steps: FaultStep[] = [0, 1, 2].map((i) => ({ gapMs: i === 0 ? 0 : 1_000, nemesis: powerLossNemesis('follower', 0, { slowDiskFirstMs: 2_500, slowDiskWriteIops: 10 }) }));
    const workload = { keys: 100, clients: 8, putShare: 0.8, deleteShare: 0, inlineShare: 0, minBytes: 256 * 1_024, maxBytes: 1_024 * 1_024, multiChunkClients: 0, inlineClients: 0, pinnedReaders: false };
    const result = await scenario(file!, 'power-loss-ack-before-fsync', SEED, steps, workload, { expectPass: false, warmupOps: 30, cooldownOps: 30 });
    expect(result.passed).toBe(false);
    expect(result.violations.some((v) => v.includes('an acknowledged shard was lost (D1)') || v.startsWith('history not-linearizable') || v.startsWith('final read'))).toBe(true);
  });
});
