/**
 * Every process fills its tenant-CA registry from its own group's committed
 * tenant table (DESIGN section 2): a tenant principal is accepted on the
 * client port once — and only while — its tenant is committed here, with the
 * CA and CRL the key manager registered, and not shredded. A CA that does not
 * parse is left out and logged, never thrown into the apply path.
 */
import type { Logger } from '@tessera/common';
import { parseTenantCa, type InMemoryTenantCaRegistry } from '@tessera/transport';
import type { TenantRecord } from '../metadata/types.js';

export function syncTenantRegistry(registry: InMemoryTenantCaRegistry, tenants: readonly TenantRecord[], logger?: Logger): void {
  const wanted = new Map(tenants.filter((t) => t.state !== 'shredded').map((t) => [t.id, t]));
  for (const entry of registry.list()) {
    if (!wanted.has(entry.tenant)) registry.delete(entry.tenant);
  }
  for (const [id, t] of wanted) {
    let parsed;
    try {
      parsed = parseTenantCa(id, t.caCertPem, t.caCrlPem);
    } catch {
      logger?.warn('tenant CA left out of the registry: it does not parse', { tenant: id });
      registry.delete(id);
      continue;
    }
    const current = registry.get(id);
    if (current !== undefined && current.certificatePem === parsed.certificatePem && current.crlPem === parsed.crlPem) continue;
    registry.set(id, t.caCertPem, t.caCrlPem);
  }
}
