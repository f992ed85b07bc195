/**
 * The committed tenant table as the rest of a process consumes it: the
 * tenant-CA registry (a `tenant/T/*` principal is accepted only if its chain
 * ends at T's registered CA) and the metadata group's copy of the tenants
 * (DESIGN section 2). A shredded tenant has no CA any more: nobody can
 * authenticate as it.
 */
import { tenantView, type KmState, type TenantView } from './types.js';

export interface TenantCaRecord {
  readonly tenant: string;
  readonly certificatePem: string;
  readonly crlPem: string;
}

/** Every tenant, sorted by id (what a watch subscriber receives first). */
export function tenantViews(state: KmState): TenantView[] {
  return [...state.tenants.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(tenantView);
}

/** The CAs a process should trust for tenant principals, sorted by tenant. */
export function tenantCaTable(state: KmState): TenantCaRecord[] {
  return tenantViews(state)
    .filter((t) => t.state !== 'shredded')
    .map((t) => ({ tenant: t.id, certificatePem: t.caCertPem, crlPem: t.caCrlPem }));
}
