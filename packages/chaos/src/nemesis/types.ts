/**
 * A nemesis injects one fault into a running cluster, holds it while the
 * workload runs, heals it, and records the window in the fault log. Choices
 * (which node, which device, which byte) come from the context's seeded
 * generator, relative to what the cluster looks like at that moment (e.g.
 * "the current leader"), so a schedule replays from its seed.
 */
import type { ChaosCluster } from '../cluster/chaos-cluster.js';
import type { FaultLog } from './fault-log.js';

export interface NemesisContext {
  readonly cluster: ChaosCluster;
  readonly faults: FaultLog;
  /** Seeded, one stream per fault step. */
  readonly random: () => number;
  readonly log: (line: string) => void;
  /** Keeps a fault in place for at least `ms` (and until the workload has run through it; bounded). */
  hold(ms: number): Promise<void>;
  /** Whether the processes run with TESSERA_CRASHSIM=1 (power loss possible). */
  readonly crashSim: boolean;
}

export interface Nemesis {
  /** Family (as named on the command line): kill, pause, partition, ... */
  readonly name: string;
  /** The specific fault: kill-leader, isolate-leader, flip-shard-bytes, ... */
  readonly action: string;
  run(ctx: NemesisContext): Promise<void>;
}

/** A uniformly chosen element (the generator decides). */
export function pick<T>(random: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick from an empty list');
  return items[Math.floor(random() * items.length)]!;
}
