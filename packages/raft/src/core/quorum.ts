/**
 * Majority arithmetic over the voters of a single configuration (no joint
 * consensus). Learners never appear here: they neither vote nor count.
 */
import type { NodeId } from '../types.js';

export type VoteResult = 'won' | 'lost' | 'pending';

export function quorumSize(voterCount: number): number {
  return Math.floor(voterCount / 2) + 1;
}

/**
 * The highest index replicated on a majority of `voters`, given each voter's
 * match index (missing voters count as 0). With no voters, 0.
 */
export function committedIndex(voters: readonly NodeId[], match: (id: NodeId) => number): number {
  if (voters.length === 0) return 0;
  const values = voters.map(match).sort((a, b) => b - a);
  return values[quorumSize(voters.length) - 1] ?? 0;
}

/** Outcome of an election given the votes received so far (true = granted). */
export function voteResult(voters: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  if (voters.length === 0) return 'won';
  let granted = 0;
  let rejected = 0;
  for (const id of voters) {
    const v = votes.get(id);
    if (v === true) granted++;
    else if (v === false) rejected++;
  }
  const q = quorumSize(voters.length);
  if (granted >= q) return 'won';
  if (voters.length - rejected < q) return 'lost';
  return 'pending';
}

/** Whether the voters in `acked` form a majority. */
export function hasQuorum(voters: readonly NodeId[], acked: (id: NodeId) => boolean): boolean {
  let n = 0;
  for (const id of voters) if (acked(id)) n++;
  return n >= quorumSize(voters.length);
}
