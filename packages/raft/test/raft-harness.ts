/**
 * A small, fully deterministic cluster of `RaftCore`s over `MemoryRaftStorage`
 * for scenario tests: the test decides when each node ticks, when Readies are
 * processed and which messages are delivered or dropped.
 */
import {
  MemoryRaftStorage,
  RaftCore,
  type ConfState,
  type Entry,
  type Message,
  type MutationName,
  type NodeId,
  type RaftConfig,
  type ReadState,
  type Ready,
  type Snapshot,
} from '../src/index.js';

export interface HarnessOptions {
  readonly electionTick?: number;
  readonly heartbeatTick?: number;
  readonly preVote?: boolean;
  readonly checkQuorum?: boolean;
  readonly deferCommitBroadcast?: boolean;
  readonly maxSizePerMsg?: number;
  readonly maxInflightMsgs?: number;
  readonly maxInflightBytes?: number;
  readonly maxUncommittedEntriesSize?: number;
  /** Election jitter; by default 0 so every node times out after exactly electionTick. */
  readonly random?: (bound: number) => number;
  readonly mutations?: ReadonlySet<MutationName>;
  readonly learners?: readonly NodeId[];
}

export class TestNode {
  core: RaftCore;
  readonly applied: Entry[] = [];
  readonly readStates: ReadState[] = [];
  /** State machine: the data of applied normal entries, as text. */
  snapshotData: string[] = [];
  restoredSnapshots: Snapshot[] = [];
  appliedIndex = 0;

  constructor(
    readonly id: NodeId,
    readonly storage: MemoryRaftStorage,
    private readonly config: Omit<RaftConfig, 'id' | 'storage'>,
  ) {
    this.core = this.makeCore(0);
  }

  private makeCore(applied: number): RaftCore {
    return new RaftCore({ ...this.config, id: this.id, storage: this.storage, applied });
  }

  /** Power loss: un-synced writes vanish, volatile state restarts from storage. */
  restart(): void {
    this.storage.crash();
    const snap = this.storage.snapshot();
    this.appliedIndex = snap.metadata.index;
    this.core = this.makeCore(this.appliedIndex);
  }
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
export const str = (b: Uint8Array): string => new TextDecoder().decode(b);

export class Cluster {
  readonly nodes = new Map<NodeId, TestNode>();
  /** Messages sent and not yet delivered, in send order. */
  queue: Message[] = [];
  /** Every message ever sent (for assertions). */
  readonly sent: Message[] = [];
  private readonly cut = new Set<string>();
  readonly options: HarnessOptions;

  constructor(voters: readonly NodeId[], options: HarnessOptions = {}) {
    this.options = options;
    const cs: ConfState = { voters: [...voters].sort(), learners: [...(options.learners ?? [])].sort() };
    for (const id of [...voters, ...(options.learners ?? [])]) {
      this.addNode(id, MemoryRaftStorage.bootstrap(cs));
    }
  }

  config(): Omit<RaftConfig, 'id' | 'storage'> {
    const o = this.options;
    return {
      electionTick: o.electionTick ?? 10,
      heartbeatTick: o.heartbeatTick ?? 1,
      random: o.random ?? (() => 0),
      ...(o.preVote !== undefined ? { preVote: o.preVote } : {}),
      ...(o.checkQuorum !== undefined ? { checkQuorum: o.checkQuorum } : {}),
      ...(o.deferCommitBroadcast !== undefined ? { deferCommitBroadcast: o.deferCommitBroadcast } : {}),
      ...(o.maxSizePerMsg !== undefined ? { maxSizePerMsg: o.maxSizePerMsg } : {}),
      ...(o.maxInflightMsgs !== undefined ? { maxInflightMsgs: o.maxInflightMsgs } : {}),
      ...(o.maxInflightBytes !== undefined ? { maxInflightBytes: o.maxInflightBytes } : {}),
      ...(o.maxUncommittedEntriesSize !== undefined ? { maxUncommittedEntriesSize: o.maxUncommittedEntriesSize } : {}),
      mutations: o.mutations ?? new Set(),
    };
  }

  /**
   * A cluster whose members start from given logs (after the bootstrap
   * snapshot at index 1, term 1) and terms: the way the Raft paper's figures
   * are set up.
   */
  static withLogs(
    logs: Readonly<Record<NodeId, { readonly terms: readonly number[]; readonly term?: number; readonly vote?: NodeId }>>,
    options: HarnessOptions = {},
  ): Cluster {
    const ids = Object.keys(logs).sort();
    const c = new Cluster([], options);
    const cs: ConfState = { voters: ids, learners: [] };
    for (const id of ids) {
      const spec = logs[id];
      if (spec === undefined) continue;
      const storage = MemoryRaftStorage.bootstrap(cs);
      const entries = spec.terms.map((t, i) => entry(i + 2, t, `${id}${i + 2}`));
      const lastTerm = spec.terms[spec.terms.length - 1] ?? 1;
      storage.save({ entries, hardState: { term: spec.term ?? lastTerm, vote: spec.vote ?? '', commit: 1 } });
      c.addNode(id, storage);
    }
    return c;
  }

  /** Adds a node with its own storage (an empty one for a joiner). */
  addNode(id: NodeId, storage: MemoryRaftStorage = new MemoryRaftStorage()): TestNode {
    const n = new TestNode(id, storage, this.config());
    n.appliedIndex = storage.snapshot().metadata.index;
    this.nodes.set(id, n);
    return n;
  }

  node(id: NodeId): TestNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  core(id: NodeId): RaftCore {
    return this.node(id).core;
  }

  // ---- network

  isolate(id: NodeId): void {
    for (const other of this.nodes.keys()) {
      if (other === id) continue;
      this.cut.add(`${id}>${other}`);
      this.cut.add(`${other}>${id}`);
    }
  }

  /** Drops messages from `a` to `b` (one direction). */
  cutLink(a: NodeId, b: NodeId): void {
    this.cut.add(`${a}>${b}`);
  }

  heal(): void {
    this.cut.clear();
  }

  private linkUp(m: Message): boolean {
    return !this.cut.has(`${m.from}>${m.to}`);
  }

  // ---- Ready processing

  /** Persists, applies and queues the messages of one Ready of `id`; returns it. */
  processReady(id: NodeId): Ready | undefined {
    const n = this.node(id);
    if (!n.core.hasReady()) return undefined;
    const rd = n.core.ready();
    n.storage.save({
      entries: rd.entries,
      ...(rd.hardState ? { hardState: rd.hardState } : {}),
      ...(rd.snapshot ? { snapshot: rd.snapshot } : {}),
    });
    if (rd.snapshot) {
      n.restoredSnapshots.push(rd.snapshot);
      n.appliedIndex = rd.snapshot.metadata.index;
    }
    for (const m of [...rd.parallelMessages, ...rd.messages]) this.send(m);
    for (const e of rd.committedEntries) {
      n.applied.push(e);
      n.appliedIndex = e.index;
    }
    n.readStates.push(...rd.readStates);
    n.core.advance(rd);
    return rd;
  }

  send(m: Message): void {
    this.sent.push(m);
    this.queue.push(m);
  }

  /** Delivers every queued message (dropping those on cut links); returns how many were delivered. */
  deliver(filter: (m: Message) => boolean = () => true): number {
    const batch = this.queue;
    this.queue = [];
    let delivered = 0;
    for (const m of batch) {
      if (!filter(m)) continue;
      const target = this.nodes.get(m.to);
      if (target === undefined || !this.linkUp(m)) continue;
      if (m.type === 'snap') {
        const sender = this.nodes.get(m.from);
        target.core.step(m);
        sender?.core.reportSnapshot(m.to, true);
      } else {
        target.core.step(m);
      }
      delivered++;
    }
    return delivered;
  }

  /** Processes Readies and delivers messages until nothing moves. */
  stabilize(maxRounds = 1000): void {
    for (let round = 0; round < maxRounds; round++) {
      let moved = false;
      for (const id of this.nodes.keys()) while (this.processReady(id) !== undefined) moved = true;
      if (this.queue.length > 0) {
        this.deliver();
        moved = true;
      }
      if (!moved) return;
    }
    throw new Error('cluster did not stabilize');
  }

  tick(id: NodeId, n = 1): void {
    for (let i = 0; i < n; i++) this.core(id).tick();
  }

  tickAll(n = 1): void {
    for (let i = 0; i < n; i++) for (const node of this.nodes.values()) node.core.tick();
  }

  /** Campaigns and stabilizes: with PreVote this is a full election. */
  elect(id: NodeId): void {
    this.core(id).campaign();
    this.stabilize();
  }

  leaders(): NodeId[] {
    return [...this.nodes.values()].filter((n) => n.core.status().role === 'leader').map((n) => n.id);
  }

  appliedData(id: NodeId): string[] {
    return this.node(id)
      .applied.filter((e) => e.type === 'normal' && e.data.byteLength > 0)
      .map((e) => str(e.data));
  }
}

/** A node-local message builder with every field defaulted. */
export function message(m: Partial<Message> & Pick<Message, 'type' | 'from' | 'to' | 'term'>): Message {
  return { logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, ...m };
}

export function entry(index: number, term: number, data = ''): Entry {
  return { index, term, type: 'normal', data: text(data) };
}

/** A tiny deterministic RNG for election jitter (LCG). */
export function seeded(seed: number): (bound: number) => number {
  let s = seed >>> 0 || 1;
  return (bound) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return bound <= 1 ? 0 : (s >>> 8) % bound;
  };
}
