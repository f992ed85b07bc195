import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AccessAuditEntry as _tessera_v1_AccessAuditEntry, AccessAuditEntry__Output as _tessera_v1_AccessAuditEntry__Output } from './tessera/v1/AccessAuditEntry.js';
import type { AccessGrant as _tessera_v1_AccessGrant, AccessGrant__Output as _tessera_v1_AccessGrant__Output } from './tessera/v1/AccessGrant.js';
import type { AccessRequest as _tessera_v1_AccessRequest, AccessRequest__Output as _tessera_v1_AccessRequest__Output } from './tessera/v1/AccessRequest.js';
import type { AddDeviceRequest as _tessera_v1_AddDeviceRequest, AddDeviceRequest__Output as _tessera_v1_AddDeviceRequest__Output } from './tessera/v1/AddDeviceRequest.js';
import type { AddDeviceResponse as _tessera_v1_AddDeviceResponse, AddDeviceResponse__Output as _tessera_v1_AddDeviceResponse__Output } from './tessera/v1/AddDeviceResponse.js';
import type { AddMemberRequest as _tessera_v1_AddMemberRequest, AddMemberRequest__Output as _tessera_v1_AddMemberRequest__Output } from './tessera/v1/AddMemberRequest.js';
import type { AddMemberResponse as _tessera_v1_AddMemberResponse, AddMemberResponse__Output as _tessera_v1_AddMemberResponse__Output } from './tessera/v1/AddMemberResponse.js';
import type { AdminClient as _tessera_v1_AdminClient, AdminDefinition as _tessera_v1_AdminDefinition } from './tessera/v1/Admin.js';
import type { ApproveAccessRequest as _tessera_v1_ApproveAccessRequest, ApproveAccessRequest__Output as _tessera_v1_ApproveAccessRequest__Output } from './tessera/v1/ApproveAccessRequest.js';
import type { ByteRange as _tessera_v1_ByteRange, ByteRange__Output as _tessera_v1_ByteRange__Output } from './tessera/v1/ByteRange.js';
import type { ClusterOverviewRequest as _tessera_v1_ClusterOverviewRequest, ClusterOverviewRequest__Output as _tessera_v1_ClusterOverviewRequest__Output } from './tessera/v1/ClusterOverviewRequest.js';
import type { ClusterOverviewResponse as _tessera_v1_ClusterOverviewResponse, ClusterOverviewResponse__Output as _tessera_v1_ClusterOverviewResponse__Output } from './tessera/v1/ClusterOverviewResponse.js';
import type { ClusterStatusRequest as _tessera_v1_ClusterStatusRequest, ClusterStatusRequest__Output as _tessera_v1_ClusterStatusRequest__Output } from './tessera/v1/ClusterStatusRequest.js';
import type { ClusterStatusResponse as _tessera_v1_ClusterStatusResponse, ClusterStatusResponse__Output as _tessera_v1_ClusterStatusResponse__Output } from './tessera/v1/ClusterStatusResponse.js';
import type { CompactRequest as _tessera_v1_CompactRequest, CompactRequest__Output as _tessera_v1_CompactRequest__Output } from './tessera/v1/CompactRequest.js';
import type { CompactResponse as _tessera_v1_CompactResponse, CompactResponse__Output as _tessera_v1_CompactResponse__Output } from './tessera/v1/CompactResponse.js';
import type { CompactionStatus as _tessera_v1_CompactionStatus, CompactionStatus__Output as _tessera_v1_CompactionStatus__Output } from './tessera/v1/CompactionStatus.js';
import type { DenyAccessRequest as _tessera_v1_DenyAccessRequest, DenyAccessRequest__Output as _tessera_v1_DenyAccessRequest__Output } from './tessera/v1/DenyAccessRequest.js';
import type { DeviceScrubProgress as _tessera_v1_DeviceScrubProgress, DeviceScrubProgress__Output as _tessera_v1_DeviceScrubProgress__Output } from './tessera/v1/DeviceScrubProgress.js';
import type { DeviceStatus as _tessera_v1_DeviceStatus, DeviceStatus__Output as _tessera_v1_DeviceStatus__Output } from './tessera/v1/DeviceStatus.js';
import type { EpochChunks as _tessera_v1_EpochChunks, EpochChunks__Output as _tessera_v1_EpochChunks__Output } from './tessera/v1/EpochChunks.js';
import type { EvacuationProgress as _tessera_v1_EvacuationProgress, EvacuationProgress__Output as _tessera_v1_EvacuationProgress__Output } from './tessera/v1/EvacuationProgress.js';
import type { ExportMetadataAuditRequest as _tessera_v1_ExportMetadataAuditRequest, ExportMetadataAuditRequest__Output as _tessera_v1_ExportMetadataAuditRequest__Output } from './tessera/v1/ExportMetadataAuditRequest.js';
import type { ListAccessRequest as _tessera_v1_ListAccessRequest, ListAccessRequest__Output as _tessera_v1_ListAccessRequest__Output } from './tessera/v1/ListAccessRequest.js';
import type { ListAccessResponse as _tessera_v1_ListAccessResponse, ListAccessResponse__Output as _tessera_v1_ListAccessResponse__Output } from './tessera/v1/ListAccessResponse.js';
import type { ListDevicesRequest as _tessera_v1_ListDevicesRequest, ListDevicesRequest__Output as _tessera_v1_ListDevicesRequest__Output } from './tessera/v1/ListDevicesRequest.js';
import type { ListDevicesResponse as _tessera_v1_ListDevicesResponse, ListDevicesResponse__Output as _tessera_v1_ListDevicesResponse__Output } from './tessera/v1/ListDevicesResponse.js';
import type { ListMembersRequest as _tessera_v1_ListMembersRequest, ListMembersRequest__Output as _tessera_v1_ListMembersRequest__Output } from './tessera/v1/ListMembersRequest.js';
import type { ListMembersResponse as _tessera_v1_ListMembersResponse, ListMembersResponse__Output as _tessera_v1_ListMembersResponse__Output } from './tessera/v1/ListMembersResponse.js';
import type { MaintenanceStatusRequest as _tessera_v1_MaintenanceStatusRequest, MaintenanceStatusRequest__Output as _tessera_v1_MaintenanceStatusRequest__Output } from './tessera/v1/MaintenanceStatusRequest.js';
import type { MaintenanceStatusResponse as _tessera_v1_MaintenanceStatusResponse, MaintenanceStatusResponse__Output as _tessera_v1_MaintenanceStatusResponse__Output } from './tessera/v1/MaintenanceStatusResponse.js';
import type { MemberIdentity as _tessera_v1_MemberIdentity, MemberIdentity__Output as _tessera_v1_MemberIdentity__Output } from './tessera/v1/MemberIdentity.js';
import type { MemberStatus as _tessera_v1_MemberStatus, MemberStatus__Output as _tessera_v1_MemberStatus__Output } from './tessera/v1/MemberStatus.js';
import type { MetadataAuditHead as _tessera_v1_MetadataAuditHead, MetadataAuditHead__Output as _tessera_v1_MetadataAuditHead__Output } from './tessera/v1/MetadataAuditHead.js';
import type { MetadataAuditHeadRequest as _tessera_v1_MetadataAuditHeadRequest, MetadataAuditHeadRequest__Output as _tessera_v1_MetadataAuditHeadRequest__Output } from './tessera/v1/MetadataAuditHeadRequest.js';
import type { MetadataAuditPart as _tessera_v1_MetadataAuditPart, MetadataAuditPart__Output as _tessera_v1_MetadataAuditPart__Output } from './tessera/v1/MetadataAuditPart.js';
import type { PlacementScrubPass as _tessera_v1_PlacementScrubPass, PlacementScrubPass__Output as _tessera_v1_PlacementScrubPass__Output } from './tessera/v1/PlacementScrubPass.js';
import type { PlacementScrubStatus as _tessera_v1_PlacementScrubStatus, PlacementScrubStatus__Output as _tessera_v1_PlacementScrubStatus__Output } from './tessera/v1/PlacementScrubStatus.js';
import type { PoolStatus as _tessera_v1_PoolStatus, PoolStatus__Output as _tessera_v1_PoolStatus__Output } from './tessera/v1/PoolStatus.js';
import type { ReencryptionProgress as _tessera_v1_ReencryptionProgress, ReencryptionProgress__Output as _tessera_v1_ReencryptionProgress__Output } from './tessera/v1/ReencryptionProgress.js';
import type { RemoveMemberRequest as _tessera_v1_RemoveMemberRequest, RemoveMemberRequest__Output as _tessera_v1_RemoveMemberRequest__Output } from './tessera/v1/RemoveMemberRequest.js';
import type { RemoveMemberResponse as _tessera_v1_RemoveMemberResponse, RemoveMemberResponse__Output as _tessera_v1_RemoveMemberResponse__Output } from './tessera/v1/RemoveMemberResponse.js';
import type { RepairCount as _tessera_v1_RepairCount, RepairCount__Output as _tessera_v1_RepairCount__Output } from './tessera/v1/RepairCount.js';
import type { RepairMove as _tessera_v1_RepairMove, RepairMove__Output as _tessera_v1_RepairMove__Output } from './tessera/v1/RepairMove.js';
import type { RepairQueueStatus as _tessera_v1_RepairQueueStatus, RepairQueueStatus__Output as _tessera_v1_RepairQueueStatus__Output } from './tessera/v1/RepairQueueStatus.js';
import type { RepairRecord as _tessera_v1_RepairRecord, RepairRecord__Output as _tessera_v1_RepairRecord__Output } from './tessera/v1/RepairRecord.js';
import type { RequestAccessRequest as _tessera_v1_RequestAccessRequest, RequestAccessRequest__Output as _tessera_v1_RequestAccessRequest__Output } from './tessera/v1/RequestAccessRequest.js';
import type { RevokeGrantRequest as _tessera_v1_RevokeGrantRequest, RevokeGrantRequest__Output as _tessera_v1_RevokeGrantRequest__Output } from './tessera/v1/RevokeGrantRequest.js';
import type { SetDeviceStateRequest as _tessera_v1_SetDeviceStateRequest, SetDeviceStateRequest__Output as _tessera_v1_SetDeviceStateRequest__Output } from './tessera/v1/SetDeviceStateRequest.js';
import type { SetDeviceStateResponse as _tessera_v1_SetDeviceStateResponse, SetDeviceStateResponse__Output as _tessera_v1_SetDeviceStateResponse__Output } from './tessera/v1/SetDeviceStateResponse.js';
import type { SetTenantQuotaRequest as _tessera_v1_SetTenantQuotaRequest, SetTenantQuotaRequest__Output as _tessera_v1_SetTenantQuotaRequest__Output } from './tessera/v1/SetTenantQuotaRequest.js';
import type { StartScrubRequest as _tessera_v1_StartScrubRequest, StartScrubRequest__Output as _tessera_v1_StartScrubRequest__Output } from './tessera/v1/StartScrubRequest.js';
import type { StartScrubResponse as _tessera_v1_StartScrubResponse, StartScrubResponse__Output as _tessera_v1_StartScrubResponse__Output } from './tessera/v1/StartScrubResponse.js';
import type { TenantCompaction as _tessera_v1_TenantCompaction, TenantCompaction__Output as _tessera_v1_TenantCompaction__Output } from './tessera/v1/TenantCompaction.js';
import type { TenantUsageRequest as _tessera_v1_TenantUsageRequest, TenantUsageRequest__Output as _tessera_v1_TenantUsageRequest__Output } from './tessera/v1/TenantUsageRequest.js';
import type { TenantUsageResponse as _tessera_v1_TenantUsageResponse, TenantUsageResponse__Output as _tessera_v1_TenantUsageResponse__Output } from './tessera/v1/TenantUsageResponse.js';
import type { TransferLeaderRequest as _tessera_v1_TransferLeaderRequest, TransferLeaderRequest__Output as _tessera_v1_TransferLeaderRequest__Output } from './tessera/v1/TransferLeaderRequest.js';
import type { TransferLeaderResponse as _tessera_v1_TransferLeaderResponse, TransferLeaderResponse__Output as _tessera_v1_TransferLeaderResponse__Output } from './tessera/v1/TransferLeaderResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tessera: {
    v1: {
      AccessAuditEntry: MessageTypeDefinition<_tessera_v1_AccessAuditEntry, _tessera_v1_AccessAuditEntry__Output>
      AccessGrant: MessageTypeDefinition<_tessera_v1_AccessGrant, _tessera_v1_AccessGrant__Output>
      AccessMode: EnumTypeDefinition
      AccessRequest: MessageTypeDefinition<_tessera_v1_AccessRequest, _tessera_v1_AccessRequest__Output>
      AccessState: EnumTypeDefinition
      AddDeviceRequest: MessageTypeDefinition<_tessera_v1_AddDeviceRequest, _tessera_v1_AddDeviceRequest__Output>
      AddDeviceResponse: MessageTypeDefinition<_tessera_v1_AddDeviceResponse, _tessera_v1_AddDeviceResponse__Output>
      AddMemberRequest: MessageTypeDefinition<_tessera_v1_AddMemberRequest, _tessera_v1_AddMemberRequest__Output>
      AddMemberResponse: MessageTypeDefinition<_tessera_v1_AddMemberResponse, _tessera_v1_AddMemberResponse__Output>
      /**
       * Cluster membership, tenant usage and access grants (client port).
       */
      Admin: SubtypeConstructor<typeof grpc.Client, _tessera_v1_AdminClient> & { service: _tessera_v1_AdminDefinition }
      ApproveAccessRequest: MessageTypeDefinition<_tessera_v1_ApproveAccessRequest, _tessera_v1_ApproveAccessRequest__Output>
      ByteRange: MessageTypeDefinition<_tessera_v1_ByteRange, _tessera_v1_ByteRange__Output>
      ClusterOverviewRequest: MessageTypeDefinition<_tessera_v1_ClusterOverviewRequest, _tessera_v1_ClusterOverviewRequest__Output>
      ClusterOverviewResponse: MessageTypeDefinition<_tessera_v1_ClusterOverviewResponse, _tessera_v1_ClusterOverviewResponse__Output>
      ClusterStatusRequest: MessageTypeDefinition<_tessera_v1_ClusterStatusRequest, _tessera_v1_ClusterStatusRequest__Output>
      ClusterStatusResponse: MessageTypeDefinition<_tessera_v1_ClusterStatusResponse, _tessera_v1_ClusterStatusResponse__Output>
      CompactRequest: MessageTypeDefinition<_tessera_v1_CompactRequest, _tessera_v1_CompactRequest__Output>
      CompactResponse: MessageTypeDefinition<_tessera_v1_CompactResponse, _tessera_v1_CompactResponse__Output>
      CompactionStatus: MessageTypeDefinition<_tessera_v1_CompactionStatus, _tessera_v1_CompactionStatus__Output>
      DenyAccessRequest: MessageTypeDefinition<_tessera_v1_DenyAccessRequest, _tessera_v1_DenyAccessRequest__Output>
      DeviceScrubProgress: MessageTypeDefinition<_tessera_v1_DeviceScrubProgress, _tessera_v1_DeviceScrubProgress__Output>
      DeviceStatus: MessageTypeDefinition<_tessera_v1_DeviceStatus, _tessera_v1_DeviceStatus__Output>
      EpochChunks: MessageTypeDefinition<_tessera_v1_EpochChunks, _tessera_v1_EpochChunks__Output>
      EvacuationProgress: MessageTypeDefinition<_tessera_v1_EvacuationProgress, _tessera_v1_EvacuationProgress__Output>
      ExportMetadataAuditRequest: MessageTypeDefinition<_tessera_v1_ExportMetadataAuditRequest, _tessera_v1_ExportMetadataAuditRequest__Output>
      ListAccessRequest: MessageTypeDefinition<_tessera_v1_ListAccessRequest, _tessera_v1_ListAccessRequest__Output>
      ListAccessResponse: MessageTypeDefinition<_tessera_v1_ListAccessResponse, _tessera_v1_ListAccessResponse__Output>
      ListDevicesRequest: MessageTypeDefinition<_tessera_v1_ListDevicesRequest, _tessera_v1_ListDevicesRequest__Output>
      ListDevicesResponse: MessageTypeDefinition<_tessera_v1_ListDevicesResponse, _tessera_v1_ListDevicesResponse__Output>
      ListMembersRequest: MessageTypeDefinition<_tessera_v1_ListMembersRequest, _tessera_v1_ListMembersRequest__Output>
      ListMembersResponse: MessageTypeDefinition<_tessera_v1_ListMembersResponse, _tessera_v1_ListMembersResponse__Output>
      MaintenanceStatusRequest: MessageTypeDefinition<_tessera_v1_MaintenanceStatusRequest, _tessera_v1_MaintenanceStatusRequest__Output>
      MaintenanceStatusResponse: MessageTypeDefinition<_tessera_v1_MaintenanceStatusResponse, _tessera_v1_MaintenanceStatusResponse__Output>
      MemberIdentity: MessageTypeDefinition<_tessera_v1_MemberIdentity, _tessera_v1_MemberIdentity__Output>
      MemberRole: EnumTypeDefinition
      MemberStatus: MessageTypeDefinition<_tessera_v1_MemberStatus, _tessera_v1_MemberStatus__Output>
      MetadataAuditHead: MessageTypeDefinition<_tessera_v1_MetadataAuditHead, _tessera_v1_MetadataAuditHead__Output>
      MetadataAuditHeadRequest: MessageTypeDefinition<_tessera_v1_MetadataAuditHeadRequest, _tessera_v1_MetadataAuditHeadRequest__Output>
      MetadataAuditPart: MessageTypeDefinition<_tessera_v1_MetadataAuditPart, _tessera_v1_MetadataAuditPart__Output>
      PlacementScrubPass: MessageTypeDefinition<_tessera_v1_PlacementScrubPass, _tessera_v1_PlacementScrubPass__Output>
      PlacementScrubStatus: MessageTypeDefinition<_tessera_v1_PlacementScrubStatus, _tessera_v1_PlacementScrubStatus__Output>
      PoolStatus: MessageTypeDefinition<_tessera_v1_PoolStatus, _tessera_v1_PoolStatus__Output>
      ReencryptionProgress: MessageTypeDefinition<_tessera_v1_ReencryptionProgress, _tessera_v1_ReencryptionProgress__Output>
      RemoveMemberRequest: MessageTypeDefinition<_tessera_v1_RemoveMemberRequest, _tessera_v1_RemoveMemberRequest__Output>
      RemoveMemberResponse: MessageTypeDefinition<_tessera_v1_RemoveMemberResponse, _tessera_v1_RemoveMemberResponse__Output>
      RepairCount: MessageTypeDefinition<_tessera_v1_RepairCount, _tessera_v1_RepairCount__Output>
      RepairMove: MessageTypeDefinition<_tessera_v1_RepairMove, _tessera_v1_RepairMove__Output>
      RepairQueueStatus: MessageTypeDefinition<_tessera_v1_RepairQueueStatus, _tessera_v1_RepairQueueStatus__Output>
      RepairRecord: MessageTypeDefinition<_tessera_v1_RepairRecord, _tessera_v1_RepairRecord__Output>
      RequestAccessRequest: MessageTypeDefinition<_tessera_v1_RequestAccessRequest, _tessera_v1_RequestAccessRequest__Output>
      RevokeGrantRequest: MessageTypeDefinition<_tessera_v1_RevokeGrantRequest, _tessera_v1_RevokeGrantRequest__Output>
      SetDeviceStateRequest: MessageTypeDefinition<_tessera_v1_SetDeviceStateRequest, _tessera_v1_SetDeviceStateRequest__Output>
      SetDeviceStateResponse: MessageTypeDefinition<_tessera_v1_SetDeviceStateResponse, _tessera_v1_SetDeviceStateResponse__Output>
      SetTenantQuotaRequest: MessageTypeDefinition<_tessera_v1_SetTenantQuotaRequest, _tessera_v1_SetTenantQuotaRequest__Output>
      StartScrubRequest: MessageTypeDefinition<_tessera_v1_StartScrubRequest, _tessera_v1_StartScrubRequest__Output>
      StartScrubResponse: MessageTypeDefinition<_tessera_v1_StartScrubResponse, _tessera_v1_StartScrubResponse__Output>
      TenantCompaction: MessageTypeDefinition<_tessera_v1_TenantCompaction, _tessera_v1_TenantCompaction__Output>
      TenantUsageRequest: MessageTypeDefinition<_tessera_v1_TenantUsageRequest, _tessera_v1_TenantUsageRequest__Output>
      TenantUsageResponse: MessageTypeDefinition<_tessera_v1_TenantUsageResponse, _tessera_v1_TenantUsageResponse__Output>
      TransferLeaderRequest: MessageTypeDefinition<_tessera_v1_TransferLeaderRequest, _tessera_v1_TransferLeaderRequest__Output>
      TransferLeaderResponse: MessageTypeDefinition<_tessera_v1_TransferLeaderResponse, _tessera_v1_TransferLeaderResponse__Output>
    }
  }
}

