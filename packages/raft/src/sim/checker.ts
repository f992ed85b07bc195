/**
 * The simulator's safety checks, fed by hooks as things happen:
 *  - election safety: at most one leader per term, ever;
 *  - log matching: two logs holding an entry with the same index and term hold
 *    the same entry and agree on the term of the entry before it (so, by
 *    induction, on the whole prefix) — checked at every storage write;
 *  - leader completeness: a new leader's log holds every committed entry;
 *  - state-machine safety: every replica applies, at each index, the one
 *    committed entry, and its digest equals the global chain's;
 *  - linearizable reads: a read index covers everything committed before the
 *    read was requested.
 * Committed = applied by some replica (the simulation's client acks on apply).
 */
import type { Entry, NodeId, Snapshot } from '../types.js';
import { entryKey } from './state-machine.js';

export class SafetyViolation extends Error {
  constructor(
    readonly invariant: string,
    message: string,
  ) {
    super(`${invariant}: ${message}`);
    this.name = 'SafetyViolation';
  }
}

interface LogView {
  firstIndex(): number;
  lastIndex(): number;
  rawEntries(): Entry[];
  snapshot(): Snapshot;
}

export class Checker {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** `${index}:${term}` -> `${prevTerm}|${entryKey}` as first written anywhere. */
  private readonly written = new Map<string, string>();
  /** Committed entries by index: entry key and the global digest after it. */
  private readonly committedKey = new Map<number, string>();
  private readonly committedTerm = new Map<number, number>();
  private readonly committedDigest = new Map<number, string>();
  /** Highest index applied by any replica. */
  maxCommitted = 0;
  leadersElected = 0;

  constructor(genesisIndex: number, genesisDigest: string) {
    this.committedDigest.set(genesisIndex, genesisDigest);
    this.maxCommitted = genesisIndex;
  }

  leader(id: NodeId, term: number): void {
    const prev = this.leaderOfTerm.get(term);
    if (prev === undefined) {
      this.leaderOfTerm.set(term, id);
      this.leadersElected++;
    } else if (prev !== id) {
      throw new SafetyViolation('election safety', `term ${term} has two leaders: ${prev} and ${id}`);
    }
  }

  /** `entries` were just written to `id`'s log; `termAt` reads that log. */
  wrote(id: NodeId, entries: readonly Entry[], termAt: (index: number) => number | undefined): void {
    for (const e of entries) {
      const prevTerm = termAt(e.index - 1);
      if (prevTerm === undefined) continue; // compacted: nothing to compare
      const k = `${e.index}:${e.term}`;
      const v = `${prevTerm}|${entryKey(e)}`;
      const seen = this.written.get(k);
      if (seen === undefined) this.written.set(k, v);
      else if (seen !== v) {
        throw new SafetyViolation('log matching', `${id} wrote index ${e.index} term ${e.term} as ${v}, elsewhere ${seen}`);
      }
    }
  }

  /** `id` applied `e`; `digest` is its state machine's digest after it. */
  applied(id: NodeId, e: Entry, prevIndex: number, digest: string): void {
    if (e.index !== prevIndex + 1) {
      throw new SafetyViolation('state-machine safety', `${id} applied ${e.index} after ${prevIndex}`);
    }
    const key = entryKey(e);
    const known = this.committedKey.get(e.index);
    if (known === undefined) {
      const prevDigest = this.committedDigest.get(e.index - 1);
      if (prevDigest === undefined && e.index - 1 > 0 && this.committedKey.has(e.index - 1)) {
        throw new SafetyViolation('state-machine safety', `no digest for ${e.index - 1}`);
      }
      this.committedKey.set(e.index, key);
      this.committedTerm.set(e.index, e.term);
      this.committedDigest.set(e.index, digest);
      if (e.index > this.maxCommitted) this.maxCommitted = e.index;
      return;
    }
    if (known !== key) {
      throw new SafetyViolation('state-machine safety', `${id} applied ${key} at ${e.index}, another replica applied ${known}`);
    }
    const d = this.committedDigest.get(e.index);
    if (d !== undefined && d !== digest) {
      throw new SafetyViolation('state-machine safety', `${id} diverged before index ${e.index}`);
    }
  }

  restored(id: NodeId, index: number, digest: string): void {
    const d = this.committedDigest.get(index);
    if (d !== undefined && d !== digest) {
      throw new SafetyViolation('state-machine safety', `${id} restored a snapshot at ${index} that differs from the committed state`);
    }
    if (d === undefined) this.committedDigest.set(index, digest);
    if (index > this.maxCommitted) this.maxCommitted = index;
  }

  /** A new leader's log must hold every committed entry (term compared; content by log matching). */
  leaderComplete(id: NodeId, log: LogView): void {
    if (log.lastIndex() < this.maxCommitted) {
      throw new SafetyViolation('leader completeness', `${id} leads with last index ${log.lastIndex()} < committed ${this.maxCommitted}`);
    }
    const ents = log.rawEntries();
    for (const e of ents) {
      if (e.index > this.maxCommitted) break;
      const t = this.committedTerm.get(e.index);
      if (t !== undefined && t !== e.term) {
        throw new SafetyViolation('leader completeness', `${id} leads with term ${e.term} at committed index ${e.index} (term ${t})`);
      }
    }
    const snap = log.snapshot().metadata;
    const st = this.committedTerm.get(snap.index);
    if (st !== undefined && st !== snap.term) {
      throw new SafetyViolation('leader completeness', `${id}'s snapshot at ${snap.index} has term ${snap.term}, committed ${st}`);
    }
  }

  digestAt(index: number): string | undefined {
    return this.committedDigest.get(index);
  }

  termAt(index: number): number | undefined {
    return this.committedTerm.get(index);
  }
}
