/**
 * The ports a Tessera process serves (DESIGN section 2) and what each carries:
 *  - peer   (storage node): Raft and Fabric; trusts the cluster CA only, so a
 *            tenant certificate never completes a handshake there;
 *  - client (storage node): Data, Admin and the Kv test service; trusts the
 *            cluster CA and every registered tenant CA;
 *  - keys   (key manager):  Keys and Raft among key managers; trusts the
 *            cluster CA and tenant CAs (tenant admins manage their tenant's
 *            keys, shreds and audit trail there).
 * Health checking and reflection are served on every port.
 */
import type { ServiceName } from '@tessera/wire';

export type PortKind = 'peer' | 'client' | 'keys';

export const PORT_KINDS: readonly PortKind[] = ['peer', 'client', 'keys'];

export const PORT_SERVICES: Readonly<Record<PortKind, readonly ServiceName[]>> = {
  peer: ['Raft', 'Fabric'],
  client: ['Data', 'Admin', 'Kv'],
  keys: ['Keys', 'Raft'],
};

export const PORT_TRUSTS_TENANT_CAS: Readonly<Record<PortKind, boolean>> = {
  peer: false,
  client: true,
  keys: true,
};
