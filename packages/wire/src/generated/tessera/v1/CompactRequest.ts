// Original file: proto/tessera/v1/admin.proto


/**
 * Asks for compaction now.
 */
export interface CompactRequest {
  /**
   * One tenant; empty means every tenant with something to compact.
   */
  'tenant'?: (string);
}

/**
 * Asks for compaction now.
 */
export interface CompactRequest__Output {
  /**
   * One tenant; empty means every tenant with something to compact.
   */
  'tenant': (string);
}
