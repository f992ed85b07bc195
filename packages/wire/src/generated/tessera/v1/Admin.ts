// Original file: proto/tessera/v1/admin.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AccessGrant as _tessera_v1_AccessGrant, AccessGrant__Output as _tessera_v1_AccessGrant__Output } from '../../tessera/v1/AccessGrant.js';
import type { AccessRequest as _tessera_v1_AccessRequest, AccessRequest__Output as _tessera_v1_AccessRequest__Output } from '../../tessera/v1/AccessRequest.js';
import type { AddDeviceRequest as _tessera_v1_AddDeviceRequest, AddDeviceRequest__Output as _tessera_v1_AddDeviceRequest__Output } from '../../tessera/v1/AddDeviceRequest.js';
import type { AddDeviceResponse as _tessera_v1_AddDeviceResponse, AddDeviceResponse__Output as _tessera_v1_AddDeviceResponse__Output } from '../../tessera/v1/AddDeviceResponse.js';
import type { AddMemberRequest as _tessera_v1_AddMemberRequest, AddMemberRequest__Output as _tessera_v1_AddMemberRequest__Output } from '../../tessera/v1/AddMemberRequest.js';
import type { AddMemberResponse as _tessera_v1_AddMemberResponse, AddMemberResponse__Output as _tessera_v1_AddMemberResponse__Output } from '../../tessera/v1/AddMemberResponse.js';
import type { ApproveAccessRequest as _tessera_v1_ApproveAccessRequest, ApproveAccessRequest__Output as _tessera_v1_ApproveAccessRequest__Output } from '../../tessera/v1/ApproveAccessRequest.js';
import type { ClusterOverviewRequest as _tessera_v1_ClusterOverviewRequest, ClusterOverviewRequest__Output as _tessera_v1_ClusterOverviewRequest__Output } from '../../tessera/v1/ClusterOverviewRequest.js';
import type { ClusterOverviewResponse as _tessera_v1_ClusterOverviewResponse, ClusterOverviewResponse__Output as _tessera_v1_ClusterOverviewResponse__Output } from '../../tessera/v1/ClusterOverviewResponse.js';
import type { ClusterStatusRequest as _tessera_v1_ClusterStatusRequest, ClusterStatusRequest__Output as _tessera_v1_ClusterStatusRequest__Output } from '../../tessera/v1/ClusterStatusRequest.js';
import type { ClusterStatusResponse as _tessera_v1_ClusterStatusResponse, ClusterStatusResponse__Output as _tessera_v1_ClusterStatusResponse__Output } from '../../tessera/v1/ClusterStatusResponse.js';
import type { CompactRequest as _tessera_v1_CompactRequest, CompactRequest__Output as _tessera_v1_CompactRequest__Output } from '../../tessera/v1/CompactRequest.js';
import type { CompactResponse as _tessera_v1_CompactResponse, CompactResponse__Output as _tessera_v1_CompactResponse__Output } from '../../tessera/v1/CompactResponse.js';
import type { DenyAccessRequest as _tessera_v1_DenyAccessRequest, DenyAccessRequest__Output as _tessera_v1_DenyAccessRequest__Output } from '../../tessera/v1/DenyAccessRequest.js';
import type { ExportMetadataAuditRequest as _tessera_v1_ExportMetadataAuditRequest, ExportMetadataAuditRequest__Output as _tessera_v1_ExportMetadataAuditRequest__Output } from '../../tessera/v1/ExportMetadataAuditRequest.js';
import type { ListAccessRequest as _tessera_v1_ListAccessRequest, ListAccessRequest__Output as _tessera_v1_ListAccessRequest__Output } from '../../tessera/v1/ListAccessRequest.js';
import type { ListAccessResponse as _tessera_v1_ListAccessResponse, ListAccessResponse__Output as _tessera_v1_ListAccessResponse__Output } from '../../tessera/v1/ListAccessResponse.js';
import type { ListDevicesRequest as _tessera_v1_ListDevicesRequest, ListDevicesRequest__Output as _tessera_v1_ListDevicesRequest__Output } from '../../tessera/v1/ListDevicesRequest.js';
import type { ListDevicesResponse as _tessera_v1_ListDevicesResponse, ListDevicesResponse__Output as _tessera_v1_ListDevicesResponse__Output } from '../../tessera/v1/ListDevicesResponse.js';
import type { ListMembersRequest as _tessera_v1_ListMembersRequest, ListMembersRequest__Output as _tessera_v1_ListMembersRequest__Output } from '../../tessera/v1/ListMembersRequest.js';
import type { ListMembersResponse as _tessera_v1_ListMembersResponse, ListMembersResponse__Output as _tessera_v1_ListMembersResponse__Output } from '../../tessera/v1/ListMembersResponse.js';
import type { MaintenanceStatusRequest as _tessera_v1_MaintenanceStatusRequest, MaintenanceStatusRequest__Output as _tessera_v1_MaintenanceStatusRequest__Output } from '../../tessera/v1/MaintenanceStatusRequest.js';
import type { MaintenanceStatusResponse as _tessera_v1_MaintenanceStatusResponse, MaintenanceStatusResponse__Output as _tessera_v1_MaintenanceStatusResponse__Output } from '../../tessera/v1/MaintenanceStatusResponse.js';
import type { MetadataAuditHead as _tessera_v1_MetadataAuditHead, MetadataAuditHead__Output as _tessera_v1_MetadataAuditHead__Output } from '../../tessera/v1/MetadataAuditHead.js';
import type { MetadataAuditHeadRequest as _tessera_v1_MetadataAuditHeadRequest, MetadataAuditHeadRequest__Output as _tessera_v1_MetadataAuditHeadRequest__Output } from '../../tessera/v1/MetadataAuditHeadRequest.js';
import type { MetadataAuditPart as _tessera_v1_MetadataAuditPart, MetadataAuditPart__Output as _tessera_v1_MetadataAuditPart__Output } from '../../tessera/v1/MetadataAuditPart.js';
import type { RemoveMemberRequest as _tessera_v1_RemoveMemberRequest, RemoveMemberRequest__Output as _tessera_v1_RemoveMemberRequest__Output } from '../../tessera/v1/RemoveMemberRequest.js';
import type { RemoveMemberResponse as _tessera_v1_RemoveMemberResponse, RemoveMemberResponse__Output as _tessera_v1_RemoveMemberResponse__Output } from '../../tessera/v1/RemoveMemberResponse.js';
import type { RequestAccessRequest as _tessera_v1_RequestAccessRequest, RequestAccessRequest__Output as _tessera_v1_RequestAccessRequest__Output } from '../../tessera/v1/RequestAccessRequest.js';
import type { RevokeGrantRequest as _tessera_v1_RevokeGrantRequest, RevokeGrantRequest__Output as _tessera_v1_RevokeGrantRequest__Output } from '../../tessera/v1/RevokeGrantRequest.js';
import type { SetDeviceStateRequest as _tessera_v1_SetDeviceStateRequest, SetDeviceStateRequest__Output as _tessera_v1_SetDeviceStateRequest__Output } from '../../tessera/v1/SetDeviceStateRequest.js';
import type { SetDeviceStateResponse as _tessera_v1_SetDeviceStateResponse, SetDeviceStateResponse__Output as _tessera_v1_SetDeviceStateResponse__Output } from '../../tessera/v1/SetDeviceStateResponse.js';
import type { SetTenantQuotaRequest as _tessera_v1_SetTenantQuotaRequest, SetTenantQuotaRequest__Output as _tessera_v1_SetTenantQuotaRequest__Output } from '../../tessera/v1/SetTenantQuotaRequest.js';
import type { StartScrubRequest as _tessera_v1_StartScrubRequest, StartScrubRequest__Output as _tessera_v1_StartScrubRequest__Output } from '../../tessera/v1/StartScrubRequest.js';
import type { StartScrubResponse as _tessera_v1_StartScrubResponse, StartScrubResponse__Output as _tessera_v1_StartScrubResponse__Output } from '../../tessera/v1/StartScrubResponse.js';
import type { TenantUsageRequest as _tessera_v1_TenantUsageRequest, TenantUsageRequest__Output as _tessera_v1_TenantUsageRequest__Output } from '../../tessera/v1/TenantUsageRequest.js';
import type { TenantUsageResponse as _tessera_v1_TenantUsageResponse, TenantUsageResponse__Output as _tessera_v1_TenantUsageResponse__Output } from '../../tessera/v1/TenantUsageResponse.js';
import type { TransferLeaderRequest as _tessera_v1_TransferLeaderRequest, TransferLeaderRequest__Output as _tessera_v1_TransferLeaderRequest__Output } from '../../tessera/v1/TransferLeaderRequest.js';
import type { TransferLeaderResponse as _tessera_v1_TransferLeaderResponse, TransferLeaderResponse__Output as _tessera_v1_TransferLeaderResponse__Output } from '../../tessera/v1/TransferLeaderResponse.js';

/**
 * Cluster membership, tenant usage and access grants (client port).
 */
export interface AdminClient extends grpc.Client {
  /**
   * Devices (issue #9; node only, cluster admins). Attaches a new device
   * folder to the answering node (which must be the node the request names)
   * and registers it in the node/device table. The folder must lie under one
   * of the node's configured device roots.
   */
  AddDevice(argument: _tessera_v1_AddDeviceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AddDeviceResponse__Output>): grpc.ClientUnaryCall;
  AddDevice(argument: _tessera_v1_AddDeviceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AddDeviceResponse__Output>): grpc.ClientUnaryCall;
  AddDevice(argument: _tessera_v1_AddDeviceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AddDeviceResponse__Output>): grpc.ClientUnaryCall;
  AddDevice(argument: _tessera_v1_AddDeviceRequest, callback: grpc.requestCallback<_tessera_v1_AddDeviceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Devices (issue #9; node only, cluster admins). Attaches a new device
   * folder to the answering node (which must be the node the request names)
   * and registers it in the node/device table. The folder must lie under one
   * of the node's configured device roots.
   */
  addDevice(argument: _tessera_v1_AddDeviceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AddDeviceResponse__Output>): grpc.ClientUnaryCall;
  addDevice(argument: _tessera_v1_AddDeviceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AddDeviceResponse__Output>): grpc.ClientUnaryCall;
  addDevice(argument: _tessera_v1_AddDeviceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AddDeviceResponse__Output>): grpc.ClientUnaryCall;
  addDevice(argument: _tessera_v1_AddDeviceRequest, callback: grpc.requestCallback<_tessera_v1_AddDeviceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Adds a member as a learner carrying its incarnation id, and with `voter`
   * promotes it once caught up.
   */
  AddMember(argument: _tessera_v1_AddMemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  AddMember(argument: _tessera_v1_AddMemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  AddMember(argument: _tessera_v1_AddMemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  AddMember(argument: _tessera_v1_AddMemberRequest, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Adds a member as a learner carrying its incarnation id, and with `voter`
   * promotes it once caught up.
   */
  addMember(argument: _tessera_v1_AddMemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  addMember(argument: _tessera_v1_AddMemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  addMember(argument: _tessera_v1_AddMemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  addMember(argument: _tessera_v1_AddMemberRequest, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A tenant admin approves an access request, creating a grant.
   */
  ApproveAccess(argument: _tessera_v1_ApproveAccessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  ApproveAccess(argument: _tessera_v1_ApproveAccessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  ApproveAccess(argument: _tessera_v1_ApproveAccessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  ApproveAccess(argument: _tessera_v1_ApproveAccessRequest, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  /**
   * A tenant admin approves an access request, creating a grant.
   */
  approveAccess(argument: _tessera_v1_ApproveAccessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  approveAccess(argument: _tessera_v1_ApproveAccessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  approveAccess(argument: _tessera_v1_ApproveAccessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  approveAccess(argument: _tessera_v1_ApproveAccessRequest, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  
  /**
   * Everything `tessera cluster status` shows about the storage cluster.
   */
  ClusterOverview(argument: _tessera_v1_ClusterOverviewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ClusterOverviewResponse__Output>): grpc.ClientUnaryCall;
  ClusterOverview(argument: _tessera_v1_ClusterOverviewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ClusterOverviewResponse__Output>): grpc.ClientUnaryCall;
  ClusterOverview(argument: _tessera_v1_ClusterOverviewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ClusterOverviewResponse__Output>): grpc.ClientUnaryCall;
  ClusterOverview(argument: _tessera_v1_ClusterOverviewRequest, callback: grpc.requestCallback<_tessera_v1_ClusterOverviewResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Everything `tessera cluster status` shows about the storage cluster.
   */
  clusterOverview(argument: _tessera_v1_ClusterOverviewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ClusterOverviewResponse__Output>): grpc.ClientUnaryCall;
  clusterOverview(argument: _tessera_v1_ClusterOverviewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ClusterOverviewResponse__Output>): grpc.ClientUnaryCall;
  clusterOverview(argument: _tessera_v1_ClusterOverviewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ClusterOverviewResponse__Output>): grpc.ClientUnaryCall;
  clusterOverview(argument: _tessera_v1_ClusterOverviewRequest, callback: grpc.requestCallback<_tessera_v1_ClusterOverviewResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Cluster id, leader, term and members of the metadata group.
   */
  ClusterStatus(argument: _tessera_v1_ClusterStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _tessera_v1_ClusterStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _tessera_v1_ClusterStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _tessera_v1_ClusterStatusRequest, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Cluster id, leader, term and members of the metadata group.
   */
  clusterStatus(argument: _tessera_v1_ClusterStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _tessera_v1_ClusterStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _tessera_v1_ClusterStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _tessera_v1_ClusterStatusRequest, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Proposes header-only compaction now for one tenant, or for every tenant
   * with superseded deltas or expired tombstones (a bounded batch per call).
   */
  Compact(argument: _tessera_v1_CompactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_CompactResponse__Output>): grpc.ClientUnaryCall;
  Compact(argument: _tessera_v1_CompactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_CompactResponse__Output>): grpc.ClientUnaryCall;
  Compact(argument: _tessera_v1_CompactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_CompactResponse__Output>): grpc.ClientUnaryCall;
  Compact(argument: _tessera_v1_CompactRequest, callback: grpc.requestCallback<_tessera_v1_CompactResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Proposes header-only compaction now for one tenant, or for every tenant
   * with superseded deltas or expired tombstones (a bounded batch per call).
   */
  compact(argument: _tessera_v1_CompactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_CompactResponse__Output>): grpc.ClientUnaryCall;
  compact(argument: _tessera_v1_CompactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_CompactResponse__Output>): grpc.ClientUnaryCall;
  compact(argument: _tessera_v1_CompactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_CompactResponse__Output>): grpc.ClientUnaryCall;
  compact(argument: _tessera_v1_CompactRequest, callback: grpc.requestCallback<_tessera_v1_CompactResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A tenant admin denies an access request.
   */
  DenyAccess(argument: _tessera_v1_DenyAccessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  DenyAccess(argument: _tessera_v1_DenyAccessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  DenyAccess(argument: _tessera_v1_DenyAccessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  DenyAccess(argument: _tessera_v1_DenyAccessRequest, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  /**
   * A tenant admin denies an access request.
   */
  denyAccess(argument: _tessera_v1_DenyAccessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  denyAccess(argument: _tessera_v1_DenyAccessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  denyAccess(argument: _tessera_v1_DenyAccessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  denyAccess(argument: _tessera_v1_DenyAccessRequest, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  
  /**
   * One chain, in order: a tenant admin's own tenant's chain, or the system
   * chain for a cluster admin. The export is itself audited first.
   */
  ExportAudit(argument: _tessera_v1_ExportMetadataAuditRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_MetadataAuditPart__Output>;
  ExportAudit(argument: _tessera_v1_ExportMetadataAuditRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_MetadataAuditPart__Output>;
  /**
   * One chain, in order: a tenant admin's own tenant's chain, or the system
   * chain for a cluster admin. The export is itself audited first.
   */
  exportAudit(argument: _tessera_v1_ExportMetadataAuditRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_MetadataAuditPart__Output>;
  exportAudit(argument: _tessera_v1_ExportMetadataAuditRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_MetadataAuditPart__Output>;
  
  /**
   * The metadata group's audit chains (issue #9; node only). A signed head to
   * keep: a tenant admin's covers its own tenant's chain; a cluster admin's
   * every chain, or one tenant's. Signed by the key manager's audit key.
   */
  GetAuditHead(argument: _tessera_v1_MetadataAuditHeadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_MetadataAuditHead__Output>): grpc.ClientUnaryCall;
  GetAuditHead(argument: _tessera_v1_MetadataAuditHeadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_MetadataAuditHead__Output>): grpc.ClientUnaryCall;
  GetAuditHead(argument: _tessera_v1_MetadataAuditHeadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_MetadataAuditHead__Output>): grpc.ClientUnaryCall;
  GetAuditHead(argument: _tessera_v1_MetadataAuditHeadRequest, callback: grpc.requestCallback<_tessera_v1_MetadataAuditHead__Output>): grpc.ClientUnaryCall;
  /**
   * The metadata group's audit chains (issue #9; node only). A signed head to
   * keep: a tenant admin's covers its own tenant's chain; a cluster admin's
   * every chain, or one tenant's. Signed by the key manager's audit key.
   */
  getAuditHead(argument: _tessera_v1_MetadataAuditHeadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_MetadataAuditHead__Output>): grpc.ClientUnaryCall;
  getAuditHead(argument: _tessera_v1_MetadataAuditHeadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_MetadataAuditHead__Output>): grpc.ClientUnaryCall;
  getAuditHead(argument: _tessera_v1_MetadataAuditHeadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_MetadataAuditHead__Output>): grpc.ClientUnaryCall;
  getAuditHead(argument: _tessera_v1_MetadataAuditHeadRequest, callback: grpc.requestCallback<_tessera_v1_MetadataAuditHead__Output>): grpc.ClientUnaryCall;
  
  /**
   * Pending requests and live grants of one tenant.
   */
  ListAccess(argument: _tessera_v1_ListAccessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListAccessResponse__Output>): grpc.ClientUnaryCall;
  ListAccess(argument: _tessera_v1_ListAccessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListAccessResponse__Output>): grpc.ClientUnaryCall;
  ListAccess(argument: _tessera_v1_ListAccessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListAccessResponse__Output>): grpc.ClientUnaryCall;
  ListAccess(argument: _tessera_v1_ListAccessRequest, callback: grpc.requestCallback<_tessera_v1_ListAccessResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Pending requests and live grants of one tenant.
   */
  listAccess(argument: _tessera_v1_ListAccessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListAccessResponse__Output>): grpc.ClientUnaryCall;
  listAccess(argument: _tessera_v1_ListAccessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListAccessResponse__Output>): grpc.ClientUnaryCall;
  listAccess(argument: _tessera_v1_ListAccessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListAccessResponse__Output>): grpc.ClientUnaryCall;
  listAccess(argument: _tessera_v1_ListAccessRequest, callback: grpc.requestCallback<_tessera_v1_ListAccessResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Operator views and controls (issue #9; node only, cluster admins).
   * The committed node/device table, with used bytes for this node's devices.
   */
  ListDevices(argument: _tessera_v1_ListDevicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListDevicesResponse__Output>): grpc.ClientUnaryCall;
  ListDevices(argument: _tessera_v1_ListDevicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListDevicesResponse__Output>): grpc.ClientUnaryCall;
  ListDevices(argument: _tessera_v1_ListDevicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListDevicesResponse__Output>): grpc.ClientUnaryCall;
  ListDevices(argument: _tessera_v1_ListDevicesRequest, callback: grpc.requestCallback<_tessera_v1_ListDevicesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Operator views and controls (issue #9; node only, cluster admins).
   * The committed node/device table, with used bytes for this node's devices.
   */
  listDevices(argument: _tessera_v1_ListDevicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListDevicesResponse__Output>): grpc.ClientUnaryCall;
  listDevices(argument: _tessera_v1_ListDevicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListDevicesResponse__Output>): grpc.ClientUnaryCall;
  listDevices(argument: _tessera_v1_ListDevicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListDevicesResponse__Output>): grpc.ClientUnaryCall;
  listDevices(argument: _tessera_v1_ListDevicesRequest, callback: grpc.requestCallback<_tessera_v1_ListDevicesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Members of the metadata group and their replication state.
   */
  ListMembers(argument: _tessera_v1_ListMembersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  ListMembers(argument: _tessera_v1_ListMembersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  ListMembers(argument: _tessera_v1_ListMembersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  ListMembers(argument: _tessera_v1_ListMembersRequest, callback: grpc.requestCallback<_tessera_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Members of the metadata group and their replication state.
   */
  listMembers(argument: _tessera_v1_ListMembersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _tessera_v1_ListMembersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _tessera_v1_ListMembersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _tessera_v1_ListMembersRequest, callback: grpc.requestCallback<_tessera_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Maintenance (issues #8/#9; node only, cluster admins). Answered by the
   * metadata leader: another node answers NOT_LEADER naming the leader.
   * Placement scrub, repairs, evacuations, re-encryption, compaction, and the
   * answering node's device scrub.
   */
  MaintenanceStatus(argument: _tessera_v1_MaintenanceStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_MaintenanceStatusResponse__Output>): grpc.ClientUnaryCall;
  MaintenanceStatus(argument: _tessera_v1_MaintenanceStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_MaintenanceStatusResponse__Output>): grpc.ClientUnaryCall;
  MaintenanceStatus(argument: _tessera_v1_MaintenanceStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_MaintenanceStatusResponse__Output>): grpc.ClientUnaryCall;
  MaintenanceStatus(argument: _tessera_v1_MaintenanceStatusRequest, callback: grpc.requestCallback<_tessera_v1_MaintenanceStatusResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Maintenance (issues #8/#9; node only, cluster admins). Answered by the
   * metadata leader: another node answers NOT_LEADER naming the leader.
   * Placement scrub, repairs, evacuations, re-encryption, compaction, and the
   * answering node's device scrub.
   */
  maintenanceStatus(argument: _tessera_v1_MaintenanceStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_MaintenanceStatusResponse__Output>): grpc.ClientUnaryCall;
  maintenanceStatus(argument: _tessera_v1_MaintenanceStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_MaintenanceStatusResponse__Output>): grpc.ClientUnaryCall;
  maintenanceStatus(argument: _tessera_v1_MaintenanceStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_MaintenanceStatusResponse__Output>): grpc.ClientUnaryCall;
  maintenanceStatus(argument: _tessera_v1_MaintenanceStatusRequest, callback: grpc.requestCallback<_tessera_v1_MaintenanceStatusResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Removes a member; its id can never be added again.
   */
  RemoveMember(argument: _tessera_v1_RemoveMemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_RemoveMemberResponse__Output>): grpc.ClientUnaryCall;
  RemoveMember(argument: _tessera_v1_RemoveMemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_RemoveMemberResponse__Output>): grpc.ClientUnaryCall;
  RemoveMember(argument: _tessera_v1_RemoveMemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_RemoveMemberResponse__Output>): grpc.ClientUnaryCall;
  RemoveMember(argument: _tessera_v1_RemoveMemberRequest, callback: grpc.requestCallback<_tessera_v1_RemoveMemberResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Removes a member; its id can never be added again.
   */
  removeMember(argument: _tessera_v1_RemoveMemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_RemoveMemberResponse__Output>): grpc.ClientUnaryCall;
  removeMember(argument: _tessera_v1_RemoveMemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_RemoveMemberResponse__Output>): grpc.ClientUnaryCall;
  removeMember(argument: _tessera_v1_RemoveMemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_RemoveMemberResponse__Output>): grpc.ClientUnaryCall;
  removeMember(argument: _tessera_v1_RemoveMemberRequest, callback: grpc.requestCallback<_tessera_v1_RemoveMemberResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A cluster admin asks for time-bounded access to a tenant's data.
   */
  RequestAccess(argument: _tessera_v1_RequestAccessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  RequestAccess(argument: _tessera_v1_RequestAccessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  RequestAccess(argument: _tessera_v1_RequestAccessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  RequestAccess(argument: _tessera_v1_RequestAccessRequest, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  /**
   * A cluster admin asks for time-bounded access to a tenant's data.
   */
  requestAccess(argument: _tessera_v1_RequestAccessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  requestAccess(argument: _tessera_v1_RequestAccessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  requestAccess(argument: _tessera_v1_RequestAccessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  requestAccess(argument: _tessera_v1_RequestAccessRequest, callback: grpc.requestCallback<_tessera_v1_AccessRequest__Output>): grpc.ClientUnaryCall;
  
  /**
   * A tenant admin ends a grant before it expires.
   */
  RevokeGrant(argument: _tessera_v1_RevokeGrantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  RevokeGrant(argument: _tessera_v1_RevokeGrantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  RevokeGrant(argument: _tessera_v1_RevokeGrantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  RevokeGrant(argument: _tessera_v1_RevokeGrantRequest, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  /**
   * A tenant admin ends a grant before it expires.
   */
  revokeGrant(argument: _tessera_v1_RevokeGrantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  revokeGrant(argument: _tessera_v1_RevokeGrantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  revokeGrant(argument: _tessera_v1_RevokeGrantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  revokeGrant(argument: _tessera_v1_RevokeGrantRequest, callback: grpc.requestCallback<_tessera_v1_AccessGrant__Output>): grpc.ClientUnaryCall;
  
  /**
   * Proposes a device state change; the metadata group validates the transition.
   */
  SetDeviceState(argument: _tessera_v1_SetDeviceStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SetDeviceStateResponse__Output>): grpc.ClientUnaryCall;
  SetDeviceState(argument: _tessera_v1_SetDeviceStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_SetDeviceStateResponse__Output>): grpc.ClientUnaryCall;
  SetDeviceState(argument: _tessera_v1_SetDeviceStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SetDeviceStateResponse__Output>): grpc.ClientUnaryCall;
  SetDeviceState(argument: _tessera_v1_SetDeviceStateRequest, callback: grpc.requestCallback<_tessera_v1_SetDeviceStateResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Proposes a device state change; the metadata group validates the transition.
   */
  setDeviceState(argument: _tessera_v1_SetDeviceStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SetDeviceStateResponse__Output>): grpc.ClientUnaryCall;
  setDeviceState(argument: _tessera_v1_SetDeviceStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_SetDeviceStateResponse__Output>): grpc.ClientUnaryCall;
  setDeviceState(argument: _tessera_v1_SetDeviceStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SetDeviceStateResponse__Output>): grpc.ClientUnaryCall;
  setDeviceState(argument: _tessera_v1_SetDeviceStateRequest, callback: grpc.requestCallback<_tessera_v1_SetDeviceStateResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Sets a tenant's quota in logical bytes, keeping every other tenant field.
   */
  SetTenantQuota(argument: _tessera_v1_SetTenantQuotaRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  SetTenantQuota(argument: _tessera_v1_SetTenantQuotaRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  SetTenantQuota(argument: _tessera_v1_SetTenantQuotaRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  SetTenantQuota(argument: _tessera_v1_SetTenantQuotaRequest, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Sets a tenant's quota in logical bytes, keeping every other tenant field.
   */
  setTenantQuota(argument: _tessera_v1_SetTenantQuotaRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  setTenantQuota(argument: _tessera_v1_SetTenantQuotaRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  setTenantQuota(argument: _tessera_v1_SetTenantQuotaRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  setTenantQuota(argument: _tessera_v1_SetTenantQuotaRequest, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Starts a placement scrub pass now (whatever the interval), or reports the
   * one running; optionally the answering node's device scrub too.
   */
  StartScrub(argument: _tessera_v1_StartScrubRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_StartScrubResponse__Output>): grpc.ClientUnaryCall;
  StartScrub(argument: _tessera_v1_StartScrubRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_StartScrubResponse__Output>): grpc.ClientUnaryCall;
  StartScrub(argument: _tessera_v1_StartScrubRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_StartScrubResponse__Output>): grpc.ClientUnaryCall;
  StartScrub(argument: _tessera_v1_StartScrubRequest, callback: grpc.requestCallback<_tessera_v1_StartScrubResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Starts a placement scrub pass now (whatever the interval), or reports the
   * one running; optionally the answering node's device scrub too.
   */
  startScrub(argument: _tessera_v1_StartScrubRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_StartScrubResponse__Output>): grpc.ClientUnaryCall;
  startScrub(argument: _tessera_v1_StartScrubRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_StartScrubResponse__Output>): grpc.ClientUnaryCall;
  startScrub(argument: _tessera_v1_StartScrubRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_StartScrubResponse__Output>): grpc.ClientUnaryCall;
  startScrub(argument: _tessera_v1_StartScrubRequest, callback: grpc.requestCallback<_tessera_v1_StartScrubResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Logical bytes and objects a tenant references, and its quota.
   */
  TenantUsage(argument: _tessera_v1_TenantUsageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  TenantUsage(argument: _tessera_v1_TenantUsageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  TenantUsage(argument: _tessera_v1_TenantUsageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  TenantUsage(argument: _tessera_v1_TenantUsageRequest, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Logical bytes and objects a tenant references, and its quota.
   */
  tenantUsage(argument: _tessera_v1_TenantUsageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  tenantUsage(argument: _tessera_v1_TenantUsageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  tenantUsage(argument: _tessera_v1_TenantUsageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  tenantUsage(argument: _tessera_v1_TenantUsageRequest, callback: grpc.requestCallback<_tessera_v1_TenantUsageResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Asks the leader to hand leadership to a caught-up voter.
   */
  TransferLeader(argument: _tessera_v1_TransferLeaderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  TransferLeader(argument: _tessera_v1_TransferLeaderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  TransferLeader(argument: _tessera_v1_TransferLeaderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  TransferLeader(argument: _tessera_v1_TransferLeaderRequest, callback: grpc.requestCallback<_tessera_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Asks the leader to hand leadership to a caught-up voter.
   */
  transferLeader(argument: _tessera_v1_TransferLeaderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  transferLeader(argument: _tessera_v1_TransferLeaderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  transferLeader(argument: _tessera_v1_TransferLeaderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  transferLeader(argument: _tessera_v1_TransferLeaderRequest, callback: grpc.requestCallback<_tessera_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Cluster membership, tenant usage and access grants (client port).
 */
export interface AdminHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Devices (issue #9; node only, cluster admins). Attaches a new device
   * folder to the answering node (which must be the node the request names)
   * and registers it in the node/device table. The folder must lie under one
   * of the node's configured device roots.
   */
  AddDevice: grpc.handleUnaryCall<_tessera_v1_AddDeviceRequest__Output, _tessera_v1_AddDeviceResponse>;
  
  /**
   * Adds a member as a learner carrying its incarnation id, and with `voter`
   * promotes it once caught up.
   */
  AddMember: grpc.handleUnaryCall<_tessera_v1_AddMemberRequest__Output, _tessera_v1_AddMemberResponse>;
  
  /**
   * A tenant admin approves an access request, creating a grant.
   */
  ApproveAccess: grpc.handleUnaryCall<_tessera_v1_ApproveAccessRequest__Output, _tessera_v1_AccessGrant>;
  
  /**
   * Everything `tessera cluster status` shows about the storage cluster.
   */
  ClusterOverview: grpc.handleUnaryCall<_tessera_v1_ClusterOverviewRequest__Output, _tessera_v1_ClusterOverviewResponse>;
  
  /**
   * Cluster id, leader, term and members of the metadata group.
   */
  ClusterStatus: grpc.handleUnaryCall<_tessera_v1_ClusterStatusRequest__Output, _tessera_v1_ClusterStatusResponse>;
  
  /**
   * Proposes header-only compaction now for one tenant, or for every tenant
   * with superseded deltas or expired tombstones (a bounded batch per call).
   */
  Compact: grpc.handleUnaryCall<_tessera_v1_CompactRequest__Output, _tessera_v1_CompactResponse>;
  
  /**
   * A tenant admin denies an access request.
   */
  DenyAccess: grpc.handleUnaryCall<_tessera_v1_DenyAccessRequest__Output, _tessera_v1_AccessRequest>;
  
  /**
   * One chain, in order: a tenant admin's own tenant's chain, or the system
   * chain for a cluster admin. The export is itself audited first.
   */
  ExportAudit: grpc.handleServerStreamingCall<_tessera_v1_ExportMetadataAuditRequest__Output, _tessera_v1_MetadataAuditPart>;
  
  /**
   * The metadata group's audit chains (issue #9; node only). A signed head to
   * keep: a tenant admin's covers its own tenant's chain; a cluster admin's
   * every chain, or one tenant's. Signed by the key manager's audit key.
   */
  GetAuditHead: grpc.handleUnaryCall<_tessera_v1_MetadataAuditHeadRequest__Output, _tessera_v1_MetadataAuditHead>;
  
  /**
   * Pending requests and live grants of one tenant.
   */
  ListAccess: grpc.handleUnaryCall<_tessera_v1_ListAccessRequest__Output, _tessera_v1_ListAccessResponse>;
  
  /**
   * Operator views and controls (issue #9; node only, cluster admins).
   * The committed node/device table, with used bytes for this node's devices.
   */
  ListDevices: grpc.handleUnaryCall<_tessera_v1_ListDevicesRequest__Output, _tessera_v1_ListDevicesResponse>;
  
  /**
   * Members of the metadata group and their replication state.
   */
  ListMembers: grpc.handleUnaryCall<_tessera_v1_ListMembersRequest__Output, _tessera_v1_ListMembersResponse>;
  
  /**
   * Maintenance (issues #8/#9; node only, cluster admins). Answered by the
   * metadata leader: another node answers NOT_LEADER naming the leader.
   * Placement scrub, repairs, evacuations, re-encryption, compaction, and the
   * answering node's device scrub.
   */
  MaintenanceStatus: grpc.handleUnaryCall<_tessera_v1_MaintenanceStatusRequest__Output, _tessera_v1_MaintenanceStatusResponse>;
  
  /**
   * Removes a member; its id can never be added again.
   */
  RemoveMember: grpc.handleUnaryCall<_tessera_v1_RemoveMemberRequest__Output, _tessera_v1_RemoveMemberResponse>;
  
  /**
   * A cluster admin asks for time-bounded access to a tenant's data.
   */
  RequestAccess: grpc.handleUnaryCall<_tessera_v1_RequestAccessRequest__Output, _tessera_v1_AccessRequest>;
  
  /**
   * A tenant admin ends a grant before it expires.
   */
  RevokeGrant: grpc.handleUnaryCall<_tessera_v1_RevokeGrantRequest__Output, _tessera_v1_AccessGrant>;
  
  /**
   * Proposes a device state change; the metadata group validates the transition.
   */
  SetDeviceState: grpc.handleUnaryCall<_tessera_v1_SetDeviceStateRequest__Output, _tessera_v1_SetDeviceStateResponse>;
  
  /**
   * Sets a tenant's quota in logical bytes, keeping every other tenant field.
   */
  SetTenantQuota: grpc.handleUnaryCall<_tessera_v1_SetTenantQuotaRequest__Output, _tessera_v1_TenantUsageResponse>;
  
  /**
   * Starts a placement scrub pass now (whatever the interval), or reports the
   * one running; optionally the answering node's device scrub too.
   */
  StartScrub: grpc.handleUnaryCall<_tessera_v1_StartScrubRequest__Output, _tessera_v1_StartScrubResponse>;
  
  /**
   * Logical bytes and objects a tenant references, and its quota.
   */
  TenantUsage: grpc.handleUnaryCall<_tessera_v1_TenantUsageRequest__Output, _tessera_v1_TenantUsageResponse>;
  
  /**
   * Asks the leader to hand leadership to a caught-up voter.
   */
  TransferLeader: grpc.handleUnaryCall<_tessera_v1_TransferLeaderRequest__Output, _tessera_v1_TransferLeaderResponse>;
  
}

export interface AdminDefinition extends grpc.ServiceDefinition {
  AddDevice: MethodDefinition<_tessera_v1_AddDeviceRequest, _tessera_v1_AddDeviceResponse, _tessera_v1_AddDeviceRequest__Output, _tessera_v1_AddDeviceResponse__Output>
  AddMember: MethodDefinition<_tessera_v1_AddMemberRequest, _tessera_v1_AddMemberResponse, _tessera_v1_AddMemberRequest__Output, _tessera_v1_AddMemberResponse__Output>
  ApproveAccess: MethodDefinition<_tessera_v1_ApproveAccessRequest, _tessera_v1_AccessGrant, _tessera_v1_ApproveAccessRequest__Output, _tessera_v1_AccessGrant__Output>
  ClusterOverview: MethodDefinition<_tessera_v1_ClusterOverviewRequest, _tessera_v1_ClusterOverviewResponse, _tessera_v1_ClusterOverviewRequest__Output, _tessera_v1_ClusterOverviewResponse__Output>
  ClusterStatus: MethodDefinition<_tessera_v1_ClusterStatusRequest, _tessera_v1_ClusterStatusResponse, _tessera_v1_ClusterStatusRequest__Output, _tessera_v1_ClusterStatusResponse__Output>
  Compact: MethodDefinition<_tessera_v1_CompactRequest, _tessera_v1_CompactResponse, _tessera_v1_CompactRequest__Output, _tessera_v1_CompactResponse__Output>
  DenyAccess: MethodDefinition<_tessera_v1_DenyAccessRequest, _tessera_v1_AccessRequest, _tessera_v1_DenyAccessRequest__Output, _tessera_v1_AccessRequest__Output>
  ExportAudit: MethodDefinition<_tessera_v1_ExportMetadataAuditRequest, _tessera_v1_MetadataAuditPart, _tessera_v1_ExportMetadataAuditRequest__Output, _tessera_v1_MetadataAuditPart__Output>
  GetAuditHead: MethodDefinition<_tessera_v1_MetadataAuditHeadRequest, _tessera_v1_MetadataAuditHead, _tessera_v1_MetadataAuditHeadRequest__Output, _tessera_v1_MetadataAuditHead__Output>
  ListAccess: MethodDefinition<_tessera_v1_ListAccessRequest, _tessera_v1_ListAccessResponse, _tessera_v1_ListAccessRequest__Output, _tessera_v1_ListAccessResponse__Output>
  ListDevices: MethodDefinition<_tessera_v1_ListDevicesRequest, _tessera_v1_ListDevicesResponse, _tessera_v1_ListDevicesRequest__Output, _tessera_v1_ListDevicesResponse__Output>
  ListMembers: MethodDefinition<_tessera_v1_ListMembersRequest, _tessera_v1_ListMembersResponse, _tessera_v1_ListMembersRequest__Output, _tessera_v1_ListMembersResponse__Output>
  MaintenanceStatus: MethodDefinition<_tessera_v1_MaintenanceStatusRequest, _tessera_v1_MaintenanceStatusResponse, _tessera_v1_MaintenanceStatusRequest__Output, _tessera_v1_MaintenanceStatusResponse__Output>
  RemoveMember: MethodDefinition<_tessera_v1_RemoveMemberRequest, _tessera_v1_RemoveMemberResponse, _tessera_v1_RemoveMemberRequest__Output, _tessera_v1_RemoveMemberResponse__Output>
  RequestAccess: MethodDefinition<_tessera_v1_RequestAccessRequest, _tessera_v1_AccessRequest, _tessera_v1_RequestAccessRequest__Output, _tessera_v1_AccessRequest__Output>
  RevokeGrant: MethodDefinition<_tessera_v1_RevokeGrantRequest, _tessera_v1_AccessGrant, _tessera_v1_RevokeGrantRequest__Output, _tessera_v1_AccessGrant__Output>
  SetDeviceState: MethodDefinition<_tessera_v1_SetDeviceStateRequest, _tessera_v1_SetDeviceStateResponse, _tessera_v1_SetDeviceStateRequest__Output, _tessera_v1_SetDeviceStateResponse__Output>
  SetTenantQuota: MethodDefinition<_tessera_v1_SetTenantQuotaRequest, _tessera_v1_TenantUsageResponse, _tessera_v1_SetTenantQuotaRequest__Output, _tessera_v1_TenantUsageResponse__Output>
  StartScrub: MethodDefinition<_tessera_v1_StartScrubRequest, _tessera_v1_StartScrubResponse, _tessera_v1_StartScrubRequest__Output, _tessera_v1_StartScrubResponse__Output>
  TenantUsage: MethodDefinition<_tessera_v1_TenantUsageRequest, _tessera_v1_TenantUsageResponse, _tessera_v1_TenantUsageRequest__Output, _tessera_v1_TenantUsageResponse__Output>
  TransferLeader: MethodDefinition<_tessera_v1_TransferLeaderRequest, _tessera_v1_TransferLeaderResponse, _tessera_v1_TransferLeaderRequest__Output, _tessera_v1_TransferLeaderResponse__Output>
}
