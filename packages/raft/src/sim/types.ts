/**
 * The simulator's public types.
 */
import type { MutationName } from '../types.js';

export interface SimOptions {
  readonly seed: number;
  readonly steps: number;
  /** Initial voters: 3 or 5. Default: 3 for even seeds, 5 for odd. */
  readonly nodes?: number;
  readonly mutations?: ReadonlySet<MutationName>;
  /** Steps allowed for convergence after healing. Default 2500 (most seeds converge in a few dozen). */
  readonly livenessSteps?: number;
  /** Force a fault profile instead of drawing one from the seed. */
  readonly profile?: SimProfile;
  /** Keep every event (for replaying one seed); otherwise only the last 200. */
  readonly trace?: boolean;
}

export const PROFILES = ['calm', 'crashy', 'partitions', 'flapping', 'mixed'] as const;
export type SimProfile = (typeof PROFILES)[number];

export interface SimStats {
  steps: number;
  proposals: number;
  acked: number;
  reads: number;
  leaders: number;
  crashes: number;
  corruptions: number;
  wipes: number;
  confChanges: number;
  transfers: number;
  snapshots: number;
  delivered: number;
  dropped: number;
  committed: number;
}

export interface SimResult {
  readonly seed: number;
  readonly ok: boolean;
  /** Step at which the failure was detected (steps + liveness steps for liveness failures). */
  readonly failedAt?: number;
  readonly error?: string;
  readonly invariant?: string;
  readonly stats: SimStats;
  readonly events: readonly string[];
}
