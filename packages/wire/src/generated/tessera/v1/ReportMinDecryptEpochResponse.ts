// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The key manager's minimum decrypt epoch after a report.
 */
export interface ReportMinDecryptEpochResponse {
  /**
   * Lowest system epoch whose master key is still released (0: all are).
   */
  'minDecryptEpoch'?: (number | string | Long);
  /**
   * Epoch that new chunk writes use.
   */
  'systemEpoch'?: (number | string | Long);
}

/**
 * The key manager's minimum decrypt epoch after a report.
 */
export interface ReportMinDecryptEpochResponse__Output {
  /**
   * Lowest system epoch whose master key is still released (0: all are).
   */
  'minDecryptEpoch': (string);
  /**
   * Epoch that new chunk writes use.
   */
  'systemEpoch': (string);
}
