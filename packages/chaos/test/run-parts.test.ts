/** The pure parts of a chaos run: value bytes, metric parsing, fault overlap, outcome classes, seeded schedules. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { sumMetric } from '../src/cluster/metrics.js';
import { countOverlapping, type FaultWindow } from '../src/nemesis/fault-log.js';
import { NEMESIS_FAMILIES, parseFamilies, seededSchedule } from '../src/nemesis/schedule.js';
import { writeOutcomeUnknown } from '../src/workload/object-workload.js';
import { decodeValue, valueBytes } from '../src/workload/values.js';

const MARKER = 'TSRCANARYtestX1';

describe('value bytes', () => {
  it('decode back to the write that produced them, for any size', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9.]{1,30}$/), fc.integer({ min: 0, max: 20_000 }), (id, size) => {
        const bytes = valueBytes(MARKER, id, size);
        expect(decodeValue(MARKER, bytes)).toEqual({ ok: true, valueId: id });
      }),
      { numRuns: 60 },
    );
  });

  it('reject any flipped byte or any truncation', () => {
    const bytes = valueBytes(MARKER, 'w1.7', 6_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (at) => {
        const copy = Buffer.from(bytes);
        copy[at] = copy[at]! ^ 0x01;
        expect(decodeValue(MARKER, copy).ok).toBe(false);
      }),
      { numRuns: 100 },
    );
    expect(decodeValue(MARKER, bytes.subarray(0, bytes.length - 1)).ok).toBe(false);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (raw) => {
        expect(decodeValue(MARKER, Buffer.from(raw)).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('sumMetric', () => {
  it('sums every label set of one metric and nothing else', () => {
    const text = [
      '# HELP tessera_data_degraded_reads_total Chunk reads that needed parity shards.',
      '# TYPE tessera_data_degraded_reads_total counter',
      'tessera_data_degraded_reads_total 3',
      'tessera_data_degraded_reads_total_extra 100',
      'tessera_data_requests_total{operation="get_object",outcome="ok"} 5',
      'tessera_data_requests_total{operation="put_object",outcome="ok"} 7',
    ].join('\n');
    expect(sumMetric(text, 'tessera_data_degraded_reads_total')).toBe(3);
    expect(sumMetric(text, 'tessera_data_requests_total')).toBe(12);
    expect(sumMetric(text, 'tessera_absent_total')).toBe(0);
  });
});

describe('countOverlapping', () => {
  const window = (start: number, end?: number): FaultWindow => ({ id: 1, nemesis: 'kill', action: 'kill-leader', targets: ['n1'], start, ...(end !== undefined ? { end } : {}) });
  it('counts operations touching a window, ends included, open windows to the end of time', () => {
    const ops = [
      { start: 0, end: 9 },
      { start: 0, end: 10 },
      { start: 15, end: 16 },
      { start: 20, end: 30 },
      { start: 31, end: 32 },
      { start: 100, end: 101 },
    ];
    expect(countOverlapping(ops, [window(10, 20)])).toBe(3);
    expect(countOverlapping(ops, [window(10, 20), window(90)])).toBe(4);
    expect(countOverlapping(ops, [])).toBe(0);
  });
});

describe('outcome classes', () => {
  it('treats RAFT_UNKNOWN_OUTCOME and non-Tessera errors as unknown, other Tessera errors as no effect', () => {
    expect(writeOutcomeUnknown(new TesseraError(ErrorCodes.RAFT_UNKNOWN_OUTCOME, 'x'))).toBe(true);
    expect(writeOutcomeUnknown(new Error('socket hang up'))).toBe(true);
    expect(writeOutcomeUnknown(new TesseraError(ErrorCodes.RAFT_NOT_LEADER, 'x'))).toBe(false);
    expect(writeOutcomeUnknown(new TesseraError(ErrorCodes.INSUFFICIENT_DEVICES, 'x'))).toBe(false);
  });
});

describe('seeded schedules', () => {
  const describeSteps = (seed: number, families: string[], spares: number, elapsed: number[]): string[] => {
    const next = seededSchedule({ seed, families, durationMs: 60_000, spares });
    return elapsed.map((e) => {
      const step = next(e);
      return step === undefined ? 'end' : `${step.nemesis.action}@${step.gapMs}`;
    });
  };
  const times = [0, 5_000, 10_000, 20_000, 30_000, 59_999, 60_000];

  it('replay exactly from the seed, and end once the duration is used', () => {
    const all = Object.keys(NEMESIS_FAMILIES);
    const a = describeSteps(42, all, 1, times);
    expect(describeSteps(42, all, 1, times)).toEqual(a);
    expect(a.at(-1)).toBe('end');
    expect(a.slice(0, -1).every((s) => s !== 'end')).toBe(true);
    expect(describeSteps(43, all, 1, times)).not.toEqual(a);
  });

  it('add a node at most as often as there are spares', () => {
    const steps = describeSteps(7, ['membership', 'kill'], 1, times.slice(0, -1));
    expect(steps.filter((s) => s.startsWith('add-node')).length).toBeLessThanOrEqual(1);
    expect(describeSteps(7, ['membership'], 0, [0])).toEqual(['end']);
  });

  it('refuse unknown families with a typed error', () => {
    expect(parseFamilies('kill, partition')).toEqual(['kill', 'partition']);
    expect(() => parseFamilies('kill,meteor')).toThrow(TesseraError);
    expect(() => parseFamilies('')).toThrow(TesseraError);
  });
});
