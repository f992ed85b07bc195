/**
 * Principals: who is calling, as proven by the verified certificate chain
 * (DESIGN A1). Identities are SPIFFE ids in one trust domain:
 *   spiffe://TD/node/ID              storage node
 *   spiffe://TD/keymanager/ID        key manager
 *   spiffe://TD/admin/NAME           cluster admin
 *   spiffe://TD/tenant/T/admin/NAME  tenant admin of T
 *   spiffe://TD/tenant/T/client/NAME tenant client of T
 */

export const PRINCIPAL_KINDS = ['node', 'keymanager', 'admin', 'tenant-admin', 'tenant-client'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

interface Base {
  readonly spiffeId: string;
  readonly trustDomain: string;
}

export type Principal =
  | (Base & { readonly kind: 'node'; readonly id: string })
  | (Base & { readonly kind: 'keymanager'; readonly id: string })
  | (Base & { readonly kind: 'admin'; readonly name: string })
  | (Base & { readonly kind: 'tenant-admin'; readonly tenant: string; readonly name: string })
  | (Base & { readonly kind: 'tenant-client'; readonly tenant: string; readonly name: string });

export type TenantPrincipal = Extract<Principal, { tenant: string }>;

export function isTenantKind(kind: PrincipalKind): kind is 'tenant-admin' | 'tenant-client' {
  return kind === 'tenant-admin' || kind === 'tenant-client';
}

export function isTenantPrincipal(p: Principal): p is TenantPrincipal {
  return isTenantKind(p.kind);
}

/** The tenant a principal belongs to, if any. */
export function tenantOf(p: Principal): string | undefined {
  return isTenantPrincipal(p) ? p.tenant : undefined;
}

const TRUST_DOMAIN = '[a-z0-9](?:[a-z0-9._-]{0,253}[a-z0-9])?';
const NAME = '[a-z0-9][a-z0-9._-]{0,62}';
const TENANT = '[a-z0-9-]{1,63}';

const FORMS: readonly { re: RegExp; make: (td: string, m: RegExpExecArray, uri: string) => Principal }[] = [
  {
    re: new RegExp(`^spiffe://(${TRUST_DOMAIN})/node/(${NAME})$`),
    make: (td, m, uri) => ({ kind: 'node', id: m[2] ?? '', spiffeId: uri, trustDomain: td }),
  },
  {
    re: new RegExp(`^spiffe://(${TRUST_DOMAIN})/keymanager/(${NAME})$`),
    make: (td, m, uri) => ({ kind: 'keymanager', id: m[2] ?? '', spiffeId: uri, trustDomain: td }),
  },
  {
    re: new RegExp(`^spiffe://(${TRUST_DOMAIN})/admin/(${NAME})$`),
    make: (td, m, uri) => ({ kind: 'admin', name: m[2] ?? '', spiffeId: uri, trustDomain: td }),
  },
  {
    re: new RegExp(`^spiffe://(${TRUST_DOMAIN})/tenant/(${TENANT})/admin/(${NAME})$`),
    make: (td, m, uri) => ({ kind: 'tenant-admin', tenant: m[2] ?? '', name: m[3] ?? '', spiffeId: uri, trustDomain: td }),
  },
  {
    re: new RegExp(`^spiffe://(${TRUST_DOMAIN})/tenant/(${TENANT})/client/(${NAME})$`),
    make: (td, m, uri) => ({ kind: 'tenant-client', tenant: m[2] ?? '', name: m[3] ?? '', spiffeId: uri, trustDomain: td }),
  },
];

export type SpiffeParse =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: 'not-a-tessera-id' | 'wrong-trust-domain' };

/** Parses a SPIFFE id of one of the five forms, in `trustDomain` only. */
export function parseSpiffeId(uri: string, trustDomain: string): SpiffeParse {
  for (const form of FORMS) {
    const m = form.re.exec(uri);
    if (m === null) continue;
    const td = m[1] ?? '';
    if (td !== trustDomain) return { ok: false, reason: 'wrong-trust-domain' };
    return { ok: true, principal: form.make(td, m, uri) };
  }
  return { ok: false, reason: 'not-a-tessera-id' };
}
