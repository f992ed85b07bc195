// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One Data call by a cluster admin naming a tenant, recorded before it was served.
 */
export interface AccessAuditEntry {
  /**
   * Per-tenant sequence number, from 1.
   */
  'seq'?: (number | string | Long);
  /**
   * Leader timestamp of the record (ms).
   */
  'timeMs'?: (number | string | Long);
  /**
   * Principal (SPIFFE id) of the cluster admin who called.
   */
  'admin'?: (string);
  /**
   * Grant the call was served or refused under; empty when the admin held none.
   */
  'grantId'?: (string);
  /**
   * Data method called (e.g. "GetObject").
   */
  'method'?: (string);
  /**
   * keyTag (hex) of the object named; empty when the call named none. Names
   * never enter Raft: `audit export` maps keyTags back to names.
   */
  'keyTag'?: (string);
  /**
   * "allowed", or why the call was refused: "no-grant", "stale-clock",
   * "read-only", "outside-prefix".
   */
  'outcome'?: (string);
}

/**
 * One Data call by a cluster admin naming a tenant, recorded before it was served.
 */
export interface AccessAuditEntry__Output {
  /**
   * Per-tenant sequence number, from 1.
   */
  'seq': (string);
  /**
   * Leader timestamp of the record (ms).
   */
  'timeMs': (string);
  /**
   * Principal (SPIFFE id) of the cluster admin who called.
   */
  'admin': (string);
  /**
   * Grant the call was served or refused under; empty when the admin held none.
   */
  'grantId': (string);
  /**
   * Data method called (e.g. "GetObject").
   */
  'method': (string);
  /**
   * keyTag (hex) of the object named; empty when the call named none. Names
   * never enter Raft: `audit export` maps keyTags back to names.
   */
  'keyTag': (string);
  /**
   * "allowed", or why the call was refused: "no-grant", "stale-clock",
   * "read-only", "outside-prefix".
   */
  'outcome': (string);
}
