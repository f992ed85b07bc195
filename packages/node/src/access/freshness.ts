/**
 * The clock rule for serving under a grant (DESIGN section 7): a node
 * serves only if it applied a leader entry within the last 3 s, by its
 * monotonic clock, whose timestamp is within 5 s of its own wall clock. A
 * node cut off from the leader stops applying entries (the leader's Clock
 * entry every second keeps an idle cluster's entries coming), and a node
 * whose wall clock drifted from the leader's cannot judge a window: both
 * refuse. Pure, with every clock passed in.
 */
import type { LeaderEntryMark } from '../metadata/machine.js';

/** Longest a node serves under grants after its last applied entry. */
export const MAX_ENTRY_AGE_MS = 3_000;
/** Largest difference allowed between that entry's timestamp and the node's own clock. */
export const MAX_CLOCK_SKEW_MS = 5_000;

export type Freshness = 'fresh' | 'no-entry' | 'entry-too-old' | 'clock-skew';

export function leaderFreshness(mark: LeaderEntryMark | undefined, nowMonotonicMs: number, nowWallMs: number): Freshness {
  if (mark === undefined) return 'no-entry';
  const age = nowMonotonicMs - mark.appliedAtMonotonicMs;
  if (age < 0 || age > MAX_ENTRY_AGE_MS) return 'entry-too-old';
  if (Math.abs(nowWallMs - mark.leaderTimeMs) > MAX_CLOCK_SKEW_MS) return 'clock-skew';
  return 'fresh';
}
