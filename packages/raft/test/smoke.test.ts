import { describe, expect, it } from 'vitest';
import { Cluster, text } from './raft-harness.js';

describe('smoke', () => {
  it('elects and replicates', () => {
    const c = new Cluster(['a', 'b', 'c']);
    c.elect('a');
    expect(c.leaders()).toEqual(['a']);
    const out = c.core('a').propose(text('x'));
    expect(out.kind).toBe('appended');
    c.stabilize();
    for (const id of ['a', 'b', 'c']) expect(c.appliedData(id)).toEqual(['x']);
  });
});
