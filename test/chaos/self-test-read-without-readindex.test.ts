/**
 * Self-test (DESIGN section 4, issue 11): with TESSERA_MUTATE=read-without-readindex
 * every node serves Data reads from its local state without the ReadIndex
 * barrier. The isolated-leader scenario must catch it: the old leader, cut
 * off in a minority, keeps answering its pinned reader with values the
 * majority has since overwritten, and the checker must call the history
 * not linearizable. One fixed-seed run; the test passes only if the run FAILS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionNemesis } from '@tessera/chaos';
import { finishChaosFile, scenario, startChaosFile, type ChaosFile } from './support/harness.js';

const SEED = 2_201;
let file: ChaosFile | undefined;

beforeAll(async () => {
  file = await startChaosFile('mutate-readindex', { TESSERA_MUTATE: 'read-without-readindex' }, { seed: SEED });
}, 180_000);

afterAll(async () => {
  await finishChaosFile(file);
}, 120_000);

describe('self-test: TESSERA_MUTATE=read-without-readindex', () => {
  it('is caught by the isolated-leader scenario (stale reads: not linearizable)', async () => {
    // Few keys, so writes through the majority soon overwrite what the isolated leader keeps serving;
    // small (inline) objects, so the isolated node answers from its metadata alone: a chunked read
    // there needs shards from the nodes it is cut off from and fails instead of being stale.
    const result = await scenario(file!, 'isolated-leader-stale-reads', SEED, [{ gapMs: 0, nemesis: partitionNemesis('isolate-leader', 8_000) }], { keys: 12, minBytes: 512, maxBytes: 2 * 1_024 }, { expectPass: false });
    expect(result.passed).toBe(false);
    expect(result.verdict).toBe('not-linearizable');
  });
});
