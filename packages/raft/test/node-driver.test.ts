/**
 * The driver's obligations checked exactly, with a scripted stand-in for the
 * core: what is sent before and after the fsync, what is applied, what is
 * skipped, and what happens when the disk fails.
 */
import { ErrorCodes } from '@tessera/common';
import { afterEach, describe, expect, it } from 'vitest';
import type { RaftCorePort } from '../src/node/core-port.js';
import { UnknownOutcomeError } from '../src/node/errors.js';
import { RaftNode } from '../src/node/raft-node.js';
import type { StateMachine } from '../src/node/state-machine.js';
import { openDurableKv } from '../src/storage/crashsim.js';
import type { DurableKv } from '../src/storage/level-kv.js';
import { LevelRaftStorage } from '../src/storage/level.js';
import type { RaftEnvelope, Transport } from '../src/transport/types.js';
import {
  MessageType,
  StateRole,
  type ConfState,
  type Entry,
  type Message,
  type ProposalOutcome,
  type RaftConfig,
  type Ready,
  type RequestOutcome,
  type Snapshot,
} from '../src/types.js';
import { tempDirs } from '@tessera/common/testing';
import { waitFor } from './node-cluster.js';

const dirs = tempDirs('tessera-driver-');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  await dirs.cleanup();
});

function msg(type: Message['type'], to: string, index = 0): Message {
  return { type, from: 'n1', to, term: 2, logTerm: 0, index, entries: [], commit: 0, reject: false, rejectHint: 0 };
}

const entry = (index: number, term = 2, data = 'x'): Entry => ({ index, term, type: 'normal', data: Uint8Array.from(Buffer.from(data)) });

function ready(partial: Partial<Ready>): Ready {
  return { entries: [], messages: [], parallelMessages: [], committedEntries: [], readStates: [], mustSync: false, ...partial };
}

/** Holds every store write until `release()` (a slow disk); `writing()`: whether one has started. */
function stallWrites(kv: DurableKv): { release: () => void; writing: () => boolean } {
  let release!: () => void;
  const stalled = new Promise<void>((resolve) => (release = resolve));
  let writing = false;
  kv.setWriteFault(async () => {
    writing = true;
    await stalled;
  });
  return { release, writing: () => writing };
}

/** A core that hands out scripted Readies and records what the driver did. */
class ScriptedCore implements RaftCorePort {
  readonly readies: Ready[] = [];
  readonly calls: string[] = [];
  proposeOutcome: ProposalOutcome = { kind: 'appended', index: 2, term: 2 };
  private outstanding: Ready | undefined;
  tick(): void {}
  step(m: Message): void {
    this.calls.push(`step:${m.type}`);
  }
  propose(): ProposalOutcome {
    return this.proposeOutcome;
  }
  proposeMany(data: readonly Uint8Array[]): ProposalOutcome {
    this.calls.push(`propose:${data.length}`);
    return this.proposeOutcome;
  }
  proposeConfChange(): ProposalOutcome {
    return this.proposeOutcome;
  }
  readonly readCtxs: Uint8Array[] = [];
  readIndex(ctx: Uint8Array): RequestOutcome {
    this.readCtxs.push(ctx);
    this.calls.push('readIndex');
    return { kind: 'accepted' };
  }
  transferLeader(): RequestOutcome {
    return { kind: 'accepted' };
  }
  hasReady(): boolean {
    return this.outstanding === undefined && this.readies.length > 0;
  }
  /** Set by a test: the core owes its followers a commit broadcast (ADR 0024). */
  commitOwed = false;
  commitBroadcastOwed(): boolean {
    return this.commitOwed;
  }
  flushCommitBroadcast(): void {
    this.calls.push(`flushCommit:${String(this.commitOwed)}`);
    this.commitOwed = false;
  }
  ready(): Ready {
    this.outstanding = this.readies.shift()!;
    this.calls.push('ready');
    return this.outstanding;
  }
  advance(): void {
    this.outstanding = undefined;
    this.calls.push('advance');
  }
  reportUnreachable(id: string): void {
    this.calls.push(`unreachable:${id}`);
  }
  reportSnapshot(id: string, ok: boolean): void {
    this.calls.push(`snapshot:${id}:${String(ok)}`);
  }
  reportCorruption(index: number): void {
    this.calls.push(`corrupt:${index}`);
  }
  confState(): ConfState {
    return { voters: ['n1', 'n2', 'n3'], learners: [] };
  }
}

class RecordingTransport implements Transport {
  readonly localId = 'n1';
  readonly sent: RaftEnvelope[] = [];
  refuse = new Set<string>();
  log: string[] | undefined;
  send(envelope: RaftEnvelope): boolean {
    this.log?.push(`send:${envelope.message.type}`);
    if (this.refuse.has(envelope.message.to)) return false;
    this.sent.push(envelope);
    return true;
  }
  subscribe(): () => void {
    return () => undefined;
  }
}

class ListMachine implements StateMachine<string> {
  applied: number;
  readonly seen: number[] = [];
  restored: number[] = [];
  constructor(applied = 0) {
    this.applied = applied;
  }
  appliedIndex(): number {
    return this.applied;
  }
  async apply(entries: readonly Entry[]): Promise<readonly string[]> {
    for (const e of entries) this.seen.push(e.index);
    this.applied = entries[entries.length - 1]!.index;
    return entries.map((e) => `applied ${e.index}`);
  }
  async snapshot(): Promise<Uint8Array> {
    return new Uint8Array(0);
  }
  async restore(snapshot: Snapshot): Promise<void> {
    this.restored.push(snapshot.metadata.index);
    this.applied = snapshot.metadata.index;
  }
}

async function setup(
  sm = new ListMachine(1),
  tickMs = 1_000,
  extra: { commitBroadcastDelayMs?: number; configs?: RaftConfig[] } = {},
): Promise<{ kv: DurableKv; storage: LevelRaftStorage; core: ScriptedCore; transport: RecordingTransport; node: RaftNode<string>; sm: ListMachine }> {
  const kv = await openDurableKv(await dirs.make(), { crashSim: true });
  const storage = await LevelRaftStorage.open(kv, { group: 1, nodeId: 'n1', init: { kind: 'bootstrap', address: 'a' } });
  const core = new ScriptedCore();
  const transport = new RecordingTransport();
  const node = await RaftNode.start({
    group: 1,
    storage,
    transport,
    stateMachine: sm,
    createCore: (config) => {
      extra.configs?.push(config);
      return core;
    },
    tickMs,
    ...(extra.commitBroadcastDelayMs !== undefined ? { commitBroadcastDelayMs: extra.commitBroadcastDelayMs } : {}),
  });
  cleanups.push(async () => {
    await node.stop();
    await kv.close();
  });
  return { kv, storage, core, transport, node, sm };
}

describe('RaftNode driver: the persistence rule', () => {
  it('sends parallel appends before the fsync and everything else only after it', async () => {
    const { kv, core, transport, node } = await setup();
    const log: string[] = [];
    transport.log = log;
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    kv.setWriteFault(async (_ops, options) => {
      log.push(`fsync-start:${String(options.sync)}`);
      await stalled;
      log.push('fsync-done');
    });
    core.readies.push(
      ready({
        hardState: { term: 2, vote: 'n1', commit: 1 },
        entries: [entry(2)],
        mustSync: true,
        parallelMessages: [msg(MessageType.App, 'n2', 1)],
        messages: [msg(MessageType.VoteResp, 'n3')],
      }),
    );
    node.propose(Uint8Array.of(1)).catch(() => undefined); // wakes the loop
    await waitFor('the fsync to start', () => log.includes('fsync-start:true'));
    expect(log).toEqual(['send:app', 'fsync-start:true']);
    release();
    await waitFor('the ready to complete', () => core.calls.includes('advance'));
    expect(log).toEqual(['send:app', 'fsync-start:true', 'fsync-done', 'send:voteResp']);
  });

  it('writes a Ready with entries or a vote change synced', async () => {
    const { kv, core, node } = await setup();
    const syncs: boolean[] = [];
    kv.setWriteFault((_ops, options) => {
      syncs.push(options.sync);
    });
    core.readies.push(ready({ hardState: { term: 2, vote: 'n1', commit: 1 }, mustSync: true }));
    core.readies.push(ready({ entries: [entry(2)], mustSync: true }));
    node.propose(Uint8Array.of(1)).catch(() => undefined);
    await waitFor('both readies', () => core.calls.filter((c) => c === 'advance').length === 2);
    expect(syncs).toEqual([true, true]);
    expect(node.stats.syncedBatches).toBe(2);
  });

  it('writes nothing for a Ready that only moves the commit index: the commit goes with the next batch, or at stop', async () => {
    const { kv, core, node, storage } = await setup();
    await storage.save({ entries: [entry(2), entry(3)], hardState: { term: 2, vote: 'n1', commit: 1 } });
    const writes: Array<{ sync: boolean; ops: number }> = [];
    kv.setWriteFault((ops, options) => {
      writes.push({ sync: options.sync, ops: ops.length });
    });
    core.readies.push(ready({ hardState: { term: 2, vote: 'n1', commit: 2 }, committedEntries: [entry(2)] }));
    node.propose(Uint8Array.of(1)).catch(() => undefined);
    await waitFor('the commit-only ready', () => core.calls.includes('advance'));
    expect(writes).toEqual([]);
    expect(storage.initialState().hardState.commit).toBe(1);
    // The next batch (new entries, no hard state change of its own) carries it.
    core.readies.push(ready({ entries: [entry(4)], mustSync: true }));
    node.propose(Uint8Array.of(2)).catch(() => undefined);
    await waitFor('the next ready', () => core.calls.filter((c) => c === 'advance').length === 2);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.sync).toBe(true);
    expect(storage.initialState().hardState).toEqual({ term: 2, vote: 'n1', commit: 2 });
    // A commit moved after that is written when the node stops.
    core.readies.push(ready({ hardState: { term: 2, vote: 'n1', commit: 3 }, committedEntries: [entry(3)] }));
    node.propose(Uint8Array.of(3)).catch(() => undefined);
    await waitFor('the second commit-only ready', () => core.calls.filter((c) => c === 'advance').length === 3);
    expect(writes).toHaveLength(1);
    await node.stop();
    expect(writes).toHaveLength(2);
    expect(writes[1]?.sync).toBe(false);
    expect(storage.initialState().hardState.commit).toBe(3);
  });
});

describe('RaftNode driver: deferred commit broadcast (ADR 0024)', () => {
  it('builds a deferring core by default and an etcd one with a delay of 0', async () => {
    const configs: RaftConfig[] = [];
    await setup(new ListMachine(1), 1_000, { configs });
    await setup(new ListMachine(1), 1_000, { configs, commitBroadcastDelayMs: 0 });
    expect(configs.map((c) => c.deferCommitBroadcast)).toEqual([true, false]);
  });

  it('flushes an owed commit broadcast after the delay, with no tick and no other input', async () => {
    // Ticks every 10 minutes: only the commit timer can wake the loop.
    const { core, node } = await setup(new ListMachine(1), 600_000, { commitBroadcastDelayMs: 5 });
    core.commitOwed = true;
    core.readies.push(ready({ committedEntries: [entry(2)] }));
    node.propose(Uint8Array.of(1)).catch(() => undefined);
    await waitFor('the owed broadcast to be flushed', () => core.calls.includes('flushCommit:true'));
    expect(core.calls.filter((c) => c.startsWith('flushCommit'))).toEqual(['flushCommit:true']);
    expect(core.calls.indexOf('flushCommit:true')).toBeGreaterThan(core.calls.indexOf('advance'));
  });
});

describe('RaftNode driver: applying', () => {
  it('resolves a proposal with its result, and never re-applies what the state machine has', async () => {
    const sm = new ListMachine(1);
    const { core, node, storage } = await setup(sm);
    await storage.save({ entries: [entry(2), entry(3), entry(4)], hardState: { term: 2, vote: 'n1', commit: 4 } });
    sm.applied = 3; // indexes 2..3 are already in the state machine
    core.proposeOutcome = { kind: 'appended', index: 4, term: 2 };
    core.readies.push(ready({ committedEntries: [entry(2), entry(3), entry(4)] }));
    const result = await node.propose(Uint8Array.of(1));
    expect(result).toBe('applied 4');
    expect(sm.seen).toEqual([4]);
    await waitFor('advance', () => core.calls.includes('advance'));
    expect(core.calls).toEqual(['propose:1', 'ready', 'advance']);
  });

  it('applies committed entries it already holds while the Ready writes new ones, and answers them without waiting for that write', async () => {
    const sm = new ListMachine(1);
    const { kv, core, node, storage } = await setup(sm);
    await storage.save({ entries: [entry(2), entry(3)], hardState: { term: 2, vote: 'n1', commit: 1 } });
    const { release, writing } = stallWrites(kv);
    core.proposeOutcome = { kind: 'appended', index: 3, term: 2 };
    // A leader's Ready: a new proposal to write (4) and older entries now committed (2, 3).
    core.readies.push(ready({ entries: [entry(4)], hardState: { term: 2, vote: 'n1', commit: 3 }, mustSync: true, committedEntries: [entry(2), entry(3)] }));
    expect(await node.propose(Uint8Array.of(1))).toBe('applied 3');
    expect(writing()).toBe(true);
    expect(sm.seen).toEqual([2, 3]);
    // Answered while the write of entry 4 is still in flight: the core has not advanced.
    expect(core.calls).toEqual(['propose:1', 'ready']);
    release();
    await waitFor('advance', () => core.calls.includes('advance'));
  });

  it('answers a configuration change only after advance (the core takes the new configuration there)', async () => {
    const sm = new ListMachine(1);
    const { kv, core, node, storage } = await setup(sm);
    const change: Entry = { index: 2, term: 2, type: 'confChange', data: new Uint8Array(0) };
    await storage.save({ entries: [change], hardState: { term: 2, vote: 'n1', commit: 1 } });
    const { release } = stallWrites(kv);
    core.proposeOutcome = { kind: 'appended', index: 2, term: 2 };
    core.readies.push(ready({ entries: [entry(3)], hardState: { term: 2, vote: 'n1', commit: 2 }, mustSync: true, committedEntries: [change] }));
    let answered = false;
    const result = node.proposeConfChange({ type: 'removeNode', nodeId: 'n3' }).then((r) => {
      answered = true;
      return r;
    });
    await waitFor('the change to be applied during the write', () => sm.seen.length === 1);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    release();
    expect(await result).toEqual({ voters: ['n1', 'n2', 'n3'], learners: [] });
    expect(core.calls.indexOf('advance')).toBeGreaterThan(core.calls.indexOf('ready'));
  });

  it('applies committed entries that the Ready itself writes only after the write', async () => {
    const sm = new ListMachine(1);
    const { kv, core, node } = await setup(sm);
    const { release, writing } = stallWrites(kv);
    core.proposeOutcome = { kind: 'appended', index: 3, term: 2 };
    // A follower's Ready: entries 2 and 3 arrive already committed.
    core.readies.push(ready({ entries: [entry(2), entry(3)], hardState: { term: 2, vote: '', commit: 3 }, mustSync: true, committedEntries: [entry(2), entry(3)] }));
    const result = node.propose(Uint8Array.of(1));
    await waitFor('the write to start', writing);
    // Let the loop run a few turns: nothing may be applied before the write completes.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(sm.seen).toEqual([]);
    release();
    expect(await result).toBe('applied 3');
    expect(sm.seen).toEqual([2, 3]);
  });

  it('a write that fails before the entries applied meanwhile are answered ends their proposals Unknown', async () => {
    const sm = new ListMachine(1);
    const { kv, core, node, storage, transport } = await setup(sm);
    await storage.save({ entries: [entry(2)], hardState: { term: 2, vote: 'n1', commit: 1 } });
    kv.setWriteFault(() => {
      throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    });
    core.proposeOutcome = { kind: 'appended', index: 2, term: 2 };
    core.readies.push(ready({ entries: [entry(3)], hardState: { term: 2, vote: 'n1', commit: 2 }, mustSync: true, committedEntries: [entry(2)], messages: [msg(MessageType.AppResp, 'n2')] }));
    const err = await node.propose(Uint8Array.of(1)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.RAFT_UNKNOWN_OUTCOME, why: 'storageFailure' });
    await waitFor('the stop', () => node.stopped);
    expect(transport.sent).toEqual([]);
    expect(core.calls).not.toContain('advance');
    expect(node.stats.proposalsApplied).toBe(0);
  });

  it('a state machine that fails while the Ready is being written stops the node (no unhandled rejection meanwhile)', async () => {
    class FailingMachine extends ListMachine {
      called = false;
      override async apply(): Promise<readonly string[]> {
        this.called = true;
        throw new Error('state machine broke');
      }
    }
    const sm = new FailingMachine(1);
    const { kv, core, node, storage } = await setup(sm);
    await storage.save({ entries: [entry(2)], hardState: { term: 2, vote: 'n1', commit: 1 } });
    const { release } = stallWrites(kv);
    core.proposeOutcome = { kind: 'appended', index: 2, term: 2 };
    core.readies.push(ready({ entries: [entry(3)], hardState: { term: 2, vote: 'n1', commit: 2 }, mustSync: true, committedEntries: [entry(2)] }));
    const outcome = node.propose(Uint8Array.of(1)).catch((e: unknown) => e);
    await waitFor('the apply to fail during the write', () => sm.called);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await outcome).toMatchObject({ code: ErrorCodes.RAFT_UNKNOWN_OUTCOME });
    await waitFor('the stop', () => node.stopped);
    expect(core.calls).not.toContain('advance');
  });

  it('an entry of another term at the proposal index settles it as Unknown', async () => {
    const { core, node, storage } = await setup();
    await storage.save({ entries: [entry(2, 3)], hardState: { term: 3, vote: '', commit: 2 } });
    core.proposeOutcome = { kind: 'appended', index: 2, term: 2 };
    core.readies.push(ready({ committedEntries: [entry(2, 3)] }));
    const err = await node.propose(Uint8Array.of(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownOutcomeError);
    expect(err).toMatchObject({ why: 'overwritten', index: 2 });
  });

  it('losing leadership settles appended proposals as Unknown', async () => {
    const { core, node } = await setup();
    core.readies.push(ready({ softState: { lead: 'n1', role: StateRole.Leader } }));
    node.propose(Uint8Array.of(0)).catch(() => undefined);
    await waitFor('leadership', () => node.status().role === StateRole.Leader);
    core.proposeOutcome = { kind: 'appended', index: 5, term: 2 };
    const pending = node.propose(Uint8Array.of(1)).catch((e: unknown) => e);
    await waitFor('the proposal to reach the core', () => core.calls.filter((c) => c.startsWith('propose')).length === 2);
    core.readies.push(ready({ softState: { lead: 'n2', role: StateRole.Follower } }));
    core.proposeOutcome = { kind: 'notLeader', leader: 'n2' };
    expect(await node.propose(Uint8Array.of(2)).catch((e: unknown) => e)).toMatchObject({ code: ErrorCodes.RAFT_NOT_LEADER, leader: 'n2' });
    expect(await pending).toMatchObject({ code: ErrorCodes.RAFT_UNKNOWN_OUTCOME, why: 'leaderChange' });
  });

  it('restores the state machine from a received snapshot', async () => {
    const { core, node, sm, storage } = await setup();
    const snapshot: Snapshot = { metadata: { index: 50, term: 4, confState: { voters: ['n1', 'n2', 'n3'], learners: [] } }, data: new Uint8Array(0) };
    core.readies.push(ready({ snapshot, hardState: { term: 4, vote: '', commit: 50 }, mustSync: true }));
    node.propose(Uint8Array.of(1)).catch(() => undefined);
    await waitFor('the install', () => node.stats.snapshotsInstalled === 1);
    expect(sm.restored).toEqual([50]);
    expect(storage.firstIndex()).toBe(51);
    expect(node.status().applied).toBe(50);
  });
});

describe('RaftNode driver: transport and disk failures', () => {
  it('reports a dropped send as unreachable and a snapshot send outcome, at the next turn', async () => {
    const { core, transport, node } = await setup();
    transport.refuse.add('n3');
    core.readies.push(ready({ messages: [msg(MessageType.App, 'n3'), msg(MessageType.Snap, 'n2')] }));
    node.propose(Uint8Array.of(1)).catch(() => undefined);
    await waitFor('reports', () => core.calls.includes('unreachable:n3') && core.calls.includes('snapshot:n2:true'));
    // Reports reach the core only after advance: never between ready() and advance().
    expect(core.calls.indexOf('unreachable:n3')).toBeGreaterThan(core.calls.indexOf('advance'));
    expect(node.stats.messagesDropped).toBe(1);
  });

  it('a failed write stops the node before it sends anything of that Ready', async () => {
    const { kv, core, transport, node } = await setup();
    kv.setWriteFault(() => {
      throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    });
    core.proposeOutcome = { kind: 'appended', index: 2, term: 2 };
    core.readies.push(ready({ entries: [entry(2)], hardState: { term: 2, vote: 'n1', commit: 1 }, mustSync: true, messages: [msg(MessageType.AppResp, 'n2')] }));
    const err = await node.propose(Uint8Array.of(1)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.RAFT_UNKNOWN_OUTCOME, why: 'storageFailure' });
    await waitFor('the stop', () => node.stopped);
    expect(node.failed?.code).toBe(ErrorCodes.RAFT_STORAGE);
    expect(transport.sent).toEqual([]);
    expect(core.calls).not.toContain('advance');
  });
});

describe('RaftNode driver: read batching', () => {
  it('serves concurrent reads with one ReadIndex round; reads that arrive while it is unanswered share the next one', async () => {
    const { core, node } = await setup();
    const first = Array.from({ length: 5 }, () => node.readIndex());
    await waitFor('the first round', () => core.readCtxs.length === 1);
    // Three more while the round is unanswered: they must not join it (its index may predate
    // a write that completed before they began), and they must not start a round of their own yet.
    const second = Array.from({ length: 3 }, () => node.readIndex());
    node.propose(Uint8Array.of(1)).catch(() => undefined);
    await waitFor('the reads and the proposal to be taken in', () => core.calls.includes('propose:1'));
    expect(core.readCtxs).toHaveLength(1);
    core.readies.push(ready({ readStates: [{ index: 1, requestCtx: core.readCtxs[0]! }] }));
    node.propose(Uint8Array.of(2)).catch(() => undefined); // wakes the loop
    expect(await Promise.all(first)).toEqual([1, 1, 1, 1, 1]);
    await waitFor('the next round, for the three that waited', () => core.readCtxs.length === 2);
    core.readies.push(ready({ readStates: [{ index: 1, requestCtx: core.readCtxs[1]! }] }));
    node.propose(Uint8Array.of(3)).catch(() => undefined);
    expect(await Promise.all(second)).toEqual([1, 1, 1]);
    expect(core.readCtxs).toHaveLength(2);
  });

  it('does not let an unanswered round hold reads back for longer than an election timeout', async () => {
    // Fast ticks (the scripted core ignores them): the driver counts electionTick (10) of them.
    const { core, node } = await setup(new ListMachine(1), 5);
    const lost = node.readIndex();
    lost.catch(() => undefined);
    await waitFor('the first round', () => core.readCtxs.length === 1);
    const next = node.readIndex();
    // The first round's request or answer was lost: after electionTick ticks the next round goes anyway.
    await waitFor('a second round', () => core.readCtxs.length === 2);
    core.readies.push(ready({ readStates: [{ index: 1, requestCtx: core.readCtxs[1]! }] }));
    node.propose(Uint8Array.of(1)).catch(() => undefined);
    expect(await next).toBe(1);
  });
});

describe('RaftNode driver: start-up', () => {
  it('raises a commit index lost in a crash up to what the state machine applied', async () => {
    const kv = await openDurableKv(await dirs.make(), { crashSim: true });
    cleanups.push(() => kv.close());
    const storage = await LevelRaftStorage.open(kv, { group: 1, nodeId: 'n1', init: { kind: 'bootstrap', address: 'a' } });
    await storage.save({ entries: [entry(2), entry(3)], hardState: { term: 2, vote: 'n1', commit: 1 } });
    const core = new ScriptedCore();
    let appliedAtCoreStart = -1;
    const node = await RaftNode.start({
      group: 1,
      storage,
      transport: new RecordingTransport(),
      stateMachine: new ListMachine(3),
      createCore: (config) => {
        appliedAtCoreStart = config.applied ?? 0;
        return core;
      },
    });
    cleanups.push(() => node.stop());
    expect(appliedAtCoreStart).toBe(3);
    expect(storage.initialState().hardState.commit).toBe(3);
  });

  it('brings a state machine behind the store snapshot up to it before starting', async () => {
    const sm = new ListMachine(0);
    await setup(sm);
    expect(sm.restored).toEqual([1]);
  });
});
