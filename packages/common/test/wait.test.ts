import { describe, expect, it } from 'vitest';
import { waitFor } from '../src/testing/index.js';

describe('waitFor', () => {
  it('returns the first value that is neither undefined nor false, from sync or async probes', async () => {
    let n = 0;
    await expect(waitFor('n to reach 3', () => (++n >= 3 ? n : undefined), { intervalMs: 1 })).resolves.toBe(3);
    let m = 0;
    await expect(waitFor('async', () => Promise.resolve(++m >= 2 ? 'done' : false), { intervalMs: 1 })).resolves.toBe('done');
    await expect(waitFor('zero is a value', () => 0)).resolves.toBe(0);
  });

  it('fails with the condition named once the deadline passes', async () => {
    await expect(waitFor('the impossible', () => false, { timeoutMs: 20, intervalMs: 2 })).rejects.toThrow('timed out waiting for the impossible');
    await expect(waitFor('numbers mean a timeout', () => undefined, 10)).rejects.toThrow(/timed out/);
  });
});
