// Original file: proto/tessera/v1/keys.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelShredRequest as _tessera_v1_CancelShredRequest, CancelShredRequest__Output as _tessera_v1_CancelShredRequest__Output } from '../../tessera/v1/CancelShredRequest.js';
import type { CreateTenantRequest as _tessera_v1_CreateTenantRequest, CreateTenantRequest__Output as _tessera_v1_CreateTenantRequest__Output } from '../../tessera/v1/CreateTenantRequest.js';
import type { DataKey as _tessera_v1_DataKey, DataKey__Output as _tessera_v1_DataKey__Output } from '../../tessera/v1/DataKey.js';
import type { GetDataKeyRequest as _tessera_v1_GetDataKeyRequest, GetDataKeyRequest__Output as _tessera_v1_GetDataKeyRequest__Output } from '../../tessera/v1/GetDataKeyRequest.js';
import type { GetIndexKeyRequest as _tessera_v1_GetIndexKeyRequest, GetIndexKeyRequest__Output as _tessera_v1_GetIndexKeyRequest__Output } from '../../tessera/v1/GetIndexKeyRequest.js';
import type { GetSystemKeysRequest as _tessera_v1_GetSystemKeysRequest, GetSystemKeysRequest__Output as _tessera_v1_GetSystemKeysRequest__Output } from '../../tessera/v1/GetSystemKeysRequest.js';
import type { IndexKey as _tessera_v1_IndexKey, IndexKey__Output as _tessera_v1_IndexKey__Output } from '../../tessera/v1/IndexKey.js';
import type { KeyEvent as _tessera_v1_KeyEvent, KeyEvent__Output as _tessera_v1_KeyEvent__Output } from '../../tessera/v1/KeyEvent.js';
import type { ListTenantsRequest as _tessera_v1_ListTenantsRequest, ListTenantsRequest__Output as _tessera_v1_ListTenantsRequest__Output } from '../../tessera/v1/ListTenantsRequest.js';
import type { ListTenantsResponse as _tessera_v1_ListTenantsResponse, ListTenantsResponse__Output as _tessera_v1_ListTenantsResponse__Output } from '../../tessera/v1/ListTenantsResponse.js';
import type { RequestShredRequest as _tessera_v1_RequestShredRequest, RequestShredRequest__Output as _tessera_v1_RequestShredRequest__Output } from '../../tessera/v1/RequestShredRequest.js';
import type { ShredStatus as _tessera_v1_ShredStatus, ShredStatus__Output as _tessera_v1_ShredStatus__Output } from '../../tessera/v1/ShredStatus.js';
import type { SystemKeys as _tessera_v1_SystemKeys, SystemKeys__Output as _tessera_v1_SystemKeys__Output } from '../../tessera/v1/SystemKeys.js';
import type { Tenant as _tessera_v1_Tenant, Tenant__Output as _tessera_v1_Tenant__Output } from '../../tessera/v1/Tenant.js';
import type { WatchRequest as _tessera_v1_WatchRequest, WatchRequest__Output as _tessera_v1_WatchRequest__Output } from '../../tessera/v1/WatchRequest.js';

/**
 * Keys for nodes and the tenant registry (key manager port).
 */
export interface KeysClient extends grpc.Client {
  /**
   * A tenant admin cancels a scheduled shred.
   */
  CancelShred(argument: _tessera_v1_CancelShredRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  CancelShred(argument: _tessera_v1_CancelShredRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  CancelShred(argument: _tessera_v1_CancelShredRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  CancelShred(argument: _tessera_v1_CancelShredRequest, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  /**
   * A tenant admin cancels a scheduled shred.
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
   * System master keys from an epoch on, and the cluster dedup key.
   */
  GetSystemKeys(argument: _tessera_v1_GetSystemKeysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SystemKeys__Output>): grpc.ClientUnaryCall;
  GetSystemKeys(argument: _tessera_v1_GetSystemKeysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_SystemKeys__Output>): grpc.ClientUnaryCall;
  GetSystemKeys(argument: _tessera_v1_GetSystemKeysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SystemKeys__Output>): grpc.ClientUnaryCall;
  GetSystemKeys(argument: _tessera_v1_GetSystemKeysRequest, callback: grpc.requestCallback<_tessera_v1_SystemKeys__Output>): grpc.ClientUnaryCall;
  /**
   * System master keys from an epoch on, and the cluster dedup key.
   */
  getSystemKeys(argument: _tessera_v1_GetSystemKeysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SystemKeys__Output>): grpc.ClientUnaryCall;
  getSystemKeys(argument: _tessera_v1_GetSystemKeysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_SystemKeys__Output>): grpc.ClientUnaryCall;
  getSystemKeys(argument: _tessera_v1_GetSystemKeysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SystemKeys__Output>): grpc.ClientUnaryCall;
  getSystemKeys(argument: _tessera_v1_GetSystemKeysRequest, callback: grpc.requestCallback<_tessera_v1_SystemKeys__Output>): grpc.ClientUnaryCall;
  
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
   * Schedules a crypto-shred of a tenant (a cluster admin's request needs a
   * tenant admin's approval before it is scheduled).
   */
  RequestShred(argument: _tessera_v1_RequestShredRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  RequestShred(argument: _tessera_v1_RequestShredRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  RequestShred(argument: _tessera_v1_RequestShredRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  RequestShred(argument: _tessera_v1_RequestShredRequest, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  /**
   * Schedules a crypto-shred of a tenant (a cluster admin's request needs a
   * tenant admin's approval before it is scheduled).
   */
  requestShred(argument: _tessera_v1_RequestShredRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  requestShred(argument: _tessera_v1_RequestShredRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  requestShred(argument: _tessera_v1_RequestShredRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  requestShred(argument: _tessera_v1_RequestShredRequest, callback: grpc.requestCallback<_tessera_v1_ShredStatus__Output>): grpc.ClientUnaryCall;
  
  /**
   * Invalidations (shred, rotation) and tenant-table changes, from a revision
   * on; the stream stays open.
   */
  Watch(argument: _tessera_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_KeyEvent__Output>;
  Watch(argument: _tessera_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_KeyEvent__Output>;
  /**
   * Invalidations (shred, rotation) and tenant-table changes, from a revision
   * on; the stream stays open.
   */
  watch(argument: _tessera_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_KeyEvent__Output>;
  watch(argument: _tessera_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_KeyEvent__Output>;
  
}

/**
 * Keys for nodes and the tenant registry (key manager port).
 */
export interface KeysHandlers extends grpc.UntypedServiceImplementation {
  /**
   * A tenant admin cancels a scheduled shred.
   */
  CancelShred: grpc.handleUnaryCall<_tessera_v1_CancelShredRequest__Output, _tessera_v1_ShredStatus>;
  
  /**
   * Registers a tenant with its policy and CA certificate (the authority for
   * tenants, DESIGN section 2).
   */
  CreateTenant: grpc.handleUnaryCall<_tessera_v1_CreateTenantRequest__Output, _tessera_v1_Tenant>;
  
  /**
   * A tenant's data key (TDK) for one tenant epoch.
   */
  GetDataKey: grpc.handleUnaryCall<_tessera_v1_GetDataKeyRequest__Output, _tessera_v1_DataKey>;
  
  /**
   * A tenant's index key (TIK).
   */
  GetIndexKey: grpc.handleUnaryCall<_tessera_v1_GetIndexKeyRequest__Output, _tessera_v1_IndexKey>;
  
  /**
   * System master keys from an epoch on, and the cluster dedup key.
   */
  GetSystemKeys: grpc.handleUnaryCall<_tessera_v1_GetSystemKeysRequest__Output, _tessera_v1_SystemKeys>;
  
  /**
   * Every registered tenant.
   */
  ListTenants: grpc.handleUnaryCall<_tessera_v1_ListTenantsRequest__Output, _tessera_v1_ListTenantsResponse>;
  
  /**
   * Schedules a crypto-shred of a tenant (a cluster admin's request needs a
   * tenant admin's approval before it is scheduled).
   */
  RequestShred: grpc.handleUnaryCall<_tessera_v1_RequestShredRequest__Output, _tessera_v1_ShredStatus>;
  
  /**
   * Invalidations (shred, rotation) and tenant-table changes, from a revision
   * on; the stream stays open.
   */
  Watch: grpc.handleServerStreamingCall<_tessera_v1_WatchRequest__Output, _tessera_v1_KeyEvent>;
  
}

export interface KeysDefinition extends grpc.ServiceDefinition {
  CancelShred: MethodDefinition<_tessera_v1_CancelShredRequest, _tessera_v1_ShredStatus, _tessera_v1_CancelShredRequest__Output, _tessera_v1_ShredStatus__Output>
  CreateTenant: MethodDefinition<_tessera_v1_CreateTenantRequest, _tessera_v1_Tenant, _tessera_v1_CreateTenantRequest__Output, _tessera_v1_Tenant__Output>
  GetDataKey: MethodDefinition<_tessera_v1_GetDataKeyRequest, _tessera_v1_DataKey, _tessera_v1_GetDataKeyRequest__Output, _tessera_v1_DataKey__Output>
  GetIndexKey: MethodDefinition<_tessera_v1_GetIndexKeyRequest, _tessera_v1_IndexKey, _tessera_v1_GetIndexKeyRequest__Output, _tessera_v1_IndexKey__Output>
  GetSystemKeys: MethodDefinition<_tessera_v1_GetSystemKeysRequest, _tessera_v1_SystemKeys, _tessera_v1_GetSystemKeysRequest__Output, _tessera_v1_SystemKeys__Output>
  ListTenants: MethodDefinition<_tessera_v1_ListTenantsRequest, _tessera_v1_ListTenantsResponse, _tessera_v1_ListTenantsRequest__Output, _tessera_v1_ListTenantsResponse__Output>
  RequestShred: MethodDefinition<_tessera_v1_RequestShredRequest, _tessera_v1_ShredStatus, _tessera_v1_RequestShredRequest__Output, _tessera_v1_ShredStatus__Output>
  Watch: MethodDefinition<_tessera_v1_WatchRequest, _tessera_v1_KeyEvent, _tessera_v1_WatchRequest__Output, _tessera_v1_KeyEvent__Output>
}
