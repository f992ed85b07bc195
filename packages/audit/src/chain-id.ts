/**
 * Chain ids: one hash chain per tenant (`tenant/<id>`) plus one system chain
 * (`system`) in each Raft group that keeps an audit log. The id is part of
 * every hashed entry, so an entry cannot be replayed into another chain.
 */
import { ErrorCodes, TesseraError, isValidTenantId } from '@tessera/common';

export type ChainId = string & { readonly __brand: 'AuditChainId' };

export const SYSTEM_CHAIN = 'system' as ChainId;
const TENANT_PREFIX = 'tenant/';
/** `tenant/` plus at most 63 tenant characters. */
export const MAX_CHAIN_ID_BYTES = 70;

export function tenantChain(tenant: string): ChainId {
  if (!isValidTenantId(tenant)) throw new TesseraError(ErrorCodes.INVALID_TENANT_ID, 'tenant id must be 1-63 characters of [a-z0-9-]');
  return (TENANT_PREFIX + tenant) as ChainId;
}

export function isChainId(value: unknown): value is ChainId {
  if (value === SYSTEM_CHAIN) return true;
  return typeof value === 'string' && value.startsWith(TENANT_PREFIX) && isValidTenantId(value.slice(TENANT_PREFIX.length));
}

export function parseChainId(value: unknown): ChainId {
  if (!isChainId(value)) throw new TesseraError(ErrorCodes.AUDIT_UNKNOWN_CHAIN, 'not an audit chain id');
  return value;
}

/** The tenant a chain belongs to, or undefined for the system chain. */
export function chainTenant(chain: ChainId): string | undefined {
  return chain === SYSTEM_CHAIN ? undefined : chain.slice(TENANT_PREFIX.length);
}
