/**
 * Public shapes of the chunk pipeline: the key set a job runs under, a sealed
 * stripe, a stripe read back from devices, options and statistics.
 */
import type { KeyMaterial } from '@tessera/crypto';

/**
 * The keys one chunk job needs (DESIGN section 5). The caller keeps owning
 * them: the pipeline reads their bytes per job and never destroys them.
 */
export type ChunkKeySet =
  | { readonly policy: 'shared'; readonly sysEpoch: number; readonly master: KeyMaterial; readonly dedupKey: KeyMaterial }
  | {
      readonly policy: 'isolated';
      readonly sysEpoch: number;
      readonly master: KeyMaterial;
      readonly tenant: string;
      readonly tenEpoch: number;
      readonly tdk: KeyMaterial;
      readonly tik: KeyMaterial;
    };

export interface SealedStripe {
  /** 32 bytes. */
  readonly chunkId: Buffer;
  /** Bytes of the sealed envelope the stripe encodes. */
  readonly envelopeLength: number;
  readonly shardLength: number;
  /** k + m shards, each shardLength bytes (systematic RS: data shards first). */
  readonly shards: readonly Buffer[];
}

export interface StripeRead {
  /** k+m entries, undefined = missing; at least k present, each shardLength bytes. */
  readonly shards: ReadonlyArray<Uint8Array | undefined>;
  readonly k: number;
  readonly m: number;
  readonly envelopeLength: number;
}

export interface ChunkPipelineOptions {
  /** Worker threads; default 2. 0 runs every job inline on the calling thread (tests, tiny machines). */
  readonly workers?: number;
}

export type PipelineStage = 'identify' | 'seal' | 'open';

export interface ChunkPipelineStats {
  /** Worker threads configured (0 = inline). */
  readonly workers: number;
  /** Jobs waiting for a free worker. */
  readonly queued: number;
  /** Jobs on a worker (or, inline, being run) right now. */
  readonly running: number;
  /** Jobs that returned a result. */
  readonly completed: number;
  /** Jobs that ended in an error (refusals, failed opens, crashed workers, closing). */
  readonly failed: number;
  /** Workers that died and were replaced. */
  readonly workersReplaced: number;
  /** Milliseconds spent inside each stage (measured where the stage ran). */
  readonly busyMs: Readonly<Record<PipelineStage, number>>;
}
