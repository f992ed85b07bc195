/**
 * The coding matrices of a profile, and the decode matrices of each loss
 * pattern, cached with a bound.
 *
 * Encoding matrix (the construction of Backblaze JavaReedSolomon, klauspost/
 * reedsolomon and the Rust reed-solomon-erasure crate): take the
 * (k+m) × k Vandermonde matrix V[r][c] = r^c and multiply it by the inverse of
 * its top k × k square. The top becomes the identity (the code is systematic:
 * data shards are the data) and the bottom m rows are the parity
 * coefficients. Any k rows of V are independent, and right-multiplying by an
 * invertible matrix keeps them so: any k shards determine the data.
 */
import { BoundedCache } from './bounded-cache.js';
import { identityMatrix, invert, multiply, selectRows, vandermonde, type GfMatrix } from './matrix.js';

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** How a set of present shards rebuilds the wanted missing ones in one kernel pass. */
export interface DecodePlan {
  /** Shard indices read, exactly k of them. */
  readonly inputs: readonly number[];
  /** Shard indices written. */
  readonly outputs: readonly number[];
  /** outputs.length × k coefficients, row-major. */
  readonly coefficients: Uint8Array;
}

export type RebuildScope = 'all' | 'data';

export const DEFAULT_MATRIX_CACHE_ENTRIES = 256;

export class CodingMatrices {
  private readonly encoding: BoundedCache<string, GfMatrix>;
  private readonly plans: BoundedCache<string, DecodePlan>;

  constructor(capacity: number = DEFAULT_MATRIX_CACHE_ENTRIES) {
    this.encoding = new BoundedCache(capacity);
    this.plans = new BoundedCache(capacity);
  }

  /** The full (k+m) × k encoding matrix. */
  encodingMatrix(k: number, m: number): GfMatrix {
    return this.encoding.getOrCreate(`${k}+${m}`, () => {
      // V · inverse(top) has the identity on top by construction, so only the
      // parity rows are multiplied out (and with m = 0 nothing is inverted).
      const encoding = identityMatrix(k + m, k);
      if (m > 0) {
        const v = vandermonde(k + m, k);
        const topInverse = invert(selectRows(v, range(0, k)));
        encoding.data.set(multiply(selectRows(v, range(k, k + m)), topInverse).data, k * k);
      }
      return encoding;
    });
  }

  /** The m × k parity rows, row-major. */
  parityCoefficients(k: number, m: number): Uint8Array {
    return this.encodingMatrix(k, m).data.subarray(k * k);
  }

  /**
   * `present[i]` says whether shard i is available; at least k must be. Reads
   * the first k present shards (data shards first, so a stripe missing only
   * parity needs no inversion); writes the missing data shards and, for scope
   * 'all', the missing parity shards too, all from the same k inputs:
   * missing data row j is row j of D = inverse(E restricted to the inputs),
   * missing parity row p is E[p] · D.
   */
  decodePlan(k: number, m: number, present: readonly boolean[], scope: RebuildScope): DecodePlan {
    const key = `${k}+${m}:${scope}:${present.map((p) => (p ? '1' : '0')).join('')}`;
    return this.plans.getOrCreate(key, () => {
      const inputs: number[] = [];
      const outputs: number[] = [];
      present.forEach((isPresent, i) => {
        if (isPresent) {
          if (inputs.length < k) inputs.push(i);
        } else if (scope === 'all' || i < k) {
          outputs.push(i);
        }
      });
      if (outputs.length === 0) return { inputs, outputs, coefficients: new Uint8Array(0) };
      const encoding = this.encodingMatrix(k, m);
      const decode = invert(selectRows(encoding, inputs));
      const rows = multiply(selectRows(encoding, outputs), decode);
      return { inputs, outputs, coefficients: rows.data };
    });
  }

  get cachedPlans(): number {
    return this.plans.size;
  }
}
