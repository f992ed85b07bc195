/**
 * The identities Tessera issues certificates for, and their SPIFFE ids
 * (DESIGN section 2): spiffe://TD/node/ID, /keymanager/ID, /admin/NAME,
 * /tenant/T/admin/NAME, /tenant/T/client/NAME.
 */
import { ErrorCodes, TesseraError, parseTenantId } from '@tessera/common';

export type Identity =
  | { readonly kind: 'node'; readonly id: string }
  | { readonly kind: 'keymanager'; readonly id: string }
  | { readonly kind: 'admin'; readonly name: string }
  | { readonly kind: 'tenant-admin'; readonly tenant: string; readonly name: string }
  | { readonly kind: 'tenant-client'; readonly tenant: string; readonly name: string };

export type IdentityKind = Identity['kind'];

export const IDENTITY_KINDS: readonly IdentityKind[] = ['node', 'keymanager', 'admin', 'tenant-admin', 'tenant-client'];

/** Which CA may issue an identity: the cluster CA never issues tenant identities. */
export function issuerKindOf(kind: IdentityKind): 'cluster' | 'tenant' {
  return kind === 'tenant-admin' || kind === 'tenant-client' ? 'tenant' : 'cluster';
}

/** Member ids and principal names: a lowercase label, safe in paths and URIs. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** Trust domains: lowercase DNS-like names (SPIFFE allows [a-z0-9._-]). */
export const TRUST_DOMAIN_PATTERN = /^[a-z0-9]([a-z0-9._-]{0,253}[a-z0-9])?$/;

function usage(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

export function checkTrustDomain(trustDomain: string): string {
  if (!TRUST_DOMAIN_PATTERN.test(trustDomain)) {
    throw usage('trust domain must be lowercase letters, digits, ".", "-" or "_"');
  }
  return trustDomain;
}

export function checkName(what: string, value: string): string {
  if (!NAME_PATTERN.test(value)) {
    throw usage(`${what} must be 1-63 characters of [a-z0-9._-], starting with a letter or digit`);
  }
  return value;
}

export function checkTenant(tenant: string): string {
  return parseTenantId(tenant);
}

/** Validates every field of an identity; returns it unchanged. */
export function checkIdentity(identity: Identity): Identity {
  switch (identity.kind) {
    case 'node':
    case 'keymanager':
      checkName(`${identity.kind} id`, identity.id);
      break;
    case 'admin':
      checkName('admin name', identity.name);
      break;
    case 'tenant-admin':
    case 'tenant-client':
      checkTenant(identity.tenant);
      checkName('name', identity.name);
      break;
  }
  return identity;
}

/** The SPIFFE id of an identity in a trust domain. */
export function spiffeIdOf(trustDomain: string, identity: Identity): string {
  checkTrustDomain(trustDomain);
  checkIdentity(identity);
  const base = `spiffe://${trustDomain}`;
  switch (identity.kind) {
    case 'node':
      return `${base}/node/${identity.id}`;
    case 'keymanager':
      return `${base}/keymanager/${identity.id}`;
    case 'admin':
      return `${base}/admin/${identity.name}`;
    case 'tenant-admin':
      return `${base}/tenant/${identity.tenant}/admin/${identity.name}`;
    case 'tenant-client':
      return `${base}/tenant/${identity.tenant}/client/${identity.name}`;
  }
}

/** Parses a SPIFFE id issued by this package back into an identity (for renewal). */
export function identityOfSpiffeId(trustDomain: string, uri: string): Identity {
  const prefix = `spiffe://${trustDomain}/`;
  if (!uri.startsWith(prefix)) throw new TesseraError(ErrorCodes.CERT_INVALID, 'certificate is for another trust domain');
  const segments = uri.slice(prefix.length).split('/');
  const [a, b, c, d] = segments;
  let identity: Identity | undefined;
  if (segments.length === 2 && a === 'node' && b !== undefined) identity = { kind: 'node', id: b };
  else if (segments.length === 2 && a === 'keymanager' && b !== undefined) identity = { kind: 'keymanager', id: b };
  else if (segments.length === 2 && a === 'admin' && b !== undefined) identity = { kind: 'admin', name: b };
  else if (segments.length === 4 && a === 'tenant' && b !== undefined && d !== undefined && c === 'admin')
    identity = { kind: 'tenant-admin', tenant: b, name: d };
  else if (segments.length === 4 && a === 'tenant' && b !== undefined && d !== undefined && c === 'client')
    identity = { kind: 'tenant-client', tenant: b, name: d };
  if (identity === undefined) throw new TesseraError(ErrorCodes.CERT_INVALID, 'certificate carries no Tessera identity');
  try {
    return checkIdentity(identity);
  } catch {
    throw new TesseraError(ErrorCodes.CERT_INVALID, 'certificate carries no Tessera identity');
  }
}

/** File base name for an identity's certificate and key, e.g. `node-n1`. */
export function defaultBaseName(identity: Identity): string {
  switch (identity.kind) {
    case 'node':
    case 'keymanager':
      return `${identity.kind}-${identity.id}`;
    case 'admin':
      return `admin-${identity.name}`;
    case 'tenant-admin':
      return `tenant-${identity.tenant}-admin-${identity.name}`;
    case 'tenant-client':
      return `tenant-${identity.tenant}-client-${identity.name}`;
  }
}
