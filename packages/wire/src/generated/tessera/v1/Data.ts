// Original file: proto/tessera/v1/data.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeleteObjectRequest as _tessera_v1_DeleteObjectRequest, DeleteObjectRequest__Output as _tessera_v1_DeleteObjectRequest__Output } from '../../tessera/v1/DeleteObjectRequest.js';
import type { DeleteObjectResponse as _tessera_v1_DeleteObjectResponse, DeleteObjectResponse__Output as _tessera_v1_DeleteObjectResponse__Output } from '../../tessera/v1/DeleteObjectResponse.js';
import type { DescribeDataBulkRequest as _tessera_v1_DescribeDataBulkRequest, DescribeDataBulkRequest__Output as _tessera_v1_DescribeDataBulkRequest__Output } from '../../tessera/v1/DescribeDataBulkRequest.js';
import type { DescribeDataBulkResponse as _tessera_v1_DescribeDataBulkResponse, DescribeDataBulkResponse__Output as _tessera_v1_DescribeDataBulkResponse__Output } from '../../tessera/v1/DescribeDataBulkResponse.js';
import type { GetObjectFrame as _tessera_v1_GetObjectFrame, GetObjectFrame__Output as _tessera_v1_GetObjectFrame__Output } from '../../tessera/v1/GetObjectFrame.js';
import type { GetObjectRequest as _tessera_v1_GetObjectRequest, GetObjectRequest__Output as _tessera_v1_GetObjectRequest__Output } from '../../tessera/v1/GetObjectRequest.js';
import type { ListObjectsRequest as _tessera_v1_ListObjectsRequest, ListObjectsRequest__Output as _tessera_v1_ListObjectsRequest__Output } from '../../tessera/v1/ListObjectsRequest.js';
import type { ListObjectsResponse as _tessera_v1_ListObjectsResponse, ListObjectsResponse__Output as _tessera_v1_ListObjectsResponse__Output } from '../../tessera/v1/ListObjectsResponse.js';
import type { ObjectMeta as _tessera_v1_ObjectMeta, ObjectMeta__Output as _tessera_v1_ObjectMeta__Output } from '../../tessera/v1/ObjectMeta.js';
import type { OpenDataSessionRequest as _tessera_v1_OpenDataSessionRequest, OpenDataSessionRequest__Output as _tessera_v1_OpenDataSessionRequest__Output } from '../../tessera/v1/OpenDataSessionRequest.js';
import type { OpenDataSessionResponse as _tessera_v1_OpenDataSessionResponse, OpenDataSessionResponse__Output as _tessera_v1_OpenDataSessionResponse__Output } from '../../tessera/v1/OpenDataSessionResponse.js';
import type { PutChunkFrame as _tessera_v1_PutChunkFrame, PutChunkFrame__Output as _tessera_v1_PutChunkFrame__Output } from '../../tessera/v1/PutChunkFrame.js';
import type { PutChunkResponse as _tessera_v1_PutChunkResponse, PutChunkResponse__Output as _tessera_v1_PutChunkResponse__Output } from '../../tessera/v1/PutChunkResponse.js';
import type { PutObjectRequest as _tessera_v1_PutObjectRequest, PutObjectRequest__Output as _tessera_v1_PutObjectRequest__Output } from '../../tessera/v1/PutObjectRequest.js';
import type { StatObjectRequest as _tessera_v1_StatObjectRequest, StatObjectRequest__Output as _tessera_v1_StatObjectRequest__Output } from '../../tessera/v1/StatObjectRequest.js';

/**
 * Objects of the caller's tenant (client port; tenant principals only).
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
   * Where this node's client-facing bulk port listens (ADR 0026): a tenant's
   * chunk uploads go there as raw bytes instead of PutChunk frames. Empty
   * when the node serves none.
   */
  DescribeBulk(argument: _tessera_v1_DescribeDataBulkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DescribeDataBulkResponse__Output>): grpc.ClientUnaryCall;
  DescribeBulk(argument: _tessera_v1_DescribeDataBulkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_DescribeDataBulkResponse__Output>): grpc.ClientUnaryCall;
  DescribeBulk(argument: _tessera_v1_DescribeDataBulkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DescribeDataBulkResponse__Output>): grpc.ClientUnaryCall;
  DescribeBulk(argument: _tessera_v1_DescribeDataBulkRequest, callback: grpc.requestCallback<_tessera_v1_DescribeDataBulkResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Where this node's client-facing bulk port listens (ADR 0026): a tenant's
   * chunk uploads go there as raw bytes instead of PutChunk frames. Empty
   * when the node serves none.
   */
  describeBulk(argument: _tessera_v1_DescribeDataBulkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DescribeDataBulkResponse__Output>): grpc.ClientUnaryCall;
  describeBulk(argument: _tessera_v1_DescribeDataBulkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_DescribeDataBulkResponse__Output>): grpc.ClientUnaryCall;
  describeBulk(argument: _tessera_v1_DescribeDataBulkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DescribeDataBulkResponse__Output>): grpc.ClientUnaryCall;
  describeBulk(argument: _tessera_v1_DescribeDataBulkRequest, callback: grpc.requestCallback<_tessera_v1_DescribeDataBulkResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Reads an object, or a byte range of it: one header frame, then data
   * frames of at most 1 MiB. Only the chunks covering the range are read.
   */
  GetObject(argument: _tessera_v1_GetObjectRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_GetObjectFrame__Output>;
  GetObject(argument: _tessera_v1_GetObjectRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_GetObjectFrame__Output>;
  /**
   * Reads an object, or a byte range of it: one header frame, then data
   * frames of at most 1 MiB. Only the chunks covering the range are read.
   */
  getObject(argument: _tessera_v1_GetObjectRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_GetObjectFrame__Output>;
  getObject(argument: _tessera_v1_GetObjectRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_GetObjectFrame__Output>;
  
  /**
   * Lists the tenant's objects by name, at most 1,000 per page.
   */
  ListObjects(argument: _tessera_v1_ListObjectsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  ListObjects(argument: _tessera_v1_ListObjectsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  ListObjects(argument: _tessera_v1_ListObjectsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  ListObjects(argument: _tessera_v1_ListObjectsRequest, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists the tenant's objects by name, at most 1,000 per page.
   */
  listObjects(argument: _tessera_v1_ListObjectsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  listObjects(argument: _tessera_v1_ListObjectsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  listObjects(argument: _tessera_v1_ListObjectsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  listObjects(argument: _tessera_v1_ListObjectsRequest, callback: grpc.requestCallback<_tessera_v1_ListObjectsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Opens a client session: writes carry (client id, seq, acked through) so
   * a retried write is applied at most once.
   */
  OpenSession(argument: _tessera_v1_OpenDataSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_OpenDataSessionResponse__Output>): grpc.ClientUnaryCall;
  OpenSession(argument: _tessera_v1_OpenDataSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_OpenDataSessionResponse__Output>): grpc.ClientUnaryCall;
  OpenSession(argument: _tessera_v1_OpenDataSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_OpenDataSessionResponse__Output>): grpc.ClientUnaryCall;
  OpenSession(argument: _tessera_v1_OpenDataSessionRequest, callback: grpc.requestCallback<_tessera_v1_OpenDataSessionResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Opens a client session: writes carry (client id, seq, acked through) so
   * a retried write is applied at most once.
   */
  openSession(argument: _tessera_v1_OpenDataSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_OpenDataSessionResponse__Output>): grpc.ClientUnaryCall;
  openSession(argument: _tessera_v1_OpenDataSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_OpenDataSessionResponse__Output>): grpc.ClientUnaryCall;
  openSession(argument: _tessera_v1_OpenDataSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_OpenDataSessionResponse__Output>): grpc.ClientUnaryCall;
  openSession(argument: _tessera_v1_OpenDataSessionRequest, callback: grpc.requestCallback<_tessera_v1_OpenDataSessionResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Uploads one chunk's plaintext: a header frame, then data frames of at
   * most 1 MiB. The node computes the chunk id from the bytes it received,
   * seals, erasure-codes and stores the chunk (every shard fsynced), commits
   * its record, and adds a pending reference for this session. The reply
   * names the chunk for a later PutObject of the same session.
   */
  PutChunk(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_PutChunkResponse__Output>): grpc.ClientWritableStream<_tessera_v1_PutChunkFrame>;
  PutChunk(metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_PutChunkResponse__Output>): grpc.ClientWritableStream<_tessera_v1_PutChunkFrame>;
  PutChunk(options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_PutChunkResponse__Output>): grpc.ClientWritableStream<_tessera_v1_PutChunkFrame>;
  PutChunk(callback: grpc.requestCallback<_tessera_v1_PutChunkResponse__Output>): grpc.ClientWritableStream<_tessera_v1_PutChunkFrame>;
  /**
   * Uploads one chunk's plaintext: a header frame, then data frames of at
   * most 1 MiB. The node computes the chunk id from the bytes it received,
   * seals, erasure-codes and stores the chunk (every shard fsynced), commits
   * its record, and adds a pending reference for this session. The reply
   * names the chunk for a later PutObject of the same session.
   */
  putChunk(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_PutChunkResponse__Output>): grpc.ClientWritableStream<_tessera_v1_PutChunkFrame>;
  putChunk(metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_PutChunkResponse__Output>): grpc.ClientWritableStream<_tessera_v1_PutChunkFrame>;
  putChunk(options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_PutChunkResponse__Output>): grpc.ClientWritableStream<_tessera_v1_PutChunkFrame>;
  putChunk(callback: grpc.requestCallback<_tessera_v1_PutChunkResponse__Output>): grpc.ClientWritableStream<_tessera_v1_PutChunkFrame>;
  
  /**
   * Commits an object version: its chunks (each referenced by the caller's
   * tenant: pending from this session's uploads, or from one of its live
   * objects; anything else is NOT_FOUND) or its inline bytes (at most 4 KiB).
   * Replied once committed by a Raft majority (DESIGN D1).
   */
  PutObject(argument: _tessera_v1_PutObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  PutObject(argument: _tessera_v1_PutObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  PutObject(argument: _tessera_v1_PutObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  PutObject(argument: _tessera_v1_PutObjectRequest, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  /**
   * Commits an object version: its chunks (each referenced by the caller's
   * tenant: pending from this session's uploads, or from one of its live
   * objects; anything else is NOT_FOUND) or its inline bytes (at most 4 KiB).
   * Replied once committed by a Raft majority (DESIGN D1).
   */
  putObject(argument: _tessera_v1_PutObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  putObject(argument: _tessera_v1_PutObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  putObject(argument: _tessera_v1_PutObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  putObject(argument: _tessera_v1_PutObjectRequest, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  
  /**
   * Returns an object's metadata.
   */
  StatObject(argument: _tessera_v1_StatObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  StatObject(argument: _tessera_v1_StatObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  StatObject(argument: _tessera_v1_StatObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  StatObject(argument: _tessera_v1_StatObjectRequest, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  /**
   * Returns an object's metadata.
   */
  statObject(argument: _tessera_v1_StatObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  statObject(argument: _tessera_v1_StatObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  statObject(argument: _tessera_v1_StatObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  statObject(argument: _tessera_v1_StatObjectRequest, callback: grpc.requestCallback<_tessera_v1_ObjectMeta__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Objects of the caller's tenant (client port; tenant principals only).
 */
export interface DataHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Deletes an object (writes a tombstone).
   */
  DeleteObject: grpc.handleUnaryCall<_tessera_v1_DeleteObjectRequest__Output, _tessera_v1_DeleteObjectResponse>;
  
  /**
   * Where this node's client-facing bulk port listens (ADR 0026): a tenant's
   * chunk uploads go there as raw bytes instead of PutChunk frames. Empty
   * when the node serves none.
   */
  DescribeBulk: grpc.handleUnaryCall<_tessera_v1_DescribeDataBulkRequest__Output, _tessera_v1_DescribeDataBulkResponse>;
  
  /**
   * Reads an object, or a byte range of it: one header frame, then data
   * frames of at most 1 MiB. Only the chunks covering the range are read.
   */
  GetObject: grpc.handleServerStreamingCall<_tessera_v1_GetObjectRequest__Output, _tessera_v1_GetObjectFrame>;
  
  /**
   * Lists the tenant's objects by name, at most 1,000 per page.
   */
  ListObjects: grpc.handleUnaryCall<_tessera_v1_ListObjectsRequest__Output, _tessera_v1_ListObjectsResponse>;
  
  /**
   * Opens a client session: writes carry (client id, seq, acked through) so
   * a retried write is applied at most once.
   */
  OpenSession: grpc.handleUnaryCall<_tessera_v1_OpenDataSessionRequest__Output, _tessera_v1_OpenDataSessionResponse>;
  
  /**
   * Uploads one chunk's plaintext: a header frame, then data frames of at
   * most 1 MiB. The node computes the chunk id from the bytes it received,
   * seals, erasure-codes and stores the chunk (every shard fsynced), commits
   * its record, and adds a pending reference for this session. The reply
   * names the chunk for a later PutObject of the same session.
   */
  PutChunk: grpc.handleClientStreamingCall<_tessera_v1_PutChunkFrame__Output, _tessera_v1_PutChunkResponse>;
  
  /**
   * Commits an object version: its chunks (each referenced by the caller's
   * tenant: pending from this session's uploads, or from one of its live
   * objects; anything else is NOT_FOUND) or its inline bytes (at most 4 KiB).
   * Replied once committed by a Raft majority (DESIGN D1).
   */
  PutObject: grpc.handleUnaryCall<_tessera_v1_PutObjectRequest__Output, _tessera_v1_ObjectMeta>;
  
  /**
   * Returns an object's metadata.
   */
  StatObject: grpc.handleUnaryCall<_tessera_v1_StatObjectRequest__Output, _tessera_v1_ObjectMeta>;
  
}

export interface DataDefinition extends grpc.ServiceDefinition {
  DeleteObject: MethodDefinition<_tessera_v1_DeleteObjectRequest, _tessera_v1_DeleteObjectResponse, _tessera_v1_DeleteObjectRequest__Output, _tessera_v1_DeleteObjectResponse__Output>
  DescribeBulk: MethodDefinition<_tessera_v1_DescribeDataBulkRequest, _tessera_v1_DescribeDataBulkResponse, _tessera_v1_DescribeDataBulkRequest__Output, _tessera_v1_DescribeDataBulkResponse__Output>
  GetObject: MethodDefinition<_tessera_v1_GetObjectRequest, _tessera_v1_GetObjectFrame, _tessera_v1_GetObjectRequest__Output, _tessera_v1_GetObjectFrame__Output>
  ListObjects: MethodDefinition<_tessera_v1_ListObjectsRequest, _tessera_v1_ListObjectsResponse, _tessera_v1_ListObjectsRequest__Output, _tessera_v1_ListObjectsResponse__Output>
  OpenSession: MethodDefinition<_tessera_v1_OpenDataSessionRequest, _tessera_v1_OpenDataSessionResponse, _tessera_v1_OpenDataSessionRequest__Output, _tessera_v1_OpenDataSessionResponse__Output>
  PutChunk: MethodDefinition<_tessera_v1_PutChunkFrame, _tessera_v1_PutChunkResponse, _tessera_v1_PutChunkFrame__Output, _tessera_v1_PutChunkResponse__Output>
  PutObject: MethodDefinition<_tessera_v1_PutObjectRequest, _tessera_v1_ObjectMeta, _tessera_v1_PutObjectRequest__Output, _tessera_v1_ObjectMeta__Output>
  StatObject: MethodDefinition<_tessera_v1_StatObjectRequest, _tessera_v1_ObjectMeta, _tessera_v1_StatObjectRequest__Output, _tessera_v1_ObjectMeta__Output>
}
