/**
 * Model-based property: random puts, deletes, compactions, bursts of
 * concurrent writes cut by a power loss, and crash/reopen cycles (crash
 * simulation on). Every acknowledged, undeleted shard stays readable and
 * intact; every acknowledged delete stays deleted; a write cut by the crash
 * is either wholly there or absent; nothing corrupt is ever returned; and
 * writes of one chunk with different writeIds never mix.
 */
import { setImmediate as tick } from 'node:timers/promises';
import { ErrorCodes } from '@tessera/common';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Device } from '../src/device/device.js';
import type { CompactionPoint } from '../src/device/types.js';
import type { ShardKey } from '../src/format/shard-key.js';
import { openTestDevice, testDirs, type TestDeviceOptions } from './support/devices.js';
import { hex, keyFromSeed, payloadFor } from './support/shards.js';

const dirs = testDirs('property');
afterAll(() => dirs.cleanup());

type Op =
  | { type: 'put'; chunk: number; write: number; shard: number; length: number }
  | { type: 'delete'; pick: number }
  | { type: 'compact'; crashAt: CompactionPoint | 'none' }
  | { type: 'burst'; puts: Array<{ chunk: number; write: number; shard: number; length: number }>; deletes: number[]; ticks: number }
  | { type: 'reopen'; crash: boolean; rebuild: boolean };

const putArb = fc.record({
  chunk: fc.integer({ min: 0, max: 5 }),
  write: fc.integer({ min: 0, max: 2 }),
  shard: fc.integer({ min: 0, max: 2 }),
  length: fc.integer({ min: 0, max: 2500 }),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: putArb.map((p) => ({ type: 'put' as const, ...p })) },
  { weight: 3, arbitrary: fc.nat().map((pick) => ({ type: 'delete' as const, pick })) },
  { weight: 2, arbitrary: fc.constantFrom('none', 'scanned', 'copied', 'retired', 'unlinked').map((crashAt) => ({ type: 'compact' as const, crashAt: crashAt as CompactionPoint | 'none' })) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('burst' as const),
      puts: fc.array(putArb, { minLength: 1, maxLength: 8 }),
      deletes: fc.array(fc.nat(), { maxLength: 3 }),
      ticks: fc.integer({ min: 0, max: 6 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('reopen' as const), crash: fc.boolean(), rebuild: fc.boolean() }) },
);

/** What the model knows about a key: definitely there (with its length), definitely gone, or either. */
type Known = { state: 'live'; length: number } | { state: 'gone' } | { state: 'either'; length: number };

describe('crash-safety property (TESSERA_CRASHSIM semantics, in process)', () => {
  it('never loses an acknowledged shard, never resurrects a delete, never returns corrupt bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 28 }), fc.constantFrom(1, 4, 1000), fc.boolean(), async (ops, indexSyncEvery, directIo) => {
        const path = await dirs.make();
        const model = new Map<string, { key: ShardKey; known: Known }>();
        let crashPoint: CompactionPoint | 'none' = 'none';
        let device: Device;
        const opts = (rebuild = false): TestDeviceOptions => ({
          path,
          crashSim: true,
          maxExtentBytes: 12_000,
          indexSyncEvery,
          directIo,
          rebuildIndex: rebuild,
          testHooks: {
            compaction: async (at) => {
              if (at !== crashPoint) return;
              await device.crash();
              throw new Error('power lost');
            },
          },
        });
        device = await openTestDevice(opts());
        const keyOf = (p: { chunk: number; write: number; shard: number }): ShardKey => keyFromSeed(p.chunk, p.shard, p.write);
        const liveKeys = (): ShardKey[] => [...model.values()].filter((e) => e.known.state !== 'gone').map((e) => e.key);

        /** Reads every key the model knows and pins down the uncertain ones. */
        const verify = async (): Promise<void> => {
          for (const [id, entry] of model) {
            const got = await device.read(entry.key).then(
              (s) => s.payload,
              (err: { code?: string }) => {
                expect(err.code).toBe(ErrorCodes.NOT_FOUND);
                return undefined;
              },
            );
            const { known } = entry;
            if (known.state === 'gone') expect(got, `deleted ${id} came back`).toBeUndefined();
            if (known.state === 'live') expect(got?.equals(payloadFor(entry.key, known.length)), `lost or changed ${id}`).toBe(true);
            if (known.state === 'either') {
              if (got !== undefined) expect(got.equals(payloadFor(entry.key, known.length)), `mixed ${id}`).toBe(true);
              entry.known = got === undefined ? { state: 'gone' } : { state: 'live', length: known.length };
            }
          }
          const listed = (await device.list({ limit: 10_000 })).length;
          expect(listed).toBe([...model.values()].filter((e) => e.known.state === 'live').length);
        };

        const reopen = async (crash: boolean, rebuild: boolean): Promise<void> => {
          await (crash ? device.crash() : device.close());
          device = await openTestDevice(opts(rebuild));
        };

        for (const op of ops) {
          switch (op.type) {
            case 'put': {
              const key = keyOf(op);
              await device.put({ ...key, payload: payloadFor(key, op.length), sysEpoch: 1, gatewayTime: 7 });
              model.set(hex(key), { key, known: { state: 'live', length: op.length } });
              break;
            }
            case 'delete': {
              const live = liveKeys();
              if (live.length === 0) break;
              const key = live[op.pick % live.length]!;
              await device.delete(key);
              model.set(hex(key), { key, known: { state: 'gone' } });
              break;
            }
            case 'compact': {
              crashPoint = op.crashAt;
              const result = await device.compact({ minDeadRatio: 0.3 }).then(
                () => 'done',
                () => 'crashed',
              );
              crashPoint = 'none';
              if (result === 'crashed') device = await openTestDevice(opts());
              break;
            }
            case 'burst': {
              // Concurrent writes, then power loss after a few turns of the event loop.
              const pending: Array<Promise<void>> = [];
              const seen = new Set<string>();
              for (const p of op.puts) {
                const key = keyOf(p);
                if (seen.has(hex(key))) continue;
                seen.add(hex(key));
                const entry = { key, known: { state: 'either', length: p.length } as Known };
                const before = model.get(hex(key))?.known;
                // A re-put of a live key with another length is ambiguous between two values: skip it.
                if (before?.state === 'live' || before?.state === 'either') continue;
                model.set(hex(key), entry);
                pending.push(
                  device.put({ ...key, payload: payloadFor(key, p.length), sysEpoch: 1, gatewayTime: 7 }).then(
                    () => void (entry.known = { state: 'live', length: p.length }),
                    () => undefined,
                  ),
                );
              }
              const live = liveKeys().filter((k) => !seen.has(hex(k)));
              for (const pick of op.deletes) {
                if (live.length === 0) break;
                const key = live.splice(pick % live.length, 1)[0]!;
                const entry = model.get(hex(key))!;
                if (entry.known.state !== 'live') continue;
                const length = entry.known.length;
                entry.known = { state: 'either', length };
                pending.push(
                  device.delete(key).then(
                    () => void (entry.known = { state: 'gone' }),
                    () => undefined,
                  ),
                );
              }
              for (let i = 0; i < op.ticks; i++) await tick();
              await device.crash();
              await Promise.all(pending);
              device = await openTestDevice(opts());
              break;
            }
            case 'reopen':
              await reopen(op.crash, op.rebuild);
              break;
          }
          await verify();
        }
        await reopen(true, false);
        await verify();
        await device.close();
      }),
      { numRuns: 30 },
    );
  });
});
