// Original file: proto/tessera/v1/data.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeleteObjectRequest as _tessera_v1_DeleteObjectRequest, DeleteObjectRequest__Output as _tessera_v1_DeleteObjectRequest__Output } from '../../tessera/v1/DeleteObjectRequest.js';
import type { DeleteObjectResponse as _tessera_v1_DeleteObjectResponse, DeleteObjectResponse__Output as _tessera_v1_DeleteObjectResponse__Output } from '../../tessera/v1/DeleteObjectResponse.js';
import type { GetObjectFrame as _tessera_v1_GetObjectFrame, GetObjectFrame__Output as _tessera_v1_GetObjectFrame__Output } from '../../tessera/v1/GetObjectFrame.js';
import type { GetObjectRequest as _tessera_v1_GetObjectRequest, GetObjectRequest__Output as _tessera_v1_GetObjectRequest__Output } from '../../tessera/v1/GetObjectRequest.js';
import type { ListObjectsRequest as _tessera_v1_ListObjectsRequest, ListObjectsRequest__Output as _tessera_v1_ListObjectsRequest__Output } from '../../tessera/v1/ListObjectsRequest.js';
import type { ListObjectsResponse as _tessera_v1_ListObjectsResponse, ListObjectsResponse__Output as _tessera_v1_ListObjectsResponse__Output } from '../../tessera/v1/ListObjectsResponse.js';
import type { ObjectInfo as _tessera_v1_ObjectInfo, ObjectInfo__Output as _tessera_v1_ObjectInfo__Output } from '../../tessera/v1/ObjectInfo.js';
import type { PutObjectFrame as _tessera_v1_PutObjectFrame, PutObjectFrame__Output as _tessera_v1_PutObjectFrame__Output } from '../../tessera/v1/PutObjectFrame.js';
import type { StatObjectRequest as _tessera_v1_StatObjectRequest, StatObjectRequest__Output as _tessera_v1_StatObjectRequest__Output } from '../../tessera/v1/StatObjectRequest.js';

/**
 * Objects of one tenant (client port; that tenant's principals only).
 */
export interface DataClient extends grpc.Client {
  /**
   * Deletes an object (writes a tombstone).
   */
  DeleteObject(argument: _tessera_v1_DeleteObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  DeleteObject(argument: _tessera_v1_DeleteObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  DeleteObject(argument: _tessera_v1_DeleteObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  DeleteObject(argument: _tessera_v1_DeleteObjectRequest, callback: grpc.requestCallback<_tessera_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes an object (writes a tombstone).
   */
  deleteObject(argument: _tessera_v1_DeleteObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  deleteObject(argument: _tessera_v1_DeleteObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  deleteObject(argument: _tessera_v1_DeleteObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  deleteObject(argument: _tessera_v1_DeleteObjectRequest, callback: grpc.requestCallback<_tessera_v1_DeleteObjectResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Reads an object, or a byte range of it: one header frame, then data
   * frames of at most 1 MiB.
   */
  GetObject(argument: _tessera_v1_GetObjectRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_GetObjectFrame__Output>;
  GetObject(argument: _tessera_v1_GetObjectRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_GetObjectFrame__Output>;
  /**
   * Reads an object, or a byte range of it: one header frame, then data
   * frames of at most 1 MiB.
   */
  getObject(argument: _tessera_v1_GetObjectRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_GetObjectFrame__Output>;
  getObject(argument: _tessera_v1_GetObjectRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_GetObjectFrame__Output>;
  
  /**
   * Lists a tenant's objects by name, at most 1,000 per page.
   */
  ListObjects(argument: _tessera_v1_ListObjectsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  ListObjects(argument: _tessera_v1_ListObjectsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  ListObjects(argument: _tessera_v1_ListObjectsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  ListObjects(argument: _tessera_v1_ListObjectsRequest, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists a tenant's objects by name, at most 1,000 per page.
   */
  listObjects(argument: _tessera_v1_ListObjectsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  listObjects(argument: _tessera_v1_ListObjectsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  listObjects(argument: _tessera_v1_ListObjectsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  listObjects(argument: _tessera_v1_ListObjectsRequest, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Writes an object: a header frame, then any number of data frames (at most
   * 1 MiB each) and chunk references, in object order. The reply is sent
   * once the object is durable and committed (DESIGN D1).
   */
  PutObject(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_tessera_v1_PutObjectFrame>;
  PutObject(metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_tessera_v1_PutObjectFrame>;
  PutObject(options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_tessera_v1_PutObjectFrame>;
  PutObject(callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_tessera_v1_PutObjectFrame>;
  /**
   * Writes an object: a header frame, then any number of data frames (at most
   * 1 MiB each) and chunk references, in object order. The reply is sent
   * once the object is durable and committed (DESIGN D1).
   */
  putObject(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_tessera_v1_PutObjectFrame>;
  putObject(metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_tessera_v1_PutObjectFrame>;
  putObject(options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_tessera_v1_PutObjectFrame>;
  putObject(callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientWritableStream<_tessera_v1_PutObjectFrame>;
  
  /**
   * Returns an object's metadata.
   */
  StatObject(argument: _tessera_v1_StatObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  StatObject(argument: _tessera_v1_StatObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  StatObject(argument: _tessera_v1_StatObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  StatObject(argument: _tessera_v1_StatObjectRequest, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  /**
   * Returns an object's metadata.
   */
  statObject(argument: _tessera_v1_StatObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  statObject(argument: _tessera_v1_StatObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  statObject(argument: _tessera_v1_StatObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  statObject(argument: _tessera_v1_StatObjectRequest, callback: grpc.requestCallback<_tessera_v1_ObjectInfo__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Objects of one tenant (client port; that tenant's principals only).
 */
export interface DataHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Deletes an object (writes a tombstone).
   */
  DeleteObject: grpc.handleUnaryCall<_tessera_v1_DeleteObjectRequest__Output, _tessera_v1_DeleteObjectResponse>;
  
  /**
   * Reads an object, or a byte range of it: one header frame, then data
   * frames of at most 1 MiB.
   */
  GetObject: grpc.handleServerStreamingCall<_tessera_v1_GetObjectRequest__Output, _tessera_v1_GetObjectFrame>;
  
  /**
   * Lists a tenant's objects by name, at most 1,000 per page.
   */
  ListObjects: grpc.handleUnaryCall<_tessera_v1_ListObjectsRequest__Output, _tessera_v1_ListObjectsResponse>;
  
  /**
   * Writes an object: a header frame, then any number of data frames (at most
   * 1 MiB each) and chunk references, in object order. The reply is sent
   * once the object is durable and committed (DESIGN D1).
   */
  PutObject: grpc.handleClientStreamingCall<_tessera_v1_PutObjectFrame__Output, _tessera_v1_ObjectInfo>;
  
  /**
   * Returns an object's metadata.
   */
  StatObject: grpc.handleUnaryCall<_tessera_v1_StatObjectRequest__Output, _tessera_v1_ObjectInfo>;
  
}

export interface DataDefinition extends grpc.ServiceDefinition {
  DeleteObject: MethodDefinition<_tessera_v1_DeleteObjectRequest, _tessera_v1_DeleteObjectResponse, _tessera_v1_DeleteObjectRequest__Output, _tessera_v1_DeleteObjectResponse__Output>
  GetObject: MethodDefinition<_tessera_v1_GetObjectRequest, _tessera_v1_GetObjectFrame, _tessera_v1_GetObjectRequest__Output, _tessera_v1_GetObjectFrame__Output>
  ListObjects: MethodDefinition<_tessera_v1_ListObjectsRequest, _tessera_v1_ListObjectsResponse, _tessera_v1_ListObjectsRequest__Output, _tessera_v1_ListObjectsResponse__Output>
  PutObject: MethodDefinition<_tessera_v1_PutObjectFrame, _tessera_v1_ObjectInfo, _tessera_v1_PutObjectFrame__Output, _tessera_v1_ObjectInfo__Output>
  StatObject: MethodDefinition<_tessera_v1_StatObjectRequest, _tessera_v1_ObjectInfo, _tessera_v1_StatObjectRequest__Output, _tessera_v1_ObjectInfo__Output>
}
