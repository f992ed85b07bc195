/**
 * The simulator's only source of randomness: a seeded xoroshiro128+ from
 * pure-rand, so a seed replays exactly. Independent streams (network, faults,
 * each node's election jitter) come from jumps (2^64 draws apart), so adding a
 * draw in one place does not reshuffle every other decision.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

export class SimRng {
  private constructor(private readonly gen: JumpableRandomGenerator) {}

  static fromSeed(seed: number): SimRng {
    return new SimRng(xoroshiro128plus(seed | 0));
  }

  /** An independent stream, seeded from this one. */
  fork(): SimRng {
    const g = this.gen.clone();
    g.jump();
    // Skip this stream past the clone's range too, so the next fork differs.
    this.gen.jump();
    this.gen.jump();
    return new SimRng(g);
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return uniformInt(this.gen, lo, hi);
  }

  /** Integer in [0, bound). */
  below(bound: number): number {
    return bound <= 1 ? 0 : uniformInt(this.gen, 0, bound - 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return uniformInt(this.gen, 0, 999_999) < p * 1_000_000;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.below(items.length)] as T;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = out[i] as T;
      out[i] = out[j] as T;
      out[j] = t;
    }
    return out;
  }
}
