/**
 * `tessera.v1.Admin` on the client port. So far its membership part, shared
 * with the key manager (`membershipHandlers` in @tessera/transport): status,
 * members, add, remove, leadership transfer. Tenant usage and access grants
 * come with later issues (UNIMPLEMENTED until then).
 */
import type * as grpc from '@grpc/grpc-js';
import { membershipHandlers, type MembershipOptions, type MembershipView } from '@tessera/transport';

export type AdminNodeView = MembershipView;
export type AdminServiceOptions = MembershipOptions;

export function adminService(view: AdminNodeView, options: AdminServiceOptions = {}): grpc.UntypedServiceImplementation {
  return { ...membershipHandlers(view, options) };
}
