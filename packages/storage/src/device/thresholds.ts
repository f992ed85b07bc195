/**
 * Fill thresholds (DESIGN section 6), for pools (sum over their devices) and
 * single devices alike:
 *
 *   < 75 %  ok
 *   ≥ 75 %  warning    alert only
 *   ≥ 85 %  critical   no new placements
 *   ≥ 92 %  read-only  new data refused, retriable (space may come back)
 *   ≥ 97 %  full       new data refused
 *
 * Deletes (tombstones), compaction and repair are always allowed: on every
 * device the last 3 % is kept for them, so a device that new data filled to
 * the brim can still delete, compact and take repaired shards.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';

export const THRESHOLDS = { warning: 0.75, critical: 0.85, readOnly: 0.92, full: 0.97 } as const;
/** Share of each device kept for deletes, compaction and repair. */
export const MAINTENANCE_RESERVE = 1 - THRESHOLDS.full;

export type UsageLevel = 'ok' | 'warning' | 'critical' | 'read-only' | 'full';

export function usageLevel(usedBytes: number, capacityBytes: number): UsageLevel {
  if (capacityBytes <= 0) return 'full';
  const ratio = usedBytes / capacityBytes;
  if (ratio >= THRESHOLDS.full) return 'full';
  if (ratio >= THRESHOLDS.readOnly) return 'read-only';
  if (ratio >= THRESHOLDS.critical) return 'critical';
  if (ratio >= THRESHOLDS.warning) return 'warning';
  return 'ok';
}

const ORDER: Readonly<Record<UsageLevel, number>> = { ok: 0, warning: 1, critical: 2, 'read-only': 3, full: 4 };

export function atLeast(level: UsageLevel, threshold: UsageLevel): boolean {
  return ORDER[level] >= ORDER[threshold];
}

/** Placement refuses a pool at or over critical (retriable: space can come back). */
export function assertPlaceable(level: UsageLevel): void {
  if (atLeast(level, 'critical')) {
    throw new TesseraError(ErrorCodes.POOL_CRITICAL, 'pool is at or over its critical fill level; no new placements', { retriable: true });
  }
}

/** The gateway refuses new data on a read-only (retriable) or full pool. */
export function admitNewData(level: UsageLevel): void {
  if (level === 'full') throw new TesseraError(ErrorCodes.POOL_FULL, 'pool is full; new data refused');
  if (level === 'read-only') {
    throw new TesseraError(ErrorCodes.POOL_READ_ONLY, 'pool is read-only; new data refused', { retriable: true });
  }
}

/** Why a device write happens; decides how much of the device it may use. */
export type WritePurpose = 'new' | 'repair' | 'compaction' | 'tombstone';

/** Bytes a write of `purpose` may bring the device up to. */
export function deviceLimitFor(purpose: WritePurpose, capacityBytes: number): number {
  return purpose === 'new' ? Math.floor(capacityBytes * THRESHOLDS.full) : capacityBytes;
}
