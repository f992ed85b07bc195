// Original file: proto/tessera/v1/raft.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { RaftBatch as _tessera_v1_RaftBatch, RaftBatch__Output as _tessera_v1_RaftBatch__Output } from '../../tessera/v1/RaftBatch.js';
import type { RaftFeedback as _tessera_v1_RaftFeedback, RaftFeedback__Output as _tessera_v1_RaftFeedback__Output } from '../../tessera/v1/RaftFeedback.js';
import type { SnapshotFrame as _tessera_v1_SnapshotFrame, SnapshotFrame__Output as _tessera_v1_SnapshotFrame__Output } from '../../tessera/v1/SnapshotFrame.js';
import type { SnapshotReceipt as _tessera_v1_SnapshotReceipt, SnapshotReceipt__Output as _tessera_v1_SnapshotReceipt__Output } from '../../tessera/v1/SnapshotReceipt.js';

/**
 * Raft messages between members of one group (peer port; node and
 * key-manager principals of the group only).
 */
export interface RaftClient extends grpc.Client {
  /**
   * One long-lived stream per (sender, recipient) process pair, opened by the
   * sender. It carries batches of messages for every group both processes
   * belong to; the recipient answers with feedback (acknowledgements and
   * refusals) on the same stream. Messages may be dropped: Raft retries.
   */
  Exchange(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_tessera_v1_RaftBatch, _tessera_v1_RaftFeedback__Output>;
  Exchange(options?: grpc.CallOptions): grpc.ClientDuplexStream<_tessera_v1_RaftBatch, _tessera_v1_RaftFeedback__Output>;
  /**
   * One long-lived stream per (sender, recipient) process pair, opened by the
   * sender. It carries batches of messages for every group both processes
   * belong to; the recipient answers with feedback (acknowledgements and
   * refusals) on the same stream. Messages may be dropped: Raft retries.
   */
  exchange(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_tessera_v1_RaftBatch, _tessera_v1_RaftFeedback__Output>;
  exchange(options?: grpc.CallOptions): grpc.ClientDuplexStream<_tessera_v1_RaftBatch, _tessera_v1_RaftFeedback__Output>;
  
  /**
   * Transfers one snapshot message (which carries the whole state machine
   * image) in frames: one header, data frames of at most 1 MiB, one trailer.
   */
  InstallSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_SnapshotFrame>;
  InstallSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_SnapshotFrame>;
  InstallSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_SnapshotFrame>;
  InstallSnapshot(callback: grpc.requestCallback<_tessera_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_SnapshotFrame>;
  /**
   * Transfers one snapshot message (which carries the whole state machine
   * image) in frames: one header, data frames of at most 1 MiB, one trailer.
   */
  installSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_SnapshotFrame>;
  installSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_SnapshotFrame>;
  installSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_SnapshotFrame>;
  installSnapshot(callback: grpc.requestCallback<_tessera_v1_SnapshotReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_SnapshotFrame>;
  
}

/**
 * Raft messages between members of one group (peer port; node and
 * key-manager principals of the group only).
 */
export interface RaftHandlers extends grpc.UntypedServiceImplementation {
  /**
   * One long-lived stream per (sender, recipient) process pair, opened by the
   * sender. It carries batches of messages for every group both processes
   * belong to; the recipient answers with feedback (acknowledgements and
   * refusals) on the same stream. Messages may be dropped: Raft retries.
   */
  Exchange: grpc.handleBidiStreamingCall<_tessera_v1_RaftBatch__Output, _tessera_v1_RaftFeedback>;
  
  /**
   * Transfers one snapshot message (which carries the whole state machine
   * image) in frames: one header, data frames of at most 1 MiB, one trailer.
   */
  InstallSnapshot: grpc.handleClientStreamingCall<_tessera_v1_SnapshotFrame__Output, _tessera_v1_SnapshotReceipt>;
  
}

export interface RaftDefinition extends grpc.ServiceDefinition {
  Exchange: MethodDefinition<_tessera_v1_RaftBatch, _tessera_v1_RaftFeedback, _tessera_v1_RaftBatch__Output, _tessera_v1_RaftFeedback__Output>
  InstallSnapshot: MethodDefinition<_tessera_v1_SnapshotFrame, _tessera_v1_SnapshotReceipt, _tessera_v1_SnapshotFrame__Output, _tessera_v1_SnapshotReceipt__Output>
}
