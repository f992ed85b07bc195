import { describe, expect, it } from 'vitest';
import { benchAsync, benchSync, formatTable } from '../src/bench/index.js';

describe('bench harness', () => {
  it('reports median rates, throughput and ordered percentiles', () => {
    let calls = 0;
    const r = benchSync('spin', 1000, () => calls++, { runs: 3, minRunMs: 5 });
    expect(r.runs).toBe(3);
    expect(calls).toBeGreaterThan(3);
    expect(r.opsPerSec).toBeGreaterThan(0);
    expect(r.mbPerSec).toBeCloseTo((r.opsPerSec * 1000) / 1e6, 6);
    expect(r.p99Us).toBeGreaterThanOrEqual(r.p50Us);
  });

  it('times async functions and omits MB/s for pure operation counts', async () => {
    const r = await benchAsync('tick', 0, () => Promise.resolve(), { runs: 2, minRunMs: 5 });
    expect(r.mbPerSec).toBeUndefined();
    expect(r.opsPerSec).toBeGreaterThan(0);
  });

  it('renders an aligned table with sizes in KiB/MiB', () => {
    const table = formatTable([
      { name: 'a', bytes: 65536, runs: 1, mbPerSec: 1234.5, opsPerSec: 10, p50Us: 1, p99Us: 2 },
      { name: 'longer name', bytes: 1 << 20, runs: 1, opsPerSec: 5, p50Us: 3, p99Us: 4, note: 'ceiling' },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain('64 KiB');
    expect(lines[3]).toContain('1 MiB');
    expect(lines[2]).toContain('1,235');
    expect(lines[3]!.endsWith('ceiling')).toBe(true);
  });
});
