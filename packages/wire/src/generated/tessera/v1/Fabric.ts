// Original file: proto/tessera/v1/fabric.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DescribeBulkRequest as _tessera_v1_DescribeBulkRequest, DescribeBulkRequest__Output as _tessera_v1_DescribeBulkRequest__Output } from '../../tessera/v1/DescribeBulkRequest.js';
import type { DescribeBulkResponse as _tessera_v1_DescribeBulkResponse, DescribeBulkResponse__Output as _tessera_v1_DescribeBulkResponse__Output } from '../../tessera/v1/DescribeBulkResponse.js';
import type { ForwardProposeRequest as _tessera_v1_ForwardProposeRequest, ForwardProposeRequest__Output as _tessera_v1_ForwardProposeRequest__Output } from '../../tessera/v1/ForwardProposeRequest.js';
import type { ForwardProposeResponse as _tessera_v1_ForwardProposeResponse, ForwardProposeResponse__Output as _tessera_v1_ForwardProposeResponse__Output } from '../../tessera/v1/ForwardProposeResponse.js';
import type { GetShardFrame as _tessera_v1_GetShardFrame, GetShardFrame__Output as _tessera_v1_GetShardFrame__Output } from '../../tessera/v1/GetShardFrame.js';
import type { GetShardRequest as _tessera_v1_GetShardRequest, GetShardRequest__Output as _tessera_v1_GetShardRequest__Output } from '../../tessera/v1/GetShardRequest.js';
import type { HasShardRequest as _tessera_v1_HasShardRequest, HasShardRequest__Output as _tessera_v1_HasShardRequest__Output } from '../../tessera/v1/HasShardRequest.js';
import type { HasShardResponse as _tessera_v1_HasShardResponse, HasShardResponse__Output as _tessera_v1_HasShardResponse__Output } from '../../tessera/v1/HasShardResponse.js';
import type { PutShardFrame as _tessera_v1_PutShardFrame, PutShardFrame__Output as _tessera_v1_PutShardFrame__Output } from '../../tessera/v1/PutShardFrame.js';
import type { PutShardReceipt as _tessera_v1_PutShardReceipt, PutShardReceipt__Output as _tessera_v1_PutShardReceipt__Output } from '../../tessera/v1/PutShardReceipt.js';

/**
 * Shard records between storage nodes (peer port; node principals only).
 */
export interface FabricClient extends grpc.Client {
  /**
   * Where the recipient's bulk port listens (ADR 0026): shard writes go there
   * as raw bytes instead of PutShard frames. Empty when it serves none.
   */
  DescribeBulk(argument: _tessera_v1_DescribeBulkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DescribeBulkResponse__Output>): grpc.ClientUnaryCall;
  DescribeBulk(argument: _tessera_v1_DescribeBulkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_DescribeBulkResponse__Output>): grpc.ClientUnaryCall;
  DescribeBulk(argument: _tessera_v1_DescribeBulkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DescribeBulkResponse__Output>): grpc.ClientUnaryCall;
  DescribeBulk(argument: _tessera_v1_DescribeBulkRequest, callback: grpc.requestCallback<_tessera_v1_DescribeBulkResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Where the recipient's bulk port listens (ADR 0026): shard writes go there
   * as raw bytes instead of PutShard frames. Empty when it serves none.
   */
  describeBulk(argument: _tessera_v1_DescribeBulkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DescribeBulkResponse__Output>): grpc.ClientUnaryCall;
  describeBulk(argument: _tessera_v1_DescribeBulkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_DescribeBulkResponse__Output>): grpc.ClientUnaryCall;
  describeBulk(argument: _tessera_v1_DescribeBulkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_DescribeBulkResponse__Output>): grpc.ClientUnaryCall;
  describeBulk(argument: _tessera_v1_DescribeBulkRequest, callback: grpc.requestCallback<_tessera_v1_DescribeBulkResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Proposes one metadata-group command on the leader for a gateway node
   * (any node acts as gateway; metadata operations go to the leader). The
   * command is the group's canonical binary encoding; the reply carries the
   * encoded result once the entry is applied on the leader. A non-leader
   * answers NOT_LEADER with the leader's id when it knows it.
   */
  ForwardPropose(argument: _tessera_v1_ForwardProposeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ForwardProposeResponse__Output>): grpc.ClientUnaryCall;
  ForwardPropose(argument: _tessera_v1_ForwardProposeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ForwardProposeResponse__Output>): grpc.ClientUnaryCall;
  ForwardPropose(argument: _tessera_v1_ForwardProposeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ForwardProposeResponse__Output>): grpc.ClientUnaryCall;
  ForwardPropose(argument: _tessera_v1_ForwardProposeRequest, callback: grpc.requestCallback<_tessera_v1_ForwardProposeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Proposes one metadata-group command on the leader for a gateway node
   * (any node acts as gateway; metadata operations go to the leader). The
   * command is the group's canonical binary encoding; the reply carries the
   * encoded result once the entry is applied on the leader. A non-leader
   * answers NOT_LEADER with the leader's id when it knows it.
   */
  forwardPropose(argument: _tessera_v1_ForwardProposeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ForwardProposeResponse__Output>): grpc.ClientUnaryCall;
  forwardPropose(argument: _tessera_v1_ForwardProposeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ForwardProposeResponse__Output>): grpc.ClientUnaryCall;
  forwardPropose(argument: _tessera_v1_ForwardProposeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ForwardProposeResponse__Output>): grpc.ClientUnaryCall;
  forwardPropose(argument: _tessera_v1_ForwardProposeRequest, callback: grpc.requestCallback<_tessera_v1_ForwardProposeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Reads one shard record (or part of it) as a header then data frames.
   */
  GetShard(argument: _tessera_v1_GetShardRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_GetShardFrame__Output>;
  GetShard(argument: _tessera_v1_GetShardRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_GetShardFrame__Output>;
  /**
   * Reads one shard record (or part of it) as a header then data frames.
   */
  getShard(argument: _tessera_v1_GetShardRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_GetShardFrame__Output>;
  getShard(argument: _tessera_v1_GetShardRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_GetShardFrame__Output>;
  
  /**
   * Whether one device of the recipient holds a shard record (the placement
   * scrub checks every slot of the committed table this way). Answers from
   * the device's index only: no payload is read and no CRC is checked (the
   * device scrub does that). An unknown or failed device is an error status.
   */
  HasShard(argument: _tessera_v1_HasShardRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_HasShardResponse__Output>): grpc.ClientUnaryCall;
  HasShard(argument: _tessera_v1_HasShardRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_HasShardResponse__Output>): grpc.ClientUnaryCall;
  HasShard(argument: _tessera_v1_HasShardRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_HasShardResponse__Output>): grpc.ClientUnaryCall;
  HasShard(argument: _tessera_v1_HasShardRequest, callback: grpc.requestCallback<_tessera_v1_HasShardResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Whether one device of the recipient holds a shard record (the placement
   * scrub checks every slot of the committed table this way). Answers from
   * the device's index only: no payload is read and no CRC is checked (the
   * device scrub does that). An unknown or failed device is an error status.
   */
  hasShard(argument: _tessera_v1_HasShardRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_HasShardResponse__Output>): grpc.ClientUnaryCall;
  hasShard(argument: _tessera_v1_HasShardRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_HasShardResponse__Output>): grpc.ClientUnaryCall;
  hasShard(argument: _tessera_v1_HasShardRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_HasShardResponse__Output>): grpc.ClientUnaryCall;
  hasShard(argument: _tessera_v1_HasShardRequest, callback: grpc.requestCallback<_tessera_v1_HasShardResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stores one shard record on one device of the recipient: a header frame,
   * then data frames of at most 1 MiB. The reply comes after the record is
   * fsynced (group commit).
   */
  PutShard(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_PutShardReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_PutShardFrame>;
  PutShard(metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_PutShardReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_PutShardFrame>;
  PutShard(options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_PutShardReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_PutShardFrame>;
  PutShard(callback: grpc.requestCallback<_tessera_v1_PutShardReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_PutShardFrame>;
  /**
   * Stores one shard record on one device of the recipient: a header frame,
   * then data frames of at most 1 MiB. The reply comes after the record is
   * fsynced (group commit).
   */
  putShard(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_PutShardReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_PutShardFrame>;
  putShard(metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_PutShardReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_PutShardFrame>;
  putShard(options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_PutShardReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_PutShardFrame>;
  putShard(callback: grpc.requestCallback<_tessera_v1_PutShardReceipt__Output>): grpc.ClientWritableStream<_tessera_v1_PutShardFrame>;
  
}

/**
 * Shard records between storage nodes (peer port; node principals only).
 */
export interface FabricHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Where the recipient's bulk port listens (ADR 0026): shard writes go there
   * as raw bytes instead of PutShard frames. Empty when it serves none.
   */
  DescribeBulk: grpc.handleUnaryCall<_tessera_v1_DescribeBulkRequest__Output, _tessera_v1_DescribeBulkResponse>;
  
  /**
   * Proposes one metadata-group command on the leader for a gateway node
   * (any node acts as gateway; metadata operations go to the leader). The
   * command is the group's canonical binary encoding; the reply carries the
   * encoded result once the entry is applied on the leader. A non-leader
   * answers NOT_LEADER with the leader's id when it knows it.
   */
  ForwardPropose: grpc.handleUnaryCall<_tessera_v1_ForwardProposeRequest__Output, _tessera_v1_ForwardProposeResponse>;
  
  /**
   * Reads one shard record (or part of it) as a header then data frames.
   */
  GetShard: grpc.handleServerStreamingCall<_tessera_v1_GetShardRequest__Output, _tessera_v1_GetShardFrame>;
  
  /**
   * Whether one device of the recipient holds a shard record (the placement
   * scrub checks every slot of the committed table this way). Answers from
   * the device's index only: no payload is read and no CRC is checked (the
   * device scrub does that). An unknown or failed device is an error status.
   */
  HasShard: grpc.handleUnaryCall<_tessera_v1_HasShardRequest__Output, _tessera_v1_HasShardResponse>;
  
  /**
   * Stores one shard record on one device of the recipient: a header frame,
   * then data frames of at most 1 MiB. The reply comes after the record is
   * fsynced (group commit).
   */
  PutShard: grpc.handleClientStreamingCall<_tessera_v1_PutShardFrame__Output, _tessera_v1_PutShardReceipt>;
  
}

export interface FabricDefinition extends grpc.ServiceDefinition {
  DescribeBulk: MethodDefinition<_tessera_v1_DescribeBulkRequest, _tessera_v1_DescribeBulkResponse, _tessera_v1_DescribeBulkRequest__Output, _tessera_v1_DescribeBulkResponse__Output>
  ForwardPropose: MethodDefinition<_tessera_v1_ForwardProposeRequest, _tessera_v1_ForwardProposeResponse, _tessera_v1_ForwardProposeRequest__Output, _tessera_v1_ForwardProposeResponse__Output>
  GetShard: MethodDefinition<_tessera_v1_GetShardRequest, _tessera_v1_GetShardFrame, _tessera_v1_GetShardRequest__Output, _tessera_v1_GetShardFrame__Output>
  HasShard: MethodDefinition<_tessera_v1_HasShardRequest, _tessera_v1_HasShardResponse, _tessera_v1_HasShardRequest__Output, _tessera_v1_HasShardResponse__Output>
  PutShard: MethodDefinition<_tessera_v1_PutShardFrame, _tessera_v1_PutShardReceipt, _tessera_v1_PutShardFrame__Output, _tessera_v1_PutShardReceipt__Output>
}
