/**
 * Planted bugs (DESIGN §4, `TESSERA_MUTATE=<name>[,<name>]`): compiled in, inert
 * unless set, so CI can prove the simulator catches each one. The environment
 * is read once, at module load; tests pass `RaftConfig.mutations` instead.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { MutationName } from './types.js';

export const MUTATE_ENV = 'TESSERA_MUTATE';

export const MUTATION_NAMES: readonly MutationName[] = ['commit-old-term', 'skip-vote-persist', 'truncate-committed'];

export function parseMutations(value: string | undefined): ReadonlySet<MutationName> {
  const out = new Set<MutationName>();
  if (value === undefined || value.trim() === '') return out;
  for (const raw of value.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (!(MUTATION_NAMES as readonly string[]).includes(name)) {
      throw new TesseraError(ErrorCodes.RAFT_BAD_CONFIG, `unknown ${MUTATE_ENV} value`);
    }
    out.add(name as MutationName);
  }
  return out;
}

const fromEnv: ReadonlySet<MutationName> = parseMutations(process.env[MUTATE_ENV]);

/** The mutations named by TESSERA_MUTATE when the process started (usually none). */
export function envMutations(): ReadonlySet<MutationName> {
  return fromEnv;
}
