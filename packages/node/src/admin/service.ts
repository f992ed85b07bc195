/**
 * `tessera.v1.Admin` on the client port: its membership part, shared with
 * the key manager (`membershipHandlers` in @tessera/transport): status,
 * members, add, remove, leadership transfer; and the access-grant methods
 * (RequestAccess, ApproveAccess, DenyAccess, RevokeGrant, ListAccess: issue
 * #9, src/access), merged in by the node; and the operator methods
 * (ListDevices, SetDeviceState, TenantUsage, SetTenantQuota, ClusterOverview:
 * issue #9, ./operator.ts); and the maintenance methods (MaintenanceStatus,
 * StartScrub, Compact: issues #8/#9, ./maintenance.ts); and AddDevice
 * (issue #9, ./add-device.ts).
 */
import type * as grpc from '@grpc/grpc-js';
import { membershipHandlers, type MembershipOptions, type MembershipView } from '@tessera/transport';
import { addDeviceHandlers, type AddDeviceView } from './add-device.js';
import { maintenanceHandlers, type MaintenanceAdminView } from './maintenance.js';
import { operatorHandlers, type OperatorView } from './operator.js';

export type AdminNodeView = MembershipView & {
  /** Further Admin methods served by this node (the access-grant handlers). */
  readonly extraHandlers?: grpc.UntypedServiceImplementation;
  /** Devices, tenant usage and quota, cluster overview (issue #9: ./operator.ts). */
  readonly operator?: OperatorView;
  /** Scrub, repair and compaction status and controls (issues #8/#9: ./maintenance.ts). */
  readonly maintenance?: MaintenanceAdminView;
  /** Attaching a new device folder to this node (issue #9: ./add-device.ts). */
  readonly addDevice?: AddDeviceView;
};
export type AdminServiceOptions = MembershipOptions;

export function adminService(view: AdminNodeView, options: AdminServiceOptions = {}): grpc.UntypedServiceImplementation {
  return {
    ...membershipHandlers(view, options),
    ...(view.extraHandlers ?? {}),
    ...(view.operator !== undefined ? operatorHandlers(view.operator) : {}),
    ...(view.maintenance !== undefined ? maintenanceHandlers(view.maintenance) : {}),
    ...(view.addDevice !== undefined ? addDeviceHandlers(view.addDevice) : {}),
  };
}
