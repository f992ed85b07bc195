/**
 * Planted bugs (DESIGN §4, `TESSERA_MUTATE=<name>[,<name>]`): compiled in, inert
 * unless set, so CI can prove the simulator catches each one. The environment
 * is read once, at module load; tests pass `RaftConfig.mutations` instead.
 */
import { ErrorCodes, KNOWN_MUTATIONS, MUTATE_ENV, TesseraError, isTesseraError, parseMutationList } from '@tessera/common';
import type { MutationName } from './types.js';

export { MUTATE_ENV };

export const MUTATION_NAMES: readonly MutationName[] = KNOWN_MUTATIONS.raft;

/** Raft's mutations among `value`'s names; other packages' names are ignored, unknown names refused. */
export function parseMutations(value: string | undefined): ReadonlySet<MutationName> {
  try {
    return parseMutationList(value, 'raft');
  } catch (err) {
    if (isTesseraError(err)) throw new TesseraError(ErrorCodes.RAFT_BAD_CONFIG, err.message);
    throw err;
  }
}

const fromEnv: ReadonlySet<MutationName> = parseMutations(process.env[MUTATE_ENV]);

/** The mutations named by TESSERA_MUTATE when the process started (usually none). */
export function envMutations(): ReadonlySet<MutationName> {
  return fromEnv;
}
