// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A metadata leader's report of the committed minimum decrypt epoch.
 */
export interface ReportMinDecryptEpochRequest {
  /**
   * The metadata group's committed minDecryptEpoch (no chunk below it remains).
   */
  'epoch'?: (number | string | Long);
  /**
   * Raft term of the reporting metadata leader.
   */
  'metadataTerm'?: (number | string | Long);
  /**
   * Metadata applied index at which the leader read `epoch` (after a ReadIndex).
   */
  'metadataIndex'?: (number | string | Long);
}

/**
 * A metadata leader's report of the committed minimum decrypt epoch.
 */
export interface ReportMinDecryptEpochRequest__Output {
  /**
   * The metadata group's committed minDecryptEpoch (no chunk below it remains).
   */
  'epoch': (string);
  /**
   * Raft term of the reporting metadata leader.
   */
  'metadataTerm': (string);
  /**
   * Metadata applied index at which the leader read `epoch` (after a ReadIndex).
   */
  'metadataIndex': (string);
}
