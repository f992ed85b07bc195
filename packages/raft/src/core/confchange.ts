/**
 * Single-server membership changes on a `ConfState` (no joint consensus).
 * `validateConfChange` runs on the leader before a change is appended;
 * `applyConfChange` runs when the committed entry is applied and is total
 * (an invalid change is a no-op) so every replica computes the same result.
 */
import { RejectReason, type ConfChange, type ConfState, type MemberInfo, type NodeId } from '../types.js';

function sorted(ids: Iterable<NodeId>): NodeId[] {
  return [...ids].sort();
}

function isMember(cs: ConfState, id: NodeId): boolean {
  return cs.voters.includes(id) || cs.learners.includes(id);
}

function wasRemoved(cs: ConfState, id: NodeId): boolean {
  return cs.removed?.includes(id) ?? false;
}

export interface ValidateOptions {
  /** Allow a result of exactly two voters (e.g. the 1 -> 2 -> 3 growth path). */
  readonly force?: boolean;
}

/** Why `cc` may not be proposed against `cs`, or undefined if it may. */
export function validateConfChange(cs: ConfState, cc: ConfChange, options: ValidateOptions = {}): RejectReason | undefined {
  if (cc.nodeId === '') return RejectReason.InvalidConfChange;
  switch (cc.type) {
    case 'addLearner':
    case 'addVoter':
      if (isMember(cs, cc.nodeId) || wasRemoved(cs, cc.nodeId)) return RejectReason.InvalidConfChange;
      if (cc.type === 'addVoter' && !options.force) return RejectReason.InvalidConfChange;
      break;
    case 'promote':
      if (!cs.learners.includes(cc.nodeId)) return RejectReason.InvalidConfChange;
      break;
    case 'removeNode':
      if (!isMember(cs, cc.nodeId)) return RejectReason.InvalidConfChange;
      break;
  }
  const next = applyConfChange(cs, cc);
  if (next.voters.length === 0) return RejectReason.NoVoters;
  if (next.voters.length === 2 && cs.voters.length !== 2 && !options.force) return RejectReason.TwoVoters;
  return undefined;
}

export function applyConfChange(cs: ConfState, cc: ConfChange): ConfState {
  const voters = new Set(cs.voters);
  const learners = new Set(cs.learners);
  const removed = new Set(cs.removed ?? []);
  const members = new Map<NodeId, MemberInfo>((cs.members ?? []).map((m) => [m.id, m]));
  const id = cc.nodeId;
  switch (cc.type) {
    case 'addLearner':
    case 'addVoter':
      if (voters.has(id) || learners.has(id) || removed.has(id)) return cs;
      (cc.type === 'addLearner' ? learners : voters).add(id);
      if (cc.incarnationId !== undefined || cc.address !== undefined) {
        members.set(id, { id, incarnationId: cc.incarnationId ?? '', address: cc.address ?? '' });
      }
      break;
    case 'promote':
      if (!learners.has(id)) return cs;
      learners.delete(id);
      voters.add(id);
      break;
    case 'removeNode':
      if (!voters.has(id) && !learners.has(id)) return cs;
      voters.delete(id);
      learners.delete(id);
      members.delete(id);
      removed.add(id);
      break;
  }
  const out: ConfState = {
    voters: sorted(voters),
    learners: sorted(learners),
    ...(members.size > 0 ? { members: [...members.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) } : {}),
    ...(removed.size > 0 ? { removed: sorted(removed) } : {}),
  };
  return out;
}

export function confStatesEqual(a: ConfState, b: ConfState): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

function normalise(cs: ConfState): unknown {
  return [sorted(cs.voters), sorted(cs.learners), cs.members ?? [], sorted(cs.removed ?? [])];
}
