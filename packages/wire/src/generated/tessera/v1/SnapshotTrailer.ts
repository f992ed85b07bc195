// Original file: proto/tessera/v1/raft.proto


/**
 * Closes a snapshot transfer.
 */
export interface SnapshotTrailer {
  /**
   * CRC32C of the concatenated data frames; the recipient drops the snapshot on
   * a mismatch.
   */
  'crc32c'?: (number);
}

/**
 * Closes a snapshot transfer.
 */
export interface SnapshotTrailer__Output {
  /**
   * CRC32C of the concatenated data frames; the recipient drops the snapshot on
   * a mismatch.
   */
  'crc32c': (number);
}
