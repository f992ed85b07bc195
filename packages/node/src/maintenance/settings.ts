/**
 * Maintenance settings (node config `maintenance: {...}`, flags
 * `--scrub-bytes-per-sec`, `--placement-scrub-interval-ms`,
 * `--reencrypt-chunks-per-sec`, `--repair-concurrency`, `--down-out-after-ms`).
 */
export interface MaintenanceSettings {
  /** Device scrub read rate per node, bytes/s (0 disables the device scrub). Default 8 MiB/s. */
  readonly scrubBytesPerSec: number;
  /**
   * Pause between two passes of the placement scrub (leader) and between two
   * device-scrub passes over a node's devices. Default 1 h.
   */
  readonly placementScrubIntervalMs: number;
  /** Re-encryption rate on the leader, chunks/s (0 disables it). Default 4. */
  readonly reencryptChunksPerSec: number;
  /** Repairs the leader runs at once (1 or 2). Default 1. */
  readonly repairConcurrency: number;
  /**
   * A storage node the metadata leader has not heard from for this long in a
   * row has its healthy and degraded devices marked failed, so that repair
   * rebuilds its shards elsewhere (down-out.ts; 0 disables it). Default 10 min.
   */
  readonly downOutAfterMs: number;
}

export const DEFAULT_MAINTENANCE: MaintenanceSettings = {
  scrubBytesPerSec: 8 * 1024 * 1024,
  placementScrubIntervalMs: 60 * 60 * 1000,
  reencryptChunksPerSec: 4,
  repairConcurrency: 1,
  downOutAfterMs: 10 * 60 * 1000,
};

/** Chunks the placement scrub checks per second (each costs k+m index lookups, most of them remote). */
export const PLACEMENT_SCRUB_CHUNKS_PER_SEC = 200;
/** Most repairs waiting at once; the scrub stops queueing (and resumes later) beyond it. */
export const REPAIR_QUEUE_LIMIT = 1_000;
/** Repair history kept in memory. */
export const REPAIR_HISTORY = 100;
