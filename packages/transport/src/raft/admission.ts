/**
 * Who may deliver a Raft message to a group on this process (DESIGN section
 * 2), decided from the verified principal of the connection and the
 * receiver's committed state — never from anything the sender merely claims:
 *
 *  - the peer must be a principal of the group's member kind (storage nodes
 *    for the metadata group, key managers for the key-manager group) whose id
 *    is the envelope's sender (a member cannot speak for another); anything
 *    else ends the stream;
 *  - the group must be served here and the message addressed to this member
 *    (and, when the sender names one, to this incarnation of it);
 *  - the cluster id must be ours (a joining member has none yet: the driver
 *    adopts its first leader's);
 *  - the sender must be a voter or learner of the committed configuration,
 *    with the incarnation id recorded there; a member that has not applied
 *    any configuration yet (started with --join) accepts every node peer.
 *
 * The driver (RaftNode) repeats the cluster and incarnation checks before
 * stepping a message; this is the transport's own line, which can also tell
 * the sender why (RaftFeedback).
 */
import type { ConfState, NodeId } from '@tessera/raft';
import type { Principal } from '../identity/principal.js';
import { parseGroupId, type WireEnvelope } from './envelope.js';

export type Refusal =
  | 'RAFT_REFUSAL_WRONG_CLUSTER'
  | 'RAFT_REFUSAL_UNKNOWN_GROUP'
  | 'RAFT_REFUSAL_WRONG_SENDER_INCARNATION'
  | 'RAFT_REFUSAL_WRONG_RECIPIENT_INCARNATION'
  | 'RAFT_REFUSAL_NOT_A_MEMBER'
  | 'RAFT_REFUSAL_MALFORMED';

/** Principal kinds that can be members of a Raft group (DESIGN section 2). */
export type MemberKind = 'node' | 'keymanager';

/** What the transport knows about one group served by this process. */
export interface GroupView {
  /** This member's id in the group. */
  readonly localId: NodeId;
  /** Kind of principal every member of this group is (default `node`). */
  readonly memberKind?: MemberKind;
  /** The cluster id ('' while a joining member has not learnt it). */
  clusterId(): string;
  /** This member's incarnation id. */
  incarnationId(): string;
  /** The configuration in effect (as of the last applied change). */
  confState(): ConfState;
}

export type Admission =
  | { readonly ok: true; readonly group: number }
  /** `fatal`: the connection's principal may not speak Raft for this sender at all. */
  | { readonly ok: false; readonly refusal: Refusal; readonly fatal: boolean; readonly group?: number };

const refuse = (refusal: Refusal, group?: number): Admission => ({ ok: false, refusal, fatal: false, ...(group !== undefined ? { group } : {}) });

const fatal: Admission = { ok: false, refusal: 'RAFT_REFUSAL_NOT_A_MEMBER', fatal: true };

export function admit(principal: Principal, envelope: WireEnvelope, groups: (group: number) => GroupView | undefined): Admission {
  if ((principal.kind !== 'node' && principal.kind !== 'keymanager') || principal.id !== envelope.from) return fatal;
  const group = parseGroupId(envelope.groupId);
  if (group === undefined) return refuse('RAFT_REFUSAL_MALFORMED');
  const view = groups(group);
  if (view === undefined || envelope.to !== view.localId) return refuse('RAFT_REFUSAL_UNKNOWN_GROUP', group);
  // A key manager never speaks for the metadata group, nor a storage node for the key managers'.
  if (principal.kind !== (view.memberKind ?? 'node')) return fatal;
  if (envelope.toIncarnationId !== '' && envelope.toIncarnationId !== view.incarnationId()) return refuse('RAFT_REFUSAL_WRONG_RECIPIENT_INCARNATION', group);
  const clusterId = view.clusterId();
  if (clusterId !== '' && envelope.clusterId !== clusterId) return refuse('RAFT_REFUSAL_WRONG_CLUSTER', group);
  const conf = view.confState();
  if (conf.voters.length === 0 && conf.learners.length === 0) return { ok: true, group };
  if (!conf.voters.includes(envelope.from) && !conf.learners.includes(envelope.from)) return refuse('RAFT_REFUSAL_NOT_A_MEMBER', group);
  const member = conf.members?.find((m) => m.id === envelope.from);
  if (member !== undefined && member.incarnationId !== envelope.fromIncarnationId) return refuse('RAFT_REFUSAL_WRONG_SENDER_INCARNATION', group);
  return { ok: true, group };
}
