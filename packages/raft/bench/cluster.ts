/**
 * A 3-node benchmark cluster: LevelRaftStorage on real LevelDB (crash
 * simulation off, so every `sync: true` batch is a real fsync), the
 * in-process transport, and a state machine that only counts (the benchmark
 * measures consensus, not the application's writes).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { RaftNode } from '../src/node/raft-node.js';
import type { StateMachine } from '../src/node/state-machine.js';
import { openDurableKv } from '../src/storage/crashsim.js';
import type { DurableKv } from '../src/storage/level-kv.js';
import { LevelRaftStorage, type StoreInit } from '../src/storage/level.js';
import { InProcNetwork } from '../src/transport/inproc.js';
import { StateRole, type Entry, type NodeId, type Snapshot } from '../src/types.js';

const GROUP = 1;

/** Counts applied entries; its applied index lives in memory only (fine for a benchmark). */
class CountingMachine implements StateMachine<number> {
  private applied = 0;
  appliedIndex(): number {
    return this.applied;
  }
  async apply(entries: readonly Entry[]): Promise<readonly number[]> {
    this.applied = entries[entries.length - 1]?.index ?? this.applied;
    return entries.map((e) => e.index);
  }
  async snapshot(): Promise<Uint8Array> {
    return new Uint8Array(0);
  }
  async restore(snapshot: Snapshot): Promise<void> {
    this.applied = snapshot.metadata.index;
  }
}

interface BenchMember {
  readonly id: NodeId;
  readonly kv: DurableKv;
  readonly storage: LevelRaftStorage;
  readonly node: RaftNode<number>;
}

export class BenchCluster {
  readonly network = new InProcNetwork();
  readonly members: BenchMember[] = [];
  private constructor(private readonly root: string) {}

  static async start(ids: readonly NodeId[] = ['n1', 'n2', 'n3']): Promise<BenchCluster> {
    const cluster = new BenchCluster(await mkdtemp(join(tmpdir(), 'tessera-raft-bench-')));
    const [first, ...rest] = ids;
    await cluster.add(first!, { kind: 'bootstrap', address: `inproc://${first!}` });
    await cluster.waitFor(() => cluster.leader() !== undefined);
    for (const id of rest) {
      const clusterId = cluster.members[0]!.storage.identity().clusterId;
      const m = await cluster.add(id, { kind: 'join', clusterId });
      await cluster.leader()!.proposeConfChange({ type: 'addLearner', nodeId: id, incarnationId: m.storage.identity().incarnationId, address: `inproc://${id}` });
      await cluster.waitFor(() => m.node.status().applied >= cluster.leader()!.status().commit);
      const voters = cluster.leader()!.status().confState.voters.length;
      const conf = await cluster.leader()!.proposeConfChange({ type: 'promote', nodeId: id }, { force: voters === 1 });
      await cluster.waitFor(() => cluster.members.every((x) => x.node.status().confState.voters.length === conf.voters.length));
    }
    return cluster;
  }

  private async add(id: NodeId, init: StoreInit): Promise<BenchMember> {
    const kv = await openDurableKv(join(this.root, id), { crashSim: false });
    const storage = await LevelRaftStorage.open(kv, { group: GROUP, nodeId: id, init });
    const node = await RaftNode.start({ group: GROUP, storage, transport: this.network.endpoint(id), stateMachine: new CountingMachine() });
    const member = { id, kv, storage, node };
    this.members.push(member);
    return member;
  }

  leader(): RaftNode<number> | undefined {
    return this.members.find((m) => m.node.status().role === StateRole.Leader)?.node;
  }

  async waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('benchmark cluster did not settle');
      await delay(5);
    }
  }

  async stop(): Promise<void> {
    for (const m of this.members) {
      await m.node.stop();
      await m.kv.close();
    }
    await rm(this.root, { recursive: true, force: true });
  }
}
