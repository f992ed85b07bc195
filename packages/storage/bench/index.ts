/**
 * Storage benchmarks (DESIGN section 9: each figure beside its ceiling,
 * measured in the same run on the same disk).
 *
 * - raw ceilings: durable appends of N bytes in a loop, as write + fdatasync
 *   and as one O_DSYNC write — what the disk gives durable appends of that
 *   batch size, buffered and O_DIRECT;
 * - shard writes: W concurrent writers putting S-byte shards through the
 *   device (group commit: one fdatasync per batch), reported with the share
 *   of the raw ceiling for batches of W×S bytes;
 * - reads with CRC verification, and scrub (unthrottled).
 *
 * The bench folder is os.tmpdir() unless TESSERA_BENCH_DIR names another;
 * every file it writes is removed.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, percentile, type BenchResult } from '@tessera/common/bench';
import { Device } from '../src/device/device.js';
import { recordLength } from '../src/format/record.js';
import type { ShardKey } from '../src/format/shard-key.js';
import { AlignedArena } from '../src/io/aligned-arena.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const RUN_MS = Number(process.env['TESSERA_BENCH_RUN_MS'] ?? 1200);
const RUNS = 3;
const WRITERS = 8;
const SHARD_SIZES = [64 * KiB, 1 * MiB] as const;

interface Sample {
  readonly bytes: number;
  readonly ops: number;
  readonly seconds: number;
  readonly latenciesUs: number[];
}



function summarise(name: string, opBytes: number, samples: readonly Sample[], note?: string): BenchResult {
  const rates = samples.map((s) => s.bytes / s.seconds);
  const opRates = samples.map((s) => s.ops / s.seconds);
  const lat = samples.flatMap((s) => s.latenciesUs).sort((a, b) => a - b);
  return {
    name,
    bytes: opBytes,
    runs: samples.length,
    mbPerSec: median(rates) / 1e6,
    opsPerSec: median(opRates),
    p50Us: percentile(lat, 50),
    p99Us: percentile(lat, 99),
    ...(note === undefined ? {} : { note }),
  };
}

/** Runs `workers` loops of `op` for RUN_MS; each op returns the bytes it moved. */
async function timed(workers: number, op: (worker: number) => Promise<number>): Promise<Sample> {
  const latenciesUs: number[] = [];
  let bytes = 0;
  let ops = 0;
  const start = performance.now();
  const deadline = start + RUN_MS;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const moved = await op(w);
        bytes += moved;
        latenciesUs.push((performance.now() - t0) * 1000);
        ops++;
      }
    }),
  );
  return { bytes, ops, seconds: (performance.now() - start) / 1000, latenciesUs };
}

async function benchDir(label: string): Promise<string> {
  const root = process.env['TESSERA_BENCH_DIR'] ?? tmpdir();
  return fs.mkdtemp(join(root, `tessera-bench-${label}-`));
}

/**
 * The disk's ceiling: durable appends of `batch` bytes, one after another
 * (one writer, as the committer is one) — either write + fdatasync, or one
 * write through an O_DSYNC descriptor (what the device does).
 */
async function rawAppend(batch: number, direct: boolean, dsync: boolean): Promise<Sample> {
  const dir = await benchDir('raw');
  try {
    const path = join(dir, 'raw.bin');
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (direct ? constants.O_DIRECT : 0) | (dsync ? constants.O_DSYNC : 0);
    const handle = await fs.open(path, flags, 0o600);
    const size = direct ? Math.ceil(batch / 4096) * 4096 : batch;
    const buffer = direct ? new AlignedArena(size).view(size) : Buffer.allocUnsafe(size);
    buffer.set(randomBytes(Math.min(size, 1 * MiB)));
    let position = 0;
    try {
      return await timed(1, async () => {
        const { bytesWritten } = await handle.write(buffer, 0, size, position);
        position += bytesWritten;
        if (!dsync) await handle.datasync();
        return bytesWritten;
      });
    } finally {
      await handle.close();
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function keyFor(worker: number, seq: number, run: number): ShardKey {
  const chunkId = Buffer.alloc(32);
  chunkId.writeUInt32BE(worker, 0);
  chunkId.writeUInt32BE(seq, 4);
  chunkId.writeUInt32BE(run, 8);
  return { chunkId, writeId: chunkId.subarray(0, 16), shardIndex: worker % 6 };
}

async function openBenchDevice(path: string, direct: boolean): Promise<Device> {
  return Device.open({
    nodeId: 'bench',
    deviceId: 'd1',
    path,
    capacityBytes: 1024 * 1024 * MiB,
    directIo: direct,
    crashSim: false,
    mutations: new Set(),
  });
}

interface WriteRun {
  readonly sample: Sample;
  readonly directActive: boolean;
  readonly keys: ShardKey[];
  readonly dir: string;
}

/** W writers putting shards of `size` bytes through one device for one run; the caller removes `dir`. */
async function shardWrites(size: number, direct: boolean, run: number): Promise<WriteRun> {
  const payloads = Array.from({ length: WRITERS }, () => randomBytes(size));
  const dir = await benchDir('write');
  const device = await openBenchDevice(dir, direct);
  const keys: ShardKey[] = [];
  const seq = new Array<number>(WRITERS).fill(0);
  try {
    const sample = await timed(WRITERS, async (w) => {
      const key = keyFor(w, seq[w]!++, run);
      await device.put({ ...key, payload: payloads[w]!, sysEpoch: 1, gatewayTime: Date.now() });
      keys.push(key);
      return size;
    });
    return { sample, directActive: device.report.directIo.active, keys, dir };
  } finally {
    await device.close();
  }
}

async function shardReads(dir: string, keys: readonly ShardKey[]): Promise<Sample[]> {
  const device = await openBenchDevice(dir, false);
  const samples: Sample[] = [];
  try {
    for (let r = 0; r < RUNS; r++) {
      let next = 0;
      samples.push(
        await timed(WRITERS, async () => {
          const key = keys[next++ % keys.length]!;
          return (await device.read(key)).payload.length;
        }),
      );
    }
  } finally {
    await device.close();
  }
  return samples;
}

async function scrub(dir: string): Promise<Sample[]> {
  const device = await openBenchDevice(dir, false);
  const samples: Sample[] = [];
  try {
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      const run = await device.scrub({ bytesPerSecond: 0 });
      const seconds = (performance.now() - t0) / 1000;
      samples.push({ bytes: run.bytesScanned, ops: run.recordsChecked, seconds, latenciesUs: [] });
    }
  } finally {
    await device.close();
  }
  return samples;
}

const label = (size: number): string => (size >= MiB ? `${(size / MiB).toFixed(1)} MiB` : `${(size / KiB).toFixed(0)} KiB`);

export async function runBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const size of SHARD_SIZES) {
    const batch = WRITERS * recordLength(size);
    for (const direct of [false, true]) {
      const mode = direct ? 'O_DIRECT' : 'buffered';
      // Raw and device runs alternate, so all see the same machine (the cores are shared).
      const syncSamples: Sample[] = [];
      const dsyncSamples: Sample[] = [];
      const writeSamples: Sample[] = [];
      let last: WriteRun | undefined;
      for (let r = 0; r < RUNS; r++) {
        syncSamples.push(await rawAppend(batch, direct, false));
        dsyncSamples.push(await rawAppend(batch, direct, true));
        if (last !== undefined) await fs.rm(last.dir, { recursive: true, force: true });
        last = await shardWrites(size, direct, r);
        writeSamples.push(last.sample);
      }
      const rawSync = summarise(`raw ${mode} write+fdatasync`, batch, syncSamples, `${label(batch)} per durable append`);
      const rawDsync = summarise(`raw ${mode} O_DSYNC write`, batch, dsyncSamples, `${label(batch)} per durable append`);
      const ceiling = Math.max(rawSync.mbPerSec ?? 0, rawDsync.mbPerSec ?? 0);
      const written = summarise(`shard write ${mode}, ${WRITERS} writers`, size, writeSamples);
      const share = (written.mbPerSec ?? 0) / (ceiling || 1);
      const fallback = direct && !last!.directActive ? ' (O_DIRECT unavailable: buffered)' : '';
      results.push(rawSync, rawDsync, { ...written, note: `${(share * 100).toFixed(0)} % of the better raw ceiling${fallback}` });
      if (!direct) {
        results.push(summarise(`shard read + CRC, ${WRITERS} readers`, size, await shardReads(last!.dir, last!.keys), 'page cache warm'));
        results.push(summarise('scrub (unthrottled)', 0, await scrub(last!.dir), `${last!.keys.length} records`));
      }
      await fs.rm(last!.dir, { recursive: true, force: true });
    }
  }
  return results;
}
