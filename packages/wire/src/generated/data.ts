import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ByteRange as _tessera_v1_ByteRange, ByteRange__Output as _tessera_v1_ByteRange__Output } from './tessera/v1/ByteRange.js';
import type { DataClient as _tessera_v1_DataClient, DataDefinition as _tessera_v1_DataDefinition } from './tessera/v1/Data.js';
import type { DataSession as _tessera_v1_DataSession, DataSession__Output as _tessera_v1_DataSession__Output } from './tessera/v1/DataSession.js';
import type { DeleteObjectRequest as _tessera_v1_DeleteObjectRequest, DeleteObjectRequest__Output as _tessera_v1_DeleteObjectRequest__Output } from './tessera/v1/DeleteObjectRequest.js';
import type { DeleteObjectResponse as _tessera_v1_DeleteObjectResponse, DeleteObjectResponse__Output as _tessera_v1_DeleteObjectResponse__Output } from './tessera/v1/DeleteObjectResponse.js';
import type { DescribeDataBulkRequest as _tessera_v1_DescribeDataBulkRequest, DescribeDataBulkRequest__Output as _tessera_v1_DescribeDataBulkRequest__Output } from './tessera/v1/DescribeDataBulkRequest.js';
import type { DescribeDataBulkResponse as _tessera_v1_DescribeDataBulkResponse, DescribeDataBulkResponse__Output as _tessera_v1_DescribeDataBulkResponse__Output } from './tessera/v1/DescribeDataBulkResponse.js';
import type { GetObjectFrame as _tessera_v1_GetObjectFrame, GetObjectFrame__Output as _tessera_v1_GetObjectFrame__Output } from './tessera/v1/GetObjectFrame.js';
import type { GetObjectRequest as _tessera_v1_GetObjectRequest, GetObjectRequest__Output as _tessera_v1_GetObjectRequest__Output } from './tessera/v1/GetObjectRequest.js';
import type { ListObjectsRequest as _tessera_v1_ListObjectsRequest, ListObjectsRequest__Output as _tessera_v1_ListObjectsRequest__Output } from './tessera/v1/ListObjectsRequest.js';
import type { ListObjectsResponse as _tessera_v1_ListObjectsResponse, ListObjectsResponse__Output as _tessera_v1_ListObjectsResponse__Output } from './tessera/v1/ListObjectsResponse.js';
import type { MemberIdentity as _tessera_v1_MemberIdentity, MemberIdentity__Output as _tessera_v1_MemberIdentity__Output } from './tessera/v1/MemberIdentity.js';
import type { ObjectMeta as _tessera_v1_ObjectMeta, ObjectMeta__Output as _tessera_v1_ObjectMeta__Output } from './tessera/v1/ObjectMeta.js';
import type { OpenDataSessionRequest as _tessera_v1_OpenDataSessionRequest, OpenDataSessionRequest__Output as _tessera_v1_OpenDataSessionRequest__Output } from './tessera/v1/OpenDataSessionRequest.js';
import type { OpenDataSessionResponse as _tessera_v1_OpenDataSessionResponse, OpenDataSessionResponse__Output as _tessera_v1_OpenDataSessionResponse__Output } from './tessera/v1/OpenDataSessionResponse.js';
import type { PutChunkFrame as _tessera_v1_PutChunkFrame, PutChunkFrame__Output as _tessera_v1_PutChunkFrame__Output } from './tessera/v1/PutChunkFrame.js';
import type { PutChunkHeader as _tessera_v1_PutChunkHeader, PutChunkHeader__Output as _tessera_v1_PutChunkHeader__Output } from './tessera/v1/PutChunkHeader.js';
import type { PutChunkResponse as _tessera_v1_PutChunkResponse, PutChunkResponse__Output as _tessera_v1_PutChunkResponse__Output } from './tessera/v1/PutChunkResponse.js';
import type { PutObjectRequest as _tessera_v1_PutObjectRequest, PutObjectRequest__Output as _tessera_v1_PutObjectRequest__Output } from './tessera/v1/PutObjectRequest.js';
import type { StatObjectRequest as _tessera_v1_StatObjectRequest, StatObjectRequest__Output as _tessera_v1_StatObjectRequest__Output } from './tessera/v1/StatObjectRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tessera: {
    v1: {
      ByteRange: MessageTypeDefinition<_tessera_v1_ByteRange, _tessera_v1_ByteRange__Output>
      /**
       * Objects of the caller's tenant (client port; tenant principals only).
       */
      Data: SubtypeConstructor<typeof grpc.Client, _tessera_v1_DataClient> & { service: _tessera_v1_DataDefinition }
      DataSession: MessageTypeDefinition<_tessera_v1_DataSession, _tessera_v1_DataSession__Output>
      DeleteObjectRequest: MessageTypeDefinition<_tessera_v1_DeleteObjectRequest, _tessera_v1_DeleteObjectRequest__Output>
      DeleteObjectResponse: MessageTypeDefinition<_tessera_v1_DeleteObjectResponse, _tessera_v1_DeleteObjectResponse__Output>
      DescribeDataBulkRequest: MessageTypeDefinition<_tessera_v1_DescribeDataBulkRequest, _tessera_v1_DescribeDataBulkRequest__Output>
      DescribeDataBulkResponse: MessageTypeDefinition<_tessera_v1_DescribeDataBulkResponse, _tessera_v1_DescribeDataBulkResponse__Output>
      GetObjectFrame: MessageTypeDefinition<_tessera_v1_GetObjectFrame, _tessera_v1_GetObjectFrame__Output>
      GetObjectRequest: MessageTypeDefinition<_tessera_v1_GetObjectRequest, _tessera_v1_GetObjectRequest__Output>
      ListObjectsRequest: MessageTypeDefinition<_tessera_v1_ListObjectsRequest, _tessera_v1_ListObjectsRequest__Output>
      ListObjectsResponse: MessageTypeDefinition<_tessera_v1_ListObjectsResponse, _tessera_v1_ListObjectsResponse__Output>
      MemberIdentity: MessageTypeDefinition<_tessera_v1_MemberIdentity, _tessera_v1_MemberIdentity__Output>
      ObjectMeta: MessageTypeDefinition<_tessera_v1_ObjectMeta, _tessera_v1_ObjectMeta__Output>
      OpenDataSessionRequest: MessageTypeDefinition<_tessera_v1_OpenDataSessionRequest, _tessera_v1_OpenDataSessionRequest__Output>
      OpenDataSessionResponse: MessageTypeDefinition<_tessera_v1_OpenDataSessionResponse, _tessera_v1_OpenDataSessionResponse__Output>
      PutChunkFrame: MessageTypeDefinition<_tessera_v1_PutChunkFrame, _tessera_v1_PutChunkFrame__Output>
      PutChunkHeader: MessageTypeDefinition<_tessera_v1_PutChunkHeader, _tessera_v1_PutChunkHeader__Output>
      PutChunkResponse: MessageTypeDefinition<_tessera_v1_PutChunkResponse, _tessera_v1_PutChunkResponse__Output>
      PutObjectRequest: MessageTypeDefinition<_tessera_v1_PutObjectRequest, _tessera_v1_PutObjectRequest__Output>
      StatObjectRequest: MessageTypeDefinition<_tessera_v1_StatObjectRequest, _tessera_v1_StatObjectRequest__Output>
    }
  }
}

