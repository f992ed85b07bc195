// Original file: proto/tessera/v1/kv.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { KvDeleteRequest as _tessera_v1_KvDeleteRequest, KvDeleteRequest__Output as _tessera_v1_KvDeleteRequest__Output } from '../../tessera/v1/KvDeleteRequest.js';
import type { KvDeleteResponse as _tessera_v1_KvDeleteResponse, KvDeleteResponse__Output as _tessera_v1_KvDeleteResponse__Output } from '../../tessera/v1/KvDeleteResponse.js';
import type { KvGetRequest as _tessera_v1_KvGetRequest, KvGetRequest__Output as _tessera_v1_KvGetRequest__Output } from '../../tessera/v1/KvGetRequest.js';
import type { KvGetResponse as _tessera_v1_KvGetResponse, KvGetResponse__Output as _tessera_v1_KvGetResponse__Output } from '../../tessera/v1/KvGetResponse.js';
import type { KvOpenSessionRequest as _tessera_v1_KvOpenSessionRequest, KvOpenSessionRequest__Output as _tessera_v1_KvOpenSessionRequest__Output } from '../../tessera/v1/KvOpenSessionRequest.js';
import type { KvOpenSessionResponse as _tessera_v1_KvOpenSessionResponse, KvOpenSessionResponse__Output as _tessera_v1_KvOpenSessionResponse__Output } from '../../tessera/v1/KvOpenSessionResponse.js';
import type { KvPutRequest as _tessera_v1_KvPutRequest, KvPutRequest__Output as _tessera_v1_KvPutRequest__Output } from '../../tessera/v1/KvPutRequest.js';
import type { KvPutResponse as _tessera_v1_KvPutResponse, KvPutResponse__Output as _tessera_v1_KvPutResponse__Output } from '../../tessera/v1/KvPutResponse.js';
import type { KvScanRequest as _tessera_v1_KvScanRequest, KvScanRequest__Output as _tessera_v1_KvScanRequest__Output } from '../../tessera/v1/KvScanRequest.js';
import type { KvScanResponse as _tessera_v1_KvScanResponse, KvScanResponse__Output as _tessera_v1_KvScanResponse__Output } from '../../tessera/v1/KvScanResponse.js';
import type { KvWriteReply as _tessera_v1_KvWriteReply, KvWriteReply__Output as _tessera_v1_KvWriteReply__Output } from '../../tessera/v1/KvWriteReply.js';
import type { KvWriteRequest as _tessera_v1_KvWriteRequest, KvWriteRequest__Output as _tessera_v1_KvWriteRequest__Output } from '../../tessera/v1/KvWriteRequest.js';

/**
 * Replicated key-value store for tests and benchmarks (client port; cluster
 * admin principals only).
 */
export interface KvClient extends grpc.Client {
  /**
   * Deletes a key; applied at most once per (client id, seq).
   */
  Delete(argument: _tessera_v1_KvDeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvDeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _tessera_v1_KvDeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_KvDeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _tessera_v1_KvDeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvDeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _tessera_v1_KvDeleteRequest, callback: grpc.requestCallback<_tessera_v1_KvDeleteResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes a key; applied at most once per (client id, seq).
   */
  delete(argument: _tessera_v1_KvDeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvDeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _tessera_v1_KvDeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_KvDeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _tessera_v1_KvDeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvDeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _tessera_v1_KvDeleteRequest, callback: grpc.requestCallback<_tessera_v1_KvDeleteResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Linearizable read of one key through ReadIndex on the answering node.
   */
  Get(argument: _tessera_v1_KvGetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _tessera_v1_KvGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _tessera_v1_KvGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _tessera_v1_KvGetRequest, callback: grpc.requestCallback<_tessera_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Linearizable read of one key through ReadIndex on the answering node.
   */
  get(argument: _tessera_v1_KvGetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _tessera_v1_KvGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _tessera_v1_KvGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _tessera_v1_KvGetRequest, callback: grpc.requestCallback<_tessera_v1_KvGetResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Opens a client session (a replicated command); its id is never reused.
   */
  OpenSession(argument: _tessera_v1_KvOpenSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvOpenSessionResponse__Output>): grpc.ClientUnaryCall;
  OpenSession(argument: _tessera_v1_KvOpenSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_KvOpenSessionResponse__Output>): grpc.ClientUnaryCall;
  OpenSession(argument: _tessera_v1_KvOpenSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvOpenSessionResponse__Output>): grpc.ClientUnaryCall;
  OpenSession(argument: _tessera_v1_KvOpenSessionRequest, callback: grpc.requestCallback<_tessera_v1_KvOpenSessionResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Opens a client session (a replicated command); its id is never reused.
   */
  openSession(argument: _tessera_v1_KvOpenSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvOpenSessionResponse__Output>): grpc.ClientUnaryCall;
  openSession(argument: _tessera_v1_KvOpenSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_KvOpenSessionResponse__Output>): grpc.ClientUnaryCall;
  openSession(argument: _tessera_v1_KvOpenSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvOpenSessionResponse__Output>): grpc.ClientUnaryCall;
  openSession(argument: _tessera_v1_KvOpenSessionRequest, callback: grpc.requestCallback<_tessera_v1_KvOpenSessionResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Sets a key; applied at most once per (client id, seq) however often retried.
   */
  Put(argument: _tessera_v1_KvPutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _tessera_v1_KvPutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _tessera_v1_KvPutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _tessera_v1_KvPutRequest, callback: grpc.requestCallback<_tessera_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Sets a key; applied at most once per (client id, seq) however often retried.
   */
  put(argument: _tessera_v1_KvPutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _tessera_v1_KvPutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _tessera_v1_KvPutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _tessera_v1_KvPutRequest, callback: grpc.requestCallback<_tessera_v1_KvPutResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Linearizable read of a key range through ReadIndex on the answering node.
   */
  Scan(argument: _tessera_v1_KvScanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvScanResponse__Output>): grpc.ClientUnaryCall;
  Scan(argument: _tessera_v1_KvScanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_KvScanResponse__Output>): grpc.ClientUnaryCall;
  Scan(argument: _tessera_v1_KvScanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvScanResponse__Output>): grpc.ClientUnaryCall;
  Scan(argument: _tessera_v1_KvScanRequest, callback: grpc.requestCallback<_tessera_v1_KvScanResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Linearizable read of a key range through ReadIndex on the answering node.
   */
  scan(argument: _tessera_v1_KvScanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvScanResponse__Output>): grpc.ClientUnaryCall;
  scan(argument: _tessera_v1_KvScanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_KvScanResponse__Output>): grpc.ClientUnaryCall;
  scan(argument: _tessera_v1_KvScanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_KvScanResponse__Output>): grpc.ClientUnaryCall;
  scan(argument: _tessera_v1_KvScanRequest, callback: grpc.requestCallback<_tessera_v1_KvScanResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Puts and deletes of one session over one long-lived stream: the same
   * commands and answers as Put and Delete, without a gRPC call per write.
   * One request at a time per stream (a second one before the first is
   * answered is refused); each reply names the seq it answers. A refused
   * write is a failure reply, never the end of the stream.
   */
  Writes(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_tessera_v1_KvWriteRequest, _tessera_v1_KvWriteReply__Output>;
  Writes(options?: grpc.CallOptions): grpc.ClientDuplexStream<_tessera_v1_KvWriteRequest, _tessera_v1_KvWriteReply__Output>;
  /**
   * Puts and deletes of one session over one long-lived stream: the same
   * commands and answers as Put and Delete, without a gRPC call per write.
   * One request at a time per stream (a second one before the first is
   * answered is refused); each reply names the seq it answers. A refused
   * write is a failure reply, never the end of the stream.
   */
  writes(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_tessera_v1_KvWriteRequest, _tessera_v1_KvWriteReply__Output>;
  writes(options?: grpc.CallOptions): grpc.ClientDuplexStream<_tessera_v1_KvWriteRequest, _tessera_v1_KvWriteReply__Output>;
  
}

/**
 * Replicated key-value store for tests and benchmarks (client port; cluster
 * admin principals only).
 */
export interface KvHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Deletes a key; applied at most once per (client id, seq).
   */
  Delete: grpc.handleUnaryCall<_tessera_v1_KvDeleteRequest__Output, _tessera_v1_KvDeleteResponse>;
  
  /**
   * Linearizable read of one key through ReadIndex on the answering node.
   */
  Get: grpc.handleUnaryCall<_tessera_v1_KvGetRequest__Output, _tessera_v1_KvGetResponse>;
  
  /**
   * Opens a client session (a replicated command); its id is never reused.
   */
  OpenSession: grpc.handleUnaryCall<_tessera_v1_KvOpenSessionRequest__Output, _tessera_v1_KvOpenSessionResponse>;
  
  /**
   * Sets a key; applied at most once per (client id, seq) however often retried.
   */
  Put: grpc.handleUnaryCall<_tessera_v1_KvPutRequest__Output, _tessera_v1_KvPutResponse>;
  
  /**
   * Linearizable read of a key range through ReadIndex on the answering node.
   */
  Scan: grpc.handleUnaryCall<_tessera_v1_KvScanRequest__Output, _tessera_v1_KvScanResponse>;
  
  /**
   * Puts and deletes of one session over one long-lived stream: the same
   * commands and answers as Put and Delete, without a gRPC call per write.
   * One request at a time per stream (a second one before the first is
   * answered is refused); each reply names the seq it answers. A refused
   * write is a failure reply, never the end of the stream.
   */
  Writes: grpc.handleBidiStreamingCall<_tessera_v1_KvWriteRequest__Output, _tessera_v1_KvWriteReply>;
  
}

export interface KvDefinition extends grpc.ServiceDefinition {
  Delete: MethodDefinition<_tessera_v1_KvDeleteRequest, _tessera_v1_KvDeleteResponse, _tessera_v1_KvDeleteRequest__Output, _tessera_v1_KvDeleteResponse__Output>
  Get: MethodDefinition<_tessera_v1_KvGetRequest, _tessera_v1_KvGetResponse, _tessera_v1_KvGetRequest__Output, _tessera_v1_KvGetResponse__Output>
  OpenSession: MethodDefinition<_tessera_v1_KvOpenSessionRequest, _tessera_v1_KvOpenSessionResponse, _tessera_v1_KvOpenSessionRequest__Output, _tessera_v1_KvOpenSessionResponse__Output>
  Put: MethodDefinition<_tessera_v1_KvPutRequest, _tessera_v1_KvPutResponse, _tessera_v1_KvPutRequest__Output, _tessera_v1_KvPutResponse__Output>
  Scan: MethodDefinition<_tessera_v1_KvScanRequest, _tessera_v1_KvScanResponse, _tessera_v1_KvScanRequest__Output, _tessera_v1_KvScanResponse__Output>
  Writes: MethodDefinition<_tessera_v1_KvWriteRequest, _tessera_v1_KvWriteReply, _tessera_v1_KvWriteRequest__Output, _tessera_v1_KvWriteReply__Output>
}
