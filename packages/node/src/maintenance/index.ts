/** The node's maintenance of issue #8: placement scrub, repair, evacuation, device scrub, re-encryption. */
export { Maintenance } from './maintenance.js';
export type { MaintenanceDeps, MaintenanceIo, MaintenanceStatus, RepairStatus } from './maintenance.js';
export { registerMaintenanceMetrics } from './metrics.js';
export type { MaintenanceMetricsSource } from './metrics.js';
export { DEFAULT_MAINTENANCE } from './settings.js';
export type { MaintenanceSettings } from './settings.js';
export type { PlacementScrubProgress } from './placement-scrub.js';
export type { ReencryptProgress } from './reencrypt.js';
export type { RepairHistoryEntry, RepairOutcome, RepairReason } from './repair-queue.js';
export type { EvacuationStatus } from './evacuation.js';
export type { DeviceScrubStatus } from './device-scrub.js';
export { decideDownOut, UnreachableSince } from './down-out.js';
export type { DownOut, DownOutDecision, DownOutHeld, DownOutInput } from './down-out.js';
