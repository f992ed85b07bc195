/**
 * Planted bugs for storage (DESIGN section 4): compiled in, inert unless
 * `TESSERA_MUTATE` names them, so CI can prove the tests catch each one.
 *
 * `TESSERA_MUTATE` is shared by every package (a comma-separated list); this
 * module picks out the names storage owns and ignores the others, which
 * belong to Raft or the node. The environment is read once, at module load;
 * tests pass mutations explicitly through the device options instead.
 *
 *   ack-before-fsync  the group committer tells callers "durable" right
 *                     after writing, before the fdatasync.
 */
import { KNOWN_MUTATIONS, MUTATE_ENV, parseMutationList } from '@tessera/common';

export { MUTATE_ENV };

export const STORAGE_MUTATIONS = KNOWN_MUTATIONS.storage;
export type StorageMutation = (typeof STORAGE_MUTATIONS)[number];

/** Storage's mutations among `value`'s names; other packages' names are ignored, unknown names refused. */
export function parseStorageMutations(value: string | undefined): ReadonlySet<StorageMutation> {
  return parseMutationList(value, 'storage');
}

const fromEnv = parseStorageMutations(process.env[MUTATE_ENV]);

/** The storage mutations named by TESSERA_MUTATE when the process started (normally none). */
export function envStorageMutations(): ReadonlySet<StorageMutation> {
  return fromEnv;
}
