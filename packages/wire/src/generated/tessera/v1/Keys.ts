// Original file: proto/tessera/v1/keys.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddMemberRequest as _tessera_v1_AddMemberRequest, AddMemberRequest__Output as _tessera_v1_AddMemberRequest__Output } from '../../tessera/v1/AddMemberRequest.js';
import type { AddMemberResponse as _tessera_v1_AddMemberResponse, AddMemberResponse__Output as _tessera_v1_AddMemberResponse__Output } from '../../tessera/v1/AddMemberResponse.js';
import type { ApproveShredRequest as _tessera_v1_ApproveShredRequest, ApproveShredRequest__Output as _tessera_v1_ApproveShredRequest__Output } from '../../tessera/v1/ApproveShredRequest.js';
import type { AuditHead as _tessera_v1_AuditHead, AuditHead__Output as _tessera_v1_AuditHead__Output } from '../../tessera/v1/AuditHead.js';
import type { AuditTrailPart as _tessera_v1_AuditTrailPart, AuditTrailPart__Output as _tessera_v1_AuditTrailPart__Output } from '../../tessera/v1/AuditTrailPart.js';
import type { CancelShredRequest as _tessera_v1_CancelShredRequest, CancelShredRequest__Output as _tessera_v1_CancelShredRequest__Output } from '../../tessera/v1/CancelShredRequest.js';
import type { ClusterStatusRequest as _tessera_v1_ClusterStatusRequest, ClusterStatusRequest__Output as _tessera_v1_ClusterStatusRequest__Output } from '../../tessera/v1/ClusterStatusRequest.js';
import type { ClusterStatusResponse as _tessera_v1_ClusterStatusResponse, ClusterStatusResponse__Output as _tessera_v1_ClusterStatusResponse__Output } from '../../tessera/v1/ClusterStatusResponse.js';
import type { CreateTenantKeysRequest as _tessera_v1_CreateTenantKeysRequest, CreateTenantKeysRequest__Output as _tessera_v1_CreateTenantKeysRequest__Output } from '../../tessera/v1/CreateTenantKeysRequest.js';
import type { CreateTenantRequest as _tessera_v1_CreateTenantRequest, CreateTenantRequest__Output as _tessera_v1_CreateTenantRequest__Output } from '../../tessera/v1/CreateTenantRequest.js';
import type { DataKey as _tessera_v1_DataKey, DataKey__Output as _tessera_v1_DataKey__Output } from '../../tessera/v1/DataKey.js';
import type { DedupKey as _tessera_v1_DedupKey, DedupKey__Output as _tessera_v1_DedupKey__Output } from '../../tessera/v1/DedupKey.js';
import type { DisableTenantRequest as _tessera_v1_DisableTenantRequest, DisableTenantRequest__Output as _tessera_v1_DisableTenantRequest__Output } from '../../tessera/v1/DisableTenantRequest.js';
import type { EnableTenantRequest as _tessera_v1_EnableTenantRequest, EnableTenantRequest__Output as _tessera_v1_EnableTenantRequest__Output } from '../../tessera/v1/EnableTenantRequest.js';
import type { ExportAuditRequest as _tessera_v1_ExportAuditRequest, ExportAuditRequest__Output as _tessera_v1_ExportAuditRequest__Output } from '../../tessera/v1/ExportAuditRequest.js';
import type { ForwardAuditRequest as _tessera_v1_ForwardAuditRequest, ForwardAuditRequest__Output as _tessera_v1_ForwardAuditRequest__Output } from '../../tessera/v1/ForwardAuditRequest.js';
import type { ForwardAuditResponse as _tessera_v1_ForwardAuditResponse, ForwardAuditResponse__Output as _tessera_v1_ForwardAuditResponse__Output } from '../../tessera/v1/ForwardAuditResponse.js';
import type { GetAuditHeadRequest as _tessera_v1_GetAuditHeadRequest, GetAuditHeadRequest__Output as _tessera_v1_GetAuditHeadRequest__Output } from '../../tessera/v1/GetAuditHeadRequest.js';
import type { GetDataKeyRequest as _tessera_v1_GetDataKeyRequest, GetDataKeyRequest__Output as _tessera_v1_GetDataKeyRequest__Output } from '../../tessera/v1/GetDataKeyRequest.js';
import type { GetDedupKeyRequest as _tessera_v1_GetDedupKeyRequest, GetDedupKeyRequest__Output as _tessera_v1_GetDedupKeyRequest__Output } from '../../tessera/v1/GetDedupKeyRequest.js';
import type { GetIndexKeyRequest as _tessera_v1_GetIndexKeyRequest, GetIndexKeyRequest__Output as _tessera_v1_GetIndexKeyRequest__Output } from '../../tessera/v1/GetIndexKeyRequest.js';
import type { GetKeyHealthRequest as _tessera_v1_GetKeyHealthRequest, GetKeyHealthRequest__Output as _tessera_v1_GetKeyHealthRequest__Output } from '../../tessera/v1/GetKeyHealthRequest.js';
import type { GetMasterKeyRequest as _tessera_v1_GetMasterKeyRequest, GetMasterKeyRequest__Output as _tessera_v1_GetMasterKeyRequest__Output } from '../../tessera/v1/GetMasterKeyRequest.js';
import type { GetTenantRequest as _tessera_v1_GetTenantRequest, GetTenantRequest__Output as _tessera_v1_GetTenantRequest__Output } from '../../tessera/v1/GetTenantRequest.js';
import type { IndexKey as _tessera_v1_IndexKey, IndexKey__Output as _tessera_v1_IndexKey__Output } from '../../tessera/v1/IndexKey.js';
import type { KeyEvent as _tessera_v1_KeyEvent, KeyEvent__Output as _tessera_v1_KeyEvent__Output } from '../../tessera/v1/KeyEvent.js';
import type { KeyHealth as _tessera_v1_KeyHealth, KeyHealth__Output as _tessera_v1_KeyHealth__Output } from '../../tessera/v1/KeyHealth.js';
import type { ListNodesRequest as _tessera_v1_ListNodesRequest, ListNodesRequest__Output as _tessera_v1_ListNodesRequest__Output } from '../../tessera/v1/ListNodesRequest.js';
import type { ListNodesResponse as _tessera_v1_ListNodesResponse, ListNodesResponse__Output as _tessera_v1_ListNodesResponse__Output } from '../../tessera/v1/ListNodesResponse.js';
import type { ListTenantsRequest as _tessera_v1_ListTenantsRequest, ListTenantsRequest__Output as _tessera_v1_ListTenantsRequest__Output } from '../../tessera/v1/ListTenantsRequest.js';
import type { ListTenantsResponse as _tessera_v1_ListTenantsResponse, ListTenantsResponse__Output as _tessera_v1_ListTenantsResponse__Output } from '../../tessera/v1/ListTenantsResponse.js';
import type { MasterKey as _tessera_v1_MasterKey, MasterKey__Output as _tessera_v1_MasterKey__Output } from '../../tessera/v1/MasterKey.js';
import type { NewTenantEpochRequest as _tessera_v1_NewTenantEpochRequest, NewTenantEpochRequest__Output as _tessera_v1_NewTenantEpochRequest__Output } from '../../tessera/v1/NewTenantEpochRequest.js';
import type { NodePin as _tessera_v1_NodePin, NodePin__Output as _tessera_v1_NodePin__Output } from '../../tessera/v1/NodePin.js';
import type { RemoveNodeRequest as _tessera_v1_RemoveNodeRequest, RemoveNodeRequest__Output as _tessera_v1_RemoveNodeRequest__Output } from '../../tessera/v1/RemoveNodeRequest.js';
import type { RemoveNodeResponse as _tessera_v1_RemoveNodeResponse, RemoveNodeResponse__Output as _tessera_v1_RemoveNodeResponse__Output } from '../../tessera/v1/RemoveNodeResponse.js';
import type { ReplaceTenantCaRequest as _tessera_v1_ReplaceTenantCaRequest, ReplaceTenantCaRequest__Output as _tessera_v1_ReplaceTenantCaRequest__Output } from '../../tessera/v1/ReplaceTenantCaRequest.js';
import type { ReportMinDecryptEpochRequest as _tessera_v1_ReportMinDecryptEpochRequest, ReportMinDecryptEpochRequest__Output as _tessera_v1_ReportMinDecryptEpochRequest__Output } from '../../tessera/v1/ReportMinDecryptEpochRequest.js';
import type { ReportMinDecryptEpochResponse as _tessera_v1_ReportMinDecryptEpochResponse, ReportMinDecryptEpochResponse__Output as _tessera_v1_ReportMinDecryptEpochResponse__Output } from '../../tessera/v1/ReportMinDecryptEpochResponse.js';
import type { RequestShredRequest as _tessera_v1_RequestShredRequest, RequestShredRequest__Output as _tessera_v1_RequestShredRequest__Output } from '../../tessera/v1/RequestShredRequest.js';
import type { RotateKekRequest as _tessera_v1_RotateKekRequest, RotateKekRequest__Output as _tessera_v1_RotateKekRequest__Output } from '../../tessera/v1/RotateKekRequest.js';
import type { RotateSystemEpochRequest as _tessera_v1_RotateSystemEpochRequest, RotateSystemEpochRequest__Output as _tessera_v1_RotateSystemEpochRequest__Output } from '../../tessera/v1/RotateSystemEpochRequest.js';
import type { SetNodePinRequest as _tessera_v1_SetNodePinRequest, SetNodePinRequest__Output as _tessera_v1_SetNodePinRequest__Output } from '../../tessera/v1/SetNodePinRequest.js';
import type { ShredStatus as _tessera_v1_ShredStatus, ShredStatus__Output as _tessera_v1_ShredStatus__Output } from '../../tessera/v1/ShredStatus.js';
import type { SignAuditHeadRequest as _tessera_v1_SignAuditHeadRequest, SignAuditHeadRequest__Output as _tessera_v1_SignAuditHeadRequest__Output } from '../../tessera/v1/SignAuditHeadRequest.js';
import type { SystemEpoch as _tessera_v1_SystemEpoch, SystemEpoch__Output as _tessera_v1_SystemEpoch__Output } from '../../tessera/v1/SystemEpoch.js';
import type { Tenant as _tessera_v1_Tenant, Tenant__Output as _tessera_v1_Tenant__Output } from '../../tessera/v1/Tenant.js';
import type { WatchRequest as _tessera_v1_WatchRequest, WatchRequest__Output as _tessera_v1_WatchRequest__Output } from '../../tessera/v1/WatchRequest.js';

/**
 * Keys for nodes, tenants and their keys, the allow-list and the audit log
 * (key manager port).
 */
export interface KeysClient extends grpc.Client {
  /**
   * Adds a key manager (learner, then voter once caught up) carrying its
   * incarnation id; refused when the root provider serves one member only.
   */
  AddKeyManager(argument: _tessera_v1_AddMemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  AddKeyManager(argument: _tessera_v1_AddMemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  AddKeyManager(argument: _tessera_v1_AddMemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  AddKeyManager(argument: _tessera_v1_AddMemberRequest, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Adds a key manager (learner, then voter once caught up) carrying its
   * incarnation id; refused when the root provider serves one member only.
   */
  addKeyManager(argument: _tessera_v1_AddMemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  addKeyManager(argument: _tessera_v1_AddMemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  addKeyManager(argument: _tessera_v1_AddMemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  addKeyManager(argument: _tessera_v1_AddMemberRequest, callback: grpc.requestCallback<_tessera_v1_AddMemberResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A tenant admin approves a crypto-shred a cluster admin requested.
   */
  ApproveShred(argument: _tessera_v1_ApproveShredRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  ApproveShred(argument: _tessera_v1_ApproveShredRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  ApproveShred(argument: _tessera_v1_ApproveShredRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  ApproveShred(argument: _tessera_v1_ApproveShredRequest, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  /**
   * A tenant admin approves a crypto-shred a cluster admin requested.
   */
  approveShred(argument: _tessera_v1_ApproveShredRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  approveShred(argument: _tessera_v1_ApproveShredRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  approveShred(argument: _tessera_v1_ApproveShredRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  approveShred(argument: _tessera_v1_ApproveShredRequest, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  
  /**
   * A tenant admin cancels a requested or scheduled crypto-shred.
   */
  CancelShred(argument: _tessera_v1_CancelShredRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  CancelShred(argument: _tessera_v1_CancelShredRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  CancelShred(argument: _tessera_v1_CancelShredRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  CancelShred(argument: _tessera_v1_CancelShredRequest, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  /**
   * A tenant admin cancels a requested or scheduled crypto-shred.
   */
  cancelShred(argument: _tessera_v1_CancelShredRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  cancelShred(argument: _tessera_v1_CancelShredRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  cancelShred(argument: _tessera_v1_CancelShredRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  cancelShred(argument: _tessera_v1_CancelShredRequest, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  
  /**
   * Registers a tenant with its policy and CA certificate (the authority for
   * tenants, DESIGN section 2).
   */
  CreateTenant(argument: _tessera_v1_CreateTenantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  CreateTenant(argument: _tessera_v1_CreateTenantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  CreateTenant(argument: _tessera_v1_CreateTenantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  CreateTenant(argument: _tessera_v1_CreateTenantRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  /**
   * Registers a tenant with its policy and CA certificate (the authority for
   * tenants, DESIGN section 2).
   */
  createTenant(argument: _tessera_v1_CreateTenantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  createTenant(argument: _tessera_v1_CreateTenantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  createTenant(argument: _tessera_v1_CreateTenantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  createTenant(argument: _tessera_v1_CreateTenantRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  
  /**
   * Creates the tenant's KEK (version 1), its first data key and its index key.
   */
  CreateTenantKeys(argument: _tessera_v1_CreateTenantKeysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  CreateTenantKeys(argument: _tessera_v1_CreateTenantKeysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  CreateTenantKeys(argument: _tessera_v1_CreateTenantKeysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  CreateTenantKeys(argument: _tessera_v1_CreateTenantKeysRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  /**
   * Creates the tenant's KEK (version 1), its first data key and its index key.
   */
  createTenantKeys(argument: _tessera_v1_CreateTenantKeysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  createTenantKeys(argument: _tessera_v1_CreateTenantKeysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  createTenantKeys(argument: _tessera_v1_CreateTenantKeysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  createTenantKeys(argument: _tessera_v1_CreateTenantKeysRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stops a tenant's data access on every storage node (its keys, key
   * management and crypto-shred keep working); audited in the tenant's and
   * the system chain.
   */
  DisableTenant(argument: _tessera_v1_DisableTenantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  DisableTenant(argument: _tessera_v1_DisableTenantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  DisableTenant(argument: _tessera_v1_DisableTenantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  DisableTenant(argument: _tessera_v1_DisableTenantRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  /**
   * Stops a tenant's data access on every storage node (its keys, key
   * management and crypto-shred keep working); audited in the tenant's and
   * the system chain.
   */
  disableTenant(argument: _tessera_v1_DisableTenantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  disableTenant(argument: _tessera_v1_DisableTenantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  disableTenant(argument: _tessera_v1_DisableTenantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  disableTenant(argument: _tessera_v1_DisableTenantRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  
  /**
   * Restores a disabled tenant's data access.
   */
  EnableTenant(argument: _tessera_v1_EnableTenantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  EnableTenant(argument: _tessera_v1_EnableTenantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  EnableTenant(argument: _tessera_v1_EnableTenantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  EnableTenant(argument: _tessera_v1_EnableTenantRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  /**
   * Restores a disabled tenant's data access.
   */
  enableTenant(argument: _tessera_v1_EnableTenantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  enableTenant(argument: _tessera_v1_EnableTenantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  enableTenant(argument: _tessera_v1_EnableTenantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  enableTenant(argument: _tessera_v1_EnableTenantRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  
  /**
   * The entries of one audit chain: a tenant admin's own chain, or the
   * system chain for a cluster admin.
   */
  ExportAudit(argument: _tessera_v1_ExportAuditRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_AuditTrailPart__Output>;
  ExportAudit(argument: _tessera_v1_ExportAuditRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_AuditTrailPart__Output>;
  /**
   * The entries of one audit chain: a tenant admin's own chain, or the
   * system chain for a cluster admin.
   */
  exportAudit(argument: _tessera_v1_ExportAuditRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_AuditTrailPart__Output>;
  exportAudit(argument: _tessera_v1_ExportAuditRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_AuditTrailPart__Output>;
  
  /**
   * A follower hands the leader audit records it produced (refusals it saw).
   */
  ForwardAudit(argument: _tessera_v1_ForwardAuditRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ForwardAuditResponse__Output>): grpc.ClientUnaryCall;
  ForwardAudit(argument: _tessera_v1_ForwardAuditRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ForwardAuditResponse__Output>): grpc.ClientUnaryCall;
  ForwardAudit(argument: _tessera_v1_ForwardAuditRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ForwardAuditResponse__Output>): grpc.ClientUnaryCall;
  ForwardAudit(argument: _tessera_v1_ForwardAuditRequest, callback: grpc.requestCallback<_tessera_v1_ForwardAuditResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A follower hands the leader audit records it produced (refusals it saw).
   */
  forwardAudit(argument: _tessera_v1_ForwardAuditRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ForwardAuditResponse__Output>): grpc.ClientUnaryCall;
  forwardAudit(argument: _tessera_v1_ForwardAuditRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ForwardAuditResponse__Output>): grpc.ClientUnaryCall;
  forwardAudit(argument: _tessera_v1_ForwardAuditRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ForwardAuditResponse__Output>): grpc.ClientUnaryCall;
  forwardAudit(argument: _tessera_v1_ForwardAuditRequest, callback: grpc.requestCallback<_tessera_v1_ForwardAuditResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A signed audit head: a tenant admin's covers its own chain only; a
   * cluster admin's covers every chain (or one tenant's).
   */
  GetAuditHead(argument: _tessera_v1_GetAuditHeadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  GetAuditHead(argument: _tessera_v1_GetAuditHeadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  GetAuditHead(argument: _tessera_v1_GetAuditHeadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  GetAuditHead(argument: _tessera_v1_GetAuditHeadRequest, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  /**
   * A signed audit head: a tenant admin's covers its own chain only; a
   * cluster admin's covers every chain (or one tenant's).
   */
  getAuditHead(argument: _tessera_v1_GetAuditHeadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  getAuditHead(argument: _tessera_v1_GetAuditHeadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  getAuditHead(argument: _tessera_v1_GetAuditHeadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  getAuditHead(argument: _tessera_v1_GetAuditHeadRequest, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  
  /**
   * A tenant's data key (TDK) for one tenant epoch.
   */
  GetDataKey(argument: _tessera_v1_GetDataKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DataKey__Output>): grpc.ClientUnaryCall;
  GetDataKey(argument: _tessera_v1_GetDataKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_DataKey__Output>): grpc.ClientUnaryCall;
  GetDataKey(argument: _tessera_v1_GetDataKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DataKey__Output>): grpc.ClientUnaryCall;
  GetDataKey(argument: _tessera_v1_GetDataKeyRequest, callback: grpc.requestCallback<_tessera_v1_DataKey__Output>): grpc.ClientUnaryCall;
  /**
   * A tenant's data key (TDK) for one tenant epoch.
   */
  getDataKey(argument: _tessera_v1_GetDataKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DataKey__Output>): grpc.ClientUnaryCall;
  getDataKey(argument: _tessera_v1_GetDataKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_DataKey__Output>): grpc.ClientUnaryCall;
  getDataKey(argument: _tessera_v1_GetDataKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DataKey__Output>): grpc.ClientUnaryCall;
  getDataKey(argument: _tessera_v1_GetDataKeyRequest, callback: grpc.requestCallback<_tessera_v1_DataKey__Output>): grpc.ClientUnaryCall;
  
  /**
   * The cluster dedup key.
   */
  GetDedupKey(argument: _tessera_v1_GetDedupKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DedupKey__Output>): grpc.ClientUnaryCall;
  GetDedupKey(argument: _tessera_v1_GetDedupKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_DedupKey__Output>): grpc.ClientUnaryCall;
  GetDedupKey(argument: _tessera_v1_GetDedupKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DedupKey__Output>): grpc.ClientUnaryCall;
  GetDedupKey(argument: _tessera_v1_GetDedupKeyRequest, callback: grpc.requestCallback<_tessera_v1_DedupKey__Output>): grpc.ClientUnaryCall;
  /**
   * The cluster dedup key.
   */
  getDedupKey(argument: _tessera_v1_GetDedupKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DedupKey__Output>): grpc.ClientUnaryCall;
  getDedupKey(argument: _tessera_v1_GetDedupKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_DedupKey__Output>): grpc.ClientUnaryCall;
  getDedupKey(argument: _tessera_v1_GetDedupKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DedupKey__Output>): grpc.ClientUnaryCall;
  getDedupKey(argument: _tessera_v1_GetDedupKeyRequest, callback: grpc.requestCallback<_tessera_v1_DedupKey__Output>): grpc.ClientUnaryCall;
  
  /**
   * A tenant's index key (TIK).
   */
  GetIndexKey(argument: _tessera_v1_GetIndexKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_IndexKey__Output>): grpc.ClientUnaryCall;
  GetIndexKey(argument: _tessera_v1_GetIndexKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_IndexKey__Output>): grpc.ClientUnaryCall;
  GetIndexKey(argument: _tessera_v1_GetIndexKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_IndexKey__Output>): grpc.ClientUnaryCall;
  GetIndexKey(argument: _tessera_v1_GetIndexKeyRequest, callback: grpc.requestCallback<_tessera_v1_IndexKey__Output>): grpc.ClientUnaryCall;
  /**
   * A tenant's index key (TIK).
   */
  getIndexKey(argument: _tessera_v1_GetIndexKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_IndexKey__Output>): grpc.ClientUnaryCall;
  getIndexKey(argument: _tessera_v1_GetIndexKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_IndexKey__Output>): grpc.ClientUnaryCall;
  getIndexKey(argument: _tessera_v1_GetIndexKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_IndexKey__Output>): grpc.ClientUnaryCall;
  getIndexKey(argument: _tessera_v1_GetIndexKeyRequest, callback: grpc.requestCallback<_tessera_v1_IndexKey__Output>): grpc.ClientUnaryCall;
  
  /**
   * Root provider and key-manager health (no key material).
   */
  GetKeyHealth(argument: _tessera_v1_GetKeyHealthRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KeyHealth__Output>): grpc.ClientUnaryCall;
  GetKeyHealth(argument: _tessera_v1_GetKeyHealthRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_KeyHealth__Output>): grpc.ClientUnaryCall;
  GetKeyHealth(argument: _tessera_v1_GetKeyHealthRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KeyHealth__Output>): grpc.ClientUnaryCall;
  GetKeyHealth(argument: _tessera_v1_GetKeyHealthRequest, callback: grpc.requestCallback<_tessera_v1_KeyHealth__Output>): grpc.ClientUnaryCall;
  /**
   * Root provider and key-manager health (no key material).
   */
  getKeyHealth(argument: _tessera_v1_GetKeyHealthRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KeyHealth__Output>): grpc.ClientUnaryCall;
  getKeyHealth(argument: _tessera_v1_GetKeyHealthRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_KeyHealth__Output>): grpc.ClientUnaryCall;
  getKeyHealth(argument: _tessera_v1_GetKeyHealthRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KeyHealth__Output>): grpc.ClientUnaryCall;
  getKeyHealth(argument: _tessera_v1_GetKeyHealthRequest, callback: grpc.requestCallback<_tessera_v1_KeyHealth__Output>): grpc.ClientUnaryCall;
  
  /**
   * The system master key of one epoch (0: the current epoch).
   */
  GetMasterKey(argument: _tessera_v1_GetMasterKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_MasterKey__Output>): grpc.ClientUnaryCall;
  GetMasterKey(argument: _tessera_v1_GetMasterKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_MasterKey__Output>): grpc.ClientUnaryCall;
  GetMasterKey(argument: _tessera_v1_GetMasterKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_MasterKey__Output>): grpc.ClientUnaryCall;
  GetMasterKey(argument: _tessera_v1_GetMasterKeyRequest, callback: grpc.requestCallback<_tessera_v1_MasterKey__Output>): grpc.ClientUnaryCall;
  /**
   * The system master key of one epoch (0: the current epoch).
   */
  getMasterKey(argument: _tessera_v1_GetMasterKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_MasterKey__Output>): grpc.ClientUnaryCall;
  getMasterKey(argument: _tessera_v1_GetMasterKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_MasterKey__Output>): grpc.ClientUnaryCall;
  getMasterKey(argument: _tessera_v1_GetMasterKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_MasterKey__Output>): grpc.ClientUnaryCall;
  getMasterKey(argument: _tessera_v1_GetMasterKeyRequest, callback: grpc.requestCallback<_tessera_v1_MasterKey__Output>): grpc.ClientUnaryCall;
  
  /**
   * One tenant as the key manager holds it (no keys).
   */
  GetTenant(argument: _tessera_v1_GetTenantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  GetTenant(argument: _tessera_v1_GetTenantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  GetTenant(argument: _tessera_v1_GetTenantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  GetTenant(argument: _tessera_v1_GetTenantRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  /**
   * One tenant as the key manager holds it (no keys).
   */
  getTenant(argument: _tessera_v1_GetTenantRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  getTenant(argument: _tessera_v1_GetTenantRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  getTenant(argument: _tessera_v1_GetTenantRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  getTenant(argument: _tessera_v1_GetTenantRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  
  /**
   * Cluster id, leader and members of the key managers' Raft group.
   */
  KeyManagerStatus(argument: _tessera_v1_ClusterStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  KeyManagerStatus(argument: _tessera_v1_ClusterStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  KeyManagerStatus(argument: _tessera_v1_ClusterStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  KeyManagerStatus(argument: _tessera_v1_ClusterStatusRequest, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Cluster id, leader and members of the key managers' Raft group.
   */
  keyManagerStatus(argument: _tessera_v1_ClusterStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  keyManagerStatus(argument: _tessera_v1_ClusterStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  keyManagerStatus(argument: _tessera_v1_ClusterStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  keyManagerStatus(argument: _tessera_v1_ClusterStatusRequest, callback: grpc.requestCallback<_tessera_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The allow-list.
   */
  ListNodes(argument: _tessera_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _tessera_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _tessera_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _tessera_v1_ListNodesRequest, callback: grpc.requestCallback<_tessera_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The allow-list.
   */
  listNodes(argument: _tessera_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _tessera_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _tessera_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _tessera_v1_ListNodesRequest, callback: grpc.requestCallback<_tessera_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Every registered tenant.
   */
  ListTenants(argument: _tessera_v1_ListTenantsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListTenantsResponse__Output>): grpc.ClientUnaryCall;
  ListTenants(argument: _tessera_v1_ListTenantsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListTenantsResponse__Output>): grpc.ClientUnaryCall;
  ListTenants(argument: _tessera_v1_ListTenantsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListTenantsResponse__Output>): grpc.ClientUnaryCall;
  ListTenants(argument: _tessera_v1_ListTenantsRequest, callback: grpc.requestCallback<_tessera_v1_ListTenantsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Every registered tenant.
   */
  listTenants(argument: _tessera_v1_ListTenantsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListTenantsResponse__Output>): grpc.ClientUnaryCall;
  listTenants(argument: _tessera_v1_ListTenantsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListTenantsResponse__Output>): grpc.ClientUnaryCall;
  listTenants(argument: _tessera_v1_ListTenantsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListTenantsResponse__Output>): grpc.ClientUnaryCall;
  listTenants(argument: _tessera_v1_ListTenantsRequest, callback: grpc.requestCallback<_tessera_v1_ListTenantsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A new tenant epoch with a new data key (new writes use it).
   */
  NewTenantEpoch(argument: _tessera_v1_NewTenantEpochRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  NewTenantEpoch(argument: _tessera_v1_NewTenantEpochRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  NewTenantEpoch(argument: _tessera_v1_NewTenantEpochRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  NewTenantEpoch(argument: _tessera_v1_NewTenantEpochRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  /**
   * A new tenant epoch with a new data key (new writes use it).
   */
  newTenantEpoch(argument: _tessera_v1_NewTenantEpochRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  newTenantEpoch(argument: _tessera_v1_NewTenantEpochRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  newTenantEpoch(argument: _tessera_v1_NewTenantEpochRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  newTenantEpoch(argument: _tessera_v1_NewTenantEpochRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  
  /**
   * Removes a node id from the allow-list.
   */
  RemoveNode(argument: _tessera_v1_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _tessera_v1_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _tessera_v1_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _tessera_v1_RemoveNodeRequest, callback: grpc.requestCallback<_tessera_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Removes a node id from the allow-list.
   */
  removeNode(argument: _tessera_v1_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _tessera_v1_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _tessera_v1_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _tessera_v1_RemoveNodeRequest, callback: grpc.requestCallback<_tessera_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A tenant admin replaces its tenant's CA certificate and CRL.
   */
  ReplaceTenantCa(argument: _tessera_v1_ReplaceTenantCaRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  ReplaceTenantCa(argument: _tessera_v1_ReplaceTenantCaRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  ReplaceTenantCa(argument: _tessera_v1_ReplaceTenantCaRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  ReplaceTenantCa(argument: _tessera_v1_ReplaceTenantCaRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  /**
   * A tenant admin replaces its tenant's CA certificate and CRL.
   */
  replaceTenantCa(argument: _tessera_v1_ReplaceTenantCaRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  replaceTenantCa(argument: _tessera_v1_ReplaceTenantCaRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  replaceTenantCa(argument: _tessera_v1_ReplaceTenantCaRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  replaceTenantCa(argument: _tessera_v1_ReplaceTenantCaRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  
  /**
   * The metadata leader reports the metadata group's committed minimum
   * decrypt epoch (DESIGN section 5, rotation): master keys of lower system
   * epochs are no longer released. The value never moves back; a report
   * from a lower metadata term than one already accepted is refused. There
   * is no admin path to it.
   */
  ReportMinDecryptEpoch(argument: _tessera_v1_ReportMinDecryptEpochRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ReportMinDecryptEpochResponse__Output>): grpc.ClientUnaryCall;
  ReportMinDecryptEpoch(argument: _tessera_v1_ReportMinDecryptEpochRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ReportMinDecryptEpochResponse__Output>): grpc.ClientUnaryCall;
  ReportMinDecryptEpoch(argument: _tessera_v1_ReportMinDecryptEpochRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ReportMinDecryptEpochResponse__Output>): grpc.ClientUnaryCall;
  ReportMinDecryptEpoch(argument: _tessera_v1_ReportMinDecryptEpochRequest, callback: grpc.requestCallback<_tessera_v1_ReportMinDecryptEpochResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The metadata leader reports the metadata group's committed minimum
   * decrypt epoch (DESIGN section 5, rotation): master keys of lower system
   * epochs are no longer released. The value never moves back; a report
   * from a lower metadata term than one already accepted is refused. There
   * is no admin path to it.
   */
  reportMinDecryptEpoch(argument: _tessera_v1_ReportMinDecryptEpochRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ReportMinDecryptEpochResponse__Output>): grpc.ClientUnaryCall;
  reportMinDecryptEpoch(argument: _tessera_v1_ReportMinDecryptEpochRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ReportMinDecryptEpochResponse__Output>): grpc.ClientUnaryCall;
  reportMinDecryptEpoch(argument: _tessera_v1_ReportMinDecryptEpochRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ReportMinDecryptEpochResponse__Output>): grpc.ClientUnaryCall;
  reportMinDecryptEpoch(argument: _tessera_v1_ReportMinDecryptEpochRequest, callback: grpc.requestCallback<_tessera_v1_ReportMinDecryptEpochResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Schedules a crypto-shred (a tenant admin's request at once; a cluster
   * admin's awaits a tenant admin's approval).
   */
  RequestShred(argument: _tessera_v1_RequestShredRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  RequestShred(argument: _tessera_v1_RequestShredRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  RequestShred(argument: _tessera_v1_RequestShredRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  RequestShred(argument: _tessera_v1_RequestShredRequest, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  /**
   * Schedules a crypto-shred (a tenant admin's request at once; a cluster
   * admin's awaits a tenant admin's approval).
   */
  requestShred(argument: _tessera_v1_RequestShredRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  requestShred(argument: _tessera_v1_RequestShredRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  requestShred(argument: _tessera_v1_RequestShredRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  requestShred(argument: _tessera_v1_RequestShredRequest, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  
  /**
   * A new KEK version; every data key and the index key are re-wrapped under
   * it (no data is re-encrypted).
   */
  RotateKek(argument: _tessera_v1_RotateKekRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  RotateKek(argument: _tessera_v1_RotateKekRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  RotateKek(argument: _tessera_v1_RotateKekRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  RotateKek(argument: _tessera_v1_RotateKekRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  /**
   * A new KEK version; every data key and the index key are re-wrapped under
   * it (no data is re-encrypted).
   */
  rotateKek(argument: _tessera_v1_RotateKekRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  rotateKek(argument: _tessera_v1_RotateKekRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  rotateKek(argument: _tessera_v1_RotateKekRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  rotateKek(argument: _tessera_v1_RotateKekRequest, callback: grpc.requestCallback<_tessera_v1_Tenant__Output>): grpc.ClientUnaryCall;
  
  /**
   * A new system epoch with a new master key (new chunk writes use it).
   */
  RotateSystemEpoch(argument: _tessera_v1_RotateSystemEpochRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SystemEpoch__Output>): grpc.ClientUnaryCall;
  RotateSystemEpoch(argument: _tessera_v1_RotateSystemEpochRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_SystemEpoch__Output>): grpc.ClientUnaryCall;
  RotateSystemEpoch(argument: _tessera_v1_RotateSystemEpochRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SystemEpoch__Output>): grpc.ClientUnaryCall;
  RotateSystemEpoch(argument: _tessera_v1_RotateSystemEpochRequest, callback: grpc.requestCallback<_tessera_v1_SystemEpoch__Output>): grpc.ClientUnaryCall;
  /**
   * A new system epoch with a new master key (new chunk writes use it).
   */
  rotateSystemEpoch(argument: _tessera_v1_RotateSystemEpochRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SystemEpoch__Output>): grpc.ClientUnaryCall;
  rotateSystemEpoch(argument: _tessera_v1_RotateSystemEpochRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_SystemEpoch__Output>): grpc.ClientUnaryCall;
  rotateSystemEpoch(argument: _tessera_v1_RotateSystemEpochRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SystemEpoch__Output>): grpc.ClientUnaryCall;
  rotateSystemEpoch(argument: _tessera_v1_RotateSystemEpochRequest, callback: grpc.requestCallback<_tessera_v1_SystemEpoch__Output>): grpc.ClientUnaryCall;
  
  /**
   * Allows a node id, pinned to the SHA-256 of its certificate's public key
   * (also how a pin is changed).
   */
  SetNodePin(argument: _tessera_v1_SetNodePinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_NodePin__Output>): grpc.ClientUnaryCall;
  SetNodePin(argument: _tessera_v1_SetNodePinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_NodePin__Output>): grpc.ClientUnaryCall;
  SetNodePin(argument: _tessera_v1_SetNodePinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_NodePin__Output>): grpc.ClientUnaryCall;
  SetNodePin(argument: _tessera_v1_SetNodePinRequest, callback: grpc.requestCallback<_tessera_v1_NodePin__Output>): grpc.ClientUnaryCall;
  /**
   * Allows a node id, pinned to the SHA-256 of its certificate's public key
   * (also how a pin is changed).
   */
  setNodePin(argument: _tessera_v1_SetNodePinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_NodePin__Output>): grpc.ClientUnaryCall;
  setNodePin(argument: _tessera_v1_SetNodePinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_NodePin__Output>): grpc.ClientUnaryCall;
  setNodePin(argument: _tessera_v1_SetNodePinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_NodePin__Output>): grpc.ClientUnaryCall;
  setNodePin(argument: _tessera_v1_SetNodePinRequest, callback: grpc.requestCallback<_tessera_v1_NodePin__Output>): grpc.ClientUnaryCall;
  
  /**
   * Signs a head of the storage nodes' metadata-group audit chains with the
   * audit key (node principals only; the head's domain must be "metadata",
   * so no node can obtain a signature over a key-manager head: ADR 0020).
   */
  SignAuditHead(argument: _tessera_v1_SignAuditHeadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  SignAuditHead(argument: _tessera_v1_SignAuditHeadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  SignAuditHead(argument: _tessera_v1_SignAuditHeadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  SignAuditHead(argument: _tessera_v1_SignAuditHeadRequest, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  /**
   * Signs a head of the storage nodes' metadata-group audit chains with the
   * audit key (node principals only; the head's domain must be "metadata",
   * so no node can obtain a signature over a key-manager head: ADR 0020).
   */
  signAuditHead(argument: _tessera_v1_SignAuditHeadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  signAuditHead(argument: _tessera_v1_SignAuditHeadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  signAuditHead(argument: _tessera_v1_SignAuditHeadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  signAuditHead(argument: _tessera_v1_SignAuditHeadRequest, callback: grpc.requestCallback<_tessera_v1_AuditHead__Output>): grpc.ClientUnaryCall;
  
  /**
   * The tenant table, then invalidations (shred, rotation), tenant and
   * system epoch changes as they are applied; the stream stays open.
   */
  Watch(argument: _tessera_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_KeyEvent__Output>;
  Watch(argument: _tessera_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_KeyEvent__Output>;
  /**
   * The tenant table, then invalidations (shred, rotation), tenant and
   * system epoch changes as they are applied; the stream stays open.
   */
  watch(argument: _tessera_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_KeyEvent__Output>;
  watch(argument: _tessera_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_KeyEvent__Output>;
  
}

/**
 * Keys for nodes, tenants and their keys, the allow-list and the audit log
 * (key manager port).
 */
export interface KeysHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Adds a key manager (learner, then voter once caught up) carrying its
   * incarnation id; refused when the root provider serves one member only.
   */
  AddKeyManager: grpc.handleUnaryCall<_tessera_v1_AddMemberRequest__Output, _tessera_v1_AddMemberResponse>;
  
  /**
   * A tenant admin approves a crypto-shred a cluster admin requested.
   */
  ApproveShred: grpc.handleUnaryCall<_tessera_v1_ApproveShredRequest__Output, _tessera_v1_ShredStatus>;
  
  /**
   * A tenant admin cancels a requested or scheduled crypto-shred.
   */
  CancelShred: grpc.handleUnaryCall<_tessera_v1_CancelShredRequest__Output, _tessera_v1_ShredStatus>;
  
  /**
   * Registers a tenant with its policy and CA certificate (the authority for
   * tenants, DESIGN section 2).
   */
  CreateTenant: grpc.handleUnaryCall<_tessera_v1_CreateTenantRequest__Output, _tessera_v1_Tenant>;
  
  /**
   * Creates the tenant's KEK (version 1), its first data key and its index key.
   */
  CreateTenantKeys: grpc.handleUnaryCall<_tessera_v1_CreateTenantKeysRequest__Output, _tessera_v1_Tenant>;
  
  /**
   * Stops a tenant's data access on every storage node (its keys, key
   * management and crypto-shred keep working); audited in the tenant's and
   * the system chain.
   */
  DisableTenant: grpc.handleUnaryCall<_tessera_v1_DisableTenantRequest__Output, _tessera_v1_Tenant>;
  
  /**
   * Restores a disabled tenant's data access.
   */
  EnableTenant: grpc.handleUnaryCall<_tessera_v1_EnableTenantRequest__Output, _tessera_v1_Tenant>;
  
  /**
   * The entries of one audit chain: a tenant admin's own chain, or the
   * system chain for a cluster admin.
   */
  ExportAudit: grpc.handleServerStreamingCall<_tessera_v1_ExportAuditRequest__Output, _tessera_v1_AuditTrailPart>;
  
  /**
   * A follower hands the leader audit records it produced (refusals it saw).
   */
  ForwardAudit: grpc.handleUnaryCall<_tessera_v1_ForwardAuditRequest__Output, _tessera_v1_ForwardAuditResponse>;
  
  /**
   * A signed audit head: a tenant admin's covers its own chain only; a
   * cluster admin's covers every chain (or one tenant's).
   */
  GetAuditHead: grpc.handleUnaryCall<_tessera_v1_GetAuditHeadRequest__Output, _tessera_v1_AuditHead>;
  
  /**
   * A tenant's data key (TDK) for one tenant epoch.
   */
  GetDataKey: grpc.handleUnaryCall<_tessera_v1_GetDataKeyRequest__Output, _tessera_v1_DataKey>;
  
  /**
   * The cluster dedup key.
   */
  GetDedupKey: grpc.handleUnaryCall<_tessera_v1_GetDedupKeyRequest__Output, _tessera_v1_DedupKey>;
  
  /**
   * A tenant's index key (TIK).
   */
  GetIndexKey: grpc.handleUnaryCall<_tessera_v1_GetIndexKeyRequest__Output, _tessera_v1_IndexKey>;
  
  /**
   * Root provider and key-manager health (no key material).
   */
  GetKeyHealth: grpc.handleUnaryCall<_tessera_v1_GetKeyHealthRequest__Output, _tessera_v1_KeyHealth>;
  
  /**
   * The system master key of one epoch (0: the current epoch).
   */
  GetMasterKey: grpc.handleUnaryCall<_tessera_v1_GetMasterKeyRequest__Output, _tessera_v1_MasterKey>;
  
  /**
   * One tenant as the key manager holds it (no keys).
   */
  GetTenant: grpc.handleUnaryCall<_tessera_v1_GetTenantRequest__Output, _tessera_v1_Tenant>;
  
  /**
   * Cluster id, leader and members of the key managers' Raft group.
   */
  KeyManagerStatus: grpc.handleUnaryCall<_tessera_v1_ClusterStatusRequest__Output, _tessera_v1_ClusterStatusResponse>;
  
  /**
   * The allow-list.
   */
  ListNodes: grpc.handleUnaryCall<_tessera_v1_ListNodesRequest__Output, _tessera_v1_ListNodesResponse>;
  
  /**
   * Every registered tenant.
   */
  ListTenants: grpc.handleUnaryCall<_tessera_v1_ListTenantsRequest__Output, _tessera_v1_ListTenantsResponse>;
  
  /**
   * A new tenant epoch with a new data key (new writes use it).
   */
  NewTenantEpoch: grpc.handleUnaryCall<_tessera_v1_NewTenantEpochRequest__Output, _tessera_v1_Tenant>;
  
  /**
   * Removes a node id from the allow-list.
   */
  RemoveNode: grpc.handleUnaryCall<_tessera_v1_RemoveNodeRequest__Output, _tessera_v1_RemoveNodeResponse>;
  
  /**
   * A tenant admin replaces its tenant's CA certificate and CRL.
   */
  ReplaceTenantCa: grpc.handleUnaryCall<_tessera_v1_ReplaceTenantCaRequest__Output, _tessera_v1_Tenant>;
  
  /**
   * The metadata leader reports the metadata group's committed minimum
   * decrypt epoch (DESIGN section 5, rotation): master keys of lower system
   * epochs are no longer released. The value never moves back; a report
   * from a lower metadata term than one already accepted is refused. There
   * is no admin path to it.
   */
  ReportMinDecryptEpoch: grpc.handleUnaryCall<_tessera_v1_ReportMinDecryptEpochRequest__Output, _tessera_v1_ReportMinDecryptEpochResponse>;
  
  /**
   * Schedules a crypto-shred (a tenant admin's request at once; a cluster
   * admin's awaits a tenant admin's approval).
   */
  RequestShred: grpc.handleUnaryCall<_tessera_v1_RequestShredRequest__Output, _tessera_v1_ShredStatus>;
  
  /**
   * A new KEK version; every data key and the index key are re-wrapped under
   * it (no data is re-encrypted).
   */
  RotateKek: grpc.handleUnaryCall<_tessera_v1_RotateKekRequest__Output, _tessera_v1_Tenant>;
  
  /**
   * A new system epoch with a new master key (new chunk writes use it).
   */
  RotateSystemEpoch: grpc.handleUnaryCall<_tessera_v1_RotateSystemEpochRequest__Output, _tessera_v1_SystemEpoch>;
  
  /**
   * Allows a node id, pinned to the SHA-256 of its certificate's public key
   * (also how a pin is changed).
   */
  SetNodePin: grpc.handleUnaryCall<_tessera_v1_SetNodePinRequest__Output, _tessera_v1_NodePin>;
  
  /**
   * Signs a head of the storage nodes' metadata-group audit chains with the
   * audit key (node principals only; the head's domain must be "metadata",
   * so no node can obtain a signature over a key-manager head: ADR 0020).
   */
  SignAuditHead: grpc.handleUnaryCall<_tessera_v1_SignAuditHeadRequest__Output, _tessera_v1_AuditHead>;
  
  /**
   * The tenant table, then invalidations (shred, rotation), tenant and
   * system epoch changes as they are applied; the stream stays open.
   */
  Watch: grpc.handleServerStreamingCall<_tessera_v1_WatchRequest__Output, _tessera_v1_KeyEvent>;
  
}

export interface KeysDefinition extends grpc.ServiceDefinition {
  AddKeyManager: MethodDefinition<_tessera_v1_AddMemberRequest, _tessera_v1_AddMemberResponse, _tessera_v1_AddMemberRequest__Output, _tessera_v1_AddMemberResponse__Output>
  ApproveShred: MethodDefinition<_tessera_v1_ApproveShredRequest, _tessera_v1_ShredStatus, _tessera_v1_ApproveShredRequest__Output, _tessera_v1_ShredStatus__Output>
  CancelShred: MethodDefinition<_tessera_v1_CancelShredRequest, _tessera_v1_ShredStatus, _tessera_v1_CancelShredRequest__Output, _tessera_v1_ShredStatus__Output>
  CreateTenant: MethodDefinition<_tessera_v1_CreateTenantRequest, _tessera_v1_Tenant, _tessera_v1_CreateTenantRequest__Output, _tessera_v1_Tenant__Output>
  CreateTenantKeys: MethodDefinition<_tessera_v1_CreateTenantKeysRequest, _tessera_v1_Tenant, _tessera_v1_CreateTenantKeysRequest__Output, _tessera_v1_Tenant__Output>
  DisableTenant: MethodDefinition<_tessera_v1_DisableTenantRequest, _tessera_v1_Tenant, _tessera_v1_DisableTenantRequest__Output, _tessera_v1_Tenant__Output>
  EnableTenant: MethodDefinition<_tessera_v1_EnableTenantRequest, _tessera_v1_Tenant, _tessera_v1_EnableTenantRequest__Output, _tessera_v1_Tenant__Output>
  ExportAudit: MethodDefinition<_tessera_v1_ExportAuditRequest, _tessera_v1_AuditTrailPart, _tessera_v1_ExportAuditRequest__Output, _tessera_v1_AuditTrailPart__Output>
  ForwardAudit: MethodDefinition<_tessera_v1_ForwardAuditRequest, _tessera_v1_ForwardAuditResponse, _tessera_v1_ForwardAuditRequest__Output, _tessera_v1_ForwardAuditResponse__Output>
  GetAuditHead: MethodDefinition<_tessera_v1_GetAuditHeadRequest, _tessera_v1_AuditHead, _tessera_v1_GetAuditHeadRequest__Output, _tessera_v1_AuditHead__Output>
  GetDataKey: MethodDefinition<_tessera_v1_GetDataKeyRequest, _tessera_v1_DataKey, _tessera_v1_GetDataKeyRequest__Output, _tessera_v1_DataKey__Output>
  GetDedupKey: MethodDefinition<_tessera_v1_GetDedupKeyRequest, _tessera_v1_DedupKey, _tessera_v1_GetDedupKeyRequest__Output, _tessera_v1_DedupKey__Output>
  GetIndexKey: MethodDefinition<_tessera_v1_GetIndexKeyRequest, _tessera_v1_IndexKey, _tessera_v1_GetIndexKeyRequest__Output, _tessera_v1_IndexKey__Output>
  GetKeyHealth: MethodDefinition<_tessera_v1_GetKeyHealthRequest, _tessera_v1_KeyHealth, _tessera_v1_GetKeyHealthRequest__Output, _tessera_v1_KeyHealth__Output>
  GetMasterKey: MethodDefinition<_tessera_v1_GetMasterKeyRequest, _tessera_v1_MasterKey, _tessera_v1_GetMasterKeyRequest__Output, _tessera_v1_MasterKey__Output>
  GetTenant: MethodDefinition<_tessera_v1_GetTenantRequest, _tessera_v1_Tenant, _tessera_v1_GetTenantRequest__Output, _tessera_v1_Tenant__Output>
  KeyManagerStatus: MethodDefinition<_tessera_v1_ClusterStatusRequest, _tessera_v1_ClusterStatusResponse, _tessera_v1_ClusterStatusRequest__Output, _tessera_v1_ClusterStatusResponse__Output>
  ListNodes: MethodDefinition<_tessera_v1_ListNodesRequest, _tessera_v1_ListNodesResponse, _tessera_v1_ListNodesRequest__Output, _tessera_v1_ListNodesResponse__Output>
  ListTenants: MethodDefinition<_tessera_v1_ListTenantsRequest, _tessera_v1_ListTenantsResponse, _tessera_v1_ListTenantsRequest__Output, _tessera_v1_ListTenantsResponse__Output>
  NewTenantEpoch: MethodDefinition<_tessera_v1_NewTenantEpochRequest, _tessera_v1_Tenant, _tessera_v1_NewTenantEpochRequest__Output, _tessera_v1_Tenant__Output>
  RemoveNode: MethodDefinition<_tessera_v1_RemoveNodeRequest, _tessera_v1_RemoveNodeResponse, _tessera_v1_RemoveNodeRequest__Output, _tessera_v1_RemoveNodeResponse__Output>
  ReplaceTenantCa: MethodDefinition<_tessera_v1_ReplaceTenantCaRequest, _tessera_v1_Tenant, _tessera_v1_ReplaceTenantCaRequest__Output, _tessera_v1_Tenant__Output>
  ReportMinDecryptEpoch: MethodDefinition<_tessera_v1_ReportMinDecryptEpochRequest, _tessera_v1_ReportMinDecryptEpochResponse, _tessera_v1_ReportMinDecryptEpochRequest__Output, _tessera_v1_ReportMinDecryptEpochResponse__Output>
  RequestShred: MethodDefinition<_tessera_v1_RequestShredRequest, _tessera_v1_ShredStatus, _tessera_v1_RequestShredRequest__Output, _tessera_v1_ShredStatus__Output>
  RotateKek: MethodDefinition<_tessera_v1_RotateKekRequest, _tessera_v1_Tenant, _tessera_v1_RotateKekRequest__Output, _tessera_v1_Tenant__Output>
  RotateSystemEpoch: MethodDefinition<_tessera_v1_RotateSystemEpochRequest, _tessera_v1_SystemEpoch, _tessera_v1_RotateSystemEpochRequest__Output, _tessera_v1_SystemEpoch__Output>
  SetNodePin: MethodDefinition<_tessera_v1_SetNodePinRequest, _tessera_v1_NodePin, _tessera_v1_SetNodePinRequest__Output, _tessera_v1_NodePin__Output>
  SignAuditHead: MethodDefinition<_tessera_v1_SignAuditHeadRequest, _tessera_v1_AuditHead, _tessera_v1_SignAuditHeadRequest__Output, _tessera_v1_AuditHead__Output>
  Watch: MethodDefinition<_tessera_v1_WatchRequest, _tessera_v1_KeyEvent, _tessera_v1_WatchRequest__Output, _tessera_v1_KeyEvent__Output>
}
