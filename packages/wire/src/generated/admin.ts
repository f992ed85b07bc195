import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AccessGrant as _tessera_v1_AccessGrant, AccessGrant__Output as _tessera_v1_AccessGrant__Output } from './tessera/v1/AccessGrant.js';
import type { AccessRequest as _tessera_v1_AccessRequest, AccessRequest__Output as _tessera_v1_AccessRequest__Output } from './tessera/v1/AccessRequest.js';
import type { AddMemberRequest as _tessera_v1_AddMemberRequest, AddMemberRequest__Output as _tessera_v1_AddMemberRequest__Output } from './tessera/v1/AddMemberRequest.js';
import type { AddMemberResponse as _tessera_v1_AddMemberResponse, AddMemberResponse__Output as _tessera_v1_AddMemberResponse__Output } from './tessera/v1/AddMemberResponse.js';
import type { AdminClient as _tessera_v1_AdminClient, AdminDefinition as _tessera_v1_AdminDefinition } from './tessera/v1/Admin.js';
import type { ApproveAccessRequest as _tessera_v1_ApproveAccessRequest, ApproveAccessRequest__Output as _tessera_v1_ApproveAccessRequest__Output } from './tessera/v1/ApproveAccessRequest.js';
import type { ByteRange as _tessera_v1_ByteRange, ByteRange__Output as _tessera_v1_ByteRange__Output } from './tessera/v1/ByteRange.js';
import type { ClusterStatusRequest as _tessera_v1_ClusterStatusRequest, ClusterStatusRequest__Output as _tessera_v1_ClusterStatusRequest__Output } from './tessera/v1/ClusterStatusRequest.js';
import type { ClusterStatusResponse as _tessera_v1_ClusterStatusResponse, ClusterStatusResponse__Output as _tessera_v1_ClusterStatusResponse__Output } from './tessera/v1/ClusterStatusResponse.js';
import type { DenyAccessRequest as _tessera_v1_DenyAccessRequest, DenyAccessRequest__Output as _tessera_v1_DenyAccessRequest__Output } from './tessera/v1/DenyAccessRequest.js';
import type { ListAccessRequest as _tessera_v1_ListAccessRequest, ListAccessRequest__Output as _tessera_v1_ListAccessRequest__Output } from './tessera/v1/ListAccessRequest.js';
import type { ListAccessResponse as _tessera_v1_ListAccessResponse, ListAccessResponse__Output as _tessera_v1_ListAccessResponse__Output } from './tessera/v1/ListAccessResponse.js';
import type { ListMembersRequest as _tessera_v1_ListMembersRequest, ListMembersRequest__Output as _tessera_v1_ListMembersRequest__Output } from './tessera/v1/ListMembersRequest.js';
import type { ListMembersResponse as _tessera_v1_ListMembersResponse, ListMembersResponse__Output as _tessera_v1_ListMembersResponse__Output } from './tessera/v1/ListMembersResponse.js';
import type { MemberIdentity as _tessera_v1_MemberIdentity, MemberIdentity__Output as _tessera_v1_MemberIdentity__Output } from './tessera/v1/MemberIdentity.js';
import type { MemberStatus as _tessera_v1_MemberStatus, MemberStatus__Output as _tessera_v1_MemberStatus__Output } from './tessera/v1/MemberStatus.js';
import type { RemoveMemberRequest as _tessera_v1_RemoveMemberRequest, RemoveMemberRequest__Output as _tessera_v1_RemoveMemberRequest__Output } from './tessera/v1/RemoveMemberRequest.js';
import type { RemoveMemberResponse as _tessera_v1_RemoveMemberResponse, RemoveMemberResponse__Output as _tessera_v1_RemoveMemberResponse__Output } from './tessera/v1/RemoveMemberResponse.js';
import type { RequestAccessRequest as _tessera_v1_RequestAccessRequest, RequestAccessRequest__Output as _tessera_v1_RequestAccessRequest__Output } from './tessera/v1/RequestAccessRequest.js';
import type { RevokeGrantRequest as _tessera_v1_RevokeGrantRequest, RevokeGrantRequest__Output as _tessera_v1_RevokeGrantRequest__Output } from './tessera/v1/RevokeGrantRequest.js';
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
      AccessGrant: MessageTypeDefinition<_tessera_v1_AccessGrant, _tessera_v1_AccessGrant__Output>
      AccessMode: EnumTypeDefinition
      AccessRequest: MessageTypeDefinition<_tessera_v1_AccessRequest, _tessera_v1_AccessRequest__Output>
      AccessState: EnumTypeDefinition
      AddMemberRequest: MessageTypeDefinition<_tessera_v1_AddMemberRequest, _tessera_v1_AddMemberRequest__Output>
      AddMemberResponse: MessageTypeDefinition<_tessera_v1_AddMemberResponse, _tessera_v1_AddMemberResponse__Output>
      /**
       * Cluster membership, tenant usage and access grants (client port).
       */
      Admin: SubtypeConstructor<typeof grpc.Client, _tessera_v1_AdminClient> & { service: _tessera_v1_AdminDefinition }
      ApproveAccessRequest: MessageTypeDefinition<_tessera_v1_ApproveAccessRequest, _tessera_v1_ApproveAccessRequest__Output>
      ByteRange: MessageTypeDefinition<_tessera_v1_ByteRange, _tessera_v1_ByteRange__Output>
      ClusterStatusRequest: MessageTypeDefinition<_tessera_v1_ClusterStatusRequest, _tessera_v1_ClusterStatusRequest__Output>
      ClusterStatusResponse: MessageTypeDefinition<_tessera_v1_ClusterStatusResponse, _tessera_v1_ClusterStatusResponse__Output>
      DenyAccessRequest: MessageTypeDefinition<_tessera_v1_DenyAccessRequest, _tessera_v1_DenyAccessRequest__Output>
      ListAccessRequest: MessageTypeDefinition<_tessera_v1_ListAccessRequest, _tessera_v1_ListAccessRequest__Output>
      ListAccessResponse: MessageTypeDefinition<_tessera_v1_ListAccessResponse, _tessera_v1_ListAccessResponse__Output>
      ListMembersRequest: MessageTypeDefinition<_tessera_v1_ListMembersRequest, _tessera_v1_ListMembersRequest__Output>
      ListMembersResponse: MessageTypeDefinition<_tessera_v1_ListMembersResponse, _tessera_v1_ListMembersResponse__Output>
      MemberIdentity: MessageTypeDefinition<_tessera_v1_MemberIdentity, _tessera_v1_MemberIdentity__Output>
      MemberRole: EnumTypeDefinition
      MemberStatus: MessageTypeDefinition<_tessera_v1_MemberStatus, _tessera_v1_MemberStatus__Output>
      RemoveMemberRequest: MessageTypeDefinition<_tessera_v1_RemoveMemberRequest, _tessera_v1_RemoveMemberRequest__Output>
      RemoveMemberResponse: MessageTypeDefinition<_tessera_v1_RemoveMemberResponse, _tessera_v1_RemoveMemberResponse__Output>
      RequestAccessRequest: MessageTypeDefinition<_tessera_v1_RequestAccessRequest, _tessera_v1_RequestAccessRequest__Output>
      RevokeGrantRequest: MessageTypeDefinition<_tessera_v1_RevokeGrantRequest, _tessera_v1_RevokeGrantRequest__Output>
      TenantUsageRequest: MessageTypeDefinition<_tessera_v1_TenantUsageRequest, _tessera_v1_TenantUsageRequest__Output>
      TenantUsageResponse: MessageTypeDefinition<_tessera_v1_TenantUsageResponse, _tessera_v1_TenantUsageResponse__Output>
      TransferLeaderRequest: MessageTypeDefinition<_tessera_v1_TransferLeaderRequest, _tessera_v1_TransferLeaderRequest__Output>
      TransferLeaderResponse: MessageTypeDefinition<_tessera_v1_TransferLeaderResponse, _tessera_v1_TransferLeaderResponse__Output>
    }
  }
}

