/**
 * The per-message decision on its own, for every kind of tenant-owned
 * reference (the matrix test reaches only the kinds today's methods carry:
 * no method names an object by (tenant, name) any more, yet the check stays).
 */
import { describe, expect, it } from 'vitest';
import { InMemoryTenantResourceIndex, decideMessage } from '../src/index.js';
import type { MessageDecision, MethodPolicy, Principal, TenantFieldRef } from '../src/index.js';

const ACME_CLIENT: Principal = {
  kind: 'tenant-client',
  tenant: 'acme',
  name: 'app',
  spiffeId: 'spiffe://td/tenant/acme/client/app',
  trustDomain: 'td',
};
const ADMIN: Principal = { kind: 'admin', name: 'root', spiffeId: 'spiffe://td/admin/root', trustDomain: 'td' };

const resources = new InMemoryTenantResourceIndex().add('acme', 'chunk', 'c-acme').add('beta', 'chunk', 'c-beta');

/** A policy whose extractor reports exactly `refs`, whatever the message. */
function reporting(refs: readonly TenantFieldRef[]): MethodPolicy {
  return { allow: ['tenant-client', 'admin'], tenantFields: () => refs };
}

async function decide(refs: readonly TenantFieldRef[], principal: Principal = ACME_CLIENT): Promise<MessageDecision> {
  return await decideMessage(reporting(refs), principal, {}, resources);
}

describe('decideMessage', () => {
  it.each<[string, TenantFieldRef, TenantFieldRef]>([
    ['tenant', { kind: 'tenant', field: 'tenant', value: 'acme' }, { kind: 'tenant', field: 'tenant', value: 'beta' }],
    ['name', { kind: 'name', field: 'ref', owner: 'acme' }, { kind: 'name', field: 'ref', owner: 'beta' }],
    ['chunk', { kind: 'chunk', field: 'chunkIds', value: 'c-acme' }, { kind: 'chunk', field: 'chunkIds', value: 'c-beta' }],
  ])('%s: allows the caller\'s own, refuses another tenant\'s, naming the field', async (_kind, own, foreign) => {
    expect(await decide([own])).toEqual({ ok: true });
    expect(await decide([own, foreign])).toEqual({ ok: false, reason: 'foreign-tenant-field', field: foreign.field });
  });

  it('refuses an id nobody holds', async () => {
    expect(await decide([{ kind: 'chunk', field: 'chunkIds', value: 'c-unknown' }])).toMatchObject({ ok: false, reason: 'foreign-tenant-field' });
  });

  it('refuses a request whose extractor throws', async () => {
    const policy: MethodPolicy = {
      allow: ['tenant-client'],
      tenantFields: () => {
        throw new Error('malformed');
      },
    };
    expect(await decideMessage(policy, ACME_CLIENT, {}, resources)).toEqual({ ok: false, reason: 'unreadable-request' });
  });

  it('waits for an asynchronous index and refuses when it says no', async () => {
    const slow = { holds: (tenant: string, _kind: string, id: string) => Promise.resolve(tenant === 'acme' && id === 'c-acme') };
    const ok = decideMessage(reporting([{ kind: 'chunk', field: 'chunkIds', value: 'c-acme' }]), ACME_CLIENT, {}, slow);
    expect(ok).toBeInstanceOf(Promise);
    expect(await ok).toEqual({ ok: true });
    const refused = decideMessage(reporting([{ kind: 'chunk', field: 'chunkIds', value: 'c-beta' }]), ACME_CLIENT, {}, slow);
    expect(await refused).toEqual({ ok: false, reason: 'foreign-tenant-field', field: 'chunkIds' });
  });

  it('does not restrict non-tenant principals here (cluster admins reach tenant data only through grants)', async () => {
    expect(await decide([{ kind: 'tenant', field: 'tenant', value: 'beta' }], ADMIN)).toEqual({ ok: true });
  });
});
