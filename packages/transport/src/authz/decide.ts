/**
 * The authorization decision, pure apart from the resource index: whether a
 * principal may call a method, and whether one request message names only
 * its own tenant's resources.
 */
import { isTenantPrincipal } from '../identity/principal.js';
import type { Principal } from '../identity/principal.js';
import type { TenantResourceIndex } from './resources.js';
import type { AuthorizationTable, MethodPolicy, TenantFieldRef } from './types.js';

export type CallDecision =
  | { readonly ok: true; readonly policy: MethodPolicy }
  | { readonly ok: false; readonly reason: 'undeclared-method' | 'kind-not-allowed' };

export function decideCall(table: AuthorizationTable, path: string, principal: Principal): CallDecision {
  const policy = table.get(path);
  if (policy === undefined) return { ok: false, reason: 'undeclared-method' };
  if (!policy.allow.includes(principal.kind)) return { ok: false, reason: 'kind-not-allowed' };
  return { ok: true, policy };
}

export type MessageDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'foreign-tenant-field' | 'unreadable-request' | 'resource-check-failed'; readonly field?: string };

const ALLOW: MessageDecision = { ok: true };

/**
 * Checks every tenant-owned reference of one message. Only tenant principals
 * are restricted here (cluster admins reach tenant data only through grants,
 * checked by the data path). Synchronous when the index answers synchronously.
 */
export function decideMessage(
  policy: MethodPolicy,
  principal: Principal,
  message: unknown,
  resources: TenantResourceIndex,
): MessageDecision | Promise<MessageDecision> {
  if (!isTenantPrincipal(principal) || policy.tenantFields === undefined) return ALLOW;
  let refs: readonly TenantFieldRef[];
  try {
    refs = policy.tenantFields(message);
  } catch {
    return { ok: false, reason: 'unreadable-request' };
  }
  const tenant = principal.tenant;
  const pending: { ref: TenantFieldRef; answer: Promise<boolean> }[] = [];
  for (const ref of refs) {
    if (ref.kind === 'tenant') {
      if (ref.value !== tenant) return { ok: false, reason: 'foreign-tenant-field', field: ref.field };
    } else if (ref.kind === 'name') {
      if (ref.owner !== tenant) return { ok: false, reason: 'foreign-tenant-field', field: ref.field };
    } else {
      const answer = resources.holds(tenant, ref.kind, ref.value);
      if (answer === false) return { ok: false, reason: 'foreign-tenant-field', field: ref.field };
      if (answer !== true) pending.push({ ref, answer });
    }
  }
  if (pending.length === 0) return ALLOW;
  return Promise.all(pending.map((p) => p.answer)).then((answers) => {
    const refused = pending.find((_, i) => answers[i] !== true);
    return refused === undefined ? ALLOW : { ok: false, reason: 'foreign-tenant-field', field: refused.ref.field };
  });
}
