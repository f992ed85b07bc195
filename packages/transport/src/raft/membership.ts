/**
 * Membership handlers of a Raft group served over gRPC: status, members, add
 * (learner, then — with `voter` — caught up and promoted), remove,
 * leadership transfer. The storage node mounts them as the membership part
 * of `tessera.v1.Admin` (client port); the key manager mounts status and add
 * in `tessera.v1.Keys` (keys port). Cluster admins only, per the
 * authorization table.
 *
 * Changes are made on the leader; another member answers UNAVAILABLE with
 * the leader's id in the `tessera-leader` metadata.
 */
import type * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { NotLeaderError, StateRole, type ConfState, type NodeId, type ProgressStatus, type RaftNode } from '@tessera/raft';
import {
  u64String,
  type AddMemberRequest__Output,
  type AddMemberResponse,
  type ClusterStatusRequest__Output,
  type ClusterStatusResponse,
  type ListMembersRequest__Output,
  type ListMembersResponse,
  type MemberStatus,
  type RemoveMemberRequest__Output,
  type RemoveMemberResponse,
  type TransferLeaderRequest__Output,
  type TransferLeaderResponse,
} from '@tessera/wire';
import { unary } from '../rpc/status.js';

export interface MembershipView {
  readonly node: RaftNode<unknown>;
  clusterId(): string;
  /** The leader's view of every member (empty on followers). */
  progress(): ReadonlyMap<NodeId, ProgressStatus>;
  snapshotIndex(): number;
  firstLogIndex(): number;
  /** SHA-256 (hex) of the replicated state as of the applied index, when the process computes one. */
  stateDigest?(): string;
}

export interface MembershipOptions {
  /** How long AddMember waits for a learner to catch up before promoting it. Default 60 s. */
  readonly catchUpTimeoutMs?: number;
  /**
   * Called before a new member is added; throws to refuse (a key manager
   * whose root provider serves one member only refuses every addition).
   */
  readonly beforeAdd?: (member: { readonly id: NodeId; readonly membersAfter: number }) => void;
  /**
   * Called on the leader before a member is removed; throws to refuse (the
   * storage node's membership safety rules: a node still holding shards, a
   * removal leaving fewer than three voters, unless `force`).
   */
  readonly beforeRemove?: (removal: MemberRemoval, call: grpc.ServerUnaryCall<RemoveMemberRequest__Output, RemoveMemberResponse>) => Promise<void> | void;
  /**
   * Called on the leader once a removal committed (the storage node takes the
   * removed node's devices out of placement); its failure does not undo the
   * removal, so it should log rather than throw.
   */
  readonly afterRemove?: (removal: MemberRemoval) => Promise<void>;
}

/** What RemoveMember is about to do, as `beforeRemove` sees it. */
export interface MemberRemoval {
  readonly id: NodeId;
  readonly force: boolean;
  /** Whether the member is a voter (else a learner). */
  readonly voter: boolean;
  /** Voters once the change commits. */
  readonly votersAfter: number;
}

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

function requireLeader(node: RaftNode<unknown>): void {
  const s = node.status();
  if (s.role !== StateRole.Leader) throw new NotLeaderError(s.lead === '' ? undefined : s.lead);
}

function members(view: MembershipView): MemberStatus[] {
  const conf: ConfState = view.node.status().confState;
  const progress = view.progress();
  const describe = (id: NodeId, role: 'MEMBER_ROLE_VOTER' | 'MEMBER_ROLE_LEARNER'): MemberStatus => {
    const identity = conf.members?.find((m) => m.id === id) ?? { id, incarnationId: '', address: '' };
    const p = progress.get(id);
    return { identity, role, matchIndex: u64String(p?.match ?? 0), reachable: p?.recentActive ?? false };
  };
  return [...conf.voters.map((id) => describe(id, 'MEMBER_ROLE_VOTER')), ...conf.learners.map((id) => describe(id, 'MEMBER_ROLE_LEARNER'))];
}

/** The handlers, by Admin method name. */
export interface MembershipHandlers {
  readonly ClusterStatus: grpc.handleUnaryCall<ClusterStatusRequest__Output, ClusterStatusResponse>;
  readonly ListMembers: grpc.handleUnaryCall<ListMembersRequest__Output, ListMembersResponse>;
  readonly AddMember: grpc.handleUnaryCall<AddMemberRequest__Output, AddMemberResponse>;
  readonly RemoveMember: grpc.handleUnaryCall<RemoveMemberRequest__Output, RemoveMemberResponse>;
  readonly TransferLeader: grpc.handleUnaryCall<TransferLeaderRequest__Output, TransferLeaderResponse>;
}

export function membershipHandlers(view: MembershipView, options: MembershipOptions = {}): MembershipHandlers {
  const { node } = view;
  const catchUpTimeoutMs = options.catchUpTimeoutMs ?? 60_000;

  /** Waits until the leader sees `id` replicated up to the commit index of now. */
  const waitCaughtUp = async (id: NodeId): Promise<void> => {
    const target = node.status().commit;
    const deadline = Date.now() + catchUpTimeoutMs;
    for (;;) {
      requireLeader(node);
      if ((view.progress().get(id)?.match ?? 0) >= target) return;
      if (Date.now() > deadline) throw new TesseraError(ErrorCodes.RAFT_TIMEOUT, `learner ${id} did not catch up`, { retriable: true });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  return {
    ClusterStatus: unary<ClusterStatusRequest__Output, ClusterStatusResponse>(async () => {
      const s = node.status();
      return {
        clusterId: view.clusterId(),
        leaderId: s.lead,
        term: u64String(s.term),
        commitIndex: u64String(s.commit),
        members: members(view),
        nodeId: s.id,
        appliedIndex: u64String(s.applied),
        snapshotIndex: u64String(view.snapshotIndex()),
        firstLogIndex: u64String(view.firstLogIndex()),
        snapshotsInstalled: u64String(node.stats.snapshotsInstalled),
        stateDigest: view.stateDigest?.() ?? '',
      };
    }),
    ListMembers: unary<ListMembersRequest__Output, ListMembersResponse>(async () => ({ members: members(view) })),
    AddMember: unary<AddMemberRequest__Output, AddMemberResponse>(async (req) => {
      const m = req.member;
      if (m === null || !ID_PATTERN.test(m.id) || m.incarnationId === '' || m.address === '') {
        throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a member needs an id, an incarnation id and an address');
      }
      requireLeader(node);
      const conf = node.status().confState;
      if (conf.removed?.includes(m.id) === true) throw new TesseraError(ErrorCodes.RAFT_REJECTED, `member id ${m.id} was removed and is never reused`);
      const present = conf.voters.includes(m.id) || conf.learners.includes(m.id);
      if (present) {
        const known = conf.members?.find((x) => x.id === m.id);
        if (known !== undefined && known.incarnationId !== m.incarnationId) {
          throw new TesseraError(ErrorCodes.RAFT_REJECTED, `member ${m.id} exists with another incarnation`);
        }
      } else {
        options.beforeAdd?.({ id: m.id, membersAfter: conf.voters.length + conf.learners.length + 1 });
        await node.proposeConfChange({ type: 'addLearner', nodeId: m.id, incarnationId: m.incarnationId, address: m.address });
      }
      if (req.voter && !node.status().confState.voters.includes(m.id)) {
        await waitCaughtUp(m.id);
        // Growing from one voter passes through two; that is the only forced change.
        const voters = node.status().confState.voters.length;
        await node.proposeConfChange({ type: 'promote', nodeId: m.id }, { force: voters + 1 === 2 });
      }
      return { index: u64String(node.status().applied) };
    }),
    RemoveMember: unary<RemoveMemberRequest__Output, RemoveMemberResponse>(async (req, call) => {
      requireLeader(node);
      const conf = node.status().confState;
      if (!conf.voters.includes(req.id) && !conf.learners.includes(req.id)) throw new TesseraError(ErrorCodes.NOT_FOUND, `no member ${req.id}`);
      const voter = conf.voters.includes(req.id);
      const removal: MemberRemoval = { id: req.id, force: req.force, voter, votersAfter: conf.voters.length - (voter ? 1 : 0) };
      await options.beforeRemove?.(removal, call);
      // `force` also lets Raft go down to two voters (never to none).
      await node.proposeConfChange({ type: 'removeNode', nodeId: req.id }, { force: req.force });
      await options.afterRemove?.(removal).catch(() => undefined);
      return { index: u64String(node.status().applied) };
    }),
    TransferLeader: unary<TransferLeaderRequest__Output, TransferLeaderResponse>(async (req) => {
      await node.transferLeader(req.id);
      return { leaderId: req.id };
    }),
  };
}
