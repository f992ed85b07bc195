/**
 * The key-manager group is the authority for tenants (DESIGN section 2): its
 * committed tenant table fills this process's tenant-CA registry, so a
 * tenant admin is accepted on the keys port once — and only while — its
 * tenant is registered and not shredded. Re-synced on every tenant change.
 * A CA that does not parse (the state machine checks shape only) is left out
 * and logged, never thrown into the apply path.
 */
import type { Logger } from '@tessera/common';
import { parseTenantCa, type InMemoryTenantCaRegistry } from '@tessera/transport';
import { tenantCaTable } from '../state/tenant-table.js';
import type { KmState } from '../state/types.js';

export function syncTenantCas(registry: InMemoryTenantCaRegistry, state: KmState, logger?: Logger): void {
  const wanted = new Map(tenantCaTable(state).map((t) => [t.tenant, t]));
  for (const entry of registry.list()) {
    if (!wanted.has(entry.tenant)) registry.delete(entry.tenant);
  }
  for (const [tenant, t] of wanted) {
    let parsed;
    try {
      parsed = parseTenantCa(tenant, t.certificatePem, t.crlPem);
    } catch {
      logger?.warn('tenant CA left out of the registry: it does not parse', { tenant });
      registry.delete(tenant);
      continue;
    }
    const current = registry.get(tenant);
    if (current !== undefined && current.certificatePem === parsed.certificatePem && current.crlPem === parsed.crlPem) continue;
    registry.set(tenant, t.certificatePem, t.crlPem);
  }
}
