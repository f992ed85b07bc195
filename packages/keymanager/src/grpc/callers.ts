/**
 * Who is calling the Keys service, from the verified certificate only (A1):
 * the principal the transport authenticated, turned into the key manager's
 * `Actor` (cluster admin, tenant admin of T) or `NodeCaller` (a storage node
 * with the SHA-256 of the public key it presented, checked against its pin).
 * A principal of any other kind gets KM_FORBIDDEN, whatever the
 * authorization table says — two independent lines.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { peerCertificateOf, type CallWithAuthContext, type Principal } from '@tessera/transport';
import { spkiSha256 } from '../pin.js';
import type { NodeCaller } from '../service/key-service.js';
import type { Actor } from '../state/types.js';

export type PrincipalOf = (call: CallWithAuthContext) => Principal;

function forbidden(): TesseraError {
  return new TesseraError(ErrorCodes.KM_FORBIDDEN, 'not allowed for this principal');
}

/** A cluster admin or a tenant admin; anything else is refused. */
export function adminActor(principal: Principal): Actor {
  if (principal.kind === 'admin') return { role: 'cluster-admin', principal: principal.spiffeId, tenant: '' };
  if (principal.kind === 'tenant-admin') return { role: 'tenant-admin', principal: principal.spiffeId, tenant: principal.tenant };
  throw forbidden();
}

/** A cluster admin only. */
export function clusterAdminActor(principal: Principal): Actor {
  const actor = adminActor(principal);
  if (actor.role !== 'cluster-admin') throw forbidden();
  return actor;
}

/** A storage node, with the pin of the certificate it presented on this connection. */
export function nodeCaller(principal: Principal, call: CallWithAuthContext): NodeCaller {
  if (principal.kind !== 'node') throw forbidden();
  const raw = peerCertificateOf(call)?.raw;
  if (raw === undefined) throw new TesseraError(ErrorCodes.TRANSPORT_UNAUTHENTICATED, 'unauthenticated');
  return { nodeId: principal.id, principal: principal.spiffeId, spkiSha256: spkiSha256(raw) };
}
