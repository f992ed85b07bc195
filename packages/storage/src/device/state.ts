/**
 * Device lifecycle (DESIGN section 6):
 *
 *   healthy ──► degraded ──► evacuating ──► failed ──► removed
 *
 * plus these shortcuts, each for a reason an operator meets in practice:
 *   degraded   → healthy      the fault cleared (operator, or errors stopped)
 *   healthy    → evacuating   planned drain of a good device
 *   healthy    → failed       sudden death (folder gone, I/O errors)
 *   degraded   → failed       the suspect device died
 *   evacuating → healthy      drain cancelled
 *   evacuating → removed      drain finished: nothing left on it
 *
 * `removed` is final, and the only state in which a device may be detached.
 * Setting the current state again is a no-op, not an error.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';

export const DEVICE_STATES = ['healthy', 'degraded', 'evacuating', 'failed', 'removed'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

const ALLOWED: Readonly<Record<DeviceState, readonly DeviceState[]>> = {
  healthy: ['degraded', 'evacuating', 'failed'],
  degraded: ['healthy', 'evacuating', 'failed'],
  evacuating: ['healthy', 'failed', 'removed'],
  failed: ['removed'],
  removed: [],
};

export function isDeviceState(value: unknown): value is DeviceState {
  return typeof value === 'string' && (DEVICE_STATES as readonly string[]).includes(value);
}

export function canTransition(from: DeviceState, to: DeviceState): boolean {
  return from === to || ALLOWED[from].includes(to);
}

/** Throws DEVICE_BAD_TRANSITION for a change the state machine does not allow. */
export function assertTransition(from: DeviceState, to: DeviceState): void {
  if (!canTransition(from, to)) {
    throw new TesseraError(ErrorCodes.DEVICE_BAD_TRANSITION, `device cannot go from ${from} to ${to}`);
  }
}

/** What each state lets the device do. */
export interface DeviceCapabilities {
  /** Proposed by placement for new shards. */
  readonly placeable: boolean;
  /** Accepts shard writes: new data and repair copies. */
  readonly acceptsShards: boolean;
  /** Accepts tombstones and compaction copies (space reclamation is always allowed while the device works). */
  readonly acceptsMaintenance: boolean;
  readonly readable: boolean;
  readonly detachable: boolean;
}

export function capabilitiesOf(state: DeviceState): DeviceCapabilities {
  switch (state) {
    case 'healthy':
      return { placeable: true, acceptsShards: true, acceptsMaintenance: true, readable: true, detachable: false };
    case 'degraded':
      // Suspect: no new placements, but writes already routed here finish.
      return { placeable: false, acceptsShards: true, acceptsMaintenance: true, readable: true, detachable: false };
    case 'evacuating':
      // Serves reads while its shards move away; takes no shard writes.
      return { placeable: false, acceptsShards: false, acceptsMaintenance: true, readable: true, detachable: false };
    case 'failed':
      return { placeable: false, acceptsShards: false, acceptsMaintenance: false, readable: false, detachable: false };
    case 'removed':
      return { placeable: false, acceptsShards: false, acceptsMaintenance: false, readable: false, detachable: true };
  }
}
