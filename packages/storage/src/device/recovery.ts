/**
 * Bringing a device's extents and index into agreement when it opens.
 *
 * The extent files are the truth; the index is a cache that may lag behind
 * them (index batches are mostly written without sync, and a crash drops the
 * unsynced ones) but never runs ahead (a batch is indexed only after its
 * fdatasync). So recovery:
 *  1. finishes interrupted compactions (a retired extent's file is deleted);
 *  2. drops index entries whose bytes are gone (missing or truncated extent
 *     files — reported as lost, so the node rebuilds them from parity);
 *  3. scans every extent forward from its indexed tail, indexing the records
 *     found there in file order (tombstones honoured), and cuts off a torn
 *     tail (a record an interrupted append left half-written);
 *  4. removes extent files whose creation never became durable.
 * With an empty index (first open after the index was deleted, or a marker
 * from another device) the same scan from the first record rebuilds it all.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { KvOp } from '@tessera/common/durable';
import { EXTENT_HEADER_BYTES, decodeExtentHeader, parseExtentFileName, type ExtentAlignment, type ExtentHeader } from '../format/extent-header.js';
import { recordLength } from '../format/record.js';
import { scanExtent } from '../format/scan.js';
import { shardEntryKey, type ExtentMeta } from '../format/index-entries.js';
import { shardKeyFromBytes } from '../format/shard-key.js';
import type { ExtentFile } from '../io/extent-file.js';
import { Extent } from './extent.js';
import { IndexUpdate } from './index-update.js';
import { deleteExtentMetaOp, extentMetaOp, type ShardIndex } from './shard-index.js';
import type { BadRecordReport } from './types.js';

export interface RecoveryReport {
  readonly extents: number;
  /** Records found past the indexed tails (synced, but their index update was lost), or all of them on rebuild. */
  readonly recordsIndexed: number;
  readonly tombstonesApplied: number;
  readonly tornBytesDiscarded: number;
  readonly damagedRegions: number;
  /** Index entries dropped because their bytes are gone. */
  readonly lostRecords: number;
  /** Extent files removed: interrupted compactions and creations that never became durable. */
  readonly extentFilesRemoved: number;
  /** Files in the extents folder that belong to another device (left alone, not indexed). */
  readonly foreignFiles: readonly string[];
}

export interface RecoveryInput {
  readonly deviceId: string;
  readonly deviceUuid: Uint8Array;
  readonly extentsDir: string;
  readonly index: ShardIndex;
  openFile(path: string, alignment: ExtentAlignment): Promise<ExtentFile>;
  syncDir(): Promise<void>;
  report(bad: Omit<BadRecordReport, 'deviceId'>): void;
}

interface Counters {
  recordsIndexed: number;
  tombstonesApplied: number;
  tornBytesDiscarded: number;
  damagedRegions: number;
  lostRecords: number;
  extentFilesRemoved: number;
  foreignFiles: string[];
}

export async function recoverExtents(input: RecoveryInput): Promise<{ extents: Map<number, Extent>; report: RecoveryReport }> {
  const counters: Counters = {
    recordsIndexed: 0,
    tombstonesApplied: 0,
    tornBytesDiscarded: 0,
    damagedRegions: 0,
    lostRecords: 0,
    extentFilesRemoved: 0,
    foreignFiles: [],
  };
  const { index } = input;
  const metas = await index.extentMetas();
  const files = new Map<number, string>();
  for (const name of await fs.readdir(input.extentsDir)) {
    const id = parseExtentFileName(name);
    if (id !== undefined) files.set(id, name);
  }

  const ops: KvOp[] = [];
  let dirChanged = false;
  // 1. Interrupted compactions.
  for (const [id, meta] of metas) {
    if (meta.state !== 'retired') continue;
    const name = files.get(id);
    if (name !== undefined) {
      await fs.rm(join(input.extentsDir, name), { force: true });
      files.delete(id);
      counters.extentFilesRemoved++;
      dirChanged = true;
    }
    metas.delete(id);
    ops.push(deleteExtentMetaOp(id));
  }
  if (dirChanged) await input.syncDir();
  if (ops.length > 0) await index.kv.write(ops.splice(0), { sync: false });

  // Open every extent and read its header; sizes tell which index entries lost their bytes.
  const opened: Array<{ id: number; file: ExtentFile; header: ExtentHeader | undefined }> = [];
  for (const id of [...files.keys()].sort((a, b) => a - b)) {
    const name = files.get(id)!;
    const path = join(input.extentsDir, name);
    const probe = await input.openFile(path, 1);
    const header = await readHeader(probe);
    if (header !== undefined && (header.extentId !== id || Buffer.compare(header.deviceUuid, input.deviceUuid) !== 0)) {
      await probe.close();
      counters.foreignFiles.push(name);
      continue;
    }
    if (header === undefined && !(await hasRecords(probe))) {
      // Created, but its header never became durable: nothing in it was acknowledged.
      await probe.close();
      await fs.rm(path, { force: true });
      counters.extentFilesRemoved++;
      dirChanged = true;
      continue;
    }
    let file = probe;
    const alignment: ExtentAlignment = header?.alignment ?? (probe.size % 4096 === 0 ? 4096 : 1);
    if (alignment !== 1) {
      await probe.close();
      file = await input.openFile(path, alignment);
    }
    opened.push({ id, file, header });
  }
  if (dirChanged) await input.syncDir();

  // 2. Index entries pointing at bytes that no longer exist.
  const sizes = new Map(opened.map((o) => [o.id, o.file.size]));
  const shortened = [...metas].filter(([id, meta]) => !sizes.has(id) || meta.tail > sizes.get(id)!);
  if (shortened.length > 0) {
    const lost = await dropLostEntries(input, sizes, new Set(shortened.map(([id]) => id)), counters);
    for (const [id, meta] of shortened) {
      if (!sizes.has(id)) {
        metas.delete(id);
        ops.push(deleteExtentMetaOp(id));
        continue;
      }
      const gone = lost.get(id) ?? { bytes: 0, records: 0 };
      metas.set(id, {
        ...meta,
        liveBytes: Math.max(0, meta.liveBytes - gone.bytes),
        liveRecords: Math.max(0, meta.liveRecords - gone.records),
      });
    }
  }

  // 3. Forward scans, in file order.
  const extents = new Map<number, Extent>();
  for (const { id, file, header } of opened) {
    const stored: ExtentMeta | undefined = metas.get(id);
    const start = Math.max(EXTENT_HEADER_BYTES, Math.min(stored?.tail ?? EXTENT_HEADER_BYTES, file.size));
    const meta: ExtentMeta = stored ?? { state: 'sealed', tail: EXTENT_HEADER_BYTES, liveBytes: 0, liveRecords: 0 };
    const extent = new Extent(id, file, header?.alignment ?? file.alignment, { ...meta, tail: start });
    extents.set(id, extent);
    if (header === undefined) counters.damagedRegions++;
    await scanForward(input, extent, start, extents, counters, ops);
    ops.push(extentMetaOp(extent));
    await index.kv.write(ops.splice(0), { sync: false });
  }
  return { extents, report: { extents: extents.size, ...counters } };
}

async function scanForward(input: RecoveryInput, extent: Extent, start: number, extents: ReadonlyMap<number, Extent>, counters: Counters, ops: KvOp[]): Promise<void> {
  const update = new IndexUpdate(input.index, extents);
  let discardFrom: number | undefined;
  for await (const item of scanExtent(extent.file, { from: start, to: extent.file.size, alignment: extent.alignment })) {
    if (item.type === 'record') {
      const key = shardKeyBytesOf(item.header);
      if (item.header.kind === 'shard') {
        update.planPut(key, {
          extentId: extent.id,
          offset: item.offset,
          payloadLength: item.header.payloadLength,
          sysEpoch: item.header.sysEpoch,
          gatewayTime: item.header.gatewayTime,
        });
        counters.recordsIndexed++;
      } else if (await update.planRemove(key)) {
        counters.tombstonesApplied++;
      }
    } else if (item.type === 'bad') {
      // Damage inside the synced part: if the header survived, the shard may
      // have been acknowledged before its index update was lost.
      counters.damagedRegions++;
      input.report({
        extentId: extent.id,
        offset: item.offset,
        length: item.length,
        ...(item.header === undefined ? {} : { key: item.header }),
        live: false,
        problem: 'checksum',
        detectedBy: 'open',
      });
    } else {
      discardFrom = item.offset;
      counters.tornBytesDiscarded += item.length;
    }
  }
  if (discardFrom !== undefined) await extent.file.truncate(discardFrom);
  await update.resolvePrevious();
  ops.push(...update.apply({ extent, tail: extent.file.size }));
}

function shardKeyBytesOf(header: { chunkId: Uint8Array; writeId: Uint8Array; shardIndex: number }): Buffer {
  return Buffer.concat([header.chunkId, header.writeId, Buffer.of(header.shardIndex)]);
}

/**
 * Drops (and reports) index entries in `affected` extents whose records lie
 * beyond the file's end; returns the live bytes and records lost per extent.
 */
async function dropLostEntries(
  input: RecoveryInput,
  sizes: ReadonlyMap<number, number>,
  affected: ReadonlySet<number>,
  counters: Counters,
): Promise<Map<number, { bytes: number; records: number }>> {
  const ops: KvOp[] = [];
  const lost = new Map<number, { bytes: number; records: number }>();
  for await (const { key, location } of input.index.all()) {
    if (!affected.has(location.extentId)) continue;
    const size = sizes.get(location.extentId) ?? 0;
    const length = recordLength(location.payloadLength);
    if (location.offset + length <= size) continue;
    counters.lostRecords++;
    const tally = lost.get(location.extentId) ?? { bytes: 0, records: 0 };
    lost.set(location.extentId, { bytes: tally.bytes + length, records: tally.records + 1 });
    input.report({
      extentId: location.extentId,
      offset: location.offset,
      length,
      key: shardKeyFromBytes(key),
      live: true,
      problem: 'lost',
      detectedBy: 'open',
    });
    ops.push({ type: 'del', key: shardEntryKey(key) });
  }
  if (ops.length > 0) await input.index.kv.write(ops, { sync: false });
  return lost;
}

async function readHeader(file: ExtentFile): Promise<ExtentHeader | undefined> {
  if (file.size < EXTENT_HEADER_BYTES) return undefined;
  try {
    return decodeExtentHeader(await file.read(0, EXTENT_HEADER_BYTES));
  } catch {
    return undefined;
  }
}

async function hasRecords(file: ExtentFile): Promise<boolean> {
  if (file.size <= EXTENT_HEADER_BYTES) return false;
  for await (const item of scanExtent(file, { from: EXTENT_HEADER_BYTES, to: file.size, alignment: 4096 })) {
    if (item.type === 'record') return true;
  }
  return false;
}
