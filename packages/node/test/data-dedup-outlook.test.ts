import { describe, expect, it } from 'vitest';
import { DedupOutlook } from '../src/data/dedup-outlook.js';

describe('DedupOutlook', () => {
  it('seals first while duplicates are rare, identifies first during a run of duplicates, and seals first again after it', () => {
    const outlook = new DedupOutlook();
    expect(outlook.sealFirst()).toBe(true);
    for (let i = 0; i < 100; i++) outlook.record(i % 10 === 0); // 10 % duplicates
    expect(outlook.sealFirst()).toBe(true);
    let switched = 0;
    for (; outlook.sealFirst(); switched++) outlook.record(true);
    // A burst of duplicates switches within a few chunks.
    expect(switched).toBeGreaterThan(0);
    expect(switched).toBeLessThanOrEqual(12);
    let back = 0;
    for (; !outlook.sealFirst(); back++) outlook.record(false);
    expect(back).toBeGreaterThan(0);
    expect(back).toBeLessThanOrEqual(64);
    expect(outlook.rate).toBeGreaterThanOrEqual(0);
    expect(outlook.rate).toBeLessThan(0.25);
  });
});
