/** The storage node's data-path CPU stages (chunk id, seal + erasure code, decode + open) on worker threads. */
export { ChunkPipeline, DEFAULT_PIPELINE_WORKERS, MAX_PIPELINE_WORKERS } from './chunk-pipeline.js';
export { MAX_ENVELOPE_BYTES } from './stages.js';
export type { ChunkKeySet, ChunkPipelineOptions, ChunkPipelineStats, PipelineStage, SealedStripe, StripeRead } from './types.js';
