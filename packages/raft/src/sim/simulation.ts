/**
 * The deterministic Raft simulator (DESIGN §4, §9). One seed fixes everything:
 * cluster size, network profile, flow-control limits, and every fault:
 * message loss, duplication, delay/reordering, symmetric / asymmetric /
 * one-way partitions, crash-restart with loss of un-synced writes (also
 * between a write and its fsync), corruption of one replica's entries followed
 * by a crash of another, a wiped voter replaced by a new incarnation (remove +
 * add with a new id: ids are never reused), random membership changes and
 * leadership transfers, snapshots and compaction.
 *
 * Safety is checked after every step (see checker.ts); at the end the faults
 * stop, everything heals, and the cluster must converge: one leader, all logs
 * equal, everything committed applied everywhere, every acknowledged proposal
 * applied on every member.
 */
import { MemoryRaftStorage } from '../storage/memory.js';
import type { ConfChange, ConfState, Entry, Message, MutationName, NodeId, ReadState, StorageUpdate } from '../types.js';
import { Checker, SafetyViolation } from './checker.js';
import { SimNetwork } from './network.js';
import { SimNode, type NodeHooks, type NodeSettings } from './node.js';
import { SimRng } from './rng.js';
import { drawSetup, type FaultRates } from './profile.js';
import type { SimOptions, SimProfile, SimResult, SimStats } from './types.js';

export { PROFILES } from './types.js';
export type { SimOptions, SimProfile, SimResult, SimStats } from './types.js';
import { GENESIS, encodeSmSnapshot } from './state-machine.js';

/** A membership workflow driven through the leader, one change at a time. */
type Workflow =
  | { kind: 'replace'; stage: 'add' | 'promote' | 'remove'; newId: NodeId; oldId: NodeId | undefined }
  | { kind: 'learner'; stage: 'add' | 'remove'; newId: NodeId }
  | { kind: 'remove'; oldId: NodeId };

class SimStorage extends MemoryRaftStorage {
  onWrite: ((update: StorageUpdate) => void) | undefined;
  override write(update: StorageUpdate): void {
    super.write(update);
    this.onWrite?.(update);
  }
}

interface PendingProposal {
  readonly node: NodeId;
  readonly index: number;
  readonly term: number;
}

interface PendingRead {
  readonly minIndex: number;
}

const MAX_EVENTS = 200;
/** A core that keeps reporting work it never finishes is stuck (a bug). */
const MAX_READIES_PER_ROUND = 1000;

export class Simulation {
  readonly seed: number;
  private readonly rng: SimRng;
  private readonly faultRng: SimRng;
  private readonly net: SimNetwork;
  private readonly settings: NodeSettings;
  readonly nodes = new Map<NodeId, SimNode>();
  /** Nodes that will never run again (wiped disks, or removed and retired). */
  private readonly retired = new Set<NodeId>();
  private readonly restartAt = new Map<NodeId, number>();
  private readonly crashAt = new Map<NodeId, number>();
  private readonly isolateAt = new Map<NodeId, number>();
  /** Leaders whose commit index has not moved since their election (and its value then). */
  private readonly newLeaders = new Map<NodeId, number>();
  private readonly checker: Checker;
  private now = 0;
  private faults = true;
  private nextNodeNumber: number;
  private proposalSeq = 0;
  private readSeq = 0;
  private readonly pendingProposals = new Map<string, PendingProposal>();
  /** index -> proposal data, for proposals acknowledged to the client. */
  private readonly acked = new Map<number, string>();
  private readonly pendingReads = new Map<string, PendingRead>();
  private readonly workflows: Workflow[] = [];
  /** Replicas with a corrupt entry (and its index), until repaired. */
  private readonly tainted = new Map<NodeId, number>();
  private readonly events: string[] = [];
  private readonly trace: boolean;
  readonly stats: SimStats = {
    steps: 0,
    proposals: 0,
    acked: 0,
    reads: 0,
    leaders: 0,
    crashes: 0,
    corruptions: 0,
    wipes: 0,
    confChanges: 0,
    transfers: 0,
    snapshots: 0,
    delivered: 0,
    dropped: 0,
    committed: 0,
  };
  /** Fault intensities, drawn per seed. */
  private readonly profileName: SimProfile;
  private readonly p: FaultRates;
  private readonly hooks: NodeHooks;

  constructor(private readonly options: SimOptions) {
    this.seed = options.seed;
    this.trace = options.trace ?? false;
    const root = SimRng.fromSeed(options.seed);
    this.rng = root.fork();
    this.faultRng = root.fork();
    const netRng = root.fork();
    const cfg = root.fork();
    const n = options.nodes ?? (options.seed % 2 === 0 ? 3 : 5);
    const setup = drawSetup(cfg, options);
    const profile = setup.network;
    this.net = new SimNetwork(netRng, profile);
    this.settings = setup.settings;
    this.profileName = setup.profile;
    this.p = setup.faults;
    this.nextNodeNumber = n + 1;

    const ids = Array.from({ length: n }, (_, i) => `n${i + 1}`);
    const cs: ConfState = { voters: ids.slice().sort(), learners: [] };
    for (const id of ids) {
      const storage = new SimStorage({
        snapshot: { metadata: { index: 1, term: 1, confState: cs }, data: encodeSmSnapshot({ index: 1, digest: GENESIS }) },
        hardState: { term: 1, vote: '', commit: 1 },
      });
      this.addNode(id, storage);
    }
    this.checker = new Checker(1, GENESIS);
    this.hooks = this.makeHooks();
    this.net.onDrop = (m, why) => this.onDrop(m, why);
    for (const node of this.nodes.values()) node.start();
    this.event(`start n=${n} profile=${this.profileName} p=${JSON.stringify(this.p)} net=${JSON.stringify(profile)} settings=${JSON.stringify({ ...this.settings, mutations: [...this.settings.mutations] })}`);
  }

  private addNode(id: NodeId, storage: SimStorage): SimNode {
    const node = new SimNode(id, storage, this.settings, this.rng.fork());
    storage.onWrite = (update) => {
      this.checker.wrote(id, update.entries, (i) => storage.rawTerm(i));
    };
    this.nodes.set(id, node);
    return node;
  }

  private event(text: string): void {
    this.events.push(`[${this.now}] ${text}`);
    if (!this.trace && this.events.length > MAX_EVENTS) this.events.shift();
  }

  private makeHooks(): NodeHooks {
    return {
      send: (m) => this.net.send(m, this.now),
      applied: (node, e, prev) => this.onApplied(node, e, prev),
      restored: (node, s, sm) => {
        this.checker.restored(node.id, s.metadata.index, sm.digest);
        this.event(`${node.id} restored snapshot ${s.metadata.index}/${s.metadata.term}`);
      },
      readState: (node, rs) => this.onReadState(node, rs),
      ready: (node, rd) => {
        if (rd.hardState !== undefined && this.newLeaders.has(node.id) && node.core?.status().role === 'leader') {
          const before = this.newLeaders.get(node.id) ?? 0;
          if (rd.hardState.commit > before) {
            this.newLeaders.delete(node.id);
            if (this.faults && this.faultRng.chance(this.p.isolateAfterFirstCommit)) {
              this.isolateAt.set(node.id, this.now);
              this.isolateDue();
            }
          }
        }
        if (this.faults && [...rd.messages, ...rd.parallelMessages].some((m) => m.type === 'voteResp' && !m.reject)) {
          if (this.faultRng.chance(this.p.crashAfterVote) && !this.crashAt.has(node.id)) this.crashAt.set(node.id, this.now + 1);
        }
        if (rd.softState?.role === 'leader') {
          this.newLeaders.set(node.id, node.core?.status().commit ?? 0);
          const core = node.core;
          if (core === undefined) return;
          const term = core.status().term;
          this.checker.leader(node.id, term);
          this.checker.leaderComplete(node.id, node.storage);
          this.stats.leaders++;
          this.event(`${node.id} leader term ${term} last ${core.status().lastIndex}`);
          if (this.faults && this.faultRng.chance(this.p.isolateNewLeader)) {
            this.isolateAt.set(node.id, this.now + this.faultRng.int(0, 1));
          }
          if (this.faults && this.faultRng.chance(this.p.killNewLeader)) {
            const at = this.now + this.faultRng.int(0, 3);
            if (!this.crashAt.has(node.id)) this.crashAt.set(node.id, at);
          }
        }
      },
    };
  }

  private onApplied(node: SimNode, e: Entry, prev: number): void {
    this.checker.applied(node.id, e, prev, node.sm.digest);
    if (e.type === 'confChange') this.event(`${node.id} applied conf change at ${e.index}`);
    if (e.type !== 'normal' || e.data.byteLength === 0) return;
    const data = Buffer.from(e.data).toString('latin1');
    const pending = this.pendingProposals.get(data);
    if (pending !== undefined && pending.node === node.id) {
      this.pendingProposals.delete(data);
      if (pending.index === e.index && pending.term === e.term) {
        this.acked.set(e.index, data);
        this.stats.acked++;
      }
    }
  }

  private onReadState(node: SimNode, rs: ReadState): void {
    const key = Buffer.from(rs.requestCtx).toString('latin1');
    const pending = this.pendingReads.get(key);
    if (pending === undefined) return;
    this.pendingReads.delete(key);
    if (rs.index < pending.minIndex) {
      throw new SafetyViolation(
        'linearizable read',
        `${node.id} got read index ${rs.index} for ${key}, but ${pending.minIndex} was committed before the read`,
      );
    }
  }

  private onDrop(m: Message, why: string): void {
    const sender = this.nodes.get(m.from);
    const core = sender?.core;
    if (core === undefined) return;
    // The transport notices a failed snapshot stream and (sometimes) a dead link.
    if (m.type === 'snap') core.reportSnapshot(m.to, false);
    else if (why === 'cut' && this.rng.chance(0.3)) core.reportUnreachable(m.to);
  }

  // ------------------------------------------------------------------ queries

  private alive(): SimNode[] {
    return [...this.nodes.values()].filter((n) => n.alive);
  }

  private leader(): SimNode | undefined {
    let best: SimNode | undefined;
    let bestTerm = -1;
    for (const n of this.alive()) {
      const s = n.core?.status();
      if (s !== undefined && s.role === 'leader' && s.term > bestTerm) {
        best = n;
        bestTerm = s.term;
      }
    }
    return best;
  }

  /** The configuration as the current leader sees it (else the first alive node's). */
  /**
   * The configuration as the leader sees it, or else as the replica that
   * applied furthest sees it. Never a corrupt replica's: it stops replaying
   * conf changes at its corrupt entry, so its view can be far behind (seed
   * 275 with deferred commit broadcasts: a stale view counted a removed
   * voter and let a wipe take the last spare replica).
   */
  private confState(): ConfState {
    let best = this.leader();
    if (best === undefined) {
      for (const n of this.alive()) {
        const s = n.core?.status();
        if (s === undefined || s.corrupt) continue;
        if (best === undefined || s.applied > (best.core?.status().applied ?? -1)) best = n;
      }
    }
    return best?.core?.confState() ?? { voters: [], learners: [] };
  }

  // ------------------------------------------------------------------ run

  run(): SimResult {
    try {
      for (let i = 0; i < this.options.steps; i++) this.step(true);
      this.stats.steps = this.options.steps;
      this.liveness();
      return this.result(true);
    } catch (err) {
      const invariant = err instanceof SafetyViolation ? err.invariant : 'exception';
      const error = err instanceof Error ? `${err.message}${err instanceof SafetyViolation ? '' : `\n${err.stack ?? ''}`}` : String(err);
      this.event(`FAILED: ${error}`);
      return { ...this.result(false), failedAt: this.now, error, invariant };
    }
  }

  private result(ok: boolean): SimResult {
    this.stats.delivered = this.net.delivered;
    this.stats.dropped = this.net.dropped;
    this.stats.committed = this.checker.maxCommitted;
    return { seed: this.seed, ok, stats: { ...this.stats }, events: this.events.slice() };
  }

  private step(faults: boolean): void {
    this.now++;
    this.faults = faults;
    if (faults) this.injectFaults();
    this.restartDue();
    this.crashDue();
    if (faults) this.isolateDue();
    this.driveWorkflows();
    for (const n of this.alive()) {
      // A deferred commit broadcast (ADR 0024) goes out a tick late: the
      // slowest a driver may be, and followers apply only after it.
      n.core?.flushCommitBroadcast();
      n.core?.tick();
    }
    for (let round = 0; round < 2; round++) {
      for (const m of this.net.due(this.now)) this.deliver(m);
      for (const n of this.rng.shuffle(this.alive())) {
        if (n.isPersisting()) {
          if (faults && this.faultRng.chance(this.p.crashWhilePersisting)) {
            this.crash(n, 'while persisting');
            continue;
          }
          n.finish(this.hooks);
        }
        let readies = 0;
        while (n.alive && n.processReady(this.hooks, faults && this.rng.chance(this.p.split))) {
          if (n.isPersisting()) break;
          if (++readies > MAX_READIES_PER_ROUND) {
            throw new SafetyViolation('progress', `${n.id} produced more than ${MAX_READIES_PER_ROUND} Readies in one round`);
          }
        }
      }
    }
    for (const n of this.alive()) {
      const s = n.core?.status();
      if (s?.role === 'leader') this.checker.leader(n.id, s.term);
    }
  }

  private deliver(m: Message): void {
    const target = this.nodes.get(m.to);
    const core = target?.core;
    if (core === undefined) {
      // The transport cannot connect to a dead node: a snapshot stream fails.
      if (m.type === 'snap') this.nodes.get(m.from)?.core?.reportSnapshot(m.to, false);
      return;
    }
    core.step(m);
    if (m.type === 'snap') this.nodes.get(m.from)?.core?.reportSnapshot(m.to, true);
  }

  // ------------------------------------------------------------------ faults

  private injectFaults(): void {
    const r = this.faultRng;
    const alive = this.alive();
    if (r.chance(this.p.propose)) this.propose();
    if (r.chance(this.p.read)) this.read();
    if (r.chance(this.p.crash) && alive.length > 0) {
      const victim = r.pick(alive);
      this.crash(victim, 'random');
    }
    if (r.chance(this.p.killLeader)) {
      const leader = this.leader();
      if (leader !== undefined) this.crash(leader, 'kill leader');
    }
    if (r.chance(this.p.partition)) this.partition();
    if (r.chance(this.p.heal) && this.net.cutLinks().length > 0) {
      this.net.heal();
      this.event('heal network');
    }
    if (r.chance(this.p.transfer)) this.transfer();
    // One kind of trouble at a time beyond crashes and partitions: membership
    // changes are not made while a replica is repairing lost data, and data is
    // not lost while membership is changing (an operator would not either;
    // combined with a non-voting repairing replica, a removed leader holding
    // the longest log can leave no electable quorum until someone intervenes).
    const budget = this.dataLossBudget();
    const intact = budget === Math.floor((this.confState().voters.length - 1) / 2);
    if (r.chance(this.p.membership) && this.workflows.length === 0 && intact) this.startMembershipChange();
    if (r.chance(this.p.wipe) && budget > 0 && this.workflows.length === 0) this.wipe();
    if (r.chance(this.p.corrupt) && budget > 0 && this.workflows.length === 0) this.corrupt();
    this.snapshots();
  }

  /** Replicas take snapshots and compact their logs now and then (not a fault). */
  private snapshots(): void {
    const r = this.faultRng;
    for (const n of this.alive()) {
      if (r.chance(this.p.snapshot) && n.snapshotAndCompact(r.int(0, 8))) this.stats.snapshots++;
    }
  }

  /**
   * How many more replicas may lose data (a corrupt log or a wiped disk)
   * without taking away the cluster's majority of intact replicas for good:
   * a majority of intact voters is what Raft (and DESIGN §4's repair rule)
   * needs to recover. Corruption is counted until the replica's log is
   * intact again; a wipe until its replacement finished.
   */
  private dataLossBudget(): number {
    const voters = this.confState().voters.length;
    const tolerated = Math.floor((voters - 1) / 2);
    let lost = 0;
    for (const [id, index] of this.tainted) {
      const n = this.nodes.get(id);
      const repairing = (n?.storage.initialState().hardState.repairUntil ?? 0) > 0 || n?.core?.status().corrupt === true;
      if (n === undefined || this.retired.has(id) || (!repairing && (n.storage.firstIndex() > index || n.storage.isIntact()))) {
        this.tainted.delete(id);
      } else {
        lost++;
      }
    }
    lost += this.workflows.filter((w) => w.kind === 'replace' && w.oldId !== undefined && this.retired.has(w.oldId)).length;
    return tolerated - lost;
  }

  private propose(): void {
    // Clients talk to whoever they believe leads: usually the newest leader,
    // sometimes a deposed one that does not know it yet, sometimes anyone.
    const leaders = this.alive().filter((n) => n.core?.status().role === 'leader');
    const leader = this.leader();
    const roll = this.faultRng.int(0, 99);
    let target: SimNode | undefined;
    if (leader !== undefined && roll < 70) target = leader;
    else if (leaders.length > 0 && roll < 90) target = this.faultRng.pick(leaders);
    else if (this.alive().length > 0) target = this.faultRng.pick(this.alive());
    if (target === undefined) return;
    const core = target.core;
    if (core === undefined) return;
    const data = `p${++this.proposalSeq}`;
    const size = this.faultRng.int(0, 40);
    const payload = data + ':' + 'x'.repeat(size);
    const out = core.propose(Buffer.from(payload, 'latin1'));
    this.stats.proposals++;
    if (out.kind === 'appended') this.pendingProposals.set(payload, { node: target.id, index: out.index, term: out.term });
  }

  private read(): void {
    const alive = this.alive();
    if (alive.length === 0) return;
    const n = this.faultRng.pick(alive);
    const ctx = `r${++this.readSeq}`;
    const out = n.core?.readIndex(Buffer.from(ctx, 'latin1'));
    if (out?.kind === 'accepted') {
      this.pendingReads.set(ctx, { minIndex: this.checker.maxCommitted });
      this.stats.reads++;
    }
  }

  private crash(n: SimNode, why: string): void {
    if (!n.alive) return;
    n.crash();
    this.net.forget(n.id);
    this.stats.crashes++;
    this.restartAt.set(n.id, this.now + this.faultRng.int(2, this.p.restartMax));
    this.event(`crash ${n.id} (${why})`);
  }

  private restartDue(): void {
    for (const [id, at] of this.restartAt) {
      if (at > this.now) continue;
      this.restartAt.delete(id);
      const n = this.nodes.get(id);
      if (n === undefined || n.alive || this.retired.has(id)) continue;
      n.start();
      this.event(`restart ${id} term ${n.core?.status().term} last ${n.core?.status().lastIndex}`);
    }
  }

  private isolateDue(): void {
    for (const [id, at] of this.isolateAt) {
      if (at > this.now) continue;
      this.isolateAt.delete(id);
      if (this.p.replacePartition) this.net.heal();
      for (const other of this.nodes.keys()) if (other !== id) this.net.cutBoth(id, other);
      this.event(`partition: isolate ${id} (new leader)`);
    }
  }

  private crashDue(): void {
    for (const [id, at] of this.crashAt) {
      if (at > this.now) continue;
      this.crashAt.delete(id);
      const n = this.nodes.get(id);
      if (n !== undefined) this.crash(n, 'scheduled');
    }
  }

  private partition(): void {
    const r = this.faultRng;
    const ids = [...this.nodes.keys()].filter((id) => !this.retired.has(id));
    if (ids.length < 2) return;
    if (this.p.replacePartition) this.net.heal();
    const kind = r.int(0, 3);
    if (kind === 0) {
      const a = r.pick(ids);
      for (const b of ids) if (b !== a) this.net.cutBoth(a, b);
      this.event(`partition: isolate ${a}`);
    } else if (kind === 1) {
      const shuffled = r.shuffle(ids);
      const k = r.int(1, ids.length - 1);
      const left = shuffled.slice(0, k);
      const right = shuffled.slice(k);
      for (const a of left) for (const b of right) this.net.cutBoth(a, b);
      this.event(`partition: ${left.join(',')} | ${right.join(',')}`);
    } else if (kind === 2) {
      // Asymmetric / partial: A-B and B-C up, A-C down.
      const [a, c] = r.shuffle(ids);
      if (a === undefined || c === undefined) return;
      this.net.cutBoth(a, c);
      this.event(`partition: partial ${a} x ${c}`);
    } else {
      const [a, b] = r.shuffle(ids);
      if (a === undefined || b === undefined) return;
      this.net.cutLink(a, b);
      this.event(`partition: one-way ${a} -> ${b}`);
    }
  }

  private transfer(): void {
    const leader = this.leader();
    const core = leader?.core;
    if (leader === undefined || core === undefined) return;
    const voters = core.confState().voters.filter((v) => v !== leader.id);
    if (voters.length === 0) return;
    const to = this.faultRng.pick(voters);
    const out = core.transferLeader(to);
    this.stats.transfers++;
    this.event(`transfer ${leader.id} -> ${to}: ${out.kind}`);
  }

  private newNodeId(): NodeId {
    return `n${this.nextNodeNumber++}`;
  }

  private startMembershipChange(): void {
    const cs = this.confState();
    const r = this.faultRng;
    const kind = r.int(0, 2);
    if (kind === 0) {
      const oldId = cs.voters.length > 0 ? r.pick(cs.voters) : undefined;
      this.workflows.push({ kind: 'replace', stage: 'add', newId: this.newNodeId(), oldId });
    } else if (kind === 1) {
      this.workflows.push({ kind: 'learner', stage: 'add', newId: this.newNodeId() });
    } else if (cs.voters.length > 3) {
      this.workflows.push({ kind: 'remove', oldId: r.pick(cs.voters) });
    }
  }

  /** A voter's disk is lost: it comes back as a new incarnation with a new id. */
  private wipe(): void {
    const cs = this.confState();
    const candidates = cs.voters.filter((v) => !this.retired.has(v));
    if (candidates.length === 0 || this.workflows.some((w) => w.kind === 'replace' && w.oldId !== undefined && this.retired.has(w.oldId))) return;
    const victim = this.faultRng.pick(candidates);
    const n = this.nodes.get(victim);
    if (n === undefined) return;
    if (n.alive) n.crash();
    this.net.forget(victim);
    this.retired.add(victim);
    this.restartAt.delete(victim);
    this.stats.wipes++;
    this.workflows.unshift({ kind: 'replace', stage: 'add', newId: this.newNodeId(), oldId: victim });
    this.event(`wipe ${victim}: will be replaced`);
  }

  private corrupt(): void {
    const r = this.faultRng;
    const alive = this.alive().filter((n) => n.storage.lastIndex() >= n.storage.firstIndex());
    if (alive.length === 0) return;
    const n = r.pick(alive);
    const index = r.int(n.storage.firstIndex(), n.storage.lastIndex());
    if (!n.storage.corruptEntry(index)) return;
    this.tainted.set(n.id, index);
    this.stats.corruptions++;
    this.event(`corrupt ${n.id} entry ${index}`);
    const others = this.alive().filter((o) => o.id !== n.id);
    if (others.length > 0) this.crashAt.set(r.pick(others).id, this.now + r.int(1, 10));
  }

  // ------------------------------------------------------------------ membership

  private driveWorkflows(): void {
    const w = this.workflows[0];
    if (w === undefined) return;
    const leader = this.leader();
    const core = leader?.core;
    if (leader === undefined || core === undefined) return;
    // Judge membership only on a leader that applied all it knows committed:
    // a fresh leader may not have applied a change that already committed.
    const ls = core.status();
    if (!ls.leaderCommitted || ls.applied < ls.commit) return;
    const cs = core.confState();
    const has = (id: NodeId): boolean => cs.voters.includes(id) || cs.learners.includes(id);
    const propose = (cc: ConfChange, force = false): void => {
      const out = core.proposeConfChange(cc, { force });
      if (out.kind === 'appended') {
        this.stats.confChanges++;
        this.event(`propose ${cc.type} ${cc.nodeId} at ${out.index}`);
      }
    };
    switch (w.kind) {
      case 'replace':
      case 'learner':
        if (w.stage === 'add') {
          if (has(w.newId)) {
            w.stage = w.kind === 'replace' ? 'promote' : 'remove';
            return;
          }
          if (!this.nodes.has(w.newId)) {
            const node = this.addNode(w.newId, new SimStorage());
            node.start();
            this.event(`new node ${w.newId}`);
          }
          propose({ type: 'addLearner', nodeId: w.newId, incarnationId: `inc-${w.newId}`, address: `sim://${w.newId}` });
          return;
        }
        if (w.kind === 'replace' && w.stage === 'promote') {
          if (cs.voters.includes(w.newId)) {
            w.stage = 'remove';
            return;
          }
          // Learner catch-up before promotion.
          const pr = core.status().progress.get(w.newId);
          if (pr === undefined || pr.match + 5 < core.status().commit) return;
          const force = cs.voters.length === 1;
          propose({ type: 'promote', nodeId: w.newId }, force);
          return;
        }
        {
          const target = w.kind === 'replace' ? w.oldId : w.newId;
          if (target === undefined || !has(target)) {
            this.workflows.shift();
            if (target !== undefined && w.kind === 'learner') this.retire(target);
            if (w.kind === 'replace' && w.oldId !== undefined) this.retire(w.oldId);
            return;
          }
          if (target === leader.id && cs.voters.length > 1) {
            // Removing the leader works too (it steps down once applied);
            // sometimes transfer away first, as an operator would.
            if (this.faultRng.chance(0.5)) {
              const others = cs.voters.filter((v) => v !== leader.id && !this.retired.has(v));
              if (others.length > 0) core.transferLeader(this.faultRng.pick(others));
              return;
            }
          }
          propose({ type: 'removeNode', nodeId: target });
        }
        return;
      case 'remove':
        if (!has(w.oldId) || cs.voters.length <= 3) {
          this.workflows.shift();
          if (!has(w.oldId)) this.retire(w.oldId);
          return;
        }
        propose({ type: 'removeNode', nodeId: w.oldId });
        return;
    }
  }

  /** A removed member stops for good (ids are never reused). */
  private retire(id: NodeId): void {
    if (this.retired.has(id)) return;
    this.retired.add(id);
    const n = this.nodes.get(id);
    // Keep it running for a while sometimes: a removed node must not disrupt.
    if (n !== undefined && n.alive && this.faultRng.chance(0.5)) {
      n.crash();
      this.net.forget(id);
    }
    this.restartAt.delete(id);
    this.event(`retire ${id}`);
  }

  // ------------------------------------------------------------------ liveness

  private liveness(): void {
    this.net.heal();
    this.net.profile = { drop: 0, duplicate: 0, maxDelay: 1 };
    this.crashAt.clear();
    this.isolateAt.clear();
    for (const [id, n] of this.nodes) {
      if (!n.alive && !this.retired.has(id)) {
        n.start();
        this.event(`liveness: restart ${id}`);
      }
    }
    this.restartAt.clear();
    this.event('liveness phase');
    const limit = this.options.livenessSteps ?? 2500;
    for (let i = 0; i < limit; i++) {
      // Nudge idle clusters: a proposal makes the leader commit in its term.
      if (i % 50 === 49) this.propose();
      this.snapshots();
      this.step(false);
      if (this.converged() === undefined) {
        this.event(`converged after ${i + 1} liveness steps`);
        return;
      }
    }
    const l = this.leader()?.core?.status();
    const detail = l === undefined ? '' : ` leader ${l.id} term ${l.term} progress ${JSON.stringify([...l.progress])}`;
    const views = this.alive().map((n) => {
      const s = n.core?.status();
      return `${n.id}:${s?.role}/t${s?.term}/lead=${s?.lead}/last=${s?.lastIndex}/commit=${s?.commit}/corrupt=${s?.corrupt}`;
    });
    throw new SafetyViolation('liveness', `no convergence after ${limit} steps: ${this.converged() ?? ''};${detail}; ${views.join(' ')}`);
  }

  /** undefined when converged, otherwise why not. */
  private converged(): string | undefined {
    if (this.workflows.length > 0) return `membership workflow pending: ${JSON.stringify(this.workflows[0])}`;
    const leader = this.leader();
    const lc = leader?.core;
    if (leader === undefined || lc === undefined) return 'no leader';
    const ls = lc.status();
    const cs = lc.confState();
    const members = [...cs.voters, ...cs.learners];
    for (const id of members) {
      const n = this.nodes.get(id);
      const core = n?.core;
      if (n === undefined || core === undefined) return `member ${id} is down`;
      if (n.isPersisting()) return `${id} busy`;
      const s = core.status();
      if (s.term !== ls.term || s.lead !== leader.id) return `${id} follows ${s.lead} in term ${s.term}`;
      if (s.lastIndex !== ls.lastIndex || s.commit !== ls.lastIndex) return `${id} last ${s.lastIndex} commit ${s.commit}, leader last ${ls.lastIndex}`;
      if (n.sm.index !== s.commit) return `${id} applied ${n.sm.index} < commit ${s.commit}`;
      // A repaired replica may still abstain from voting until the log grows
      // past its pre-corruption last index; as a follower it is converged.
      const d = this.checker.digestAt(n.sm.index);
      if (d !== undefined && d !== n.sm.digest) throw new SafetyViolation('state-machine safety', `${id} digest differs at ${n.sm.index}`);
    }
    for (const id of members) {
      const n = this.nodes.get(id);
      for (const index of this.acked.keys()) {
        if (n !== undefined && index > n.sm.index) return `acked ${index} not applied on ${id}`;
      }
    }
    for (const n of this.alive()) {
      if (members.includes(n.id)) continue;
      const s = n.core?.status();
      if (s !== undefined && s.role === 'leader') return `non-member ${n.id} leads`;
    }
    return undefined;
  }
}

export function runSimulation(options: SimOptions): SimResult {
  return new Simulation(options).run();
}
