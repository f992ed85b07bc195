// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Live chunks sealed under one system epoch.
 */
export interface EpochChunks {
  /**
   * System epoch.
   */
  'epoch'?: (number | string | Long);
  /**
   * Live chunk records.
   */
  'chunks'?: (number | string | Long);
}

/**
 * Live chunks sealed under one system epoch.
 */
export interface EpochChunks__Output {
  /**
   * System epoch.
   */
  'epoch': (string);
  /**
   * Live chunk records.
   */
  'chunks': (string);
}
