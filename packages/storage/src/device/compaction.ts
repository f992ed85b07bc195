/**
 * Device compaction: reclaim sealed extents that are mostly dead.
 *
 * For each victim extent E, in this order — each step is safe if the power
 * fails right after it:
 *   1. copy E's live records, and the tombstones that still have a dead put
 *      to kill elsewhere, through the group committer (appended at the tail,
 *      fdatasynced, then re-pointed in the index; a copy whose key changed
 *      meanwhile is skipped, so a delete racing compaction wins);
 *      → crash: E and the copies both exist; the later copy wins on replay.
 *   2. check that the index names nothing in E any more;
 *   3. mark E retired and drop its ghost entries, in one synced index batch;
 *      → crash: open deletes a retired extent's file.
 *   4. delete E's file and sync the folder;
 *      → crash: open drops the retired entry whose file is gone.
 *   5. drop E's index entry.
 * An extent with a damaged live record is not reclaimed: the damage is
 * reported (so the node rebuilds the shard elsewhere and deletes this copy)
 * and the extent waits for a later run.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { RECORD_HEADER_BYTES, recordLength } from '../format/record.js';
import { EXTENT_HEADER_BYTES } from '../format/extent-header.js';
import { scanExtent, type DamagedRegion } from '../format/scan.js';
import { shardKeyFromBytes } from '../format/shard-key.js';
import type { JobOutcome } from './committer.js';
import type { DeviceInternals } from './device.js';
import type { Extent } from './extent.js';
import { deleteExtentMetaOp, deleteGhostOp, extentMetaOp } from './shard-index.js';

export interface CompactionOptions {
  /** Compact sealed extents whose dead share is at least this (default 0.5). */
  readonly minDeadRatio?: number;
  /** Compact exactly these extents (sealed ones; others are skipped). */
  readonly extentIds?: readonly number[];
  /** At most this many extents per run. */
  readonly maxExtents?: number;
}

export interface CompactionReport {
  readonly extentsCompacted: readonly number[];
  readonly extentsSkipped: ReadonlyArray<{ readonly extentId: number; readonly reason: string }>;
  readonly recordsCopied: number;
  readonly tombstonesKept: number;
  readonly bytesCopied: number;
  readonly bytesReclaimed: number;
}

/** Copies in flight at once, by bytes: bounds memory for extents of hundreds of MiB. */
const MAX_COPY_BYTES_IN_FLIGHT = 32 * 1024 * 1024;

export function compactionCandidates(dev: DeviceInternals, options: CompactionOptions): Extent[] {
  const active = dev.activeExtentId();
  // A sealed extent may still be receiving the batch that filled it, or await its index update: not yet.
  const sealed = [...dev.extents.values()].filter((e) => e.state === 'sealed' && e.id !== active && e.quiescent);
  if (options.extentIds !== undefined) {
    const wanted = new Set(options.extentIds);
    return sealed.filter((e) => wanted.has(e.id));
  }
  const minDead = options.minDeadRatio ?? 0.5;
  const ratio = (e: Extent): number => (e.size <= EXTENT_HEADER_BYTES ? 1 : e.deadBytes / (e.size - EXTENT_HEADER_BYTES));
  return sealed
    .filter((e) => ratio(e) >= minDead)
    .sort((a, b) => ratio(b) - ratio(a))
    .slice(0, options.maxExtents ?? Number.POSITIVE_INFINITY);
}

export async function compactDevice(dev: DeviceInternals, options: CompactionOptions): Promise<CompactionReport> {
  const report = { extentsCompacted: [] as number[], extentsSkipped: [] as Array<{ extentId: number; reason: string }>, recordsCopied: 0, tombstonesKept: 0, bytesCopied: 0, bytesReclaimed: 0 };
  const active = dev.activeExtentId();
  if (options.extentIds !== undefined) {
    for (const id of options.extentIds) {
      const e = dev.extents.get(id);
      if (e === undefined || e.state !== 'sealed' || e.id === active || !e.quiescent) report.extentsSkipped.push({ extentId: id, reason: 'not a sealed, settled extent' });
    }
  }
  for (const victim of compactionCandidates(dev, options)) {
    const skipped = await compactOne(dev, victim, report);
    if (skipped !== undefined) report.extentsSkipped.push({ extentId: victim.id, reason: skipped });
  }
  return report;
}

/** Returns why the extent was not reclaimed, or undefined when it was. */
async function compactOne(
  dev: DeviceInternals,
  victim: Extent,
  report: { extentsCompacted: number[]; recordsCopied: number; tombstonesKept: number; bytesCopied: number; bytesReclaimed: number },
): Promise<string | undefined> {
  if (!victim.acquire()) return 'extent is being retired';
  const putKeys: Buffer[] = [];
  const damaged: DamagedRegion[] = [];
  const copies: Array<Promise<JobOutcome>> = [];
  let inFlight = 0;
  try {
    for await (const item of scanExtent(victim.file, { from: EXTENT_HEADER_BYTES, to: victim.size, alignment: victim.alignment })) {
      if (item.type === 'bad') {
        damaged.push(item);
        continue;
      }
      if (item.type === 'tail') {
        damaged.push(...item.damaged);
        continue;
      }
      const { header } = item;
      const key = Buffer.concat([header.chunkId, header.writeId, Buffer.of(header.shardIndex)]);
      const source = { extentId: victim.id, offset: item.offset };
      if (header.kind === 'shard') {
        putKeys.push(key);
        // The scan window is reused: the copy needs its own bytes.
        const payload = Buffer.from(item.bytes.subarray(RECORD_HEADER_BYTES, RECORD_HEADER_BYTES + header.payloadLength));
        copies.push(dev.committer.submit({ kind: 'copy-live', key, fields: header, payload, purpose: 'compaction', source }));
        inFlight += header.recordLength;
      } else {
        copies.push(dev.committer.submit({ kind: 'copy-tombstone', key, fields: header, payload: new Uint8Array(0), purpose: 'compaction', source }));
      }
      // Marked handled: if this run stops early (crash), nobody awaits the rest.
      copies[copies.length - 1]!.catch(() => undefined);
      if (inFlight >= MAX_COPY_BYTES_IN_FLIGHT) {
        await Promise.all(copies);
        inFlight = 0;
      }
    }
  } finally {
    victim.release();
  }
  await dev.hooks.compaction?.('scanned', victim.id);
  const outcomes = await Promise.all(copies);
  await dev.settled();
  await dev.hooks.compaction?.('copied', victim.id);

  // 2. Nothing in the index may still point into the victim.
  const stillLive: Buffer[] = [];
  for (const key of putKeys) {
    const location = await dev.locate(key);
    if (location?.extentId === victim.id) stillLive.push(key);
  }
  if (damaged.length > 0 || victim.liveRecords > 0) {
    for await (const { key, location } of dev.index.all()) {
      if (location.extentId !== victim.id || stillLive.some((k) => k.equals(key))) continue;
      stillLive.push(key);
      dev.report({
        extentId: victim.id,
        offset: location.offset,
        length: recordLength(location.payloadLength),
        key: shardKeyFromBytes(key),
        live: true,
        problem: 'checksum',
        detectedBy: 'compaction',
      });
    }
  }
  if (stillLive.length > 0) return `${stillLive.length} live record(s) could not be copied`;
  assertAlive(dev);

  // 3. Retire, with the ghosts it held: one synced batch.
  victim.state = 'retired';
  await dev.index.kv.write([extentMetaOp(victim), ...putKeys.map((k) => deleteGhostOp(k, victim.id))], { sync: true });
  await dev.hooks.compaction?.('retired', victim.id);
  // 4. Delete the file.
  assertAlive(dev);
  const reclaimed = victim.size;
  dev.extents.delete(victim.id);
  await dev.removeExtentFile(victim);
  await dev.hooks.compaction?.('unlinked', victim.id);
  assertAlive(dev);
  // 5. Forget it.
  await dev.index.kv.write([deleteExtentMetaOp(victim.id)], { sync: false });

  report.extentsCompacted.push(victim.id);
  report.bytesReclaimed += reclaimed;
  for (const outcome of outcomes) {
    if (!outcome.written) continue;
    if (outcome.location === undefined) {
      report.tombstonesKept++;
    } else {
      report.recordsCopied++;
      report.bytesCopied += recordLength(outcome.location.payloadLength);
    }
  }
  return undefined;
}

function assertAlive(dev: DeviceInternals): void {
  if (!dev.alive()) throw new TesseraError(ErrorCodes.STORAGE_CLOSED, 'device closed during compaction');
}
