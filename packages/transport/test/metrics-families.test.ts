/**
 * The shared metrics plumbing: mirrored counters only grow, sampled gauges
 * drop label sets that vanished, the process registry keeps prom-client's
 * defaults apart from our families, and a Raft group's families read a
 * RaftNode's status, counters and timing hooks — all lint-clean.
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { StateRole, type RaftNodeObserver, type RaftNodeStats, type RaftNodeStatus } from '@tessera/raft';
import { ProcessMetrics, counterFrom, gaugeFrom, latencyHistogram, outcomeOf, registerRaftMetrics, statusLabel, type RaftMetricsSource } from '../src/index.js';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { sampleValue, samples } from './support/exposition.js';
import { itWithTool, PROMTOOL_HINT, familiesWithPrefix, promtoolCheckMetrics } from './support/promtool.js';

class FakeRaft implements RaftMetricsSource {
  readonly stats: RaftNodeStats = {
    readies: 0, syncedBatches: 4, entriesPersisted: 9, entriesApplied: 7, messagesSent: 20, messagesDropped: 1, messagesRefused: 0,
    snapshotsCreated: 0, snapshotsInstalled: 0, leaderChanges: 2, proposalsApplied: 5, proposalsNotLeader: 1, proposalsRejected: 0, proposalsUnknown: 1,
  };
  current: RaftNodeStatus = { id: 'n1', role: StateRole.Leader, lead: 'n1', term: 3, commit: 12, applied: 11, confState: { voters: ['n1', 'n2', 'n3'], learners: ['n4'] } };
  readonly observers = new Set<RaftNodeObserver>();
  status(): RaftNodeStatus {
    return this.current;
  }
  observe(o: RaftNodeObserver): () => void {
    this.observers.add(o);
    return () => this.observers.delete(o);
  }
}

describe('mirrored families', () => {
  it('a counter mirrors a monotonic source by deltas per label set and never goes back', async () => {
    const registry = new Registry();
    const source = { a: 0, b: 3 };
    counterFrom(registry, { name: 'tessera_test_things_total', help: 'Things.', labelNames: ['kind'], read: () => [{ labels: { kind: 'a' }, value: source.a }, { labels: { kind: 'b' }, value: source.b }] });
    let body = await registry.metrics();
    expect(sampleValue(body, 'tessera_test_things_total', { kind: 'a' })).toBe(0);
    expect(sampleValue(body, 'tessera_test_things_total', { kind: 'b' })).toBe(3);
    source.a = 5;
    body = await registry.metrics();
    expect(sampleValue(body, 'tessera_test_things_total', { kind: 'a' })).toBe(5);
    expect(sampleValue(body, 'tessera_test_things_total', { kind: 'b' })).toBe(3);
    source.a = 1; // the source restarted: the counter holds until it passes its old mark
    expect(sampleValue(await registry.metrics(), 'tessera_test_things_total', { kind: 'a' })).toBe(5);
    source.a = 7;
    expect(sampleValue(await registry.metrics(), 'tessera_test_things_total', { kind: 'a' })).toBe(7);
  });

  it('a gauge is read afresh each scrape (async sources too) and forgets vanished label sets', async () => {
    const registry = new Registry();
    let devices: Array<[string, number]> = [['d1', 10], ['d2', 20]];
    gaugeFrom(registry, { name: 'tessera_test_used_bytes', help: 'Used.', labelNames: ['device'], read: async () => devices.map(([device, value]) => ({ labels: { device }, value })) });
    expect(sampleValue(await registry.metrics(), 'tessera_test_used_bytes', { device: 'd2' })).toBe(20);
    devices = [['d1', 11]];
    const body = await registry.metrics();
    expect(sampleValue(body, 'tessera_test_used_bytes', { device: 'd1' })).toBe(11);
    expect(sampleValue(body, 'tessera_test_used_bytes', { device: 'd2' })).toBeUndefined();
  });

  it('the process registry serves our families and prom-client defaults, and lints ours alone', async () => {
    const m = new ProcessMetrics();
    gaugeFrom(m.registry, { name: 'tessera_test_up', help: 'Up.', read: () => 1 });
    const all = (await m.render()).body;
    expect(all).toContain('tessera_test_up 1');
    expect(all).toMatch(/^process_cpu_user_seconds_total /m);
    const own = await m.renderOwn();
    expect(samples(own).every((s) => s.name.startsWith('tessera_'))).toBe(true);
    const none = new ProcessMetrics({ defaults: false });
    expect((await none.render()).body).not.toContain('process_cpu');
  });

  it('labels failures by the status class the caller sees, never by message', () => {
    expect(outcomeOf(undefined)).toBe('ok');
    expect(outcomeOf(new TesseraError(ErrorCodes.NOT_FOUND, 'object acme/secret.txt not found'))).toBe('not_found');
    expect(outcomeOf(new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'x', { retriable: true }))).toBe('unavailable');
    expect(outcomeOf(new Error('tenant acme exploded'))).toBe('internal');
    expect(statusLabel(0)).toBe('OK');
    expect(statusLabel(999)).toBe('UNKNOWN');
  });
});

describe('Raft group metrics', () => {
  it('reads term, leadership, indexes, members, counters and proposals by outcome', async () => {
    const registry = new Registry();
    const raft = new FakeRaft();
    registerRaftMetrics(registry, raft, 'metadata');
    const g = { group: 'metadata' };
    let body = await registry.metrics();
    expect(sampleValue(body, 'tessera_raft_term', g)).toBe(3);
    expect(sampleValue(body, 'tessera_raft_is_leader', g)).toBe(1);
    expect(sampleValue(body, 'tessera_raft_has_leader', g)).toBe(1);
    expect(sampleValue(body, 'tessera_raft_commit_index', g)).toBe(12);
    expect(sampleValue(body, 'tessera_raft_applied_index', g)).toBe(11);
    expect(sampleValue(body, 'tessera_raft_members', { ...g, role: 'voter' })).toBe(3);
    expect(sampleValue(body, 'tessera_raft_members', { ...g, role: 'learner' })).toBe(1);
    expect(sampleValue(body, 'tessera_raft_leader_changes_total', g)).toBe(2);
    expect(sampleValue(body, 'tessera_raft_proposals_total', { ...g, outcome: 'applied' })).toBe(5);
    expect(sampleValue(body, 'tessera_raft_proposals_total', { ...g, outcome: 'unknown' })).toBe(1);
    raft.current = { ...raft.current, role: StateRole.Follower, lead: '', term: 4 };
    raft.stats.leaderChanges = 3;
    body = await registry.metrics();
    expect(sampleValue(body, 'tessera_raft_is_leader', g)).toBe(0);
    expect(sampleValue(body, 'tessera_raft_has_leader', g)).toBe(0);
    expect(sampleValue(body, 'tessera_raft_term', g)).toBe(4);
    expect(sampleValue(body, 'tessera_raft_leader_changes_total', g)).toBe(3);
  });

  it('turns the timing hooks into fsync and commit histograms, and detaches them', async () => {
    const registry = new Registry();
    const raft = new FakeRaft();
    const detach = registerRaftMetrics(registry, raft, 'keymanager');
    for (const o of raft.observers) {
      o.onSync?.(0.002);
      o.onSync?.(0.2);
      o.onCommit?.(0.004);
    }
    const body = await registry.metrics();
    const g = { group: 'keymanager' };
    expect(sampleValue(body, 'tessera_raft_fsync_duration_seconds_count', g)).toBe(2);
    expect(sampleValue(body, 'tessera_raft_fsync_duration_seconds_bucket', { ...g, le: '0.0025' })).toBe(1);
    expect(sampleValue(body, 'tessera_raft_commit_duration_seconds_count', g)).toBe(1);
    detach();
    expect(raft.observers.size).toBe(0);
  });

  itWithTool('promtool', PROMTOOL_HINT, 'promtool check metrics passes on the Raft, rpc and sample families', async () => {
    const m = new ProcessMetrics();
    registerRaftMetrics(m.registry, new FakeRaft(), 'metadata');
    latencyHistogram(m.registry, { name: 'tessera_test_duration_seconds', help: 'A test latency.' }).observe(0.01);
    const lint = await promtoolCheckMetrics(familiesWithPrefix((await m.render()).body));
    expect(lint.output).toBe('');
    expect(lint.ok).toBe(true);
  });
});
