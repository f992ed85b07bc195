import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { RaftClient as _tessera_v1_RaftClient, RaftDefinition as _tessera_v1_RaftDefinition } from './tessera/v1/Raft.js';
import type { RaftBatch as _tessera_v1_RaftBatch, RaftBatch__Output as _tessera_v1_RaftBatch__Output } from './tessera/v1/RaftBatch.js';
import type { RaftEnvelope as _tessera_v1_RaftEnvelope, RaftEnvelope__Output as _tessera_v1_RaftEnvelope__Output } from './tessera/v1/RaftEnvelope.js';
import type { RaftFeedback as _tessera_v1_RaftFeedback, RaftFeedback__Output as _tessera_v1_RaftFeedback__Output } from './tessera/v1/RaftFeedback.js';
import type { RaftRefused as _tessera_v1_RaftRefused, RaftRefused__Output as _tessera_v1_RaftRefused__Output } from './tessera/v1/RaftRefused.js';
import type { SnapshotFrame as _tessera_v1_SnapshotFrame, SnapshotFrame__Output as _tessera_v1_SnapshotFrame__Output } from './tessera/v1/SnapshotFrame.js';
import type { SnapshotHeader as _tessera_v1_SnapshotHeader, SnapshotHeader__Output as _tessera_v1_SnapshotHeader__Output } from './tessera/v1/SnapshotHeader.js';
import type { SnapshotReceipt as _tessera_v1_SnapshotReceipt, SnapshotReceipt__Output as _tessera_v1_SnapshotReceipt__Output } from './tessera/v1/SnapshotReceipt.js';
import type { SnapshotTrailer as _tessera_v1_SnapshotTrailer, SnapshotTrailer__Output as _tessera_v1_SnapshotTrailer__Output } from './tessera/v1/SnapshotTrailer.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tessera: {
    v1: {
      /**
       * Raft messages between members of one group (peer port; node and
       * key-manager principals of the group only).
       */
      Raft: SubtypeConstructor<typeof grpc.Client, _tessera_v1_RaftClient> & { service: _tessera_v1_RaftDefinition }
      RaftBatch: MessageTypeDefinition<_tessera_v1_RaftBatch, _tessera_v1_RaftBatch__Output>
      RaftEnvelope: MessageTypeDefinition<_tessera_v1_RaftEnvelope, _tessera_v1_RaftEnvelope__Output>
      RaftFeedback: MessageTypeDefinition<_tessera_v1_RaftFeedback, _tessera_v1_RaftFeedback__Output>
      RaftRefusal: EnumTypeDefinition
      RaftRefused: MessageTypeDefinition<_tessera_v1_RaftRefused, _tessera_v1_RaftRefused__Output>
      SnapshotFrame: MessageTypeDefinition<_tessera_v1_SnapshotFrame, _tessera_v1_SnapshotFrame__Output>
      SnapshotHeader: MessageTypeDefinition<_tessera_v1_SnapshotHeader, _tessera_v1_SnapshotHeader__Output>
      SnapshotReceipt: MessageTypeDefinition<_tessera_v1_SnapshotReceipt, _tessera_v1_SnapshotReceipt__Output>
      SnapshotTrailer: MessageTypeDefinition<_tessera_v1_SnapshotTrailer, _tessera_v1_SnapshotTrailer__Output>
    }
  }
}

