import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { DEFAULT_HEAP_GROWING_PERCENT, HEAP_GROWING_PERCENT_ENV, heapTuningFlag } from '../src/heap-tuning.js';

describe('heapTuningFlag', () => {
  it('sets the default growing percentage when nothing else is said', () => {
    expect(heapTuningFlag({}, [])).toBe(`--heap-growing-percent=${DEFAULT_HEAP_GROWING_PERCENT}`);
    expect(heapTuningFlag({ [HEAP_GROWING_PERCENT_ENV]: '' }, ['--conditions=development'])).toBe(`--heap-growing-percent=${DEFAULT_HEAP_GROWING_PERCENT}`);
  });

  it('takes the percentage from the environment; 0 leaves V8 its own growing', () => {
    expect(heapTuningFlag({ [HEAP_GROWING_PERCENT_ENV]: '100' }, [])).toBe('--heap-growing-percent=100');
    expect(heapTuningFlag({ [HEAP_GROWING_PERCENT_ENV]: '0' }, [])).toBeUndefined();
  });

  it('leaves a flag given to node itself alone', () => {
    expect(heapTuningFlag({ [HEAP_GROWING_PERCENT_ENV]: '100' }, ['--heap-growing-percent=50'])).toBeUndefined();
    expect(heapTuningFlag({}, ['--heap-growing-percent', '50'])).toBeUndefined();
  });

  it.each(['-1', '1.5', 'abc', '1001', '12345', ' 100'])('refuses %j with INVALID_ARGUMENT, naming the variable', (value) => {
    expect(() => heapTuningFlag({ [HEAP_GROWING_PERCENT_ENV]: value }, [])).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT, message: expect.stringContaining(HEAP_GROWING_PERCENT_ENV) }),
    );
  });
});
