/** Public shapes of the device layer: reports, callbacks, test hooks. */
import type { ShardKey } from '../format/shard-key.js';
import type { DeviceState } from './state.js';

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
