/**
 * MetadataProposer with a fake Raft node and fake Fabric clients: local
 * proposals on the leader, forwarding elsewhere, retries only when the
 * command certainly was not appended.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { NotLeaderError, RejectedError, RejectReason, StateRole, UnknownOutcomeError, type RaftNode, type RaftNodeStatus } from '@tessera/raft';
import { MetadataProposer } from '../src/data/proposer.js';
import type { FabricClients } from '../src/fabric/peer-client.js';
import { encodeMetadataCommand, type MetadataCommand } from '../src/metadata/commands.js';
import type { MetadataResult } from '../src/metadata/machine.js';
import { encodeMetadataResult } from '../src/metadata/result-codec.js';
import { MACHINE_TAGS, type NodeResult } from '../src/process/node-machine.js';

const GROUP = 7;
const CMD: MetadataCommand = { op: 'clock', timeMs: 1_700_000_000_000 };
const ADDRESSES: Record<string, string> = { n1: '127.0.0.1:7001', n2: '127.0.0.1:7002', n3: '127.0.0.1:7003' };

type FakeRaft = Pick<RaftNode<NodeResult>, 'status' | 'propose'>;
type FakeClients = Pick<FabricClients, 'forwardPropose'>;

interface Rig {
  readonly proposer: MetadataProposer;
  /** Whom this replica (n1) believes leads: '' when nobody. Tests change it while a proposal waits. */
  lead: string;
  /** Answers of the local raft.propose, in order (the last one repeats). */
  readonly local: Array<() => Promise<NodeResult>>;
  /** Answers of forwardPropose, in order (the last one repeats). */
  readonly remote: Array<() => Promise<Buffer>>;
  readonly localCalls: Uint8Array[];
  readonly remoteCalls: Array<{ address: string; group: number; command: Buffer; timeoutMs: number | undefined }>;
}

function status(id: string, lead: string): RaftNodeStatus {
  return { id, role: lead === id ? StateRole.Leader : StateRole.Follower, lead, term: 3, commit: 10, applied: 10, confState: { voters: ['n1', 'n2', 'n3'], learners: [] } };
}

function answer<T>(list: Array<() => Promise<T>>, call: number): Promise<T> {
  const next = list[Math.min(call, list.length - 1)];
  if (next === undefined) throw new Error('no answer configured');
  return next();
}

function rig(options: { leaderWaitMs?: number; forwardTimeoutMs?: number; addressOf?: (id: string) => string | undefined } = {}): Rig {
  const r = { lead: '', local: [], remote: [], localCalls: [], remoteCalls: [] } as Omit<Rig, 'proposer'> & { lead: string };
  const raft: FakeRaft = {
    status: () => status('n1', r.lead),
    propose: (data: Uint8Array) => {
      r.localCalls.push(data);
      return answer(r.local, r.localCalls.length - 1);
    },
  };
  const clients: FakeClients = {
    forwardPropose: (address: string, group: number, command: Buffer, timeoutMs?: number) => {
      r.remoteCalls.push({ address, group, command, timeoutMs });
      return answer(r.remote, r.remoteCalls.length - 1);
    },
  };
  const proposer = new MetadataProposer({
    // The proposer uses only status() and propose() of the node, and forwardPropose() of the clients.
    raft: raft as RaftNode<NodeResult>,
    clients: clients as FabricClients,
    group: GROUP,
    addressOf: options.addressOf ?? ((id) => ADDRESSES[id]),
    ...(options.leaderWaitMs !== undefined ? { leaderWaitMs: options.leaderWaitMs } : {}),
    ...(options.forwardTimeoutMs !== undefined ? { forwardTimeoutMs: options.forwardTimeoutMs } : {}),
  });
  return Object.assign(r, { proposer });
}

const ok = (index: number): MetadataResult => ({ kind: 'ok', index, duplicate: false });
const applied = (result: MetadataResult) => (): Promise<NodeResult> => Promise.resolve({ machine: 'metadata', result });
const fails = <T>(err: unknown) => (): Promise<T> => Promise.reject(err);
const forwarded = (result: MetadataResult) => (): Promise<Buffer> => Promise.resolve(encodeMetadataResult(result));
const expectedTagged = (): Buffer => Buffer.concat([Buffer.of(MACHINE_TAGS.metadata), encodeMetadataCommand(CMD)]);

/** Starts a proposal; the returned promise never rejects (it resolves with the outcome). */
function settle(p: Promise<MetadataResult>): Promise<{ value?: MetadataResult; error?: unknown }> {
  return p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('MetadataProposer: on the leader', () => {
  it('proposes the metadata-tagged command locally and returns the applied result', async () => {
    const r = rig();
    r.lead = 'n1';
    r.local.push(applied(ok(12)));
    expect(await r.proposer.propose(CMD)).toEqual(ok(12));
    expect(r.localCalls).toHaveLength(1);
    expect(Buffer.from(r.localCalls[0] ?? []).equals(expectedTagged())).toBe(true);
    expect(r.remoteCalls).toEqual([]);
    expect(r.proposer.isLeader()).toBe(true);
  });

  it('returns a deterministic refusal as a result, not an error', async () => {
    const r = rig();
    r.lead = 'n1';
    const refused: MetadataResult = { kind: 'error', index: 4, code: ErrorCodes.UNKNOWN_DEVICE, retriable: false, duplicate: false };
    r.local.push(applied(refused));
    expect(await r.proposer.propose(CMD)).toEqual(refused);
  });

  it('fails with INTERNAL when another machine answered the entry', async () => {
    const r = rig();
    r.lead = 'n1';
    r.local.push(() => Promise.resolve({ machine: 'none', index: 3 }));
    await expect(r.proposer.propose(CMD)).rejects.toMatchObject({ code: ErrorCodes.INTERNAL });
  });
});

describe('MetadataProposer: on a follower', () => {
  it.each<[string, MetadataResult]>([
    ['ok', ok(5)],
    ['session', { kind: 'session', index: 6, clientId: 42 }],
    ['chunk', { kind: 'chunk', index: 7, existing: true }],
    ['delta', { kind: 'delta', index: 8, sequence: 3, leaderTimeMs: 1_700_000_000_123, duplicate: false }],
    ['error', { kind: 'error', index: 9, code: ErrorCodes.CHUNK_GONE, retriable: true, duplicate: false }],
  ])('forwards to the leader and decodes its %s result', async (_kind, result) => {
    const r = rig({ forwardTimeoutMs: 1_234 });
    r.lead = 'n2';
    r.remote.push(forwarded(result));
    expect(await r.proposer.propose(CMD)).toEqual(result);
    expect(r.remoteCalls).toHaveLength(1);
    expect(r.remoteCalls[0]).toMatchObject({ address: ADDRESSES['n2'], group: GROUP, timeoutMs: 1_234 });
    expect(r.remoteCalls[0]?.command.equals(expectedTagged())).toBe(true);
    expect(r.localCalls).toEqual([]);
    expect(r.proposer.isLeader()).toBe(false);
  });

  it('gives a forwarded proposal a 30 s deadline by default', async () => {
    const r = rig();
    r.lead = 'n3';
    r.remote.push(forwarded(ok(1)));
    await r.proposer.propose(CMD);
    expect(r.remoteCalls[0]).toMatchObject({ address: ADDRESSES['n3'], timeoutMs: 30_000 });
  });

  it('refuses an undecodable forwarded answer with a TesseraError, without retrying', async () => {
    const r = rig();
    r.lead = 'n2';
    r.remote.push(() => Promise.resolve(Buffer.from([9, 9, 9])));
    const err = await r.proposer.propose(CMD).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TesseraError);
    expect(r.remoteCalls).toHaveLength(1);
  });
});

describe('MetadataProposer: retries', () => {
  it('waits for a leader to appear, then proposes', async () => {
    const r = rig({ leaderWaitMs: 5_000 });
    r.remote.push(forwarded(ok(20)));
    const outcome = settle(r.proposer.propose(CMD));
    await vi.advanceTimersByTimeAsync(500);
    expect(r.remoteCalls).toEqual([]);
    r.lead = 'n2';
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toEqual({ value: ok(20) });
    expect(r.remoteCalls).toHaveLength(1);
  });

  it('retries after a NOT_LEADER answer from the addressee, following the new leader', async () => {
    const r = rig({ leaderWaitMs: 5_000 });
    r.lead = 'n2';
    r.remote.push(fails(new TesseraError(ErrorCodes.RAFT_NOT_LEADER, 'not the leader', { retriable: true })));
    r.local.push(applied(ok(30)));
    const outcome = settle(r.proposer.propose(CMD));
    await vi.advanceTimersByTimeAsync(0);
    expect(r.remoteCalls).toHaveLength(1);
    r.lead = 'n1'; // this replica won the election meanwhile
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toEqual({ value: ok(30) });
    expect(r.localCalls).toHaveLength(1);
  });

  it.each<[string, unknown]>([
    ['NotLeaderError', new NotLeaderError(undefined)],
    ['RejectedError', new RejectedError(RejectReason.LeaderNotReady)],
    ['a RAFT_REJECTED TesseraError', new TesseraError(ErrorCodes.RAFT_REJECTED, 'rejected', { retriable: true })],
  ])('retries a local %s (refused before append)', async (_what, err) => {
    const r = rig({ leaderWaitMs: 5_000 });
    r.lead = 'n1';
    r.local.push(fails(err), fails(err), applied(ok(40)));
    const outcome = settle(r.proposer.propose(CMD));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await outcome).toEqual({ value: ok(40) });
    expect(r.localCalls).toHaveLength(3);
  });

  it('gives up after leaderWaitMs with a retriable RAFT_NOT_LEADER when no leader appears', async () => {
    const r = rig({ leaderWaitMs: 1_000 });
    const outcome = settle(r.proposer.propose(CMD));
    await vi.advanceTimersByTimeAsync(999);
    let done = false;
    void outcome.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    const { error } = await outcome;
    expect(error).toBeInstanceOf(TesseraError);
    expect(error).toMatchObject({ code: ErrorCodes.RAFT_NOT_LEADER, retriable: true });
    expect(r.localCalls).toEqual([]);
    expect(r.remoteCalls).toEqual([]);
  });

  it('gives up the same way when the known leader has no address', async () => {
    const r = rig({ leaderWaitMs: 300, addressOf: () => undefined });
    r.lead = 'n2';
    const outcome = settle(r.proposer.propose(CMD));
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await outcome).error).toMatchObject({ code: ErrorCodes.RAFT_NOT_LEADER });
    expect(r.remoteCalls).toEqual([]);
  });

  it('gives up with the last refusal when the leader keeps rejecting', async () => {
    const r = rig({ leaderWaitMs: 300 });
    r.lead = 'n2';
    r.remote.push(fails(new TesseraError(ErrorCodes.RAFT_REJECTED, 'transfer in progress', { retriable: true })));
    const outcome = settle(r.proposer.propose(CMD));
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await outcome).error).toMatchObject({ code: ErrorCodes.RAFT_REJECTED });
    expect(r.remoteCalls.length).toBeGreaterThan(1);
  });

  it.each<[string, 'local' | 'remote', unknown]>([
    ['a local UnknownOutcomeError', 'local', new UnknownOutcomeError('leaderChange', 14)],
    ['a forwarded RAFT_UNKNOWN_OUTCOME', 'remote', new TesseraError(ErrorCodes.RAFT_UNKNOWN_OUTCOME, 'outcome unknown')],
    ['a forwarded deadline (reported as an unknown outcome)', 'remote', new TesseraError(ErrorCodes.RAFT_UNKNOWN_OUTCOME, 'forwarded proposal timed out')],
    ['a lost connection', 'remote', new TesseraError(ErrorCodes.TRANSPORT_PEER_UNREACHABLE, 'unreachable', { retriable: true })],
    ['a closed pool', 'remote', new TesseraError(ErrorCodes.TRANSPORT_CLOSED, 'closed')],
  ])('does not retry %s (the command may have been appended)', async (_what, where, err) => {
    const r = rig({ leaderWaitMs: 5_000 });
    r.lead = where === 'local' ? 'n1' : 'n2';
    r.local.push(fails(err), applied(ok(1)));
    r.remote.push(fails(err), forwarded(ok(1)));
    const outcome = settle(r.proposer.propose(CMD));
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await outcome).error).toBe(err);
    expect(r.localCalls.length + r.remoteCalls.length).toBe(1);
  });
});

describe('MetadataProposer: isLeader', () => {
  it('is true only when this replica is the known leader', () => {
    const r = rig();
    expect(r.proposer.isLeader()).toBe(false);
    r.lead = 'n2';
    expect(r.proposer.isLeader()).toBe(false);
    r.lead = 'n1';
    expect(r.proposer.isLeader()).toBe(true);
  });
});
