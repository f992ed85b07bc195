import { describe, expect, it } from 'vitest';
import { runLoad, summarise, type RunFigures } from '../src/bench/index.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the closed-loop load generator', () => {
  it('ends a run after maxOps measured calls, long before its duration', async () => {
    let calls = 0;
    const run = await runLoad({ clients: 4, durationMs: 600_000, warmupMs: 0, maxOps: 100 }, async () => {
      calls++;
      await tick();
    });
    expect(run.ops).toBe(100);
    expect(calls).toBe(100);
    expect(run.seconds).toBeLessThan(600);
    expect(run.opsPerSec).toBeCloseTo(100 / run.seconds, 6);
  });

  it('runs every client loop concurrently, each with its own call numbers', async () => {
    const seen = new Map<number, number[]>();
    let inFlight = 0;
    let most = 0;
    await runLoad({ clients: 3, durationMs: 600_000, warmupMs: 0, maxOps: 30 }, async (client, i) => {
      seen.set(client, [...(seen.get(client) ?? []), i]);
      most = Math.max(most, ++inFlight);
      await tick();
      inFlight--;
    });
    expect(most).toBe(3);
    for (const calls of seen.values()) expect(calls).toEqual(calls.map((_, i) => i));
  });

  it('stops every loop at the first failure and rejects with it', async () => {
    let calls = 0;
    const failure = new Error('node unreachable');
    const running = runLoad({ clients: 4, durationMs: 600_000, warmupMs: 0 }, async () => {
      const n = ++calls;
      await tick();
      if (n === 10) throw failure;
    });
    await expect(running).rejects.toBe(failure);
    const after = calls;
    await tick();
    await tick();
    // Calls already in flight finish; none starts after the failure was seen.
    expect(calls).toBe(after);
    expect(calls).toBeLessThan(10 + 4);
  });

  it('a failure during the warm-up ends the run without waiting the warm-up out (a 10-minute warm-up, within the test timeout)', async () => {
    await expect(runLoad({ clients: 2, durationMs: 600_000, warmupMs: 600_000 }, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });
});

describe('summarise', () => {
  it('gives the median of each figure with the min and max rate, and the totals', () => {
    const run = (opsPerSec: number, p50Us: number, p99Us: number): RunFigures => ({ opsPerSec, p50Us, p99Us, ops: opsPerSec * 2, seconds: 2 });
    const s = summarise([run(300, 30, 90), run(100, 10, 70), run(200, 20, 80)]);
    expect(s).toEqual({ runs: 3, opsPerSec: 200, p50Us: 20, p99Us: 80, opsMin: 100, opsMax: 300, ops: 1200, seconds: 6 });
    expect(summarise([run(100, 10, 20), run(300, 30, 40)]).opsPerSec).toBe(200);
  });
});
