import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ByteRange as _tessera_v1_ByteRange, ByteRange__Output as _tessera_v1_ByteRange__Output } from './tessera/v1/ByteRange.js';
import type { DataClient as _tessera_v1_DataClient, DataDefinition as _tessera_v1_DataDefinition } from './tessera/v1/Data.js';
import type { DeleteObjectRequest as _tessera_v1_DeleteObjectRequest, DeleteObjectRequest__Output as _tessera_v1_DeleteObjectRequest__Output } from './tessera/v1/DeleteObjectRequest.js';
import type { DeleteObjectResponse as _tessera_v1_DeleteObjectResponse, DeleteObjectResponse__Output as _tessera_v1_DeleteObjectResponse__Output } from './tessera/v1/DeleteObjectResponse.js';
import type { GetObjectFrame as _tessera_v1_GetObjectFrame, GetObjectFrame__Output as _tessera_v1_GetObjectFrame__Output } from './tessera/v1/GetObjectFrame.js';
import type { GetObjectRequest as _tessera_v1_GetObjectRequest, GetObjectRequest__Output as _tessera_v1_GetObjectRequest__Output } from './tessera/v1/GetObjectRequest.js';
import type { ListObjectsRequest as _tessera_v1_ListObjectsRequest, ListObjectsRequest__Output as _tessera_v1_ListObjectsRequest__Output } from './tessera/v1/ListObjectsRequest.js';
import type { ListObjectsResponse as _tessera_v1_ListObjectsResponse, ListObjectsResponse__Output as _tessera_v1_ListObjectsResponse__Output } from './tessera/v1/ListObjectsResponse.js';
import type { MemberIdentity as _tessera_v1_MemberIdentity, MemberIdentity__Output as _tessera_v1_MemberIdentity__Output } from './tessera/v1/MemberIdentity.js';
import type { ObjectInfo as _tessera_v1_ObjectInfo, ObjectInfo__Output as _tessera_v1_ObjectInfo__Output } from './tessera/v1/ObjectInfo.js';
import type { ObjectRef as _tessera_v1_ObjectRef, ObjectRef__Output as _tessera_v1_ObjectRef__Output } from './tessera/v1/ObjectRef.js';
import type { PutObjectFrame as _tessera_v1_PutObjectFrame, PutObjectFrame__Output as _tessera_v1_PutObjectFrame__Output } from './tessera/v1/PutObjectFrame.js';
import type { PutObjectHeader as _tessera_v1_PutObjectHeader, PutObjectHeader__Output as _tessera_v1_PutObjectHeader__Output } from './tessera/v1/PutObjectHeader.js';
import type { StatObjectRequest as _tessera_v1_StatObjectRequest, StatObjectRequest__Output as _tessera_v1_StatObjectRequest__Output } from './tessera/v1/StatObjectRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tessera: {
    v1: {
      ByteRange: MessageTypeDefinition<_tessera_v1_ByteRange, _tessera_v1_ByteRange__Output>
      /**
       * Objects of one tenant (client port; that tenant's principals only).
       */
      Data: SubtypeConstructor<typeof grpc.Client, _tessera_v1_DataClient> & { service: _tessera_v1_DataDefinition }
      DeleteObjectRequest: MessageTypeDefinition<_tessera_v1_DeleteObjectRequest, _tessera_v1_DeleteObjectRequest__Output>
      DeleteObjectResponse: MessageTypeDefinition<_tessera_v1_DeleteObjectResponse, _tessera_v1_DeleteObjectResponse__Output>
      GetObjectFrame: MessageTypeDefinition<_tessera_v1_GetObjectFrame, _tessera_v1_GetObjectFrame__Output>
      GetObjectRequest: MessageTypeDefinition<_tessera_v1_GetObjectRequest, _tessera_v1_GetObjectRequest__Output>
      ListObjectsRequest: MessageTypeDefinition<_tessera_v1_ListObjectsRequest, _tessera_v1_ListObjectsRequest__Output>
      ListObjectsResponse: MessageTypeDefinition<_tessera_v1_ListObjectsResponse, _tessera_v1_ListObjectsResponse__Output>
      MemberIdentity: MessageTypeDefinition<_tessera_v1_MemberIdentity, _tessera_v1_MemberIdentity__Output>
      ObjectInfo: MessageTypeDefinition<_tessera_v1_ObjectInfo, _tessera_v1_ObjectInfo__Output>
      ObjectRef: MessageTypeDefinition<_tessera_v1_ObjectRef, _tessera_v1_ObjectRef__Output>
      PutObjectFrame: MessageTypeDefinition<_tessera_v1_PutObjectFrame, _tessera_v1_PutObjectFrame__Output>
      PutObjectHeader: MessageTypeDefinition<_tessera_v1_PutObjectHeader, _tessera_v1_PutObjectHeader__Output>
      StatObjectRequest: MessageTypeDefinition<_tessera_v1_StatObjectRequest, _tessera_v1_StatObjectRequest__Output>
    }
  }
}

