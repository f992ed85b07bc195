/**
 * What a replicated service implements to run under `RaftNode`.
 *
 * Applied index and state are one unit (etcd #13766, openraft 89bb48f8): an
 * implementation records the index of the last entry it applied in the SAME
 * atomic write as that entry's effects (one LevelDB batch), and reports it
 * from `appliedIndex()` after a restart. The driver never hands it an entry
 * at or below that index, so a crash between "state written" and "driver knew
 * it" can neither lose nor repeat an apply. The write need not be synced:
 * Raft entries are durable before they are applied, so an apply lost in a
 * crash is replayed from the log (or from the Raft snapshot, when the log
 * was compacted past it).
 */
import type { Entry, Snapshot } from '../types.js';

export interface StateMachine<Result> {
  /** Index of the last entry whose effects the state holds (0 when empty). */
  appliedIndex(): number;
  /**
   * Applies committed entries in log order, each exactly once: normal
   * entries with data, empty no-ops and conf-change entries alike (only the
   * first carry commands; all advance the applied index). Returns one result
   * per entry; results of entries nobody proposed on this node are ignored.
   * Must be deterministic: every replica applies the same entries.
   */
  apply(entries: readonly Entry[]): Promise<readonly Result[]>;
  /** The state as of `appliedIndex()`, serialised. */
  snapshot(): Promise<Uint8Array>;
  /** Replaces the whole state with `snapshot.data`, atomically with appliedIndex = snapshot index. */
  restore(snapshot: Snapshot): Promise<void>;
}
