/**
 * A Raft group's metrics (both processes: the storage nodes' metadata group,
 * the key managers' group). Labelled by group name only: the constant
 * `group` label lets one dashboard show both kinds of process.
 */
import type { Registry } from 'prom-client';
import { StateRole, type RaftNodeObserver, type RaftNodeStats, type RaftNodeStatus } from '@tessera/raft';
import { counterFrom, gaugeFrom, latencyHistogram } from './families.js';

/** What the metrics read of a RaftNode (a RaftNode satisfies it). */
export interface RaftMetricsSource {
  readonly stats: RaftNodeStats;
  status(): RaftNodeStatus;
  observe(observer: RaftNodeObserver): () => void;
}

type StatCounter = readonly [keyof RaftNodeStats, string, string];

const STAT_COUNTERS: readonly StatCounter[] = [
  ['leaderChanges', 'tessera_raft_leader_changes_total', 'Times this member learnt of a new leader.'],
  ['syncedBatches', 'tessera_raft_synced_batches_total', 'Raft log writes made durable with fsync (one per Ready that needed it).'],
  ['entriesPersisted', 'tessera_raft_entries_persisted_total', 'Log entries written by this member.'],
  ['entriesApplied', 'tessera_raft_entries_applied_total', 'Committed entries applied to the state machine.'],
  ['messagesSent', 'tessera_raft_messages_sent_total', 'Raft messages handed to the transport.'],
  ['messagesDropped', 'tessera_raft_messages_dropped_total', 'Raft messages the transport refused (peer down, queue full).'],
  ['messagesRefused', 'tessera_raft_messages_refused_total', 'Received Raft messages refused (wrong cluster, incarnation or membership).'],
  ['snapshotsCreated', 'tessera_raft_snapshots_created_total', 'Snapshots this member took of its state machine.'],
  ['snapshotsInstalled', 'tessera_raft_snapshots_installed_total', 'Snapshots received from a leader and installed.'],
];

const PROPOSAL_OUTCOMES: ReadonlyArray<readonly [keyof RaftNodeStats, string]> = [
  ['proposalsApplied', 'applied'],
  ['proposalsNotLeader', 'not_leader'],
  ['proposalsRejected', 'rejected'],
  ['proposalsUnknown', 'unknown'],
];

/** Registers the group's families; returns a function that detaches the timing hooks. */
export function registerRaftMetrics(registry: Registry, raft: RaftMetricsSource, group: string): () => void {
  const labels = { group };
  const status = (pick: (s: RaftNodeStatus) => number) => () => [{ labels, value: pick(raft.status()) }];
  gaugeFrom(registry, { name: 'tessera_raft_term', help: 'Current Raft term of this member.', labelNames: ['group'], read: status((s) => s.term) });
  gaugeFrom(registry, { name: 'tessera_raft_is_leader', help: '1 when this member leads its Raft group.', labelNames: ['group'], read: status((s) => (s.role === StateRole.Leader ? 1 : 0)) });
  gaugeFrom(registry, { name: 'tessera_raft_has_leader', help: '1 when this member knows a leader of its group.', labelNames: ['group'], read: status((s) => (s.lead === '' ? 0 : 1)) });
  gaugeFrom(registry, { name: 'tessera_raft_commit_index', help: 'Highest log index this member knows committed.', labelNames: ['group'], read: status((s) => s.commit) });
  gaugeFrom(registry, { name: 'tessera_raft_applied_index', help: 'Highest log index applied to the state machine here.', labelNames: ['group'], read: status((s) => s.applied) });
  gaugeFrom(registry, {
    name: 'tessera_raft_members',
    help: 'Members of the group in the configuration this member applied, by role.',
    labelNames: ['group', 'role'],
    read: () => {
      const conf = raft.status().confState;
      return [
        { labels: { group, role: 'voter' }, value: conf.voters.length },
        { labels: { group, role: 'learner' }, value: conf.learners.length },
      ];
    },
  });
  for (const [field, name, help] of STAT_COUNTERS) {
    counterFrom(registry, { name, help, labelNames: ['group'], read: () => [{ labels, value: raft.stats[field] }] });
  }
  counterFrom(registry, {
    name: 'tessera_raft_proposals_total',
    help: "This member's proposals by outcome: applied, not_leader, rejected (nothing appended) or unknown (appended, no result).",
    labelNames: ['group', 'outcome'],
    read: () => PROPOSAL_OUTCOMES.map(([field, outcome]) => ({ labels: { group, outcome }, value: raft.stats[field] })),
  });
  const fsync = latencyHistogram(registry, { name: 'tessera_raft_fsync_duration_seconds', help: 'Time to write and fsync one Raft Ready batch.', labelNames: ['group'] });
  const commit = latencyHistogram(registry, { name: 'tessera_raft_commit_duration_seconds', help: 'Time from a proposal on the leader to its result applied there.', labelNames: ['group'] });
  return raft.observe({ onSync: (s) => fsync.observe(labels, s), onCommit: (s) => commit.observe(labels, s) });
}
