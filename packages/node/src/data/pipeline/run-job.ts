/**
 * Runs one job inside a worker thread: rebuild the keys from the transferred
 * bytes, run the stage, destroy the keys, and hand back the result with the
 * ArrayBuffers to transfer. Plaintext the worker received is zero-filled once
 * the stage is done with it — its whole ArrayBuffer, which was the pipeline's
 * own copy and goes back to it for reuse (recycler.ts).
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { ChunkKeys } from '@tessera/crypto';
import type { MaybeShard } from '@tessera/erasure';
import { unpackJobKeys } from './job-keys.js';
import type { JobKeys } from './job-keys.js';
import type { JobRequest, JobResult } from './protocol.js';
import { identifyChunk, openStripe, sealStripe } from './stages.js';
import { soleOwner, transferOf, wipeWhole } from './transfer.js';

export interface RanJob {
  readonly result: JobResult;
  readonly transfer: ArrayBuffer[];
}

type StageJob = Exclude<JobRequest, { kind: 'crash' }>;

function withJobKeys<T>(jobKeys: JobKeys, use: (keys: ChunkKeys) => T): T {
  const unpacked = unpackJobKeys(jobKeys);
  try {
    return use(unpacked.keys);
  } finally {
    unpacked.destroy();
  }
}

export function runJob(job: StageJob): RanJob {
  switch (job.kind) {
    case 'identify': {
      try {
        const chunkId = withJobKeys(job.keys, (keys) => identifyChunk(keys, job.plaintext));
        return { result: { kind: 'identify', chunkId }, transfer: [] };
      } finally {
        wipeWhole(job.plaintext);
      }
    }
    case 'seal': {
      try {
        const into = job.into instanceof ArrayBuffer ? job.into : undefined;
        const sealed = withJobKeys(job.keys, (keys) => sealStripe(keys, job.plaintext, job.chunkId, job.k, job.m, into));
        // A stripe encoded into `into` is a view from its start: the whole buffer moves back with it.
        const stripe = sealed.stripe.buffer === into ? sealed.stripe : soleOwner(sealed.stripe);
        return {
          result: { kind: 'seal', chunkId: sealed.chunkId, envelopeLength: sealed.envelopeLength, shardLength: sealed.shardLength, stripe },
          transfer: [transferOf(stripe)],
        };
      } finally {
        wipeWhole(job.plaintext);
      }
    }
    case 'open': {
      const shards = unpackShards(job.packed, job.present, job.envelopeLength, job.k);
      const plaintext = soleOwner(withJobKeys(job.keys, (keys) => openStripe(keys, shards, job.k, job.m, job.envelopeLength, job.chunkId)));
      return { result: { kind: 'open', plaintext }, transfer: [transferOf(plaintext)] };
    }
    default:
      throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'unknown pipeline job');
  }
}

/** Views of the packed present shards in their slots; a packing that does not add up is refused. */
function unpackShards(packed: Uint8Array, present: readonly boolean[], envelopeLength: number, k: number): MaybeShard[] {
  if (!(packed instanceof Uint8Array) || !Array.isArray(present) || !Number.isSafeInteger(envelopeLength) || envelopeLength < 1 || !Number.isInteger(k) || k < 1) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'malformed stripe read');
  }
  const shardLength = Math.ceil(envelopeLength / k);
  const count = present.filter(Boolean).length;
  if (packed.byteLength !== count * shardLength) throw new TesseraError(ErrorCodes.ERASURE_SHARD_SIZE_MISMATCH, 'shard length does not match the envelope length');
  let at = 0;
  return present.map((here) => {
    if (!here) return undefined;
    const view = packed.subarray(at, at + shardLength);
    at += shardLength;
    return view;
  });
}
