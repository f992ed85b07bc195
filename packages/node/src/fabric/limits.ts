/**
 * Bounds of the Fabric service (DESIGN section 6): shards stream in frames of
 * at most FRAME_BYTES, a forwarded command is at most 1 MiB, and a shard is
 * at most what one extent record holds plus a little room, so a receiver
 * knows the most it will ever buffer for one call before the first data byte.
 */
import { FRAME_BYTES } from '@tessera/wire';

export const FABRIC_LIMITS = {
  /** Largest data frame, both directions (the wire's frame size, 1 MiB). */
  frameBytes: FRAME_BYTES,
  /** Default bound of one shard's payload: 16 MiB + 64 KiB. */
  maxShardBytes: 16 * 1024 * 1024 + 64 * 1024,
  /** Largest encoded metadata command ForwardPropose carries. */
  maxCommandBytes: 1024 * 1024,
  /** Largest encoded result a ForwardPropose reply may carry (results are small; this only bounds a broken peer). */
  maxResultBytes: 64 * 1024,
  /** Shard indexes fit one byte, as in the extent record (k + m ≤ 255). */
  maxShardIndex: 254,
  /** Default deadline of a shard transfer. */
  shardTimeoutMs: 30_000,
  /** Default deadline of a forwarded proposal. */
  proposeTimeoutMs: 10_000,
} as const;
