/**
 * The TenantResourceIndex of the client port, backed by committed state:
 * whether a tenant holds an access request or grant id (the authorization
 * table checks ApproveAccess/DenyAccess/RevokeGrant's ids with it, so a
 * tenant admin can only name its own tenant's). An id this replica has not
 * applied yet is looked up again after a ReadIndex barrier; chunks are never
 * checked by the interceptor (the metadata group checks them at apply).
 */
import type { TenantResourceIndex } from '@tessera/transport';
import type { MetadataMachine } from '../metadata/machine.js';
import { parseAccessId } from './ids.js';

export function accessResourceIndex(machine: MetadataMachine, readBarrier: () => Promise<void>): TenantResourceIndex {
  return {
    holds(tenant, kind, idText) {
      const id = parseAccessId(idText);
      if (id === undefined || kind === 'chunk') return false;
      const holds = (): boolean => (kind === 'request' ? machine.access().request(tenant, id) !== undefined : machine.access().findGrant(tenant, id) !== undefined);
      if (holds()) return true;
      return readBarrier().then(holds, () => false);
    },
  };
}
