// Original file: proto/tessera/v1/common.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A half-open byte range [offset, offset + length) of an object.
 */
export interface ByteRange {
  /**
   * First byte of the range.
   */
  'offset'?: (number | string | Long);
  /**
   * Number of bytes; 0 means "to the end of the object".
   */
  'length'?: (number | string | Long);
}

/**
 * A half-open byte range [offset, offset + length) of an object.
 */
export interface ByteRange__Output {
  /**
   * First byte of the range.
   */
  'offset': (string);
  /**
   * Number of bytes; 0 means "to the end of the object".
   */
  'length': (string);
}
