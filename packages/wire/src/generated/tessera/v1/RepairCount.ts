// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Finished repairs of one (reason, outcome).
 */
export interface RepairCount {
  /**
   * "missing", "corrupt", "device", "evacuate" or "under-protected".
   */
  'reason'?: (string);
  /**
   * "ok", "nothing", "stale", "unrecoverable", "no-device" or "failed".
   */
  'outcome'?: (string);
  /**
   * Repairs since the leader started.
   */
  'count'?: (number | string | Long);
}

/**
 * Finished repairs of one (reason, outcome).
 */
export interface RepairCount__Output {
  /**
   * "missing", "corrupt", "device", "evacuate" or "under-protected".
   */
  'reason': (string);
  /**
   * "ok", "nothing", "stale", "unrecoverable", "no-device" or "failed".
   */
  'outcome': (string);
  /**
   * Repairs since the leader started.
   */
  'count': (string);
}
