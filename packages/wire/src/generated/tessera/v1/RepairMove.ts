// Original file: proto/tessera/v1/admin.proto


/**
 * One shard a repair moved.
 */
export interface RepairMove {
  /**
   * Shard index in the stripe.
   */
  'shardIndex'?: (number);
  /**
   * The slot it left, "node/device".
   */
  'from'?: (string);
  /**
   * The slot it went to, "node/device".
   */
  'to'?: (string);
  /**
   * Rebuilt from the other shards (else copied).
   */
  'rebuilt'?: (boolean);
}

/**
 * One shard a repair moved.
 */
export interface RepairMove__Output {
  /**
   * Shard index in the stripe.
   */
  'shardIndex': (number);
  /**
   * The slot it left, "node/device".
   */
  'from': (string);
  /**
   * The slot it went to, "node/device".
   */
  'to': (string);
  /**
   * Rebuilt from the other shards (else copied).
   */
  'rebuilt': (boolean);
}
