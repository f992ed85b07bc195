// Original file: proto/tessera/v1/admin.proto

import type { AccessRequest as _tessera_v1_AccessRequest, AccessRequest__Output as _tessera_v1_AccessRequest__Output } from '../../tessera/v1/AccessRequest.js';
import type { AccessGrant as _tessera_v1_AccessGrant, AccessGrant__Output as _tessera_v1_AccessGrant__Output } from '../../tessera/v1/AccessGrant.js';
import type { AccessAuditEntry as _tessera_v1_AccessAuditEntry, AccessAuditEntry__Output as _tessera_v1_AccessAuditEntry__Output } from '../../tessera/v1/AccessAuditEntry.js';

/**
 * A tenant's access requests and grants.
 */
export interface ListAccessResponse {
  /**
   * Requests not yet expired, newest first.
   */
  'requests'?: (_tessera_v1_AccessRequest)[];
  /**
   * Grants not yet expired, newest first.
   */
  'grants'?: (_tessera_v1_AccessGrant)[];
  /**
   * The tenant's grant audit trail, oldest first: every Data call a cluster
   * admin made naming the tenant (tenant admins only; empty for cluster admins).
   */
  'audit'?: (_tessera_v1_AccessAuditEntry)[];
}

/**
 * A tenant's access requests and grants.
 */
export interface ListAccessResponse__Output {
  /**
   * Requests not yet expired, newest first.
   */
  'requests': (_tessera_v1_AccessRequest__Output)[];
  /**
   * Grants not yet expired, newest first.
   */
  'grants': (_tessera_v1_AccessGrant__Output)[];
  /**
   * The tenant's grant audit trail, oldest first: every Data call a cluster
   * admin made naming the tenant (tenant admins only; empty for cluster admins).
   */
  'audit': (_tessera_v1_AccessAuditEntry__Output)[];
}
