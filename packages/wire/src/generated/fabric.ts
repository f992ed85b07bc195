import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ByteRange as _tessera_v1_ByteRange, ByteRange__Output as _tessera_v1_ByteRange__Output } from './tessera/v1/ByteRange.js';
import type { DescribeBulkRequest as _tessera_v1_DescribeBulkRequest, DescribeBulkRequest__Output as _tessera_v1_DescribeBulkRequest__Output } from './tessera/v1/DescribeBulkRequest.js';
import type { DescribeBulkResponse as _tessera_v1_DescribeBulkResponse, DescribeBulkResponse__Output as _tessera_v1_DescribeBulkResponse__Output } from './tessera/v1/DescribeBulkResponse.js';
import type { FabricClient as _tessera_v1_FabricClient, FabricDefinition as _tessera_v1_FabricDefinition } from './tessera/v1/Fabric.js';
import type { ForwardProposeRequest as _tessera_v1_ForwardProposeRequest, ForwardProposeRequest__Output as _tessera_v1_ForwardProposeRequest__Output } from './tessera/v1/ForwardProposeRequest.js';
import type { ForwardProposeResponse as _tessera_v1_ForwardProposeResponse, ForwardProposeResponse__Output as _tessera_v1_ForwardProposeResponse__Output } from './tessera/v1/ForwardProposeResponse.js';
import type { GetShardFrame as _tessera_v1_GetShardFrame, GetShardFrame__Output as _tessera_v1_GetShardFrame__Output } from './tessera/v1/GetShardFrame.js';
import type { GetShardHeader as _tessera_v1_GetShardHeader, GetShardHeader__Output as _tessera_v1_GetShardHeader__Output } from './tessera/v1/GetShardHeader.js';
import type { GetShardRequest as _tessera_v1_GetShardRequest, GetShardRequest__Output as _tessera_v1_GetShardRequest__Output } from './tessera/v1/GetShardRequest.js';
import type { HasShardRequest as _tessera_v1_HasShardRequest, HasShardRequest__Output as _tessera_v1_HasShardRequest__Output } from './tessera/v1/HasShardRequest.js';
import type { HasShardResponse as _tessera_v1_HasShardResponse, HasShardResponse__Output as _tessera_v1_HasShardResponse__Output } from './tessera/v1/HasShardResponse.js';
import type { MemberIdentity as _tessera_v1_MemberIdentity, MemberIdentity__Output as _tessera_v1_MemberIdentity__Output } from './tessera/v1/MemberIdentity.js';
import type { PutShardFrame as _tessera_v1_PutShardFrame, PutShardFrame__Output as _tessera_v1_PutShardFrame__Output } from './tessera/v1/PutShardFrame.js';
import type { PutShardHeader as _tessera_v1_PutShardHeader, PutShardHeader__Output as _tessera_v1_PutShardHeader__Output } from './tessera/v1/PutShardHeader.js';
import type { PutShardReceipt as _tessera_v1_PutShardReceipt, PutShardReceipt__Output as _tessera_v1_PutShardReceipt__Output } from './tessera/v1/PutShardReceipt.js';
import type { ShardKey as _tessera_v1_ShardKey, ShardKey__Output as _tessera_v1_ShardKey__Output } from './tessera/v1/ShardKey.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tessera: {
    v1: {
      ByteRange: MessageTypeDefinition<_tessera_v1_ByteRange, _tessera_v1_ByteRange__Output>
      DescribeBulkRequest: MessageTypeDefinition<_tessera_v1_DescribeBulkRequest, _tessera_v1_DescribeBulkRequest__Output>
      DescribeBulkResponse: MessageTypeDefinition<_tessera_v1_DescribeBulkResponse, _tessera_v1_DescribeBulkResponse__Output>
      /**
       * Shard records between storage nodes (peer port; node principals only).
       */
      Fabric: SubtypeConstructor<typeof grpc.Client, _tessera_v1_FabricClient> & { service: _tessera_v1_FabricDefinition }
      ForwardProposeRequest: MessageTypeDefinition<_tessera_v1_ForwardProposeRequest, _tessera_v1_ForwardProposeRequest__Output>
      ForwardProposeResponse: MessageTypeDefinition<_tessera_v1_ForwardProposeResponse, _tessera_v1_ForwardProposeResponse__Output>
      GetShardFrame: MessageTypeDefinition<_tessera_v1_GetShardFrame, _tessera_v1_GetShardFrame__Output>
      GetShardHeader: MessageTypeDefinition<_tessera_v1_GetShardHeader, _tessera_v1_GetShardHeader__Output>
      GetShardRequest: MessageTypeDefinition<_tessera_v1_GetShardRequest, _tessera_v1_GetShardRequest__Output>
      HasShardRequest: MessageTypeDefinition<_tessera_v1_HasShardRequest, _tessera_v1_HasShardRequest__Output>
      HasShardResponse: MessageTypeDefinition<_tessera_v1_HasShardResponse, _tessera_v1_HasShardResponse__Output>
      MemberIdentity: MessageTypeDefinition<_tessera_v1_MemberIdentity, _tessera_v1_MemberIdentity__Output>
      PutShardFrame: MessageTypeDefinition<_tessera_v1_PutShardFrame, _tessera_v1_PutShardFrame__Output>
      PutShardHeader: MessageTypeDefinition<_tessera_v1_PutShardHeader, _tessera_v1_PutShardHeader__Output>
      PutShardReceipt: MessageTypeDefinition<_tessera_v1_PutShardReceipt, _tessera_v1_PutShardReceipt__Output>
      ShardKey: MessageTypeDefinition<_tessera_v1_ShardKey, _tessera_v1_ShardKey__Output>
    }
  }
}

