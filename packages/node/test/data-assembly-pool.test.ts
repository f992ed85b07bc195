import { describe, expect, it } from 'vitest';
import { AssemblyPool } from '../src/data/assembly-pool.js';

describe('AssemblyPool', () => {
  it('lends a buffer of exactly the requested size and reuses it after release', () => {
    const pool = new AssemblyPool(1024, 2);
    const first = pool.lease(1000);
    expect(first.bytes.byteLength).toBe(1000);
    const firstMemory = first.bytes.buffer;
    first.release();
    expect(pool.freeCount).toBe(1);
    const second = pool.lease(10);
    expect(second.bytes.byteLength).toBe(10);
    expect(second.bytes.buffer).toBe(firstMemory);
    expect(pool.freeCount).toBe(0);
  });

  it('never lends one buffer twice: concurrent leases get separate memory', () => {
    const pool = new AssemblyPool(64, 4);
    const a = pool.lease(64);
    const b = pool.lease(64);
    a.bytes.fill(1);
    b.bytes.fill(2);
    expect(a.bytes.every((x) => x === 1)).toBe(true);
    a.release();
    const c = pool.lease(64);
    expect(c.bytes.buffer).not.toBe(b.bytes.buffer);
  });

  it('ignores a second release (the buffer is not pooled twice)', () => {
    const pool = new AssemblyPool(64, 4);
    const a = pool.lease(8);
    a.release();
    a.release();
    expect(pool.freeCount).toBe(1);
    const b = pool.lease(8);
    const c = pool.lease(8);
    expect(c.bytes.buffer).not.toBe(b.bytes.buffer);
  });

  it('keeps at most maxFree buffers and does not pool requests above its buffer size', () => {
    const pool = new AssemblyPool(64, 1);
    const leases = [pool.lease(64), pool.lease(64), pool.lease(64)];
    for (const l of leases) l.release();
    expect(pool.freeCount).toBe(1);
    const big = pool.lease(65);
    expect(big.bytes.byteLength).toBe(65);
    big.release();
    expect(pool.freeCount).toBe(1);
  });
});
