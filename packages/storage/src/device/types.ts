/** Public shapes of the device layer: options, reports, callbacks, test hooks. */
import type { ShardKey } from '../format/shard-key.js';
import type { StorageMutation } from '../mutate.js';
import type { RecoveryReport } from './recovery.js';
import type { DeviceState } from './state.js';
import type { Reinitialisation } from './superblock-file.js';
import type { UsageLevel } from './thresholds.js';

/** A damaged or lost record, reported so the node can rebuild the shard from parity (D2). */
export interface BadRecordReport {
  readonly deviceId: string;
  readonly extentId: number;
  readonly offset: number;
  readonly length: number;
  /** Known when the record's header was intact, or when the index named the record. */
  readonly key?: ShardKey;
  /** Whether the index still names this record as the shard's live copy. */
  readonly live: boolean;
  /** checksum: bytes damaged; lost: bytes gone (extent truncated or missing). */
  readonly problem: 'checksum' | 'lost';
  readonly detectedBy: 'read' | 'scrub' | 'open' | 'compaction';
}

export interface DeviceStateChange {
  readonly deviceId: string;
  readonly from: DeviceState;
  readonly to: DeviceState;
  readonly reason: string;
  readonly at: number;
}

export interface DirectIoStatus {
  readonly requested: boolean;
  readonly active: boolean;
  /** Why a requested O_DIRECT is not active (errno of the probe), for logs and metrics. */
  readonly reason?: string;
}

export type CompactionPoint = 'scanned' | 'copied' | 'retired' | 'unlinked';

/** Test-only hooks: a test crashes the device at a chosen point to prove each step is crash-safe. */
export interface DeviceTestHooks {
  compaction?(point: CompactionPoint, extentId: number): void | Promise<void>;
}

export interface DeviceOptions {
  readonly nodeId: string;
  readonly deviceId: string;
  readonly path: string;
  readonly capacityBytes: number;
  /** Free-form class used to form pools (default "nvme"). */
  readonly deviceClass?: string;
  /** Ask for O_DIRECT; falls back to buffered I/O (reported in `directIo`) when the probe fails. */
  readonly directIo?: boolean;
  /** Re-initialise a folder that would be refused (foreign format, other node); reported in the open report. */
  readonly force?: boolean;
  /** State from the committed device table (default healthy). */
  readonly state?: DeviceState;
  /** Extent files are sealed when the next record would take them past this size (default 256 MiB). */
  readonly maxExtentBytes?: number;
  /** Drop the index and rebuild it from the extent files. */
  readonly rebuildIndex?: boolean;
  /** Power-loss simulation; default from TESSERA_CRASHSIM. */
  readonly crashSim?: boolean;
  /** Planted bugs; default from TESSERA_MUTATE. */
  readonly mutations?: ReadonlySet<StorageMutation>;
  readonly indexSyncEvery?: number;
  readonly onBadRecord?: (report: BadRecordReport) => void;
  readonly onStateChange?: (change: DeviceStateChange) => void;
  readonly now?: () => number;
  readonly testHooks?: DeviceTestHooks;
}

export interface DeviceOpenReport {
  readonly deviceId: string;
  readonly formatted: boolean;
  readonly reinitialised?: Reinitialisation;
  readonly reconfigured: readonly string[];
  readonly indexRebuilt: boolean;
  readonly recovery: RecoveryReport;
  readonly directIo: DirectIoStatus;
}

export interface ShardWrite extends ShardKey {
  /** Not copied: must stay unchanged until the write settles. */
  readonly payload: Uint8Array;
  readonly sysEpoch: number;
  readonly gatewayTime: number;
  /** 'new' data stops at 97 % of the device; 'repair' may use the reserve (default 'new'). */
  readonly purpose?: 'new' | 'repair';
}

export interface StoredShard {
  /** Verified against the record CRC; a fresh buffer owned by the caller. */
  readonly payload: Buffer;
  readonly sysEpoch: number;
  readonly gatewayTime: number;
}

export interface ShardListing {
  readonly key: ShardKey;
  readonly payloadLength: number;
  readonly sysEpoch: number;
  readonly gatewayTime: number;
}

export interface DeviceCounters {
  readonly checksumErrors: number;
  readonly readErrors: number;
  readonly batches: number;
  readonly records: number;
  readonly syncs: number;
  readonly bytesWritten: number;
}

export interface DeviceInfo {
  readonly deviceId: string;
  readonly nodeId: string;
  readonly deviceClass: string;
  readonly capacityBytes: number;
  readonly usedBytes: number;
  readonly liveBytes: number;
  readonly level: UsageLevel;
  readonly state: DeviceState;
  readonly extents: number;
  readonly directIo: DirectIoStatus;
  readonly counters: DeviceCounters;
}
