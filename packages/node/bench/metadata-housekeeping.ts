/**
 * Housekeeping queries of the metadata state at 100k chunk records (issue #8),
 * pure in-memory (no LevelDB): apply cost of a chunk commit with the indexes,
 * each duty's query, the index rebuild a load or snapshot install pays, and
 * the heap the table and its indexes take.
 *
 *   npx tsx --conditions=development packages/node/bench/metadata-housekeeping.ts
 */
import { performance } from 'node:perf_hooks';
import { benchSync, formatTable, type BenchResult } from '@tessera/common/bench';
import type { MetadataCommand } from '../src/metadata/commands.js';
import * as queries from '../src/metadata/queries.js';
import { MetadataState } from '../src/metadata/state.js';

const T0 = 1_700_000_000_000;
const NODES = 6;
const CHUNKS = 100_000;

function chunkId(i: number): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32BE(i * 2654435761 >>> 0, 0); // spread ids like HMAC output would be
  b.writeUInt32BE(i, 28);
  return b;
}

function commit(i: number, timeMs: number): MetadataCommand {
  const writeId = Buffer.alloc(16);
  writeId.writeUInt32BE(i, 12);
  return {
    op: 'commitChunk',
    timeMs,
    chunk: {
      chunkId: chunkId(i),
      size: 4 << 20,
      k: 4,
      m: 2,
      slots: Array.from({ length: 6 }, (_, s) => ({ nodeId: `n${(i + s) % NODES}`, deviceId: 'd1', shardIndex: s })),
      writeId,
      sysEpoch: 1 + (i % 2),
      tenEpoch: 0,
      gatewayTimeMs: timeMs,
    },
  };
}

export function metadataHousekeepingBenchmarks(): BenchResult[] {
  const heapBefore = process.memoryUsage().heapUsed;
  const state = new MetadataState();
  for (let n = 0; n < NODES; n++) {
    state.apply({ op: 'registerNode', timeMs: T0, node: { nodeId: `n${n}`, address: `127.0.0.1:${7000 + n}` } });
    state.apply({ op: 'addDevice', timeMs: T0, device: { nodeId: `n${n}`, deviceId: 'd1', pool: 'p', capacityBytes: 1 << 40, state: 'healthy' } });
  }
  const t0 = performance.now();
  for (let i = 0; i < CHUNKS; i++) state.apply(commit(i, T0));
  const applyMs = performance.now() - t0;
  state.takeDirty();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / (1 << 20);
  const now = T0 + 3_600_000;
  let next = CHUNKS;
  const results: BenchResult[] = [
    benchSync(`apply commitChunk at ${CHUNKS / 1000}k records`, 0, () => state.apply(commit(next++, T0)), {
      note: `first ${CHUNKS / 1000}k: ${((CHUNKS / applyMs) * 1000).toFixed(0)}/s; heap ${heapMb.toFixed(0)} MB for records + indexes`,
    }),
    benchSync('gcCandidates(limit 1000)', 0, () => queries.gcCandidates(state, now, 1000)),
    benchSync('chunksOnDevice page of 1000 (mid-table)', 0, () => queries.chunksOnDevice(state, 'n0', 'd1', 1000, chunkId(CHUNKS / 2))),
    benchSync('chunksInEpochBelow(2) page of 1000', 0, () => queries.chunksInEpochBelow(state, 2, 1000)),
    benchSync(`shardsExpectedOn(one node) full walk`, 0, () => {
      let n = 0;
      for (const _ of queries.shardsExpectedOn(state, 'n0')) n++;
      return n;
    }),
    benchSync('isKnownWriteId', 0, () => queries.isKnownWriteId(state, Buffer.alloc(16, 7))),
    benchSync("rebuild derived indexes (load / snapshot install)", 0, () => state.rebuildDerived(), { runs: 3 }),
  ];
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${formatTable(metadataHousekeepingBenchmarks())}\n`);
