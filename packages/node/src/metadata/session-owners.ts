/**
 * Who opened each client session of the metadata group (DESIGN section 6:
 * a tenant acts only through its own sessions), as stored in the meta record
 * and in snapshot images: u32 count, then (client id u64, tenant) ascending.
 */
import type { BinaryReader, BinaryWriter } from '@tessera/common';
import { bad, readTenant, writeTenant } from './fields.js';
import { liveSessionOwners, type MetadataState } from './state.js';

/** Session owners (client id → tenant), ascending; only sessions the table still holds. */
export function writeSessionOwners(w: BinaryWriter, state: MetadataState): BinaryWriter {
  const owners = liveSessionOwners(state);
  w.u32(owners.length);
  for (const [clientId, tenant] of owners) writeTenant(w.u64(clientId), tenant);
  return w;
}

export function readSessionOwners(r: BinaryReader, state: MetadataState): void {
  const count = r.u32();
  if (count > r.remaining / 10) throw bad('session owners truncated');
  let previous = 0;
  for (let i = 0; i < count; i++) {
    const clientId = r.u64Number();
    if (clientId <= previous) throw bad('session owners out of order');
    previous = clientId;
    const tenant = readTenant(r);
    if (state.sessions.session(clientId) === undefined) throw bad('owner of an unknown session');
    state.sessionOwners.set(clientId, tenant);
  }
}
