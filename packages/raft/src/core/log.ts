/**
 * The replicated log as the core sees it: the durable part (read through the
 * storage's `RaftLogReader`) followed by the unstable part, plus the commit and
 * apply cursors.
 *
 * Invariants: applied <= committed <= lastIndex; firstIndex - 1 <= applied
 * (except transiently while a snapshot is being installed).
 */
import { limitSize, entrySize } from '../entry.js';
import { compactedError, invariantError, isCompacted, isUnavailable, unavailableError } from '../errors.js';
import type { Entry, RaftLogReader, Snapshot } from '../types.js';
import { Unstable } from './unstable.js';

export class RaftLog {
  readonly storage: RaftLogReader;
  readonly unstable: Unstable;
  committed: number;
  applied: number;
  /** Byte budget of committed entries handed out per Ready. */
  readonly maxApplyingSize: number;

  constructor(storage: RaftLogReader, maxApplyingSize: number) {
    this.storage = storage;
    this.maxApplyingSize = maxApplyingSize;
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new Unstable(last + 1);
    // Everything before the first entry is in the snapshot, hence committed and applied.
    this.committed = first - 1;
    this.applied = first - 1;
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  /** Last index known durable (what the leader may count for itself). */
  stableLastIndex(): number {
    if (this.unstable.entries.length > 0 || this.unstable.snapshot !== undefined) return this.unstable.offset - 1;
    return this.storage.lastIndex();
  }

  lastTerm(): number {
    return this.term(this.lastIndex());
  }

  /** Term of `index`; throws RAFT_LOG_COMPACTED / RAFT_LOG_UNAVAILABLE / RAFT_CORRUPT_LOG. */
  term(index: number): number {
    const t = this.unstable.maybeTerm(index);
    if (t !== undefined) return t;
    if (index + 1 < this.firstIndex()) throw compactedError(index);
    if (index > this.lastIndex()) throw unavailableError(index);
    return this.storage.term(index);
  }

  /** Term of `index`, or undefined when compacted or beyond the end (corruption still throws). */
  termOrUndefined(index: number): number | undefined {
    // Checked before `term` would throw: a follower asks this of every new
    // entry it receives (beyond its last index), and an error with its stack
    // trace cost about 3 % of a follower's CPU per Raft round (issue #12).
    const t = this.unstable.maybeTerm(index);
    if (t !== undefined) return t;
    if (index + 1 < this.firstIndex() || index > this.lastIndex()) return undefined;
    try {
      return this.storage.term(index);
    } catch (err) {
      if (isCompacted(err) || isUnavailable(err)) return undefined;
      throw err;
    }
  }

  matchTerm(index: number, term: number): boolean {
    return this.termOrUndefined(index) === term;
  }

  /**
   * Index of the first entry of `ents` that conflicts with the log (same index,
   * different term) or is new; 0 if all of `ents` are already present.
   */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * Fast backtracking (etcd's findConflictByTerm): the largest index <= `index`
   * whose term is <= `term`, with that term (0 when unknown: compacted).
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    for (let i = index; i > 0; i--) {
      const t = this.termOrUndefined(i);
      if (t === undefined) return { index: i, term: 0 };
      if (t <= term) return { index: i, term: t };
    }
    return { index: 0, term: 0 };
  }

  /**
   * Appends after truncating any conflicting suffix. Refuses to truncate at or
   * below `committed` (a committed entry is never removed) unless `allowBelowCommit`
   * (only the planted `truncate-committed` bug passes it).
   */
  append(ents: readonly Entry[], allowBelowCommit = false): number {
    const first = ents[0];
    if (first === undefined) return this.lastIndex();
    const after = first.index - 1;
    if (after < this.committed && !allowBelowCommit) {
      throw invariantError(`truncation after ${after} is below commit ${this.committed}`);
    }
    if (after > this.lastIndex()) throw invariantError(`append after ${after} leaves a gap past ${this.lastIndex()}`);
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  /** Entries [lo, hi) within `maxSize` bytes (at least one entry when lo < hi). */
  slice(lo: number, hi: number, maxSize = Number.POSITIVE_INFINITY): Entry[] {
    if (lo >= hi) return [];
    if (lo < this.firstIndex()) throw compactedError(lo);
    if (hi > this.lastIndex() + 1) throw invariantError(`slice [${lo}, ${hi}) out of bounds`);
    let out: Entry[] = [];
    const uOffset = this.unstable.offset;
    if (lo < uOffset) {
      const stored = this.storage.entries(lo, Math.min(hi, uOffset), maxSize);
      out = stored;
      // Storage stopped early because of the size budget.
      if (stored.length < Math.min(hi, uOffset) - lo) return stored;
    }
    if (hi > uOffset) {
      const unstable = this.unstable.slice(Math.max(lo, uOffset), hi);
      out = out.length > 0 ? out.concat(unstable) : unstable;
    }
    return limitSize(out, maxSize);
  }

  /** Entries from `index` to the end within `maxSize`. */
  entries(index: number, maxSize: number): Entry[] {
    if (index > this.lastIndex()) return [];
    return this.slice(index, this.lastIndex() + 1, maxSize);
  }

  maybeCommit(index: number, term: number, ignoreTerm = false): boolean {
    if (index > this.committed && (ignoreTerm || this.termOrUndefined(index) === term)) {
      this.commitTo(index);
      return true;
    }
    return false;
  }

  commitTo(index: number): void {
    if (index <= this.committed) return;
    if (index > this.lastIndex()) throw invariantError(`commit ${index} beyond last index ${this.lastIndex()}`);
    this.committed = index;
  }

  /**
   * Follower append (AppendEntries receiver, Figure 2 rules 2-5). Returns the
   * new last matching index, or undefined if the log does not contain
   * (prevIndex, prevTerm).
   */
  maybeAppend(
    prevIndex: number,
    prevTerm: number,
    leaderCommit: number,
    ents: readonly Entry[],
    plantTruncateCommitted = false,
  ): number | undefined {
    if (!this.matchTerm(prevIndex, prevTerm)) return undefined;
    const lastNew = prevIndex + ents.length;
    if (plantTruncateCommitted) {
      // Planted bug (openraft 9540c904): the message is taken as the whole
      // truth after prevIndex, so matching (even committed) entries after it
      // are deleted, and conflicts are truncated without the commit check.
      const ci = this.findConflict(ents);
      if (ci !== 0) this.unstable.truncateAndAppend(ents.slice(ci - (prevIndex + 1)));
      this.truncateAfter(lastNew);
      this.committed = Math.min(this.committed, this.lastIndex());
      this.applied = Math.min(this.applied, this.committed);
    } else {
      const ci = this.findConflict(ents);
      if (ci !== 0) {
        if (ci <= this.committed) throw invariantError(`entry ${ci} conflicts with committed ${this.committed}`);
        this.append(ents.slice(ci - (prevIndex + 1)));
      }
    }
    this.commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /** Only for the planted bug: forget every entry after `index`. */
  private truncateAfter(index: number): void {
    if (index >= this.lastIndex()) return;
    const u = this.unstable;
    if (index + 1 >= u.offset) {
      u.entries = u.entries.slice(0, index + 1 - u.offset);
      u.offsetInProgress = Math.min(u.offsetInProgress, u.offset + u.entries.length);
      return;
    }
    if (index < this.firstIndex()) return;
    // Re-stage entry `index` so that the storage write truncates after it.
    u.entries = this.slice(index, index + 1);
    u.offset = index;
    u.offsetInProgress = index;
  }

  hasNextOrInProgressSnapshot(): boolean {
    return this.unstable.snapshot !== undefined;
  }

  /** Committed entries not yet handed out for apply (nothing while a snapshot is pending). */
  nextCommittedEntries(): Entry[] {
    if (this.hasNextOrInProgressSnapshot()) return [];
    const lo = this.applied + 1;
    const hi = this.committed + 1;
    if (lo >= hi) return [];
    return this.slice(lo, hi, this.maxApplyingSize);
  }

  hasNextCommittedEntries(): boolean {
    return !this.hasNextOrInProgressSnapshot() && this.committed > this.applied;
  }

  appliedTo(index: number): void {
    if (index === 0) return;
    if (index > this.committed || index < this.applied) {
      throw invariantError(`applied ${index} outside [${this.applied}, ${this.committed}]`);
    }
    this.applied = index;
  }

  /** The leader's snapshot for a follower that needs compacted entries. */
  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  /** Replaces the whole log by `s` (a snapshot from the leader). */
  restore(s: Snapshot): void {
    this.committed = s.metadata.index;
    this.unstable.restore(s);
  }

  /** Sum of `entrySize` over [lo, hi) (used for inflight byte accounting). */
  static size(ents: readonly Entry[]): number {
    let n = 0;
    for (const e of ents) n += entrySize(e);
    return n;
  }
}
