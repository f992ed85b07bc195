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
import type { ApproveShredRequest as _tessera_v1_ApproveShredRequest, ApproveShredRequest__Output as _tessera_v1_ApproveShredRequest__Output } from './tessera/v1/ApproveShredRequest.js';
import type { AuditHead as _tessera_v1_AuditHead, AuditHead__Output as _tessera_v1_AuditHead__Output } from './tessera/v1/AuditHead.js';
import type { AuditTrailPart as _tessera_v1_AuditTrailPart, AuditTrailPart__Output as _tessera_v1_AuditTrailPart__Output } from './tessera/v1/AuditTrailPart.js';
import type { ByteRange as _tessera_v1_ByteRange, ByteRange__Output as _tessera_v1_ByteRange__Output } from './tessera/v1/ByteRange.js';
import type { CancelShredRequest as _tessera_v1_CancelShredRequest, CancelShredRequest__Output as _tessera_v1_CancelShredRequest__Output } from './tessera/v1/CancelShredRequest.js';
import type { ClusterOverviewRequest as _tessera_v1_ClusterOverviewRequest, ClusterOverviewRequest__Output as _tessera_v1_ClusterOverviewRequest__Output } from './tessera/v1/ClusterOverviewRequest.js';
import type { ClusterOverviewResponse as _tessera_v1_ClusterOverviewResponse, ClusterOverviewResponse__Output as _tessera_v1_ClusterOverviewResponse__Output } from './tessera/v1/ClusterOverviewResponse.js';
import type { ClusterStatusRequest as _tessera_v1_ClusterStatusRequest, ClusterStatusRequest__Output as _tessera_v1_ClusterStatusRequest__Output } from './tessera/v1/ClusterStatusRequest.js';
import type { ClusterStatusResponse as _tessera_v1_ClusterStatusResponse, ClusterStatusResponse__Output as _tessera_v1_ClusterStatusResponse__Output } from './tessera/v1/ClusterStatusResponse.js';
import type { CompactRequest as _tessera_v1_CompactRequest, CompactRequest__Output as _tessera_v1_CompactRequest__Output } from './tessera/v1/CompactRequest.js';
import type { CompactResponse as _tessera_v1_CompactResponse, CompactResponse__Output as _tessera_v1_CompactResponse__Output } from './tessera/v1/CompactResponse.js';
import type { CompactionStatus as _tessera_v1_CompactionStatus, CompactionStatus__Output as _tessera_v1_CompactionStatus__Output } from './tessera/v1/CompactionStatus.js';
import type { CreateTenantKeysRequest as _tessera_v1_CreateTenantKeysRequest, CreateTenantKeysRequest__Output as _tessera_v1_CreateTenantKeysRequest__Output } from './tessera/v1/CreateTenantKeysRequest.js';
import type { CreateTenantRequest as _tessera_v1_CreateTenantRequest, CreateTenantRequest__Output as _tessera_v1_CreateTenantRequest__Output } from './tessera/v1/CreateTenantRequest.js';
import type { DataKey as _tessera_v1_DataKey, DataKey__Output as _tessera_v1_DataKey__Output } from './tessera/v1/DataKey.js';
import type { DedupKey as _tessera_v1_DedupKey, DedupKey__Output as _tessera_v1_DedupKey__Output } from './tessera/v1/DedupKey.js';
import type { DenyAccessRequest as _tessera_v1_DenyAccessRequest, DenyAccessRequest__Output as _tessera_v1_DenyAccessRequest__Output } from './tessera/v1/DenyAccessRequest.js';
import type { DeviceScrubProgress as _tessera_v1_DeviceScrubProgress, DeviceScrubProgress__Output as _tessera_v1_DeviceScrubProgress__Output } from './tessera/v1/DeviceScrubProgress.js';
import type { DeviceStatus as _tessera_v1_DeviceStatus, DeviceStatus__Output as _tessera_v1_DeviceStatus__Output } from './tessera/v1/DeviceStatus.js';
import type { DisableTenantRequest as _tessera_v1_DisableTenantRequest, DisableTenantRequest__Output as _tessera_v1_DisableTenantRequest__Output } from './tessera/v1/DisableTenantRequest.js';
import type { EnableTenantRequest as _tessera_v1_EnableTenantRequest, EnableTenantRequest__Output as _tessera_v1_EnableTenantRequest__Output } from './tessera/v1/EnableTenantRequest.js';
import type { EpochChunks as _tessera_v1_EpochChunks, EpochChunks__Output as _tessera_v1_EpochChunks__Output } from './tessera/v1/EpochChunks.js';
import type { EvacuationProgress as _tessera_v1_EvacuationProgress, EvacuationProgress__Output as _tessera_v1_EvacuationProgress__Output } from './tessera/v1/EvacuationProgress.js';
import type { ExportAuditRequest as _tessera_v1_ExportAuditRequest, ExportAuditRequest__Output as _tessera_v1_ExportAuditRequest__Output } from './tessera/v1/ExportAuditRequest.js';
import type { ExportMetadataAuditRequest as _tessera_v1_ExportMetadataAuditRequest, ExportMetadataAuditRequest__Output as _tessera_v1_ExportMetadataAuditRequest__Output } from './tessera/v1/ExportMetadataAuditRequest.js';
import type { ForwardAuditRequest as _tessera_v1_ForwardAuditRequest, ForwardAuditRequest__Output as _tessera_v1_ForwardAuditRequest__Output } from './tessera/v1/ForwardAuditRequest.js';
import type { ForwardAuditResponse as _tessera_v1_ForwardAuditResponse, ForwardAuditResponse__Output as _tessera_v1_ForwardAuditResponse__Output } from './tessera/v1/ForwardAuditResponse.js';
import type { GetAuditHeadRequest as _tessera_v1_GetAuditHeadRequest, GetAuditHeadRequest__Output as _tessera_v1_GetAuditHeadRequest__Output } from './tessera/v1/GetAuditHeadRequest.js';
import type { GetDataKeyRequest as _tessera_v1_GetDataKeyRequest, GetDataKeyRequest__Output as _tessera_v1_GetDataKeyRequest__Output } from './tessera/v1/GetDataKeyRequest.js';
import type { GetDedupKeyRequest as _tessera_v1_GetDedupKeyRequest, GetDedupKeyRequest__Output as _tessera_v1_GetDedupKeyRequest__Output } from './tessera/v1/GetDedupKeyRequest.js';
import type { GetIndexKeyRequest as _tessera_v1_GetIndexKeyRequest, GetIndexKeyRequest__Output as _tessera_v1_GetIndexKeyRequest__Output } from './tessera/v1/GetIndexKeyRequest.js';
import type { GetKeyHealthRequest as _tessera_v1_GetKeyHealthRequest, GetKeyHealthRequest__Output as _tessera_v1_GetKeyHealthRequest__Output } from './tessera/v1/GetKeyHealthRequest.js';
import type { GetMasterKeyRequest as _tessera_v1_GetMasterKeyRequest, GetMasterKeyRequest__Output as _tessera_v1_GetMasterKeyRequest__Output } from './tessera/v1/GetMasterKeyRequest.js';
import type { GetTenantRequest as _tessera_v1_GetTenantRequest, GetTenantRequest__Output as _tessera_v1_GetTenantRequest__Output } from './tessera/v1/GetTenantRequest.js';
import type { IndexKey as _tessera_v1_IndexKey, IndexKey__Output as _tessera_v1_IndexKey__Output } from './tessera/v1/IndexKey.js';
import type { KeyEvent as _tessera_v1_KeyEvent, KeyEvent__Output as _tessera_v1_KeyEvent__Output } from './tessera/v1/KeyEvent.js';
import type { KeyHealth as _tessera_v1_KeyHealth, KeyHealth__Output as _tessera_v1_KeyHealth__Output } from './tessera/v1/KeyHealth.js';
import type { KeysClient as _tessera_v1_KeysClient, KeysDefinition as _tessera_v1_KeysDefinition } from './tessera/v1/Keys.js';
import type { ListAccessRequest as _tessera_v1_ListAccessRequest, ListAccessRequest__Output as _tessera_v1_ListAccessRequest__Output } from './tessera/v1/ListAccessRequest.js';
import type { ListAccessResponse as _tessera_v1_ListAccessResponse, ListAccessResponse__Output as _tessera_v1_ListAccessResponse__Output } from './tessera/v1/ListAccessResponse.js';
import type { ListDevicesRequest as _tessera_v1_ListDevicesRequest, ListDevicesRequest__Output as _tessera_v1_ListDevicesRequest__Output } from './tessera/v1/ListDevicesRequest.js';
import type { ListDevicesResponse as _tessera_v1_ListDevicesResponse, ListDevicesResponse__Output as _tessera_v1_ListDevicesResponse__Output } from './tessera/v1/ListDevicesResponse.js';
import type { ListMembersRequest as _tessera_v1_ListMembersRequest, ListMembersRequest__Output as _tessera_v1_ListMembersRequest__Output } from './tessera/v1/ListMembersRequest.js';
import type { ListMembersResponse as _tessera_v1_ListMembersResponse, ListMembersResponse__Output as _tessera_v1_ListMembersResponse__Output } from './tessera/v1/ListMembersResponse.js';
import type { ListNodesRequest as _tessera_v1_ListNodesRequest, ListNodesRequest__Output as _tessera_v1_ListNodesRequest__Output } from './tessera/v1/ListNodesRequest.js';
import type { ListNodesResponse as _tessera_v1_ListNodesResponse, ListNodesResponse__Output as _tessera_v1_ListNodesResponse__Output } from './tessera/v1/ListNodesResponse.js';
import type { ListTenantsRequest as _tessera_v1_ListTenantsRequest, ListTenantsRequest__Output as _tessera_v1_ListTenantsRequest__Output } from './tessera/v1/ListTenantsRequest.js';
import type { ListTenantsResponse as _tessera_v1_ListTenantsResponse, ListTenantsResponse__Output as _tessera_v1_ListTenantsResponse__Output } from './tessera/v1/ListTenantsResponse.js';
import type { MaintenanceStatusRequest as _tessera_v1_MaintenanceStatusRequest, MaintenanceStatusRequest__Output as _tessera_v1_MaintenanceStatusRequest__Output } from './tessera/v1/MaintenanceStatusRequest.js';
import type { MaintenanceStatusResponse as _tessera_v1_MaintenanceStatusResponse, MaintenanceStatusResponse__Output as _tessera_v1_MaintenanceStatusResponse__Output } from './tessera/v1/MaintenanceStatusResponse.js';
import type { MasterKey as _tessera_v1_MasterKey, MasterKey__Output as _tessera_v1_MasterKey__Output } from './tessera/v1/MasterKey.js';
import type { MemberIdentity as _tessera_v1_MemberIdentity, MemberIdentity__Output as _tessera_v1_MemberIdentity__Output } from './tessera/v1/MemberIdentity.js';
import type { MemberStatus as _tessera_v1_MemberStatus, MemberStatus__Output as _tessera_v1_MemberStatus__Output } from './tessera/v1/MemberStatus.js';
import type { MetadataAuditHead as _tessera_v1_MetadataAuditHead, MetadataAuditHead__Output as _tessera_v1_MetadataAuditHead__Output } from './tessera/v1/MetadataAuditHead.js';
import type { MetadataAuditHeadRequest as _tessera_v1_MetadataAuditHeadRequest, MetadataAuditHeadRequest__Output as _tessera_v1_MetadataAuditHeadRequest__Output } from './tessera/v1/MetadataAuditHeadRequest.js';
import type { MetadataAuditPart as _tessera_v1_MetadataAuditPart, MetadataAuditPart__Output as _tessera_v1_MetadataAuditPart__Output } from './tessera/v1/MetadataAuditPart.js';
import type { NewTenantEpochRequest as _tessera_v1_NewTenantEpochRequest, NewTenantEpochRequest__Output as _tessera_v1_NewTenantEpochRequest__Output } from './tessera/v1/NewTenantEpochRequest.js';
import type { NodePin as _tessera_v1_NodePin, NodePin__Output as _tessera_v1_NodePin__Output } from './tessera/v1/NodePin.js';
import type { NodePinChange as _tessera_v1_NodePinChange, NodePinChange__Output as _tessera_v1_NodePinChange__Output } from './tessera/v1/NodePinChange.js';
import type { PlacementScrubPass as _tessera_v1_PlacementScrubPass, PlacementScrubPass__Output as _tessera_v1_PlacementScrubPass__Output } from './tessera/v1/PlacementScrubPass.js';
import type { PlacementScrubStatus as _tessera_v1_PlacementScrubStatus, PlacementScrubStatus__Output as _tessera_v1_PlacementScrubStatus__Output } from './tessera/v1/PlacementScrubStatus.js';
import type { PoolStatus as _tessera_v1_PoolStatus, PoolStatus__Output as _tessera_v1_PoolStatus__Output } from './tessera/v1/PoolStatus.js';
import type { ReencryptionProgress as _tessera_v1_ReencryptionProgress, ReencryptionProgress__Output as _tessera_v1_ReencryptionProgress__Output } from './tessera/v1/ReencryptionProgress.js';
import type { RemoveMemberRequest as _tessera_v1_RemoveMemberRequest, RemoveMemberRequest__Output as _tessera_v1_RemoveMemberRequest__Output } from './tessera/v1/RemoveMemberRequest.js';
import type { RemoveMemberResponse as _tessera_v1_RemoveMemberResponse, RemoveMemberResponse__Output as _tessera_v1_RemoveMemberResponse__Output } from './tessera/v1/RemoveMemberResponse.js';
import type { RemoveNodeRequest as _tessera_v1_RemoveNodeRequest, RemoveNodeRequest__Output as _tessera_v1_RemoveNodeRequest__Output } from './tessera/v1/RemoveNodeRequest.js';
import type { RemoveNodeResponse as _tessera_v1_RemoveNodeResponse, RemoveNodeResponse__Output as _tessera_v1_RemoveNodeResponse__Output } from './tessera/v1/RemoveNodeResponse.js';
import type { RepairCount as _tessera_v1_RepairCount, RepairCount__Output as _tessera_v1_RepairCount__Output } from './tessera/v1/RepairCount.js';
import type { RepairMove as _tessera_v1_RepairMove, RepairMove__Output as _tessera_v1_RepairMove__Output } from './tessera/v1/RepairMove.js';
import type { RepairQueueStatus as _tessera_v1_RepairQueueStatus, RepairQueueStatus__Output as _tessera_v1_RepairQueueStatus__Output } from './tessera/v1/RepairQueueStatus.js';
import type { RepairRecord as _tessera_v1_RepairRecord, RepairRecord__Output as _tessera_v1_RepairRecord__Output } from './tessera/v1/RepairRecord.js';
import type { ReplaceTenantCaRequest as _tessera_v1_ReplaceTenantCaRequest, ReplaceTenantCaRequest__Output as _tessera_v1_ReplaceTenantCaRequest__Output } from './tessera/v1/ReplaceTenantCaRequest.js';
import type { ReportMinDecryptEpochRequest as _tessera_v1_ReportMinDecryptEpochRequest, ReportMinDecryptEpochRequest__Output as _tessera_v1_ReportMinDecryptEpochRequest__Output } from './tessera/v1/ReportMinDecryptEpochRequest.js';
import type { ReportMinDecryptEpochResponse as _tessera_v1_ReportMinDecryptEpochResponse, ReportMinDecryptEpochResponse__Output as _tessera_v1_ReportMinDecryptEpochResponse__Output } from './tessera/v1/ReportMinDecryptEpochResponse.js';
import type { RequestAccessRequest as _tessera_v1_RequestAccessRequest, RequestAccessRequest__Output as _tessera_v1_RequestAccessRequest__Output } from './tessera/v1/RequestAccessRequest.js';
import type { RequestShredRequest as _tessera_v1_RequestShredRequest, RequestShredRequest__Output as _tessera_v1_RequestShredRequest__Output } from './tessera/v1/RequestShredRequest.js';
import type { RevokeGrantRequest as _tessera_v1_RevokeGrantRequest, RevokeGrantRequest__Output as _tessera_v1_RevokeGrantRequest__Output } from './tessera/v1/RevokeGrantRequest.js';
import type { RotateKekRequest as _tessera_v1_RotateKekRequest, RotateKekRequest__Output as _tessera_v1_RotateKekRequest__Output } from './tessera/v1/RotateKekRequest.js';
import type { RotateSystemEpochRequest as _tessera_v1_RotateSystemEpochRequest, RotateSystemEpochRequest__Output as _tessera_v1_RotateSystemEpochRequest__Output } from './tessera/v1/RotateSystemEpochRequest.js';
import type { SetDeviceStateRequest as _tessera_v1_SetDeviceStateRequest, SetDeviceStateRequest__Output as _tessera_v1_SetDeviceStateRequest__Output } from './tessera/v1/SetDeviceStateRequest.js';
import type { SetDeviceStateResponse as _tessera_v1_SetDeviceStateResponse, SetDeviceStateResponse__Output as _tessera_v1_SetDeviceStateResponse__Output } from './tessera/v1/SetDeviceStateResponse.js';
import type { SetNodePinRequest as _tessera_v1_SetNodePinRequest, SetNodePinRequest__Output as _tessera_v1_SetNodePinRequest__Output } from './tessera/v1/SetNodePinRequest.js';
import type { SetTenantQuotaRequest as _tessera_v1_SetTenantQuotaRequest, SetTenantQuotaRequest__Output as _tessera_v1_SetTenantQuotaRequest__Output } from './tessera/v1/SetTenantQuotaRequest.js';
import type { ShredScheduled as _tessera_v1_ShredScheduled, ShredScheduled__Output as _tessera_v1_ShredScheduled__Output } from './tessera/v1/ShredScheduled.js';
import type { ShredStatus as _tessera_v1_ShredStatus, ShredStatus__Output as _tessera_v1_ShredStatus__Output } from './tessera/v1/ShredStatus.js';
import type { SignAuditHeadRequest as _tessera_v1_SignAuditHeadRequest, SignAuditHeadRequest__Output as _tessera_v1_SignAuditHeadRequest__Output } from './tessera/v1/SignAuditHeadRequest.js';
import type { StartScrubRequest as _tessera_v1_StartScrubRequest, StartScrubRequest__Output as _tessera_v1_StartScrubRequest__Output } from './tessera/v1/StartScrubRequest.js';
import type { StartScrubResponse as _tessera_v1_StartScrubResponse, StartScrubResponse__Output as _tessera_v1_StartScrubResponse__Output } from './tessera/v1/StartScrubResponse.js';
import type { SystemEpoch as _tessera_v1_SystemEpoch, SystemEpoch__Output as _tessera_v1_SystemEpoch__Output } from './tessera/v1/SystemEpoch.js';
import type { Tenant as _tessera_v1_Tenant, Tenant__Output as _tessera_v1_Tenant__Output } from './tessera/v1/Tenant.js';
import type { TenantCompaction as _tessera_v1_TenantCompaction, TenantCompaction__Output as _tessera_v1_TenantCompaction__Output } from './tessera/v1/TenantCompaction.js';
import type { TenantEpochChange as _tessera_v1_TenantEpochChange, TenantEpochChange__Output as _tessera_v1_TenantEpochChange__Output } from './tessera/v1/TenantEpochChange.js';
import type { TenantInvalidation as _tessera_v1_TenantInvalidation, TenantInvalidation__Output as _tessera_v1_TenantInvalidation__Output } from './tessera/v1/TenantInvalidation.js';
import type { TenantUsageRequest as _tessera_v1_TenantUsageRequest, TenantUsageRequest__Output as _tessera_v1_TenantUsageRequest__Output } from './tessera/v1/TenantUsageRequest.js';
import type { TenantUsageResponse as _tessera_v1_TenantUsageResponse, TenantUsageResponse__Output as _tessera_v1_TenantUsageResponse__Output } from './tessera/v1/TenantUsageResponse.js';
import type { TransferLeaderRequest as _tessera_v1_TransferLeaderRequest, TransferLeaderRequest__Output as _tessera_v1_TransferLeaderRequest__Output } from './tessera/v1/TransferLeaderRequest.js';
import type { TransferLeaderResponse as _tessera_v1_TransferLeaderResponse, TransferLeaderResponse__Output as _tessera_v1_TransferLeaderResponse__Output } from './tessera/v1/TransferLeaderResponse.js';
import type { WatchRequest as _tessera_v1_WatchRequest, WatchRequest__Output as _tessera_v1_WatchRequest__Output } from './tessera/v1/WatchRequest.js';

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
      ApproveShredRequest: MessageTypeDefinition<_tessera_v1_ApproveShredRequest, _tessera_v1_ApproveShredRequest__Output>
      AuditHead: MessageTypeDefinition<_tessera_v1_AuditHead, _tessera_v1_AuditHead__Output>
      AuditTrailPart: MessageTypeDefinition<_tessera_v1_AuditTrailPart, _tessera_v1_AuditTrailPart__Output>
      ByteRange: MessageTypeDefinition<_tessera_v1_ByteRange, _tessera_v1_ByteRange__Output>
      CancelShredRequest: MessageTypeDefinition<_tessera_v1_CancelShredRequest, _tessera_v1_CancelShredRequest__Output>
      ClusterOverviewRequest: MessageTypeDefinition<_tessera_v1_ClusterOverviewRequest, _tessera_v1_ClusterOverviewRequest__Output>
      ClusterOverviewResponse: MessageTypeDefinition<_tessera_v1_ClusterOverviewResponse, _tessera_v1_ClusterOverviewResponse__Output>
      ClusterStatusRequest: MessageTypeDefinition<_tessera_v1_ClusterStatusRequest, _tessera_v1_ClusterStatusRequest__Output>
      ClusterStatusResponse: MessageTypeDefinition<_tessera_v1_ClusterStatusResponse, _tessera_v1_ClusterStatusResponse__Output>
      CompactRequest: MessageTypeDefinition<_tessera_v1_CompactRequest, _tessera_v1_CompactRequest__Output>
      CompactResponse: MessageTypeDefinition<_tessera_v1_CompactResponse, _tessera_v1_CompactResponse__Output>
      CompactionStatus: MessageTypeDefinition<_tessera_v1_CompactionStatus, _tessera_v1_CompactionStatus__Output>
      CreateTenantKeysRequest: MessageTypeDefinition<_tessera_v1_CreateTenantKeysRequest, _tessera_v1_CreateTenantKeysRequest__Output>
      CreateTenantRequest: MessageTypeDefinition<_tessera_v1_CreateTenantRequest, _tessera_v1_CreateTenantRequest__Output>
      DataKey: MessageTypeDefinition<_tessera_v1_DataKey, _tessera_v1_DataKey__Output>
      DedupKey: MessageTypeDefinition<_tessera_v1_DedupKey, _tessera_v1_DedupKey__Output>
      DenyAccessRequest: MessageTypeDefinition<_tessera_v1_DenyAccessRequest, _tessera_v1_DenyAccessRequest__Output>
      DeviceScrubProgress: MessageTypeDefinition<_tessera_v1_DeviceScrubProgress, _tessera_v1_DeviceScrubProgress__Output>
      DeviceStatus: MessageTypeDefinition<_tessera_v1_DeviceStatus, _tessera_v1_DeviceStatus__Output>
      DisableTenantRequest: MessageTypeDefinition<_tessera_v1_DisableTenantRequest, _tessera_v1_DisableTenantRequest__Output>
      EnableTenantRequest: MessageTypeDefinition<_tessera_v1_EnableTenantRequest, _tessera_v1_EnableTenantRequest__Output>
      EpochChunks: MessageTypeDefinition<_tessera_v1_EpochChunks, _tessera_v1_EpochChunks__Output>
      EvacuationProgress: MessageTypeDefinition<_tessera_v1_EvacuationProgress, _tessera_v1_EvacuationProgress__Output>
      ExportAuditRequest: MessageTypeDefinition<_tessera_v1_ExportAuditRequest, _tessera_v1_ExportAuditRequest__Output>
      ExportMetadataAuditRequest: MessageTypeDefinition<_tessera_v1_ExportMetadataAuditRequest, _tessera_v1_ExportMetadataAuditRequest__Output>
      ForwardAuditRequest: MessageTypeDefinition<_tessera_v1_ForwardAuditRequest, _tessera_v1_ForwardAuditRequest__Output>
      ForwardAuditResponse: MessageTypeDefinition<_tessera_v1_ForwardAuditResponse, _tessera_v1_ForwardAuditResponse__Output>
      GetAuditHeadRequest: MessageTypeDefinition<_tessera_v1_GetAuditHeadRequest, _tessera_v1_GetAuditHeadRequest__Output>
      GetDataKeyRequest: MessageTypeDefinition<_tessera_v1_GetDataKeyRequest, _tessera_v1_GetDataKeyRequest__Output>
      GetDedupKeyRequest: MessageTypeDefinition<_tessera_v1_GetDedupKeyRequest, _tessera_v1_GetDedupKeyRequest__Output>
      GetIndexKeyRequest: MessageTypeDefinition<_tessera_v1_GetIndexKeyRequest, _tessera_v1_GetIndexKeyRequest__Output>
      GetKeyHealthRequest: MessageTypeDefinition<_tessera_v1_GetKeyHealthRequest, _tessera_v1_GetKeyHealthRequest__Output>
      GetMasterKeyRequest: MessageTypeDefinition<_tessera_v1_GetMasterKeyRequest, _tessera_v1_GetMasterKeyRequest__Output>
      GetTenantRequest: MessageTypeDefinition<_tessera_v1_GetTenantRequest, _tessera_v1_GetTenantRequest__Output>
      IndexKey: MessageTypeDefinition<_tessera_v1_IndexKey, _tessera_v1_IndexKey__Output>
      InvalidationReason: EnumTypeDefinition
      KeyEvent: MessageTypeDefinition<_tessera_v1_KeyEvent, _tessera_v1_KeyEvent__Output>
      KeyHealth: MessageTypeDefinition<_tessera_v1_KeyHealth, _tessera_v1_KeyHealth__Output>
      /**
       * Keys for nodes, tenants and their keys, the allow-list and the audit log
       * (key manager port).
       */
      Keys: SubtypeConstructor<typeof grpc.Client, _tessera_v1_KeysClient> & { service: _tessera_v1_KeysDefinition }
      ListAccessRequest: MessageTypeDefinition<_tessera_v1_ListAccessRequest, _tessera_v1_ListAccessRequest__Output>
      ListAccessResponse: MessageTypeDefinition<_tessera_v1_ListAccessResponse, _tessera_v1_ListAccessResponse__Output>
      ListDevicesRequest: MessageTypeDefinition<_tessera_v1_ListDevicesRequest, _tessera_v1_ListDevicesRequest__Output>
      ListDevicesResponse: MessageTypeDefinition<_tessera_v1_ListDevicesResponse, _tessera_v1_ListDevicesResponse__Output>
      ListMembersRequest: MessageTypeDefinition<_tessera_v1_ListMembersRequest, _tessera_v1_ListMembersRequest__Output>
      ListMembersResponse: MessageTypeDefinition<_tessera_v1_ListMembersResponse, _tessera_v1_ListMembersResponse__Output>
      ListNodesRequest: MessageTypeDefinition<_tessera_v1_ListNodesRequest, _tessera_v1_ListNodesRequest__Output>
      ListNodesResponse: MessageTypeDefinition<_tessera_v1_ListNodesResponse, _tessera_v1_ListNodesResponse__Output>
      ListTenantsRequest: MessageTypeDefinition<_tessera_v1_ListTenantsRequest, _tessera_v1_ListTenantsRequest__Output>
      ListTenantsResponse: MessageTypeDefinition<_tessera_v1_ListTenantsResponse, _tessera_v1_ListTenantsResponse__Output>
      MaintenanceStatusRequest: MessageTypeDefinition<_tessera_v1_MaintenanceStatusRequest, _tessera_v1_MaintenanceStatusRequest__Output>
      MaintenanceStatusResponse: MessageTypeDefinition<_tessera_v1_MaintenanceStatusResponse, _tessera_v1_MaintenanceStatusResponse__Output>
      MasterKey: MessageTypeDefinition<_tessera_v1_MasterKey, _tessera_v1_MasterKey__Output>
      MemberIdentity: MessageTypeDefinition<_tessera_v1_MemberIdentity, _tessera_v1_MemberIdentity__Output>
      MemberRole: EnumTypeDefinition
      MemberStatus: MessageTypeDefinition<_tessera_v1_MemberStatus, _tessera_v1_MemberStatus__Output>
      MetadataAuditHead: MessageTypeDefinition<_tessera_v1_MetadataAuditHead, _tessera_v1_MetadataAuditHead__Output>
      MetadataAuditHeadRequest: MessageTypeDefinition<_tessera_v1_MetadataAuditHeadRequest, _tessera_v1_MetadataAuditHeadRequest__Output>
      MetadataAuditPart: MessageTypeDefinition<_tessera_v1_MetadataAuditPart, _tessera_v1_MetadataAuditPart__Output>
      NewTenantEpochRequest: MessageTypeDefinition<_tessera_v1_NewTenantEpochRequest, _tessera_v1_NewTenantEpochRequest__Output>
      NodePin: MessageTypeDefinition<_tessera_v1_NodePin, _tessera_v1_NodePin__Output>
      NodePinChange: MessageTypeDefinition<_tessera_v1_NodePinChange, _tessera_v1_NodePinChange__Output>
      PlacementScrubPass: MessageTypeDefinition<_tessera_v1_PlacementScrubPass, _tessera_v1_PlacementScrubPass__Output>
      PlacementScrubStatus: MessageTypeDefinition<_tessera_v1_PlacementScrubStatus, _tessera_v1_PlacementScrubStatus__Output>
      PoolStatus: MessageTypeDefinition<_tessera_v1_PoolStatus, _tessera_v1_PoolStatus__Output>
      ReencryptionProgress: MessageTypeDefinition<_tessera_v1_ReencryptionProgress, _tessera_v1_ReencryptionProgress__Output>
      RemoveMemberRequest: MessageTypeDefinition<_tessera_v1_RemoveMemberRequest, _tessera_v1_RemoveMemberRequest__Output>
      RemoveMemberResponse: MessageTypeDefinition<_tessera_v1_RemoveMemberResponse, _tessera_v1_RemoveMemberResponse__Output>
      RemoveNodeRequest: MessageTypeDefinition<_tessera_v1_RemoveNodeRequest, _tessera_v1_RemoveNodeRequest__Output>
      RemoveNodeResponse: MessageTypeDefinition<_tessera_v1_RemoveNodeResponse, _tessera_v1_RemoveNodeResponse__Output>
      RepairCount: MessageTypeDefinition<_tessera_v1_RepairCount, _tessera_v1_RepairCount__Output>
      RepairMove: MessageTypeDefinition<_tessera_v1_RepairMove, _tessera_v1_RepairMove__Output>
      RepairQueueStatus: MessageTypeDefinition<_tessera_v1_RepairQueueStatus, _tessera_v1_RepairQueueStatus__Output>
      RepairRecord: MessageTypeDefinition<_tessera_v1_RepairRecord, _tessera_v1_RepairRecord__Output>
      ReplaceTenantCaRequest: MessageTypeDefinition<_tessera_v1_ReplaceTenantCaRequest, _tessera_v1_ReplaceTenantCaRequest__Output>
      ReportMinDecryptEpochRequest: MessageTypeDefinition<_tessera_v1_ReportMinDecryptEpochRequest, _tessera_v1_ReportMinDecryptEpochRequest__Output>
      ReportMinDecryptEpochResponse: MessageTypeDefinition<_tessera_v1_ReportMinDecryptEpochResponse, _tessera_v1_ReportMinDecryptEpochResponse__Output>
      RequestAccessRequest: MessageTypeDefinition<_tessera_v1_RequestAccessRequest, _tessera_v1_RequestAccessRequest__Output>
      RequestShredRequest: MessageTypeDefinition<_tessera_v1_RequestShredRequest, _tessera_v1_RequestShredRequest__Output>
      RevokeGrantRequest: MessageTypeDefinition<_tessera_v1_RevokeGrantRequest, _tessera_v1_RevokeGrantRequest__Output>
      RotateKekRequest: MessageTypeDefinition<_tessera_v1_RotateKekRequest, _tessera_v1_RotateKekRequest__Output>
      RotateSystemEpochRequest: MessageTypeDefinition<_tessera_v1_RotateSystemEpochRequest, _tessera_v1_RotateSystemEpochRequest__Output>
      SetDeviceStateRequest: MessageTypeDefinition<_tessera_v1_SetDeviceStateRequest, _tessera_v1_SetDeviceStateRequest__Output>
      SetDeviceStateResponse: MessageTypeDefinition<_tessera_v1_SetDeviceStateResponse, _tessera_v1_SetDeviceStateResponse__Output>
      SetNodePinRequest: MessageTypeDefinition<_tessera_v1_SetNodePinRequest, _tessera_v1_SetNodePinRequest__Output>
      SetTenantQuotaRequest: MessageTypeDefinition<_tessera_v1_SetTenantQuotaRequest, _tessera_v1_SetTenantQuotaRequest__Output>
      ShredScheduled: MessageTypeDefinition<_tessera_v1_ShredScheduled, _tessera_v1_ShredScheduled__Output>
      ShredStatus: MessageTypeDefinition<_tessera_v1_ShredStatus, _tessera_v1_ShredStatus__Output>
      SignAuditHeadRequest: MessageTypeDefinition<_tessera_v1_SignAuditHeadRequest, _tessera_v1_SignAuditHeadRequest__Output>
      StartScrubRequest: MessageTypeDefinition<_tessera_v1_StartScrubRequest, _tessera_v1_StartScrubRequest__Output>
      StartScrubResponse: MessageTypeDefinition<_tessera_v1_StartScrubResponse, _tessera_v1_StartScrubResponse__Output>
      SystemEpoch: MessageTypeDefinition<_tessera_v1_SystemEpoch, _tessera_v1_SystemEpoch__Output>
      Tenant: MessageTypeDefinition<_tessera_v1_Tenant, _tessera_v1_Tenant__Output>
      TenantCompaction: MessageTypeDefinition<_tessera_v1_TenantCompaction, _tessera_v1_TenantCompaction__Output>
      TenantEpochChange: MessageTypeDefinition<_tessera_v1_TenantEpochChange, _tessera_v1_TenantEpochChange__Output>
      TenantInvalidation: MessageTypeDefinition<_tessera_v1_TenantInvalidation, _tessera_v1_TenantInvalidation__Output>
      TenantPolicy: EnumTypeDefinition
      TenantState: EnumTypeDefinition
      TenantUsageRequest: MessageTypeDefinition<_tessera_v1_TenantUsageRequest, _tessera_v1_TenantUsageRequest__Output>
      TenantUsageResponse: MessageTypeDefinition<_tessera_v1_TenantUsageResponse, _tessera_v1_TenantUsageResponse__Output>
      TransferLeaderRequest: MessageTypeDefinition<_tessera_v1_TransferLeaderRequest, _tessera_v1_TransferLeaderRequest__Output>
      TransferLeaderResponse: MessageTypeDefinition<_tessera_v1_TransferLeaderResponse, _tessera_v1_TransferLeaderResponse__Output>
      WatchRequest: MessageTypeDefinition<_tessera_v1_WatchRequest, _tessera_v1_WatchRequest__Output>
    }
  }
}

