/**
 * An in-process `Transport` for tests and benchmarks: every node of a test
 * cluster gets an endpoint on one `InProcNetwork`.
 *
 * Each (sender, receiver) link has a bounded FIFO queue drained on a later
 * macrotask, so `send` never runs the receiver's code and never blocks. Test
 * hooks cut links (both ways or one way, the asymmetric partitions of the
 * checklist), stall a link so its queue fills as a slow peer's would, drop
 * chosen messages, and observe every delivery. Envelopes are deep-copied on
 * delivery (`structuredClone`), so nodes never share mutable bytes, as over a
 * real wire.
 */
import type { NodeId } from '../types.js';
import type { EnvelopeHandler, RaftEnvelope, Transport } from './types.js';

export interface InProcNetworkOptions {
  /** Messages queued per link before `send` starts dropping. Default 1024. */
  readonly queueCapacity?: number;
  /** Deep-copy envelopes on delivery. Default true. */
  readonly clone?: boolean;
}

/** Sees every envelope delivered (after cuts and filters). */
export type DeliveryObserver = (from: NodeId, to: NodeId, envelope: RaftEnvelope) => void;
/** Returns true to drop the envelope in the network (the sender does not learn of it). */
export type DropFilter = (from: NodeId, to: NodeId, envelope: RaftEnvelope) => boolean;

interface Link {
  readonly queue: RaftEnvelope[];
  stalled: boolean;
}

export class InProcNetwork {
  readonly queueCapacity: number;
  private readonly clone: boolean;
  private readonly endpoints = new Map<NodeId, InProcTransport>();
  /** "from->to" pairs whose messages are lost. */
  private readonly cuts = new Set<string>();
  private readonly observers = new Set<DeliveryObserver>();
  private readonly filters = new Set<DropFilter>();
  /** Counters for tests and benchmarks. */
  readonly stats = { sent: 0, delivered: 0, droppedFull: 0, droppedUnknown: 0, lost: 0 };

  constructor(options: InProcNetworkOptions = {}) {
    this.queueCapacity = options.queueCapacity ?? 1024;
    this.clone = options.clone ?? true;
  }

  /** The endpoint of `id`, created on first use. */
  endpoint(id: NodeId): InProcTransport {
    let ep = this.endpoints.get(id);
    if (ep === undefined) {
      ep = new InProcTransport(this, id);
      this.endpoints.set(id, ep);
    }
    return ep;
  }

  /** Cuts the link both ways (or only `from -> to` when `oneWay`). */
  cut(from: NodeId, to: NodeId, oneWay = false): void {
    this.cuts.add(`${from}->${to}`);
    if (!oneWay) this.cuts.add(`${to}->${from}`);
  }

  heal(from: NodeId, to: NodeId, oneWay = false): void {
    this.cuts.delete(`${from}->${to}`);
    if (!oneWay) this.cuts.delete(`${to}->${from}`);
  }

  /** Cuts every link of `id` with every other endpoint. */
  isolate(id: NodeId): void {
    for (const other of this.endpoints.keys()) if (other !== id) this.cut(id, other);
  }

  healAll(): void {
    this.cuts.clear();
    for (const ep of this.endpoints.values()) ep.unstallAll();
  }

  isCut(from: NodeId, to: NodeId): boolean {
    return this.cuts.has(`${from}->${to}`);
  }

  /** Holds messages on `from -> to` in the queue (a slow peer), until `unstall`. */
  stall(from: NodeId, to: NodeId): void {
    this.endpoint(from).setStalled(to, true);
  }

  unstall(from: NodeId, to: NodeId): void {
    this.endpoint(from).setStalled(to, false);
  }

  observe(observer: DeliveryObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  addFilter(filter: DropFilter): () => void {
    this.filters.add(filter);
    return () => this.filters.delete(filter);
  }

  /** @internal */
  isReachable(to: NodeId, group: number): boolean {
    return this.endpoints.get(to)?.handles(group) === true;
  }

  /** @internal Delivers one envelope from `from`'s queue. */
  deliver(from: NodeId, to: NodeId, envelope: RaftEnvelope): void {
    if (this.cuts.has(`${from}->${to}`)) {
      this.stats.lost++;
      return;
    }
    for (const filter of this.filters) {
      if (filter(from, to, envelope)) {
        this.stats.lost++;
        return;
      }
    }
    const target = this.endpoints.get(to);
    if (target === undefined) {
      this.stats.lost++;
      return;
    }
    const copy = this.clone ? structuredClone(envelope) : envelope;
    if (!target.receive(copy)) {
      this.stats.lost++;
      return;
    }
    this.stats.delivered++;
    for (const observer of this.observers) observer(from, to, copy);
  }
}

export class InProcTransport implements Transport {
  readonly localId: NodeId;
  private readonly network: InProcNetwork;
  private readonly handlers = new Map<number, EnvelopeHandler>();
  private readonly links = new Map<NodeId, Link>();
  private pumpScheduled = false;

  constructor(network: InProcNetwork, localId: NodeId) {
    this.network = network;
    this.localId = localId;
  }

  send(envelope: RaftEnvelope): boolean {
    const to = envelope.message.to;
    this.network.stats.sent++;
    if (!this.network.isReachable(to, envelope.group)) {
      this.network.stats.droppedUnknown++;
      return false;
    }
    const link = this.link(to);
    if (link.queue.length >= this.network.queueCapacity) {
      this.network.stats.droppedFull++;
      return false;
    }
    link.queue.push(envelope);
    this.schedulePump();
    return true;
  }

  subscribe(group: number, handler: EnvelopeHandler): () => void {
    this.handlers.set(group, handler);
    return () => {
      if (this.handlers.get(group) === handler) this.handlers.delete(group);
    };
  }

  /** Messages waiting on the link to `to`. */
  queued(to: NodeId): number {
    return this.links.get(to)?.queue.length ?? 0;
  }

  /** @internal */
  handles(group: number): boolean {
    return this.handlers.has(group);
  }

  /** @internal Returns false when nothing listens for the envelope's group. */
  receive(envelope: RaftEnvelope): boolean {
    const handler = this.handlers.get(envelope.group);
    if (handler === undefined) return false;
    handler(envelope);
    return true;
  }

  /** @internal */
  setStalled(to: NodeId, stalled: boolean): void {
    this.link(to).stalled = stalled;
    if (!stalled) this.schedulePump();
  }

  /** @internal */
  unstallAll(): void {
    for (const link of this.links.values()) link.stalled = false;
    this.schedulePump();
  }

  private link(to: NodeId): Link {
    let link = this.links.get(to);
    if (link === undefined) {
      link = { queue: [], stalled: false };
      this.links.set(to, link);
    }
    return link;
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      for (const [to, link] of this.links) {
        if (link.stalled) continue;
        const batch = link.queue.splice(0);
        for (const envelope of batch) this.network.deliver(this.localId, to, envelope);
      }
    });
  }
}
