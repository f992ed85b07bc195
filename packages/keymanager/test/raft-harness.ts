/**
 * Key-manager members running the real Raft driver: LevelRaftStorage and the
 * state machine on their own DurableKvs in one data dir per member, the
 * in-process transport, grown the production way (bootstrap one, join and
 * promote the others). Waits poll a condition against a deadline.
 */
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { openDurableKv, type DurableKv } from '@tessera/common/durable';
import { tempDirs, waitFor, type TempDirs } from '@tessera/common/testing';
import { InProcNetwork, LevelRaftStorage, RaftNode, StateRole, type NodeId, type StoreInit } from '@tessera/raft';
import type { Logger } from '@tessera/common';
import type { AuditBatcher } from '@tessera/audit';
import { KeyAdmin, KeyManagerStateMachine, KeyService, encodeEnvelope, kmAuditBatcher, type KmGroup, type KmResult, type RootProvider } from '../src/index.js';

export const KM_GROUP = 7;
const FAST = { tickMs: 10, electionTick: 10, heartbeatTick: 1, proposalTimeoutMs: 5_000, readTimeoutMs: 5_000 } as const;

export interface KmMember {
  readonly id: NodeId;
  readonly dir: string;
  raftKv: DurableKv;
  smKv: DurableKv;
  storage: LevelRaftStorage;
  machine: KeyManagerStateMachine;
  node: RaftNode<KmResult>;
  running: boolean;
}

export { waitFor };

export class KmCluster {
  readonly network = new InProcNetwork();
  readonly members = new Map<NodeId, KmMember>();
  readonly #dirs: TempDirs = tempDirs('tessera-km-raft-');

  constructor(
    readonly providerFor: (id: NodeId) => RootProvider,
    readonly logger?: Logger,
    readonly dataDirFor?: (id: NodeId) => Promise<string>,
    readonly snapshotEntries?: number,
  ) {}

  static async start(
    ids: readonly NodeId[],
    providerFor: (id: NodeId) => RootProvider,
    options: { logger?: Logger; dataDirFor?: (id: NodeId) => Promise<string>; snapshotEntries?: number } = {},
  ): Promise<KmCluster> {
    const cluster = new KmCluster(providerFor, options.logger, options.dataDirFor, options.snapshotEntries);
    const [first, ...rest] = ids;
    await cluster.addMember(first!, { kind: 'bootstrap', address: `inproc://${first!}` });
    await cluster.waitForLeader();
    for (const id of rest) await cluster.join(id);
    return cluster;
  }

  async join(id: NodeId): Promise<void> {
    const leader = this.member(await this.waitForLeader());
    const m = await this.addMember(id, { kind: 'join', clusterId: leader.storage.identity().clusterId });
    const incarnationId = m.storage.identity().incarnationId;
    await this.retry(() => this.leader().node.proposeConfChange({ type: 'addLearner', nodeId: id, incarnationId, address: `inproc://${id}` }));
    await waitFor(`${id} to catch up`, () => m.node.status().applied >= this.leader().node.status().commit);
    const voters = this.leader().node.status().confState.voters.length;
    const conf = await this.retry(() => this.leader().node.proposeConfChange({ type: 'promote', nodeId: id }, { force: voters + 1 === 2 }));
    await waitFor(`${id}'s promotion everywhere`, () => this.running().every((x) => x.node.status().confState.voters.length === conf.voters.length));
  }

  async addMember(id: NodeId, init?: StoreInit): Promise<KmMember> {
    const dir = this.dataDirFor !== undefined ? await this.dataDirFor(id) : await this.#dirs.make(id);
    const m = { id, dir, running: false } as KmMember;
    this.members.set(id, m);
    await this.#open(m, init);
    return m;
  }

  async #open(m: KmMember, init?: StoreInit): Promise<void> {
    m.raftKv = await openDurableKv(join(m.dir, 'raft'));
    m.smKv = await openDurableKv(join(m.dir, 'state'));
    m.storage = await LevelRaftStorage.open(m.raftKv, { group: KM_GROUP, nodeId: m.id, ...(init !== undefined ? { init } : {}) });
    m.machine = await KeyManagerStateMachine.open({ kv: m.smKv, provider: this.providerFor(m.id), ...(this.logger !== undefined ? { logger: this.logger } : {}) });
    m.node = await RaftNode.start({
      ...FAST,
      ...(this.snapshotEntries !== undefined ? { snapshotEntries: this.snapshotEntries, retainEntries: 1 } : {}),
      group: KM_GROUP, storage: m.storage, transport: this.network.endpoint(m.id),
      stateMachine: m.machine,
    });
    m.running = true;
  }

  member(id: NodeId): KmMember {
    const m = this.members.get(id);
    if (m === undefined) throw new Error(`no member ${id}`);
    return m;
  }

  running(): KmMember[] {
    return [...this.members.values()].filter((m) => m.running && !m.node.stopped);
  }

  leaderId(): NodeId | undefined {
    const leaders = this.running().filter((m) => m.node.status().role === StateRole.Leader);
    if (leaders.length === 0) return undefined;
    const top = Math.max(...leaders.map((m) => m.node.status().term));
    const atTop = leaders.filter((m) => m.node.status().term === top);
    return atTop.length === 1 ? atTop[0]!.id : undefined;
  }

  waitForLeader(exclude: readonly NodeId[] = []): Promise<NodeId> {
    return waitFor('a leader', () => {
      const id = this.leaderId();
      return id !== undefined && !exclude.includes(id) ? id : undefined;
    });
  }

  leader(): KmMember {
    const id = this.leaderId();
    if (id === undefined) throw new Error('no leader');
    return this.member(id);
  }

  async retry<T>(fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.waitForLeader();
        return await fn();
      } catch (err) {
        const code = (err as { code?: string }).code;
        const retriable = code === 'RAFT_NOT_LEADER' || code === 'RAFT_REJECTED' || code === 'RAFT_STOPPED' || (err as Error).message === 'no leader';
        if (!retriable || Date.now() > deadline) throw err;
        await delay(10);
      }
    }
  }

  /** A KmGroup that always talks to the current leader. */
  group(): KmGroup {
    return {
      propose: (envelope) => this.retry(() => this.leader().node.propose(encodeEnvelope(envelope))),
      read: () =>
        this.retry(async () => {
          const m = this.leader();
          await m.node.readIndex();
          return m.machine.state;
        }),
    };
  }

  /** Admin and key service as the leader's process would run them. */
  services(provider: RootProvider, clock: () => number = Date.now): { admin: KeyAdmin; service: KeyService; audit: AuditBatcher } {
    const group = this.group();
    const audit = kmAuditBatcher({ group, clock });
    return { admin: new KeyAdmin({ group, provider, audit, clock, ...(this.logger !== undefined ? { logger: this.logger } : {}) }), service: new KeyService({ group, provider, audit, clock }), audit };
  }

  /** Waits until every running member applied the leader's commit index. */
  async settle(): Promise<void> {
    const commit = this.leader().node.status().commit;
    await waitFor('members to apply', () => this.running().every((m) => m.node.status().applied >= commit));
  }

  async stop(id: NodeId): Promise<void> {
    const m = this.member(id);
    m.running = false;
    await m.node.stop();
    await m.raftKv.close();
    await m.smKv.close();
  }

  async restart(id: NodeId): Promise<void> {
    await this.#open(this.member(id));
  }

  async shutdown(): Promise<void> {
    for (const m of this.members.values()) if (m.running) await this.stop(m.id);
    await this.#dirs.cleanup();
  }
}
