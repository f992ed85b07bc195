/**
 * Which tenant holds which chunk, access request and grant. Only committed
 * state knows (later issues back this with the metadata group's tables); the
 * rule is the same everywhere: a tenant principal may name such an id only
 * when its own tenant holds it, whatever other tenants hold (so a refusal
 * never reveals that another tenant has the same chunk).
 */
import type { OwnedResourceKind } from './types.js';

export interface TenantResourceIndex {
  holds(tenant: string, kind: OwnedResourceKind, id: string): boolean | Promise<boolean>;
}

/** Nothing is held by anyone: the safe default until committed state is wired in. */
export const NO_TENANT_RESOURCES: TenantResourceIndex = { holds: () => false };

export class InMemoryTenantResourceIndex implements TenantResourceIndex {
  private readonly held = new Set<string>();

  private static key(tenant: string, kind: OwnedResourceKind, id: string): string {
    return JSON.stringify([tenant, kind, id]);
  }

  add(tenant: string, kind: OwnedResourceKind, id: string): this {
    this.held.add(InMemoryTenantResourceIndex.key(tenant, kind, id));
    return this;
  }

  remove(tenant: string, kind: OwnedResourceKind, id: string): void {
    this.held.delete(InMemoryTenantResourceIndex.key(tenant, kind, id));
  }

  holds(tenant: string, kind: OwnedResourceKind, id: string): boolean {
    return this.held.has(InMemoryTenantResourceIndex.key(tenant, kind, id));
  }
}
