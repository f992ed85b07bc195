import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { KvClient as _tessera_v1_KvClient, KvDefinition as _tessera_v1_KvDefinition } from './tessera/v1/Kv.js';
import type { KvDeleteRequest as _tessera_v1_KvDeleteRequest, KvDeleteRequest__Output as _tessera_v1_KvDeleteRequest__Output } from './tessera/v1/KvDeleteRequest.js';
import type { KvDeleteResponse as _tessera_v1_KvDeleteResponse, KvDeleteResponse__Output as _tessera_v1_KvDeleteResponse__Output } from './tessera/v1/KvDeleteResponse.js';
import type { KvGetRequest as _tessera_v1_KvGetRequest, KvGetRequest__Output as _tessera_v1_KvGetRequest__Output } from './tessera/v1/KvGetRequest.js';
import type { KvGetResponse as _tessera_v1_KvGetResponse, KvGetResponse__Output as _tessera_v1_KvGetResponse__Output } from './tessera/v1/KvGetResponse.js';
import type { KvOpenSessionRequest as _tessera_v1_KvOpenSessionRequest, KvOpenSessionRequest__Output as _tessera_v1_KvOpenSessionRequest__Output } from './tessera/v1/KvOpenSessionRequest.js';
import type { KvOpenSessionResponse as _tessera_v1_KvOpenSessionResponse, KvOpenSessionResponse__Output as _tessera_v1_KvOpenSessionResponse__Output } from './tessera/v1/KvOpenSessionResponse.js';
import type { KvPair as _tessera_v1_KvPair, KvPair__Output as _tessera_v1_KvPair__Output } from './tessera/v1/KvPair.js';
import type { KvPutRequest as _tessera_v1_KvPutRequest, KvPutRequest__Output as _tessera_v1_KvPutRequest__Output } from './tessera/v1/KvPutRequest.js';
import type { KvPutResponse as _tessera_v1_KvPutResponse, KvPutResponse__Output as _tessera_v1_KvPutResponse__Output } from './tessera/v1/KvPutResponse.js';
import type { KvScanRequest as _tessera_v1_KvScanRequest, KvScanRequest__Output as _tessera_v1_KvScanRequest__Output } from './tessera/v1/KvScanRequest.js';
import type { KvScanResponse as _tessera_v1_KvScanResponse, KvScanResponse__Output as _tessera_v1_KvScanResponse__Output } from './tessera/v1/KvScanResponse.js';
import type { KvSession as _tessera_v1_KvSession, KvSession__Output as _tessera_v1_KvSession__Output } from './tessera/v1/KvSession.js';
import type { KvWriteFailure as _tessera_v1_KvWriteFailure, KvWriteFailure__Output as _tessera_v1_KvWriteFailure__Output } from './tessera/v1/KvWriteFailure.js';
import type { KvWriteReply as _tessera_v1_KvWriteReply, KvWriteReply__Output as _tessera_v1_KvWriteReply__Output } from './tessera/v1/KvWriteReply.js';
import type { KvWriteRequest as _tessera_v1_KvWriteRequest, KvWriteRequest__Output as _tessera_v1_KvWriteRequest__Output } from './tessera/v1/KvWriteRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tessera: {
    v1: {
      /**
       * Replicated key-value store for tests and benchmarks (client port; cluster
       * admin principals only).
       */
      Kv: SubtypeConstructor<typeof grpc.Client, _tessera_v1_KvClient> & { service: _tessera_v1_KvDefinition }
      KvDeleteRequest: MessageTypeDefinition<_tessera_v1_KvDeleteRequest, _tessera_v1_KvDeleteRequest__Output>
      KvDeleteResponse: MessageTypeDefinition<_tessera_v1_KvDeleteResponse, _tessera_v1_KvDeleteResponse__Output>
      KvGetRequest: MessageTypeDefinition<_tessera_v1_KvGetRequest, _tessera_v1_KvGetRequest__Output>
      KvGetResponse: MessageTypeDefinition<_tessera_v1_KvGetResponse, _tessera_v1_KvGetResponse__Output>
      KvOpenSessionRequest: MessageTypeDefinition<_tessera_v1_KvOpenSessionRequest, _tessera_v1_KvOpenSessionRequest__Output>
      KvOpenSessionResponse: MessageTypeDefinition<_tessera_v1_KvOpenSessionResponse, _tessera_v1_KvOpenSessionResponse__Output>
      KvPair: MessageTypeDefinition<_tessera_v1_KvPair, _tessera_v1_KvPair__Output>
      KvPutRequest: MessageTypeDefinition<_tessera_v1_KvPutRequest, _tessera_v1_KvPutRequest__Output>
      KvPutResponse: MessageTypeDefinition<_tessera_v1_KvPutResponse, _tessera_v1_KvPutResponse__Output>
      KvScanRequest: MessageTypeDefinition<_tessera_v1_KvScanRequest, _tessera_v1_KvScanRequest__Output>
      KvScanResponse: MessageTypeDefinition<_tessera_v1_KvScanResponse, _tessera_v1_KvScanResponse__Output>
      KvSession: MessageTypeDefinition<_tessera_v1_KvSession, _tessera_v1_KvSession__Output>
      KvWriteFailure: MessageTypeDefinition<_tessera_v1_KvWriteFailure, _tessera_v1_KvWriteFailure__Output>
      KvWriteReply: MessageTypeDefinition<_tessera_v1_KvWriteReply, _tessera_v1_KvWriteReply__Output>
      KvWriteRequest: MessageTypeDefinition<_tessera_v1_KvWriteRequest, _tessera_v1_KvWriteRequest__Output>
    }
  }
}

