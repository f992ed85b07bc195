// Original file: proto/tessera/v1/raft.proto

import type { SnapshotHeader as _tessera_v1_SnapshotHeader, SnapshotHeader__Output as _tessera_v1_SnapshotHeader__Output } from '../../tessera/v1/SnapshotHeader.js';
import type { SnapshotTrailer as _tessera_v1_SnapshotTrailer, SnapshotTrailer__Output as _tessera_v1_SnapshotTrailer__Output } from '../../tessera/v1/SnapshotTrailer.js';

/**
 * One frame of a snapshot transfer.
 */
export interface SnapshotFrame {
  /**
   * First frame: who sends what.
   */
  'header'?: (_tessera_v1_SnapshotHeader | null);
  /**
   * Next part of the encoded snapshot message, at most 1 MiB.
   */
  'data'?: (Buffer | Uint8Array | string);
  /**
   * Last frame.
   */
  'trailer'?: (_tessera_v1_SnapshotTrailer | null);
  'kind'?: "header"|"data"|"trailer";
}

/**
 * One frame of a snapshot transfer.
 */
export interface SnapshotFrame__Output {
  /**
   * First frame: who sends what.
   */
  'header'?: (_tessera_v1_SnapshotHeader__Output | null);
  /**
   * Next part of the encoded snapshot message, at most 1 MiB.
   */
  'data'?: (Buffer);
  /**
   * Last frame.
   */
  'trailer'?: (_tessera_v1_SnapshotTrailer__Output | null);
  'kind'?: "header"|"data"|"trailer";
}
