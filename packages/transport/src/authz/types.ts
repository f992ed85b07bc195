/**
 * Authorization declarations. Every RPC method has one entry in the
 * authorization table (authz/table.ts): which principal kinds may call it and,
 * for methods that name tenant resources, how to find every such reference in
 * a request message. Anything not in the table is denied.
 */
import type { PrincipalKind } from '../identity/principal.js';

/** Kinds of tenant-owned values a request can name. */
export type TenantFieldKind = 'tenant' | 'name' | 'chunk' | 'request' | 'grant';

/** Resources whose ownership only committed state knows (see TenantResourceIndex). */
export type OwnedResourceKind = 'chunk' | 'request' | 'grant';

/**
 * One tenant-owned value named by a request:
 *  - `tenant`: a tenant id; must be the caller's tenant;
 *  - `name`: an object name, always carried with the tenant that owns it
 *    (`owner`, from the ObjectRef); the owner must be the caller's tenant;
 *  - `chunk`, `request`, `grant`: ids with no tenant inside; the caller's
 *    tenant must hold them, per the TenantResourceIndex.
 */
export type TenantFieldRef =
  | { readonly kind: 'tenant'; readonly field: string; readonly value: string }
  | { readonly kind: 'name'; readonly field: string; readonly owner: string }
  | { readonly kind: OwnedResourceKind; readonly field: string; readonly value: string };

export interface MethodPolicy {
  /** Principal kinds allowed to call the method. */
  readonly allow: readonly PrincipalKind[];
  /**
   * Every tenant-owned value in one request message (for streaming methods:
   * in each message). Required when a tenant kind is allowed, unless
   * `tenantNeutral` says the method names nothing tenant-owned.
   */
  readonly tenantFields?: (request: unknown) => readonly TenantFieldRef[];
  /** The method names no tenant resource (health, reflection). */
  readonly tenantNeutral?: boolean;
}

/** Method path (`/tessera.v1.Data/PutObject`) → policy. */
export type AuthorizationTable = ReadonlyMap<string, MethodPolicy>;
