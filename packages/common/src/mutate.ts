/**
 * Planted bugs (DESIGN section 4): `TESSERA_MUTATE=<name>[,<name>]` switches on
 * known bugs compiled into the code, so CI can prove the simulator and the
 * chaos suite catch each one. Inert unless set.
 *
 * One variable serves every package, so the registry of names lives here:
 * each package picks out the names it owns and ignores the others, while a
 * name nobody owns (a typo) is an error everywhere — a mutation run that
 * silently plants nothing would pass for the wrong reason.
 */
import { ErrorCodes, TesseraError } from './errors.js';

export const MUTATE_ENV = 'TESSERA_MUTATE';

/** Every planted bug, by the package that owns it. */
export const KNOWN_MUTATIONS = {
  raft: ['commit-old-term', 'skip-vote-persist', 'truncate-committed'],
  storage: ['ack-before-fsync'],
  node: ['read-without-readindex'],
} as const;

export type MutationOwner = keyof typeof KNOWN_MUTATIONS;
export type KnownMutation = (typeof KNOWN_MUTATIONS)[MutationOwner][number];

const ALL: ReadonlySet<string> = new Set(Object.values(KNOWN_MUTATIONS).flat());

/**
 * The names in `value` that `owner` owns. Throws INVALID_ARGUMENT for a name
 * no package owns.
 */
export function parseMutationList<O extends MutationOwner>(value: string | undefined, owner: O): ReadonlySet<(typeof KNOWN_MUTATIONS)[O][number]> {
  const owned = KNOWN_MUTATIONS[owner] as readonly string[];
  const out = new Set<(typeof KNOWN_MUTATIONS)[O][number]>();
  for (const raw of (value ?? '').split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (!ALL.has(name)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `unknown ${MUTATE_ENV} value (known: ${[...ALL].join(', ')})`);
    if (owned.includes(name)) out.add(name as (typeof KNOWN_MUTATIONS)[O][number]);
  }
  return out;
}
