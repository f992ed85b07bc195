/**
 * A cluster of RaftNodes over LevelRaftStorage in temp dirs and the
 * in-process transport, grown the production way: the first member
 * bootstraps, the others join and are added by conf changes carrying their
 * incarnation ids. Waits poll a condition against a deadline.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { RaftNode, type RaftNodeOptions } from '../src/node/raft-node.js';
import { openDurableKv } from '../src/storage/crashsim.js';
import type { DurableKv } from '../src/storage/level-kv.js';
import { LevelRaftStorage, type StoreInit } from '../src/storage/level.js';
import { InProcNetwork, type InProcNetworkOptions } from '../src/transport/inproc.js';
import { StateRole, type NodeId } from '../src/types.js';
import { KvMachine, type KvResult } from './node-kv-machine.js';
import { tempDirs, waitFor, type TempDirs } from '@tessera/common/testing';

export const GROUP = 1;

export interface Member {
  readonly id: NodeId;
  readonly dir: string;
  kv: DurableKv;
  storage: LevelRaftStorage;
  sm: KvMachine;
  node: RaftNode<KvResult>;
  running: boolean;
}

export type NodeTuning = Partial<Omit<RaftNodeOptions<KvResult>, 'group' | 'storage' | 'transport' | 'stateMachine'>>;

export const FAST: NodeTuning = { tickMs: 10, electionTick: 10, heartbeatTick: 1, proposalTimeoutMs: 5_000, readTimeoutMs: 5_000 };

export { waitFor };

export class TestCluster {
  readonly network: InProcNetwork;
  readonly members = new Map<NodeId, Member>();
  private readonly dirs: TempDirs = tempDirs('tessera-node-');

  constructor(
    private readonly tuning: NodeTuning = FAST,
    networkOptions: InProcNetworkOptions = {},
  ) {
    this.network = new InProcNetwork(networkOptions);
  }

  /** Bootstraps `ids[0]`, then joins and promotes the others one at a time. */
  static async start(ids: readonly NodeId[], tuning: NodeTuning = FAST, networkOptions: InProcNetworkOptions = {}): Promise<TestCluster> {
    const cluster = new TestCluster(tuning, networkOptions);
    const [first, ...rest] = ids;
    await cluster.addMember(first!, { kind: 'bootstrap', address: `inproc://${first!}` });
    await cluster.waitForLeader();
    for (const id of rest) await cluster.join(id);
    return cluster;
  }

  async join(id: NodeId): Promise<void> {
    const leaderId = await this.waitForLeader();
    const clusterId = this.member(leaderId).storage.identity().clusterId;
    const m = await this.addMember(id, { kind: 'join', clusterId });
    const incarnationId = m.storage.identity().incarnationId;
    await this.retry(() => this.leaderNode().proposeConfChange({ type: 'addLearner', nodeId: id, incarnationId, address: `inproc://${id}` }));
    await waitFor(`${id} to catch up`, () => m.node.status().applied >= this.leaderNode().status().commit);
    const voters = this.leaderNode().status().confState.voters.length;
    const conf = await this.retry(() => this.leaderNode().proposeConfChange({ type: 'promote', nodeId: id }, { force: voters + 1 === 2 }));
    // Tests start from a settled configuration: every member has applied the
    // promotion (a promoted learner that has not yet learnt of it cannot vote).
    await waitFor(`${id}'s promotion to be applied everywhere`, () =>
      this.running().every((member) => member.node.status().confState.voters.length === conf.voters.length),
    );
  }

  async addMember(id: NodeId, init?: StoreInit): Promise<Member> {
    const dir = await this.dirs.make(id);
    const m = { id, dir, running: false } as Member;
    this.members.set(id, m);
    await this.open(m, init);
    return m;
  }

  private async open(m: Member, init?: StoreInit): Promise<void> {
    m.kv = await openDurableKv(m.dir, { crashSim: true });
    m.storage = await LevelRaftStorage.open(m.kv, { group: GROUP, nodeId: m.id, ...(init !== undefined ? { init } : {}) });
    m.sm = await KvMachine.open(m.kv);
    m.node = await RaftNode.start({ ...this.tuning, group: GROUP, storage: m.storage, transport: this.network.endpoint(m.id), stateMachine: m.sm });
    m.running = true;
  }

  member(id: NodeId): Member {
    const m = this.members.get(id);
    if (m === undefined) throw new Error(`no member ${id}`);
    return m;
  }

  running(): Member[] {
    return [...this.members.values()].filter((m) => m.running && !m.node.stopped);
  }

  /** The leader of the highest term among running members, if exactly one claims it. */
  leaderId(): NodeId | undefined {
    const leaders = this.running().filter((m) => m.node.status().role === StateRole.Leader);
    if (leaders.length === 0) return undefined;
    const top = Math.max(...leaders.map((m) => m.node.status().term));
    const atTop = leaders.filter((m) => m.node.status().term === top);
    return atTop.length === 1 ? atTop[0]!.id : undefined;
  }

  async waitForLeader(exclude: readonly NodeId[] = [], timeoutMs = 10_000): Promise<NodeId> {
    return waitFor('a leader', () => {
      const id = this.leaderId();
      return id !== undefined && !exclude.includes(id) ? id : undefined;
    }, timeoutMs);
  }

  leaderNode(): RaftNode<KvResult> {
    const id = this.leaderId();
    if (id === undefined) throw new Error('no leader');
    return this.member(id).node;
  }

  /** Retries `fn` on the current leader across elections (definite refusals only). */
  async retry<T>(fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.waitForLeader([], Math.max(1, deadline - Date.now()));
        return await fn();
      } catch (err) {
        const code = (err as { code?: string }).code;
        const retriable = code === 'RAFT_NOT_LEADER' || code === 'RAFT_REJECTED' || (err as Error).message === 'no leader';
        if (!retriable || Date.now() > deadline) throw err;
        await delay(10);
      }
    }
  }

  /** Stops a node; `powerLoss` also drops its un-synced writes. */
  async stop(id: NodeId, powerLoss = false): Promise<void> {
    const m = this.member(id);
    m.running = false;
    await m.node.stop();
    if (powerLoss) await m.kv.crash();
    else await m.kv.close();
  }

  async restart(id: NodeId): Promise<void> {
    await this.open(this.member(id));
  }

  async shutdown(): Promise<void> {
    for (const m of this.members.values()) {
      if (m.running) {
        m.running = false;
        await m.node.stop();
        await m.kv.close();
      }
    }
    await this.dirs.cleanup();
  }
}
