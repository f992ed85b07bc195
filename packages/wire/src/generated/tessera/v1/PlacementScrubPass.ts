// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One placement scrub pass over the committed chunk table.
 */
export interface PlacementScrubPass {
  /**
   * Live chunk records checked so far.
   */
  'scanned'?: (number | string | Long);
  /**
   * Live chunk records when the pass started.
   */
  'total'?: (number | string | Long);
  /**
   * Slots found without their shard.
   */
  'missing'?: (number | string | Long);
  /**
   * Slots whose shard length disagrees with the stripe's.
   */
  'corrupt'?: (number | string | Long);
  /**
   * Slots on a device that is evacuating, failed, removed or unknown.
   */
  'badDevice'?: (number | string | Long);
  /**
   * Slots whose node did not answer.
   */
  'unreachable'?: (number | string | Long);
  /**
   * Chunks with more than m shards on one node.
   */
  'underProtected'?: (number | string | Long);
  /**
   * Repairs the pass queued.
   */
  'queued'?: (number | string | Long);
  /**
   * Of them, repairs that committed a new placement.
   */
  'repaired'?: (number | string | Long);
  /**
   * Wall-clock start (ms since the epoch).
   */
  'startedMs'?: (number | string | Long);
  /**
   * Wall-clock end (ms); 0 while the pass runs.
   */
  'finishedMs'?: (number | string | Long);
}

/**
 * One placement scrub pass over the committed chunk table.
 */
export interface PlacementScrubPass__Output {
  /**
   * Live chunk records checked so far.
   */
  'scanned': (string);
  /**
   * Live chunk records when the pass started.
   */
  'total': (string);
  /**
   * Slots found without their shard.
   */
  'missing': (string);
  /**
   * Slots whose shard length disagrees with the stripe's.
   */
  'corrupt': (string);
  /**
   * Slots on a device that is evacuating, failed, removed or unknown.
   */
  'badDevice': (string);
  /**
   * Slots whose node did not answer.
   */
  'unreachable': (string);
  /**
   * Chunks with more than m shards on one node.
   */
  'underProtected': (string);
  /**
   * Repairs the pass queued.
   */
  'queued': (string);
  /**
   * Of them, repairs that committed a new placement.
   */
  'repaired': (string);
  /**
   * Wall-clock start (ms since the epoch).
   */
  'startedMs': (string);
  /**
   * Wall-clock end (ms); 0 while the pass runs.
   */
  'finishedMs': (string);
}
