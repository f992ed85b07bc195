/**
 * Device scrub on every node (D2; issue #8): re-reads every record of every
 * local device at `scrubBytesPerSec` (progress persists in each device's
 * index, so a restart resumes), in slices so it stops promptly. A record
 * failing its CRC that the index still names as the shard's live copy is
 * deleted locally (tombstoned): its bytes are useless, and the placement
 * scrub then finds the slot missing and rebuilds it from parity elsewhere.
 * After a pass over every device the scrub rests `restMs`.
 */
import type { Logger } from '@tessera/common';
import type { BadRecordReport, ShardStore } from '@tessera/storage';

/** Bytes one scrub call reads before the loop looks around (stop, next device). */
const SLICE_BYTES = 16 * 1024 * 1024;

export interface DeviceScrubStatus {
  /** Damaged live shard records found since start. */
  readonly badRecords: number;
  /** Of them, live copies deleted so that they are repaired. */
  readonly quarantined: number;
  /** Completed passes over all local devices since start. */
  readonly rounds: number;
  readonly bytesScanned: number;
}

export class DeviceScrubber {
  private badRecords = 0;
  private quarantined = 0;
  private rounds = 0;
  private bytesScanned = 0;
  private readonly perDevice = new Map<string, number>();

  constructor(
    private readonly deps: {
      readonly store: ShardStore;
      readonly bytesPerSec: number;
      readonly logger: Logger;
    },
  ) {}

  status(): DeviceScrubStatus {
    return { badRecords: this.badRecords, quarantined: this.quarantined, rounds: this.rounds, bytesScanned: this.bytesScanned };
  }

  /** Bad records found on each device since start. */
  badRecordsByDevice(): ReadonlyMap<string, number> {
    return this.perDevice;
  }

  /** One pass over every readable local device (each until its scrub completes a pass). */
  async round(signal?: AbortSignal): Promise<void> {
    const { store } = this.deps;
    for (const deviceId of store.deviceIds()) {
      for (;;) {
        if (signal?.aborted === true) return;
        const quarantine: Array<Promise<void>> = [];
        let report;
        try {
          report = await store.scrub(deviceId, {
            bytesPerSecond: this.deps.bytesPerSec,
            maxBytes: SLICE_BYTES,
            ...(signal !== undefined ? { signal } : {}),
            onBadRecord: (bad) => quarantine.push(this.onBad(bad)),
          });
        } catch {
          // A failed or removed device, or a stop: nothing to scrub there now.
          await Promise.all(quarantine);
          break;
        }
        await Promise.all(quarantine);
        this.bytesScanned += report.bytesScanned;
        if (report.passCompleted) break;
      }
    }
    if (signal?.aborted !== true) this.rounds++;
  }

  private async onBad(bad: BadRecordReport): Promise<void> {
    // Damage in dead bytes (superseded or deleted records) loses nothing; the store's scrub counters count it.
    if (bad.key === undefined || !bad.live) return;
    this.badRecords++;
    this.perDevice.set(bad.deviceId, (this.perDevice.get(bad.deviceId) ?? 0) + 1);
    try {
      if (await this.deps.store.deleteShard(bad.deviceId, bad.key)) this.quarantined++;
      this.deps.logger.warn('damaged shard record deleted; the placement scrub rebuilds it from parity', { device: bad.deviceId, problem: bad.problem, chunk: Buffer.from(bad.key.chunkId).toString('hex').slice(0, 16) });
    } catch {
      this.deps.logger.warn('damaged shard record could not be deleted', { device: bad.deviceId });
    }
  }
}
