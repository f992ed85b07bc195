import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';
import { afterEach, describe, expect, it } from 'vitest';
import { NotLeaderError, RejectedError, UnknownOutcomeError } from '../src/node/errors.js';
import { openDurableKv } from '../src/storage/crashsim.js';
import { entryKey } from '../src/storage/level-records.js';
import type { RaftEnvelope } from '../src/transport/types.js';
import { MessageType, type Message, type NodeId } from '../src/types.js';
import { FAST, GROUP, TestCluster, waitFor, type Member } from './node-cluster.js';
import { KvMachine, encodeCommand, type KvCommand } from './node-kv-machine.js';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.shutdown();
  cluster = undefined;
});

const set = (key: string, value: string): Uint8Array => encodeCommand({ op: 'set', key, value });

function followers(c: TestCluster): Member[] {
  const leader = c.leaderId();
  return c.running().filter((m) => m.id !== leader);
}

async function converged(c: TestCluster, key: string, value: string): Promise<void> {
  await waitFor(`${key}=${value} everywhere`, () => c.running().every((m) => m.sm.get(key) === value));
}

function message(overrides: Partial<Message> & Pick<Message, 'type' | 'from' | 'to' | 'term'>): Message {
  return { logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, ...overrides };
}

describe('RaftNode: election and replication', () => {
  it('grows from a bootstrap member by joins, elects a leader and replicates', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    const leader = cluster.leaderNode();
    const conf = leader.status().confState;
    expect(conf.voters).toEqual(['n1', 'n2', 'n3']);
    // Every member joined with its own incarnation id, recorded by the conf change.
    expect(conf.members?.map((m) => [m.id, m.incarnationId])).toEqual(
      ['n1', 'n2', 'n3'].map((id) => [id, cluster!.member(id).storage.identity().incarnationId]),
    );
    // Joiners learnt the cluster id from the leader and persisted it.
    const clusterIds = new Set([...cluster.members.values()].map((m) => m.storage.identity().clusterId));
    expect(clusterIds.size).toBe(1);
    expect(await leader.propose(set('k', 'v'))).toEqual({ ok: true, value: 'v' });
    await converged(cluster, 'k', 'v');
  });

  it('a follower refuses proposals with NotLeader naming the leader', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    const leaderId = cluster.leaderId()!;
    const follower = followers(cluster)[0]!;
    const err = await follower.node.propose(set('k', 'v')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotLeaderError);
    expect(err).toMatchObject({ code: ErrorCodes.RAFT_NOT_LEADER, leader: leaderId });
  });

  it('group commit: concurrent proposals share synced batches', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    const leader = cluster.leaderNode();
    const before = { ...leader.stats };
    const results = await Promise.all(Array.from({ length: 64 }, (_, i) => leader.propose(set(`g${i}`, String(i)))));
    expect(results.every((r) => r.ok)).toBe(true);
    const entries = leader.stats.entriesPersisted - before.entriesPersisted;
    const syncs = leader.stats.syncedBatches - before.syncedBatches;
    expect(entries).toBeGreaterThanOrEqual(64);
    expect(syncs).toBeLessThan(64);
  });

  it('transfers leadership to a chosen follower', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    const target = followers(cluster)[0]!.id;
    await cluster.leaderNode().transferLeader(target);
    expect(await cluster.waitForLeader()).toBe(target);
  });

  it('refuses removing down to two voters unless forced, then removes', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    const victim = followers(cluster)[0]!.id;
    const refused = await cluster.leaderNode().proposeConfChange({ type: 'removeNode', nodeId: victim }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RejectedError);
    expect(refused).toMatchObject({ reason: 'twoVoters' });
    const conf = await cluster.leaderNode().proposeConfChange({ type: 'removeNode', nodeId: victim }, { force: true });
    expect(conf.voters).not.toContain(victim);
    expect(conf.removed).toContain(victim);
    // Ids are never reused, even with the old incarnation.
    const incarnationId = cluster.member(victim).storage.identity().incarnationId;
    const again = await cluster.leaderNode().proposeConfChange({ type: 'addLearner', nodeId: victim, incarnationId, address: 'x' }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: ErrorCodes.RAFT_REJECTED, reason: 'invalidConfChange' });
  });
});

describe('RaftNode: linearizable reads', () => {
  it('readIndex on the leader and on a follower sees every acknowledged write', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    const leader = cluster.leaderNode();
    await leader.propose(set('r', '1'));
    const index = await leader.readIndex();
    expect(index).toBeGreaterThanOrEqual(leader.status().commit - 1);
    expect(cluster.member(cluster.leaderId()!).sm.get('r')).toBe('1');
    const follower = followers(cluster)[0]!;
    await leader.propose(set('r', '2'));
    await follower.node.readIndex();
    // Resolved only once the follower applied up to the read index.
    expect(follower.sm.get('r')).toBe('2');
  });
});

describe('RaftNode: restarts and power loss', () => {
  it('a stopped follower reloads its state and catches up after restart', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    await cluster.leaderNode().propose(set('a', '1'));
    await converged(cluster, 'a', '1');
    const f = followers(cluster)[0]!;
    await cluster.stop(f.id);
    await cluster.leaderNode().propose(set('b', '2'));
    await cluster.restart(f.id);
    expect(f.sm.get('a')).toBe('1'); // reloaded from its own store
    await converged(cluster, 'b', '2');
  });

  it('simulated power loss of every node: acknowledged writes survive and no node votes twice in a term', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    const votes = new Map<string, NodeId>();
    const doubleVotes: string[] = [];
    cluster.network.observe((_from, _to, env) => {
      const m = env.message;
      if (m.type !== MessageType.VoteResp || m.reject) return;
      const key = `${m.from}@${m.term}`;
      const prior = votes.get(key);
      if (prior !== undefined && prior !== m.to) doubleVotes.push(`${key}: ${prior} and ${m.to}`);
      votes.set(key, m.to);
    });
    const acked: string[] = [];
    for (let round = 0; round < 3; round++) {
      const leader = cluster.leaderNode();
      const batch = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => leader.propose(set(`p${round}-${i}`, 'x'))));
      batch.forEach((r, i) => {
        if (r.status === 'fulfilled') acked.push(`p${round}-${i}`);
      });
      // Power fails everywhere at once; un-synced writes (commit indexes, state-machine batches) are lost.
      const leaderId = cluster.leaderId()!;
      const appliedBefore = cluster.member(leaderId).sm.appliedIndex();
      for (const id of ['n1', 'n2', 'n3']) await cluster.stop(id, true);
      // The leader's last applies were never covered by a sync: they are gone,
      // and come back only by replay from the (synced) Raft log.
      const raw = await openDurableKv(cluster.member(leaderId).dir, { crashSim: true });
      expect((await KvMachine.open(raw)).appliedIndex()).toBeLessThan(appliedBefore);
      await raw.close();
      for (const id of ['n1', 'n2', 'n3']) await cluster.restart(id);
      await cluster.waitForLeader();
    }
    expect(acked.length).toBeGreaterThanOrEqual(30);
    await cluster.retry(() => cluster!.leaderNode().readIndex());
    const leaderSm = cluster.member(cluster.leaderId()!).sm;
    expect(acked.filter((k) => leaderSm.get(k) !== 'x')).toEqual([]);
    await converged(cluster, acked[acked.length - 1]!, 'x');
    expect(doubleVotes).toEqual([]);
  });

  it('a leader whose disk fails (ENOSPC) stops acknowledging; the others carry on', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    const leaderId = cluster.leaderId()!;
    const leader = cluster.member(leaderId);
    leader.kv.setWriteFault(() => {
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    });
    const err = await leader.node.propose(set('full', '1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownOutcomeError);
    await waitFor('the node to stop', () => leader.node.stopped);
    expect(leader.node.failed?.code).toBe(ErrorCodes.RAFT_STORAGE);
    const later = await leader.node.propose(set('x', '1')).catch((e: unknown) => e);
    expect(isTesseraError(later, ErrorCodes.RAFT_STORAGE)).toBe(true);
    leader.running = false;
    const next = await cluster.waitForLeader([leaderId]);
    expect(await cluster.member(next).node.propose(set('after', '1'))).toEqual({ ok: true, value: '1' });
    leader.kv.setWriteFault(undefined);
  });
});

describe('RaftNode: snapshots', () => {
  it('a follower far behind catches up by snapshot after the leader compacted', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3'], { ...FAST, snapshotEntries: 20, retainEntries: 5 });
    const lagging = followers(cluster)[0]!;
    cluster.network.isolate(lagging.id);
    const leaderId = await cluster.waitForLeader([lagging.id]);
    const leader = cluster.member(leaderId);
    for (let i = 0; i < 60; i++) await leader.node.propose(set(`s${i}`, String(i)));
    expect(leader.storage.firstIndex()).toBeGreaterThan(lagging.storage.lastIndex() + 1);
    expect(leader.node.stats.snapshotsCreated).toBeGreaterThan(0);
    cluster.network.healAll();
    await waitFor('the lagging follower to catch up', () => lagging.sm.get('s59') === '59');
    expect(lagging.node.stats.snapshotsInstalled).toBeGreaterThan(0);
    expect(lagging.sm.get('s0')).toBe('0');
  });
});

describe('RaftNode: corruption', () => {
  it('a follower that finds a corrupt entry at start-up is repaired by a snapshot, never by truncating', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    for (let i = 0; i < 5; i++) await cluster.leaderNode().propose(set(`c${i}`, 'x'));
    await converged(cluster, 'c4', 'x');
    const f = followers(cluster)[0]!;
    await cluster.stop(f.id);
    const bad = f.storage.lastIndex();
    const raw = await openDurableKv(f.dir, { crashSim: true });
    const key = entryKey(GROUP, bad);
    const record = (await raw.get(key))!;
    record[record.length - 1] = record[record.length - 1]! ^ 0x10;
    await raw.write([{ type: 'put', key, value: record }], { sync: true });
    await raw.close();
    await cluster.restart(f.id);
    expect(f.storage.corruptIndexes()).toEqual([bad]);
    await cluster.leaderNode().propose(set('after', '1'));
    await waitFor('the repair by snapshot', () => f.node.stats.snapshotsInstalled > 0 && f.sm.get('after') === '1');
    expect(f.storage.corruptIndexes()).toEqual([]);
    expect(f.sm.get('c4')).toBe('x');
  });
});

describe('RaftNode: proposal outcomes', () => {
  it('proposals to a leader that lost its quorum end Unknown or NotLeader, never as results', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    const oldId = cluster.leaderId()!;
    const old = cluster.member(oldId);
    cluster.network.isolate(oldId);
    const pending = Array.from({ length: 5 }, (_, i) => old.node.propose(set(`lost${i}`, 'x')));
    const outcomes = await Promise.allSettled(pending);
    for (const o of outcomes) {
      expect(o.status).toBe('rejected');
      const reason = (o as PromiseRejectedResult).reason as unknown;
      expect(reason instanceof UnknownOutcomeError || reason instanceof NotLeaderError).toBe(true);
    }
    expect(outcomes.some((o) => (o as PromiseRejectedResult).reason instanceof UnknownOutcomeError)).toBe(true);
    const newId = await cluster.waitForLeader([oldId]);
    await cluster.member(newId).node.propose(set('after', '1'));
    cluster.network.healAll();
    await converged(cluster, 'after', '1');
    // The Unknown proposals were never committed here; the old leader's copies were overwritten.
    expect(old.sm.get('lost0')).toBeUndefined();
    const late = await old.node.propose(set('y', '1')).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: ErrorCodes.RAFT_NOT_LEADER, leader: newId });
  });

  it('stop() rejects appended proposals with Unknown and queued ones with RAFT_STOPPED', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    const leader = cluster.member(cluster.leaderId()!);
    for (const f of followers(cluster)) cluster.network.cut(leader.id, f.id);
    const appended = leader.node.propose(set('u', '1')).catch((e: unknown) => e);
    await waitFor('the proposal to be appended', () => leader.storage.lastIndex() >= leader.node.status().commit + 1);
    leader.running = false;
    await leader.node.stop();
    await leader.kv.close();
    expect(await appended).toMatchObject({ code: ErrorCodes.RAFT_UNKNOWN_OUTCOME, why: 'stopped' });
    const after = await leader.node.propose(set('v', '1')).catch((e: unknown) => e);
    expect(after).toMatchObject({ code: ErrorCodes.RAFT_STOPPED });
  });
});

describe('RaftNode: sessions make retries safe', () => {
  it('a retried increment applies once on every replica, across a leader crash', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    const open = await cluster.retry(() => cluster!.leaderNode().propose(encodeCommand({ op: 'openSession', ts: Date.now() })));
    const clientId = Number(open.ok ? open.value : NaN);
    const incr = (seq: number, acked: number): KvCommand => ({ op: 'incr', key: 'c', clientId, seq, acked, ts: Date.now() });
    const first = await cluster.leaderNode().propose(encodeCommand(incr(1, 0)));
    expect(first).toEqual({ ok: true, value: '1', duplicate: false });
    // The client never saw the reply: it retries, concurrently, then after the leader dies.
    const retries = await Promise.all([1, 2, 3].map(() => cluster!.leaderNode().propose(encodeCommand(incr(1, 0)))));
    expect(retries.every((r) => r.ok && r.value === '1' && r.duplicate === true)).toBe(true);
    const oldLeader = cluster.leaderId()!;
    await cluster.stop(oldLeader, true);
    await cluster.waitForLeader([oldLeader]);
    const afterCrash = await cluster.retry(() => cluster!.leaderNode().propose(encodeCommand(incr(1, 0))));
    expect(afterCrash).toEqual({ ok: true, value: '1', duplicate: true });
    const second = await cluster.retry(() => cluster!.leaderNode().propose(encodeCommand(incr(2, 1))));
    expect(second).toMatchObject({ ok: true, value: '2' });
    const stale = await cluster.retry(() => cluster!.leaderNode().propose(encodeCommand(incr(1, 0))));
    expect(stale).toEqual({ ok: false, code: ErrorCodes.RAFT_SESSION_STALE });
    await cluster.restart(oldLeader);
    await converged(cluster, 'c', '2');
    for (const m of cluster.running()) expect([...m.sm.executions.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('RaftNode: identity checks on received messages', () => {
  it('refuses messages from another cluster, an old incarnation, or a non-member', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    const leaderId = cluster.leaderId()!;
    const leader = cluster.member(leaderId);
    const follower = followers(cluster)[0]!;
    const term = leader.node.status().term;
    const intruder = cluster.network.endpoint('intruder');
    intruder.subscribe(GROUP, () => undefined);
    const clusterId = leader.storage.identity().clusterId;
    const realIncarnation = follower.storage.identity().incarnationId;
    // Each would depose the leader (higher term) if it were accepted.
    const attempts: RaftEnvelope[] = [
      { group: GROUP, clusterId: 'another-cluster', fromIncarnation: realIncarnation, message: message({ type: MessageType.Vote, from: follower.id, to: leaderId, term: term + 5 }) },
      { group: GROUP, clusterId, fromIncarnation: 'old-incarnation', message: message({ type: MessageType.Vote, from: follower.id, to: leaderId, term: term + 5 }) },
      { group: GROUP, clusterId, fromIncarnation: realIncarnation, message: message({ type: MessageType.Vote, from: 'n9', to: leaderId, term: term + 5 }) },
    ];
    const refusedBefore = leader.node.stats.messagesRefused;
    for (const env of attempts) expect(intruder.send(env)).toBe(true);
    await waitFor('refusals', () => leader.node.stats.messagesRefused >= refusedBefore + 3);
    expect(leader.node.status().term).toBe(term);
    expect(cluster.leaderId()).toBe(leaderId);
  });

  it('a new member that learned only an old configuration accepts the current leader (never-removed id)', async () => {
    // The bootstrap snapshot (index 1) names only n1. Once n1 is removed, a new
    // member catching up from that snapshot hears from a leader its applied
    // configuration does not name; refusing it would stall the member forever.
    cluster = await TestCluster.start(['n1', 'n2', 'n3', 'n4']);
    await cluster.retry(() => cluster!.leaderNode().proposeConfChange({ type: 'removeNode', nodeId: 'n1' }));
    await cluster.stop('n1');
    cluster.members.delete('n1');
    const leaderId = await cluster.waitForLeader(['n1']);
    expect(cluster.member(leaderId).storage.snapshotMetadata().confState.voters).toEqual(['n1']);
    await cluster.join('n5');
    await cluster.leaderNode().propose(set('after-join', 'yes'));
    await waitFor('n5 to apply the write', () => cluster!.member('n5').sm.get('after-join') === 'yes');
    // A removed id stays refused.
    const refusedBefore = cluster.member('n5').node.stats.messagesRefused;
    const intruder = cluster.network.endpoint('n1');
    intruder.subscribe(GROUP, () => undefined);
    const clusterId = cluster.member(leaderId).storage.identity().clusterId;
    const term = cluster.member('n5').node.status().term;
    expect(intruder.send({ group: GROUP, clusterId, fromIncarnation: 'x', message: message({ type: MessageType.App, from: 'n1', to: 'n5', term: term + 3 }) })).toBe(true);
    await waitFor('n5 to refuse the removed n1', () => cluster!.member('n5').node.stats.messagesRefused > refusedBefore);
    expect(cluster.member('n5').node.status().term).toBe(term);
  });

  it('a wiped member restarting under its old id (a new incarnation) is refused', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    const victim = followers(cluster)[0]!;
    const leaderId = cluster.leaderId()!;
    await cluster.stop(victim.id);
    cluster.members.delete(victim.id);
    const wiped = await cluster.addMember(victim.id, { kind: 'join', clusterId: cluster.member(leaderId).storage.identity().clusterId });
    expect(wiped.storage.identity().incarnationId).not.toBe(victim.storage.identity().incarnationId);
    const leader = cluster.member(leaderId);
    const before = leader.node.stats.messagesRefused;
    await leader.node.propose(set('w', '1'));
    await waitFor('the leader to refuse the new incarnation', () => leader.node.stats.messagesRefused > before);
    expect(wiped.sm.get('w')).toBeUndefined();
  });
});

describe('RaftNode: bounded transport queues', () => {
  it('a stalled peer overflows its queue: messages are dropped, reported, and the loop keeps committing', async () => {
    cluster = await TestCluster.start(['n1', 'n2', 'n3'], FAST, { queueCapacity: 16 });
    const leaderId = cluster.leaderId()!;
    const slow = followers(cluster)[0]!;
    cluster.network.stall(leaderId, slow.id);
    const leader = cluster.member(leaderId).node;
    for (let i = 0; i < 40; i++) await leader.propose(set(`q${i}`, 'x'));
    await waitFor('drops', () => cluster!.network.stats.droppedFull > 0 && leader.stats.messagesDropped > 0);
    expect(cluster.network.endpoint(leaderId).queued(slow.id)).toBeLessThanOrEqual(cluster.network.queueCapacity);
    cluster.network.unstall(leaderId, slow.id);
    await waitFor('the slow follower to catch up', () => slow.sm.get('q39') === 'x');
  });
});

describe('RaftNode: start-up checks', () => {
  it('refuses a transport of another node', async () => {
    cluster = await TestCluster.start(['n1']);
    const m = cluster.member('n1');
    const { RaftNode } = await import('../src/node/raft-node.js');
    await expect(RaftNode.start({ group: GROUP, storage: m.storage, transport: cluster.network.endpoint('zz'), stateMachine: m.sm })).rejects.toBeInstanceOf(TesseraError);
  });
});
