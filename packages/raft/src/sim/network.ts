/**
 * A seeded network: each message is dropped, duplicated or delayed (delays
 * differ per copy, so messages reorder), and links can be cut one way or both
 * (symmetric, asymmetric and partial partitions).
 */
import type { Message, NodeId } from '../types.js';
import type { SimRng } from './rng.js';

export interface NetworkProfile {
  /** Probability a message is lost. */
  readonly drop: number;
  /** Probability a message is delivered twice. */
  readonly duplicate: number;
  /** Delivery delay in steps, uniform in [0, maxDelay]. */
  readonly maxDelay: number;
}

interface InFlight {
  readonly due: number;
  readonly seq: number;
  readonly m: Message;
}

export type DropReason = 'lost' | 'cut';

export class SimNetwork {
  private inflight: InFlight[] = [];
  private seq = 0;
  private readonly cut = new Set<string>();
  profile: NetworkProfile;
  delivered = 0;
  dropped = 0;

  constructor(
    private readonly rng: SimRng,
    profile: NetworkProfile,
  ) {
    this.profile = profile;
  }

  send(m: Message, now: number): void {
    if (this.rng.chance(this.profile.drop)) {
      this.dropped++;
      this.onDrop?.(m, 'lost');
      return;
    }
    const copies = this.rng.chance(this.profile.duplicate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      this.inflight.push({ due: now + this.rng.int(0, this.profile.maxDelay), seq: this.seq++, m });
    }
  }

  /** Called for every message that will never arrive (the transport would notice). */
  onDrop: ((m: Message, why: DropReason) => void) | undefined;

  /** Messages due at `now`, in a seeded order; messages on cut links are dropped. */
  due(now: number): Message[] {
    const ready: InFlight[] = [];
    const later: InFlight[] = [];
    for (const f of this.inflight) (f.due <= now ? ready : later).push(f);
    this.inflight = later;
    const out: Message[] = [];
    for (const f of this.rng.shuffle(ready)) {
      if (this.cut.has(`${f.m.from}>${f.m.to}`)) {
        this.dropped++;
        this.onDrop?.(f.m, 'cut');
        continue;
      }
      out.push(f.m);
    }
    this.delivered += out.length;
    return out;
  }

  cutLink(from: NodeId, to: NodeId): void {
    this.cut.add(`${from}>${to}`);
  }

  cutBoth(a: NodeId, b: NodeId): void {
    this.cutLink(a, b);
    this.cutLink(b, a);
  }

  isCut(from: NodeId, to: NodeId): boolean {
    return this.cut.has(`${from}>${to}`);
  }

  heal(): void {
    this.cut.clear();
  }

  cutLinks(): string[] {
    return [...this.cut].sort();
  }

  /** Drops everything addressed to or from `id` (it crashed). */
  forget(id: NodeId): void {
    const keep: InFlight[] = [];
    for (const f of this.inflight) {
      if (f.m.to !== id) keep.push(f);
      else this.onDrop?.(f.m, 'cut');
    }
    this.inflight = keep;
  }

  pending(): number {
    return this.inflight.length;
  }
}
