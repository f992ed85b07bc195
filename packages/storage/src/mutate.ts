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
export const MUTATE_ENV = 'TESSERA_MUTATE';

export const STORAGE_MUTATIONS = ['ack-before-fsync'] as const;
export type StorageMutation = (typeof STORAGE_MUTATIONS)[number];

export function parseStorageMutations(value: string | undefined): ReadonlySet<StorageMutation> {
  const out = new Set<StorageMutation>();
  for (const raw of (value ?? '').split(',')) {
    const name = raw.trim();
    if ((STORAGE_MUTATIONS as readonly string[]).includes(name)) out.add(name as StorageMutation);
  }
  return out;
}

const fromEnv = parseStorageMutations(process.env[MUTATE_ENV]);

/** The storage mutations named by TESSERA_MUTATE when the process started (normally none). */
export function envStorageMutations(): ReadonlySet<StorageMutation> {
  return fromEnv;
}
