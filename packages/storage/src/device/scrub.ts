/**
 * Device scrub: re-read every record at a bounded rate, verify its CRCs, and
 * report damage so the node rebuilds the shards from parity (D2).
 *
 * Progress (cursor, bytes, errors, run times, completed passes) lives in the
 * shard index, so a scrub interrupted by a restart resumes where it stopped.
 * Only the indexed part of each extent is scrubbed: bytes past an extent's
 * indexed tail may be an append in progress, not damage.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { EXTENT_HEADER_BYTES } from '../format/extent-header.js';
import { EMPTY_SCRUB_PROGRESS, type ScrubProgress } from '../format/index-entries.js';
import { recordLength } from '../format/record.js';
import { scanExtent, type DamagedRegion } from '../format/scan.js';
import { shardKeyFromBytes, type ShardKey } from '../format/shard-key.js';
import type { DeviceInternals } from './device.js';
import type { BadRecordReport } from './types.js';

export interface ScrubOptions {
  /** Read rate limit in bytes per second (default 64 MiB/s; 0 or Infinity: unlimited). */
  readonly bytesPerSecond?: number;
  /** Stop after about this many bytes (the next run resumes there). */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
  /** Called for each damaged record, in addition to the device's onBadRecord. */
  readonly onBadRecord?: (report: BadRecordReport) => void;
  /** The pacing clock (monotonic ms and a sleep); tests pass a virtual one. */
  readonly pacer?: Pacer;
}

export interface Pacer {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const realPacer: Pacer = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleep(ms, undefined, signal === undefined ? {} : { signal }),
};

export interface ScrubRunReport {
  readonly bytesScanned: number;
  readonly recordsChecked: number;
  /** Damaged records (or regions) found in this run. */
  readonly errorsFound: number;
  /** Whether this run finished a pass over the whole device. */
  readonly passCompleted: boolean;
  readonly progress: ScrubProgress;
}

export const DEFAULT_SCRUB_RATE = 64 * 1024 * 1024;
/** Progress is saved at least this often (bytes). */
const SAVE_EVERY = 16 * 1024 * 1024;

export async function runScrub(dev: DeviceInternals, options: ScrubOptions): Promise<ScrubRunReport> {
  const rate = options.bytesPerSecond ?? DEFAULT_SCRUB_RATE;
  const limited = rate > 0 && Number.isFinite(rate);
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const pacer = options.pacer ?? realPacer;
  const started = pacer.now();
  let progress: ScrubProgress = { ...((await dev.index.scrubProgress()) ?? EMPTY_SCRUB_PROGRESS), lastRunStartedAt: dev.now() };
  let bytes = 0;
  let records = 0;
  let errors = 0;
  let sinceSave = 0;

  const report = (bad: Omit<BadRecordReport, 'deviceId'>): void => {
    errors++;
    dev.report(bad);
    options.onBadRecord?.({ deviceId: dev.deviceId, ...bad });
  };
  const save = async (sync: boolean): Promise<void> => {
    await dev.index.saveScrubProgress(progress, sync);
    sinceSave = 0;
  };
  const advance = async (extentId: number, end: number, scanned: number): Promise<void> => {
    bytes += scanned;
    sinceSave += scanned;
    progress = {
      ...progress,
      cursorExtent: extentId,
      cursorOffset: end,
      passBytes: progress.passBytes + scanned,
      totalBytesScanned: progress.totalBytesScanned + scanned,
    };
    if (sinceSave >= SAVE_EVERY) await save(false);
    if (limited) {
      // Sleep until the bytes read so far are within the rate.
      const due = (bytes / rate) * 1000 - (pacer.now() - started);
      if (due > 1) await pacer.sleep(due, options.signal);
    }
  };

  const ids = [...dev.extents.keys()].sort((a, b) => a - b).filter((id) => id >= progress.cursorExtent);
  try {
    for (const id of ids) {
      const extent = dev.extents.get(id);
      if (extent === undefined || extent.state === 'retired' || !extent.acquire()) continue;
      try {
        const from = id === progress.cursorExtent && progress.cursorOffset > EXTENT_HEADER_BYTES ? progress.cursorOffset : EXTENT_HEADER_BYTES;
        let at = from;
        for await (const item of scanExtent(extent.file, { from, to: extent.tail, alignment: extent.alignment })) {
          if (options.signal?.aborted === true) throw abortError();
          const end = item.type === 'record' ? item.offset + item.header.recordLength : item.offset + item.length;
          if (item.type === 'record') {
            records++;
          } else {
            const regions: readonly DamagedRegion[] = item.type === 'tail' ? item.damaged : [item];
            for (const region of regions) await reportRegion(dev, id, region, report);
          }
          await advance(id, end, end - at);
          at = end;
          if (bytes >= maxBytes) {
            await save(true);
            return { bytesScanned: bytes, recordsChecked: records, errorsFound: errors, passCompleted: false, progress };
          }
        }
        if (at < extent.tail) await advance(id, extent.tail, extent.tail - at);
      } finally {
        extent.release();
      }
      progress = { ...progress, cursorExtent: id + 1, cursorOffset: 0 };
    }
  } catch (err) {
    progress = { ...progress, lastRunFinishedAt: dev.now(), errorsFound: progress.errorsFound + errors };
    await save(true).catch(() => undefined);
    throw options.signal?.aborted === true ? abortError() : err;
  }
  const finished = dev.now();
  progress = {
    ...progress,
    passes: progress.passes + 1,
    cursorExtent: 0,
    cursorOffset: 0,
    passBytes: 0,
    errorsFound: progress.errorsFound + errors,
    lastRunFinishedAt: finished,
    lastPassCompletedAt: finished,
  };
  await save(true);
  return { bytesScanned: bytes, recordsChecked: records, errorsFound: errors, passCompleted: true, progress };
}

/**
 * A damaged region: if the header survived, the record names its key;
 * otherwise the index says which live records lay inside (a whole-index walk,
 * rare by nature). A region with nothing live in it is still reported once.
 */
async function reportRegion(
  dev: DeviceInternals,
  extentId: number,
  region: DamagedRegion,
  report: (bad: Omit<BadRecordReport, 'deviceId'>) => void,
): Promise<void> {
  const base = { extentId, problem: 'checksum' as const, detectedBy: 'scrub' as const };
  if (region.header !== undefined) {
    const key: ShardKey = { chunkId: region.header.chunkId, writeId: region.header.writeId, shardIndex: region.header.shardIndex };
    const location = await dev.locate(Buffer.concat([key.chunkId, key.writeId, Buffer.of(key.shardIndex)]));
    const live = location?.extentId === extentId && location.offset === region.offset;
    report({ ...base, offset: region.offset, length: region.length, key, live });
    return;
  }
  let found = false;
  await dev.settled();
  for await (const { key, location } of dev.index.all()) {
    if (location.extentId !== extentId) continue;
    const length = recordLength(location.payloadLength);
    if (location.offset + length <= region.offset || location.offset >= region.offset + region.length) continue;
    found = true;
    report({ ...base, offset: location.offset, length, key: shardKeyFromBytes(key), live: true });
  }
  if (!found) report({ ...base, offset: region.offset, length: region.length, live: false });
}

function abortError(): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'scrub aborted', { retriable: true });
}
