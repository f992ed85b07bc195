/**
 * A device: a folder with a superblock, extent files and a shard index,
 * standing in for one NVMe drive (DESIGN section 6).
 *
 *   <folder>/SUPERBLOCK         who the device is (superblock.ts)
 *   <folder>/extents/NNNNNNNN.ext   append-only extent files
 *   <folder>/index/             LevelDB shard index (rebuildable)
 *
 * Writes go through the group committer; reads look the shard up in the
 * index and check the record's CRCs and identity before returning a byte.
 */
import { promises as fs, type Stats } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { crashSimEnabled, openDurableKv, type DurableKv } from '@tessera/common/durable';
import { DIRECT_IO_ALIGNMENT, EXTENT_HEADER_BYTES, encodeExtentHeader, extentFileName, parseExtentFileName, type ExtentAlignment } from '../format/extent-header.js';
import { EMPTY_SCRUB_PROGRESS, type ScrubProgress, type ShardLocation } from '../format/index-entries.js';
import { checkRecordFields, decodeRecord, MAX_RECORD_PAYLOAD, recordLength, type RecordFields } from '../format/record.js';
import { sameShardKey, shardKeyBytes, shardKeyFromBytes, type ShardKey } from '../format/shard-key.js';
import type { AlignedArena } from '../io/aligned-arena.js';
import { SimulatedExtentFile } from '../io/crashsim-file.js';
import { probeDirectIo } from '../io/direct-probe.js';
import { fsyncDirectory, openFsExtentFile, type ExtentFile } from '../io/extent-file.js';
import { envStorageMutations } from '../mutate.js';
import { GroupCommitter } from './committer.js';
import { compactDevice, type CompactionOptions, type CompactionReport } from './compaction.js';
import { Extent } from './extent.js';
import { recoverExtents } from './recovery.js';
import { runScrub, type ScrubOptions, type ScrubRunReport } from './scrub.js';
import { ShardIndex, extentMetaOp } from './shard-index.js';
import { assertTransition, capabilitiesOf, type DeviceCapabilities, type DeviceState } from './state.js';
import { claimDevice, SUPERBLOCK_FILE } from './superblock-file.js';
import { usageLevel } from './thresholds.js';
import type {
  BadRecordReport,
  DeviceInfo,
  DeviceOpenReport,
  DeviceOptions,
  DeviceTestHooks,
  DirectIoStatus,
  ShardListing,
  ShardWrite,
  StoredShard,
} from './types.js';

export type { DeviceCounters, DeviceInfo, DeviceOpenReport, DeviceOptions, ShardListing, ShardWrite, StoredShard } from './types.js';

export const DEFAULT_MAX_EXTENT_BYTES = 256 * 1024 * 1024;
const DEFAULT_INDEX_SYNC_EVERY = 32;
const EXTENTS_DIR = 'extents';
const INDEX_DIR = 'index';

/** What compaction and scrub need from a device. */
export interface DeviceInternals {
  readonly deviceId: string;
  readonly index: ShardIndex;
  readonly extents: Map<number, Extent>;
  readonly committer: GroupCommitter;
  readonly hooks: DeviceTestHooks;
  activeExtentId(): number | undefined;
  /** False once the device is closed or crashed: maintenance stops before its next step. */
  alive(): boolean;
  /** Index lookup that sees acknowledged batches whose index write is still under way. */
  locate(key: Buffer): Promise<ShardLocation | undefined>;
  /** Resolves when every index write issued so far has landed (before walking the index). */
  settled(): Promise<void>;
  removeExtentFile(extent: Extent): Promise<void>;
  report(bad: Omit<BadRecordReport, 'deviceId'>): void;
  now(): number;
}

export class Device {
  private stateValue: DeviceState;
  private active: Extent | undefined;
  private nextExtentId: number;
  private readonly committer: GroupCommitter;
  private readonly counters = { checksumErrors: 0, readErrors: 0 };
  private closed = false;
  private compacting: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: DeviceOptions,
    private readonly deviceClass: string,
    readonly deviceUuid: Uint8Array,
    readonly report: DeviceOpenReport,
    private readonly superblockStat: Stats,
    private readonly kv: DurableKv,
    private readonly index: ShardIndex,
    private readonly extents: Map<number, Extent>,
    /** Set when O_DIRECT is active: the aligned buffer its files copy unaligned sources through. */
    private readonly bounce: AlignedArena | undefined,
    private readonly crashSim: boolean,
    nextExtentId: number,
  ) {
    this.stateValue = options.state ?? 'healthy';
    this.nextExtentId = nextExtentId;
    this.committer = new GroupCommitter({
      index,
      extents,
      capacityBytes: options.capacityBytes,
      maxExtentBytes: options.maxExtentBytes ?? DEFAULT_MAX_EXTENT_BYTES,
      directIo: bounce !== undefined,
      mutations: options.mutations ?? envStorageMutations(),
      indexSyncEvery: options.indexSyncEvery ?? DEFAULT_INDEX_SYNC_EVERY,
      activeExtent: () => this.active,
      rollExtent: () => this.rollExtent(),
      usedBytes: () => this.usedBytes(),
      capabilities: () => this.capabilities,
      checkHealth: () => this.assertPresent(),
      fatal: (err) => this.fail(describeFailure(err)),
    });
  }

  static async open(options: DeviceOptions): Promise<Device> {
    const now = options.now ?? Date.now;
    const deviceClass = options.deviceClass ?? 'nvme';
    const claim = await claimDevice(
      options.path,
      { deviceId: options.deviceId, nodeId: options.nodeId, deviceClass, capacityBytes: options.capacityBytes },
      { force: options.force === true, now: now() },
    );
    const superblockStat = await fs.stat(join(options.path, SUPERBLOCK_FILE));
    const extentsDir = join(options.path, EXTENTS_DIR);
    await fs.mkdir(extentsDir, { recursive: true });
    const crashSim = crashSimEnabled(options.crashSim === undefined ? {} : { crashSim: options.crashSim });
    const { deviceUuid } = claim.superblock;

    const indexDir = join(options.path, INDEX_DIR);
    let kv = await openDurableKv(indexDir, { crashSim });
    let index = new ShardIndex(kv);
    const indexRebuilt = options.rebuildIndex === true || !(await index.markerMatches(deviceUuid));
    if (indexRebuilt) {
      await kv.close();
      await fs.rm(indexDir, { recursive: true, force: true });
      kv = await openDurableKv(indexDir, { crashSim });
      index = new ShardIndex(kv);
    }

    let directIo: DirectIoStatus = { requested: false, active: false };
    let bounce: AlignedArena | undefined;
    if (options.directIo === true) {
      // The probe's buffer stays as the device's bounce buffer (unaligned sources: crash-simulation flushes).
      const probe = await probeDirectIo(options.path, 1024 * 1024);
      if (probe.ok) bounce = probe.arena;
      directIo = probe.ok ? { requested: true, active: true } : { requested: true, active: false, reason: probe.reason };
    }

    const badRecords: BadRecordReport[] = [];
    const openFile = (path: string, alignment: ExtentAlignment, create = false): Promise<ExtentFile> =>
      openExtentFile(path, alignment, create, bounce, crashSim);
    let recovered: Awaited<ReturnType<typeof recoverExtents>>;
    try {
      recovered = await recoverExtents({
        deviceId: options.deviceId,
        deviceUuid,
        extentsDir,
        index,
        openFile,
        syncDir: () => fsyncDirectory(extentsDir),
        report: (bad) => badRecords.push({ deviceId: options.deviceId, ...bad }),
      });
    } catch (err) {
      await kv.close().catch(() => undefined);
      throw err;
    }
    const { extents } = recovered;
    await index.enableFilter();
    const nextExtentId = Math.max(0, ...extents.keys(), ...(await maxFileId(extentsDir))) + 1;
    const device = new Device(
      options,
      claim.superblock.deviceClass,
      deviceUuid,
      {
        deviceId: options.deviceId,
        formatted: claim.formatted,
        ...(claim.reinitialised === undefined ? {} : { reinitialised: claim.reinitialised }),
        reconfigured: claim.reconfigured,
        indexRebuilt,
        recovery: recovered.report,
        directIo,
      },
      superblockStat,
      kv,
      index,
      extents,
      bounce,
      crashSim,
      nextExtentId,
    );
    await device.settleActiveExtent();
    for (const bad of badRecords) options.onBadRecord?.(bad);
    return device;
  }

  get id(): string {
    return this.options.deviceId;
  }

  get state(): DeviceState {
    return this.stateValue;
  }

  get capabilities(): DeviceCapabilities {
    return capabilitiesOf(this.stateValue);
  }

  /** Validated state change (DEVICE_BAD_TRANSITION otherwise); reported through onStateChange for the audit log. */
  setState(to: DeviceState, reason: string): void {
    const from = this.stateValue;
    assertTransition(from, to);
    if (from === to) return;
    this.stateValue = to;
    if (to === 'failed' || to === 'removed') {
      void this.committer.halt(new TesseraError(ErrorCodes.DEVICE_UNAVAILABLE, `device ${this.id} is ${to}`));
    }
    this.options.onStateChange?.({ deviceId: this.id, from, to, reason, at: this.now() });
  }

  /**
   * Checks that the folder is still the one opened (superblock present, same
   * file); a device whose folder vanished goes `failed`. Returns the state.
   */
  async checkHealth(): Promise<DeviceState> {
    if (this.stateValue === 'failed' || this.stateValue === 'removed') return this.stateValue;
    try {
      await this.assertPresent();
    } catch (err) {
      this.fail(describeFailure(err));
    }
    return this.stateValue;
  }

  async put(write: ShardWrite): Promise<ShardLocation> {
    const fields: RecordFields = {
      kind: 'shard',
      chunkId: write.chunkId,
      writeId: write.writeId,
      shardIndex: write.shardIndex,
      sysEpoch: write.sysEpoch,
      gatewayTime: write.gatewayTime,
    };
    checkRecordFields(fields, write.payload.length);
    this.assertCapable('acceptsShards');
    const outcome = await this.committer.submit({
      kind: 'put',
      key: shardKeyBytes(write),
      fields,
      payload: write.payload,
      purpose: write.purpose ?? 'new',
    });
    return outcome.location!;
  }

  /** Appends a tombstone; false when the device holds no such shard (nothing is written). */
  async delete(key: ShardKey, options: { gatewayTime?: number; sysEpoch?: number } = {}): Promise<boolean> {
    const fields: RecordFields = {
      kind: 'tombstone',
      chunkId: key.chunkId,
      writeId: key.writeId,
      shardIndex: key.shardIndex,
      sysEpoch: options.sysEpoch ?? 0,
      gatewayTime: options.gatewayTime ?? this.now(),
    };
    checkRecordFields(fields, 0);
    this.assertCapable('acceptsMaintenance');
    const outcome = await this.committer.submit({ kind: 'delete', key: shardKeyBytes(key), fields, payload: new Uint8Array(0), purpose: 'tombstone' });
    return outcome.written;
  }

  async locate(key: ShardKey): Promise<ShardLocation | undefined> {
    this.assertCapable('readable');
    return this.lookup(shardKeyBytes(key));
  }

  /** The index's answer, including acknowledged batches whose index write has not landed yet. */
  private async lookup(key: Buffer): Promise<ShardLocation | undefined> {
    const pending = this.committer.pendingLocation(key);
    if (pending !== undefined) return pending ?? undefined;
    return this.index.location(key);
  }

  async has(key: ShardKey): Promise<boolean> {
    return (await this.locate(key)) !== undefined;
  }

  /**
   * The shard's payload after checking both CRCs and that the record is the
   * one asked for (same chunk id, writeId and shard index). Damage throws
   * CHECKSUM_MISMATCH, is counted and reported (onBadRecord); bytes that fail
   * a check are never returned.
   */
  async read(key: ShardKey): Promise<StoredShard> {
    const keyBytes = shardKeyBytes(key);
    // Compaction may move the record between the lookup and the read; look again then.
    for (let attempt = 0; attempt < 4; attempt++) {
      this.assertCapable('readable');
      const location = await this.lookup(keyBytes);
      if (location === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'shard not found on device');
      const extent = this.extents.get(location.extentId);
      if (extent === undefined || !extent.acquire()) continue;
      const length = recordLength(location.payloadLength);
      let bytes: Buffer;
      try {
        bytes = await extent.file.read(location.offset, length);
      } catch (err) {
        this.counters.readErrors++;
        throw new TesseraError(ErrorCodes.STORAGE_IO, 'shard read failed', { cause: err });
      } finally {
        extent.release();
      }
      try {
        const record = decodeRecord(bytes, MAX_RECORD_PAYLOAD);
        if (record.header.kind !== 'shard' || !sameShardKey(record.header, key)) {
          throw new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, 'index names a record of another shard');
        }
        return { payload: record.payload, sysEpoch: record.header.sysEpoch, gatewayTime: record.header.gatewayTime };
      } catch (err) {
        this.counters.checksumErrors++;
        this.reportBad({ extentId: extent.id, offset: location.offset, length, key, live: true, problem: bytes.length < length ? 'lost' : 'checksum', detectedBy: 'read' });
        throw err instanceof TesseraError && err.code === ErrorCodes.CHECKSUM_MISMATCH
          ? err
          : new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, 'extent record damaged', { cause: err });
      }
    }
    throw new TesseraError(ErrorCodes.STORAGE_IO, 'shard kept moving while being read', { retriable: true });
  }

  /** Live shards in key order, after `after`. */
  async list(options: { after?: ShardKey; limit?: number } = {}): Promise<ShardListing[]> {
    this.assertCapable('readable');
    await this.committer.pending.settled();
    const page = await this.index.page(options.after === undefined ? undefined : shardKeyBytes(options.after), options.limit ?? 1000);
    return page.map(({ key, location }) => ({
      key: shardKeyFromBytes(key),
      payloadLength: location.payloadLength,
      sysEpoch: location.sysEpoch,
      gatewayTime: location.gatewayTime,
    }));
  }

  /** Rewrites the live records of mostly-dead sealed extents and deletes them (one compaction at a time). */
  async compact(options: CompactionOptions = {}): Promise<CompactionReport> {
    this.assertCapable('acceptsMaintenance');
    const run = this.compacting.then(() => compactDevice(this.internals(), options));
    this.compacting = run.catch(() => undefined);
    return run;
  }

  async scrub(options: ScrubOptions = {}): Promise<ScrubRunReport> {
    this.assertCapable('readable');
    return runScrub(this.internals(), options);
  }

  /** Where scrub stands on this device (persisted in its index; all zero before the first run). */
  async scrubProgress(): Promise<ScrubProgress> {
    return (await this.index.scrubProgress()) ?? EMPTY_SCRUB_PROGRESS;
  }

  usedBytes(): number {
    let used = 0;
    for (const extent of this.extents.values()) used += extent.size;
    return used;
  }

  /** Sizes are exact; live-byte bookkeeping may trail the latest acknowledged batches until `flush()`. */
  info(): DeviceInfo {
    let liveBytes = 0;
    for (const extent of this.extents.values()) liveBytes += extent.liveBytes;
    const used = this.usedBytes();
    const s = this.committer.stats;
    return {
      deviceId: this.id,
      nodeId: this.options.nodeId,
      deviceClass: this.deviceClass,
      capacityBytes: this.options.capacityBytes,
      usedBytes: used,
      liveBytes,
      level: usageLevel(used, this.options.capacityBytes),
      state: this.stateValue,
      extents: this.extents.size,
      directIo: this.report.directIo,
      counters: { ...this.counters, batches: s.batches, records: s.records, syncs: s.syncs, bytesWritten: s.bytes },
    };
  }

  /** Waits for every write submitted so far to settle. */
  flush(): Promise<void> {
    return this.committer.drain();
  }

  /** Clean shutdown: pending writes finish, the index is synced, files close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.committer.drain();
    await this.committer.halt(new TesseraError(ErrorCodes.STORAGE_CLOSED, 'device is closed'));
    await this.compacting;
    await Promise.all([...this.extents.values()].map((e) => e.close()));
    await this.kv.close().catch(() => undefined);
  }

  /**
   * Power loss (in crash-simulation mode) or kill -9 (otherwise): queued
   * writes fail, every byte not covered by a completed fdatasync is lost,
   * nothing is flushed.
   */
  async crash(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const lost = new TesseraError(ErrorCodes.STORAGE_CLOSED, 'device lost power');
    // Flags first and synchronously, so a sync finishing now counts as not done.
    const files = [...this.extents.values()].map((e) => (e.file instanceof SimulatedExtentFile ? e.file.crash() : e.close()));
    const halting = this.committer.halt(lost);
    await Promise.all(files);
    await halting;
    // A compaction in progress is not awaited: it may be the caller (a test
    // hook crashing mid-compaction); it stops at its next step (alive() is false).
    await Promise.all([...this.extents.values()].map((e) => e.close()));
    await this.kv.crash();
  }

  private internals(): DeviceInternals {
    return {
      deviceId: this.id,
      index: this.index,
      extents: this.extents,
      committer: this.committer,
      hooks: this.options.testHooks ?? {},
      activeExtentId: () => this.active?.id,
      alive: () => !this.closed,
      locate: (key) => this.lookup(key),
      settled: () => this.committer.pending.settled(),
      removeExtentFile: async (extent) => {
        await extent.retire();
        await fs.rm(extent.file.path, { force: true });
        await fsyncDirectory(join(this.options.path, EXTENTS_DIR));
      },
      report: (bad) => this.reportBad(bad),
      now: () => this.now(),
    };
  }

  private reportBad(bad: Omit<BadRecordReport, 'deviceId'>): void {
    this.options.onBadRecord?.({ deviceId: this.id, ...bad });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private assertCapable(what: keyof DeviceCapabilities): void {
    if (this.closed) throw new TesseraError(ErrorCodes.STORAGE_CLOSED, 'device is closed');
    if (!this.capabilities[what]) {
      throw new TesseraError(ErrorCodes.DEVICE_UNAVAILABLE, `device ${this.id} is ${this.stateValue}`);
    }
  }

  private fail(reason: string): void {
    if (this.stateValue === 'failed' || this.stateValue === 'removed') return;
    this.setState('failed', reason);
  }

  /** Throws DEVICE_UNAVAILABLE when the superblock is gone or is not the file this device opened. */
  private async assertPresent(): Promise<void> {
    let now: Stats;
    try {
      now = await fs.stat(join(this.options.path, SUPERBLOCK_FILE));
    } catch (err) {
      throw new TesseraError(ErrorCodes.DEVICE_UNAVAILABLE, `device ${this.id}: folder or superblock is gone`, { cause: err });
    }
    if (now.ino !== this.superblockStat.ino || now.dev !== this.superblockStat.dev) {
      throw new TesseraError(ErrorCodes.DEVICE_UNAVAILABLE, `device ${this.id}: superblock was replaced`);
    }
  }

  private get alignment(): ExtentAlignment {
    return this.bounce !== undefined ? DIRECT_IO_ALIGNMENT : 1;
  }

  /** After recovery: the newest extent stays active if it fits this run's I/O mode and has room. */
  private async settleActiveExtent(): Promise<void> {
    const ids = [...this.extents.keys()].sort((a, b) => a - b);
    const newest = ids.length > 0 ? this.extents.get(ids[ids.length - 1]!) : undefined;
    const max = this.options.maxExtentBytes ?? DEFAULT_MAX_EXTENT_BYTES;
    const keep = newest !== undefined && newest.alignment === this.alignment && newest.size < max ? newest : undefined;
    for (const extent of this.extents.values()) extent.state = extent === keep ? 'active' : 'sealed';
    this.active = keep;
    await this.kv.write([this.index.markerOp(this.deviceUuid), ...[...this.extents.values()].map(extentMetaOp)], { sync: true });
  }

  private async rollExtent(): Promise<[Extent, Extent | undefined]> {
    const previous = this.active;
    const id = this.nextExtentId++;
    const dir = join(this.options.path, EXTENTS_DIR);
    if (this.closed) throw new TesseraError(ErrorCodes.STORAGE_CLOSED, 'device is closed');
    const file = await openExtentFile(join(dir, extentFileName(id)), this.alignment, true, this.bounce, this.crashSim);
    if (this.closed) {
      // Crashed while the file was being created: it holds nothing, and recovery removes it.
      await (file instanceof SimulatedExtentFile ? file.crash() : file.close());
      throw new TesseraError(ErrorCodes.STORAGE_CLOSED, 'device is closed');
    }
    await fsyncDirectory(dir);
    const extent = new Extent(id, file, this.alignment, { state: 'active', tail: EXTENT_HEADER_BYTES, liveBytes: 0, liveRecords: 0 });
    extent.freshHeader = encodeExtentHeader({ deviceUuid: this.deviceUuid, extentId: id, alignment: this.alignment, createdAt: this.now() });
    this.extents.set(id, extent);
    if (previous !== undefined) previous.state = 'sealed';
    this.active = extent;
    return [extent, previous];
  }
}

async function openExtentFile(
  path: string,
  alignment: ExtentAlignment,
  create: boolean,
  bounce: AlignedArena | undefined,
  crashSim: boolean,
): Promise<ExtentFile> {
  const real = await openFsExtentFile(path, alignment, { create, ...(bounce === undefined ? {} : { direct: bounce }) });
  return crashSim ? new SimulatedExtentFile(real) : real;
}

/** Ids of every extent file in the folder, foreign ones included (a new extent must not reuse one). */
async function maxFileId(dir: string): Promise<number[]> {
  return (await fs.readdir(dir)).map(parseExtentFileName).filter((id): id is number => id !== undefined);
}

function describeFailure(err: unknown): string {
  if (err instanceof TesseraError) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? `I/O error ${code}` : 'I/O error';
}
