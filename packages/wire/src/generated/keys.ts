import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CancelShredRequest as _tessera_v1_CancelShredRequest, CancelShredRequest__Output as _tessera_v1_CancelShredRequest__Output } from './tessera/v1/CancelShredRequest.js';
import type { CreateTenantRequest as _tessera_v1_CreateTenantRequest, CreateTenantRequest__Output as _tessera_v1_CreateTenantRequest__Output } from './tessera/v1/CreateTenantRequest.js';
import type { DataKey as _tessera_v1_DataKey, DataKey__Output as _tessera_v1_DataKey__Output } from './tessera/v1/DataKey.js';
import type { GetDataKeyRequest as _tessera_v1_GetDataKeyRequest, GetDataKeyRequest__Output as _tessera_v1_GetDataKeyRequest__Output } from './tessera/v1/GetDataKeyRequest.js';
import type { GetIndexKeyRequest as _tessera_v1_GetIndexKeyRequest, GetIndexKeyRequest__Output as _tessera_v1_GetIndexKeyRequest__Output } from './tessera/v1/GetIndexKeyRequest.js';
import type { GetSystemKeysRequest as _tessera_v1_GetSystemKeysRequest, GetSystemKeysRequest__Output as _tessera_v1_GetSystemKeysRequest__Output } from './tessera/v1/GetSystemKeysRequest.js';
import type { IndexKey as _tessera_v1_IndexKey, IndexKey__Output as _tessera_v1_IndexKey__Output } from './tessera/v1/IndexKey.js';
import type { KeyEvent as _tessera_v1_KeyEvent, KeyEvent__Output as _tessera_v1_KeyEvent__Output } from './tessera/v1/KeyEvent.js';
import type { KeysClient as _tessera_v1_KeysClient, KeysDefinition as _tessera_v1_KeysDefinition } from './tessera/v1/Keys.js';
import type { ListTenantsRequest as _tessera_v1_ListTenantsRequest, ListTenantsRequest__Output as _tessera_v1_ListTenantsRequest__Output } from './tessera/v1/ListTenantsRequest.js';
import type { ListTenantsResponse as _tessera_v1_ListTenantsResponse, ListTenantsResponse__Output as _tessera_v1_ListTenantsResponse__Output } from './tessera/v1/ListTenantsResponse.js';
import type { RequestShredRequest as _tessera_v1_RequestShredRequest, RequestShredRequest__Output as _tessera_v1_RequestShredRequest__Output } from './tessera/v1/RequestShredRequest.js';
import type { ShredStatus as _tessera_v1_ShredStatus, ShredStatus__Output as _tessera_v1_ShredStatus__Output } from './tessera/v1/ShredStatus.js';
import type { SystemKey as _tessera_v1_SystemKey, SystemKey__Output as _tessera_v1_SystemKey__Output } from './tessera/v1/SystemKey.js';
import type { SystemKeys as _tessera_v1_SystemKeys, SystemKeys__Output as _tessera_v1_SystemKeys__Output } from './tessera/v1/SystemKeys.js';
import type { Tenant as _tessera_v1_Tenant, Tenant__Output as _tessera_v1_Tenant__Output } from './tessera/v1/Tenant.js';
import type { WatchRequest as _tessera_v1_WatchRequest, WatchRequest__Output as _tessera_v1_WatchRequest__Output } from './tessera/v1/WatchRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tessera: {
    v1: {
      CancelShredRequest: MessageTypeDefinition<_tessera_v1_CancelShredRequest, _tessera_v1_CancelShredRequest__Output>
      CreateTenantRequest: MessageTypeDefinition<_tessera_v1_CreateTenantRequest, _tessera_v1_CreateTenantRequest__Output>
      DataKey: MessageTypeDefinition<_tessera_v1_DataKey, _tessera_v1_DataKey__Output>
      GetDataKeyRequest: MessageTypeDefinition<_tessera_v1_GetDataKeyRequest, _tessera_v1_GetDataKeyRequest__Output>
      GetIndexKeyRequest: MessageTypeDefinition<_tessera_v1_GetIndexKeyRequest, _tessera_v1_GetIndexKeyRequest__Output>
      GetSystemKeysRequest: MessageTypeDefinition<_tessera_v1_GetSystemKeysRequest, _tessera_v1_GetSystemKeysRequest__Output>
      IndexKey: MessageTypeDefinition<_tessera_v1_IndexKey, _tessera_v1_IndexKey__Output>
      KeyEvent: MessageTypeDefinition<_tessera_v1_KeyEvent, _tessera_v1_KeyEvent__Output>
      /**
       * Keys for nodes and the tenant registry (key manager port).
       */
      Keys: SubtypeConstructor<typeof grpc.Client, _tessera_v1_KeysClient> & { service: _tessera_v1_KeysDefinition }
      ListTenantsRequest: MessageTypeDefinition<_tessera_v1_ListTenantsRequest, _tessera_v1_ListTenantsRequest__Output>
      ListTenantsResponse: MessageTypeDefinition<_tessera_v1_ListTenantsResponse, _tessera_v1_ListTenantsResponse__Output>
      RequestShredRequest: MessageTypeDefinition<_tessera_v1_RequestShredRequest, _tessera_v1_RequestShredRequest__Output>
      ShredStatus: MessageTypeDefinition<_tessera_v1_ShredStatus, _tessera_v1_ShredStatus__Output>
      SystemKey: MessageTypeDefinition<_tessera_v1_SystemKey, _tessera_v1_SystemKey__Output>
      SystemKeys: MessageTypeDefinition<_tessera_v1_SystemKeys, _tessera_v1_SystemKeys__Output>
      Tenant: MessageTypeDefinition<_tessera_v1_Tenant, _tessera_v1_Tenant__Output>
      TenantPolicy: EnumTypeDefinition
      TenantState: EnumTypeDefinition
      WatchRequest: MessageTypeDefinition<_tessera_v1_WatchRequest, _tessera_v1_WatchRequest__Output>
    }
  }
}

