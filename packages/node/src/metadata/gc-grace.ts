/**
 * gcGrace (DESIGN section 6): how long a pending reference lives, how young
 * a chunk record is protected from GC, and how long retired placements
 * stay. A group setting (`setGcGrace`, for tests), so every replica uses the
 * same value at the same index.
 */
export const DEFAULT_GC_GRACE_MS = 10 * 60 * 1000;
/** Bounds a `setGcGrace` command may carry. */
export const MIN_GC_GRACE_MS = 1;
export const MAX_GC_GRACE_MS = 30 * 24 * 60 * 60 * 1000;
