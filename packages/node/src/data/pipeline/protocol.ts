/**
 * Messages between the pipeline and its worker threads. Bytes travel as
 * Uint8Array (structured clone turns a Buffer into one anyway) over
 * ArrayBuffers that are transferred, never cloned; key bytes travel only in
 * JobKeys.secret (see job-keys.ts).
 */
import type { WireError } from '@tessera/common';
import type { JobKeys } from './job-keys.js';
import type { PipelineStage } from './types.js';

export type JobRequest =
  | { readonly kind: 'identify'; readonly keys: JobKeys; readonly plaintext: Uint8Array }
  | {
      readonly kind: 'seal';
      readonly keys: JobKeys;
      readonly plaintext: Uint8Array;
      /** The id the caller computed before (checked against the recomputed one); absent: the id is computed here, once. */
      readonly chunkId: Uint8Array | undefined;
      readonly k: number;
      readonly m: number;
      /** A released stripe's memory to encode into (moved here; comes back as the result's stripe, or as `spare`). */
      readonly into?: ArrayBuffer;
    }
  | {
      readonly kind: 'open';
      readonly keys: JobKeys;
      /** The present shards, in index order, back to back (data shards first, so whole data is one view). */
      readonly packed: Uint8Array;
      /** k + m flags: which slots `packed` holds. */
      readonly present: readonly boolean[];
      readonly k: number;
      readonly m: number;
      readonly envelopeLength: number;
      readonly chunkId: Uint8Array;
    }
  /** Test hook: the worker throws an uncaught exception (honoured only when started with test hooks). */
  | { readonly kind: 'crash' };

export type JobResult =
  | { readonly kind: 'identify'; readonly chunkId: Uint8Array }
  | { readonly kind: 'seal'; readonly chunkId: Uint8Array; readonly envelopeLength: number; readonly shardLength: number; readonly stripe: Uint8Array }
  | { readonly kind: 'open'; readonly plaintext: Uint8Array };

export interface WorkerRequest {
  readonly id: number;
  readonly job: JobRequest;
}

export type JobOutcome =
  | { readonly ok: true; readonly result: JobResult }
  | { readonly ok: false; readonly error: WireError };

export type WorkerReply =
  | { readonly type: 'ready' }
  | ({
      readonly type: 'done';
      readonly id: number;
      readonly stage: PipelineStage | undefined;
      readonly busyMs: number;
      /** The job's plaintext buffer, zero-filled whole, moved back for reuse (identify and seal). */
      readonly spent?: ArrayBuffer;
      /** A seal job's `into` buffer when it was not used (too small, or the job failed), moved back. */
      readonly spare?: ArrayBuffer;
    } & JobOutcome);

/** workerData given to each pipeline worker. */
export interface PipelineWorkerData {
  /** Accept the 'crash' job (tests only). */
  readonly testHooks: boolean;
}
