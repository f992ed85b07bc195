/**
 * Seeded fault schedules for `npm run chaos`: from (seed, families,
 * duration) a replayable sequence of steps — which nemesis, which variant,
 * how long to hold it, how long to let the workload run before it. The
 * same arguments always give the same schedule; the nodes a step hits are
 * chosen at run time from the step's own seeded stream (e.g. "the leader").
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { FaultStep } from '../run/scenario.js';
import { seededRandom } from '../proxy/rng.js';
import { deviceLossNemesis, fillDeviceNemesis, flipShardBytesNemesis } from './disk.js';
import { addNodeNemesis } from './membership.js';
import { keyManagerNemesis, partitionNemesis } from './partition.js';
import { killNemesis, pauseNemesis, powerLossNemesis, rollingRestartNemesis } from './process.js';
import type { Nemesis } from './types.js';

type Factory = (holdMs: number) => Nemesis;

/** Every family the CLI knows, with its variants. */
export const NEMESIS_FAMILIES: Readonly<Record<string, readonly Factory[]>> = {
  kill: [(h) => killNemesis('leader', h), (h) => killNemesis('follower', h), (h) => killNemesis('any', h)],
  pause: [(h) => pauseNemesis('leader', h), (h) => pauseNemesis('follower', h)],
  partition: [(h) => partitionNemesis('minority', h), (h) => partitionNemesis('isolate-leader', h), (h) => partitionNemesis('asymmetric', h), (h) => partitionNemesis('bridge', h)],
  rolling: [() => rollingRestartNemesis()],
  membership: [() => addNodeNemesis()],
  km: [(h) => keyManagerNemesis('kill', h), (h) => keyManagerNemesis('cut', h)],
  disk: [(h) => flipShardBytesNemesis(h), (h) => deviceLossNemesis(h), (h) => fillDeviceNemesis(h)],
  powerloss: [(h) => powerLossNemesis('leader', h), (h) => powerLossNemesis('follower', h), (h) => powerLossNemesis('all', h)],
};

export function parseFamilies(list: string): string[] {
  const names = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'name at least one nemesis');
  for (const n of names) {
    if (NEMESIS_FAMILIES[n] === undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `unknown nemesis ${JSON.stringify(n)} (known: ${Object.keys(NEMESIS_FAMILIES).join(', ')})`);
  }
  return names;
}

export interface ScheduleOptions {
  readonly seed: number;
  readonly families: readonly string[];
  /** Faults start until this much time has passed since the first one. */
  readonly durationMs: number;
  /** How many spare node ids a membership change may use. */
  readonly spares: number;
}

/**
 * The step source for `runScenario`: a seeded generator of steps that stops
 * once the duration is used up. Membership changes stop once the spares are
 * used.
 */
export function seededSchedule(options: ScheduleOptions): (elapsedMs: number) => FaultStep | undefined {
  const random = seededRandom(options.seed >>> 0);
  let sparesLeft = options.spares;
  return (elapsedMs) => {
    if (elapsedMs >= options.durationMs) return undefined;
    const usable = options.families.filter((f) => f !== 'membership' || sparesLeft > 0);
    // Draw the same number of values every step, whatever is usable, so later steps do not shift.
    const familyRoll = random();
    const variantRoll = random();
    const gapMs = 2_000 + Math.floor(random() * 4_000);
    const holdMs = 3_000 + Math.floor(random() * 7_000);
    if (usable.length === 0) return undefined;
    const family = usable[Math.floor(familyRoll * usable.length)]!;
    if (family === 'membership') sparesLeft--;
    const variants = NEMESIS_FAMILIES[family]!;
    return { gapMs, nemesis: variants[Math.floor(variantRoll * variants.length)]!(holdMs) };
  };
}
