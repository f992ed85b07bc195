export { ReedSolomon, shardSizeFor, stripeBytes } from './reed-solomon.js';
export type { MaybeShard, ReedSolomonOptions, Stripe, StripeInput } from './reed-solomon.js';
export { decode, encode, encodeInto, erasureKernel, reconstruct, verify } from './default-codec.js';
export type { KernelName } from './kernel.js';
export type { KernelChoice } from './kernels.js';
export { MAX_TOTAL_SHARDS, checkParams } from './params.js';
export { GF_POLYNOMIAL } from './gf256.js';
export { crc32c, crc32cImplementation, crc32cReference } from './crc32c.js';
export type { Crc32cImplementationName } from './crc32c.js';
export {
  DEFAULT_MAX_SHARD_PAYLOAD,
  SHARD_RECORD_MAGIC,
  SHARD_RECORD_OVERHEAD,
  SHARD_RECORD_VERSION,
  decodeShardRecord,
  encodeShardRecord,
} from './shard-record.js';
export type { ShardRecord, ShardRecordOptions } from './shard-record.js';
