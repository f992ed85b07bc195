import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ByteRange as _tessera_v1_ByteRange, ByteRange__Output as _tessera_v1_ByteRange__Output } from './tessera/v1/ByteRange.js';
import type { MemberIdentity as _tessera_v1_MemberIdentity, MemberIdentity__Output as _tessera_v1_MemberIdentity__Output } from './tessera/v1/MemberIdentity.js';
import type { ObjectInfo as _tessera_v1_ObjectInfo, ObjectInfo__Output as _tessera_v1_ObjectInfo__Output } from './tessera/v1/ObjectInfo.js';
import type { ObjectRef as _tessera_v1_ObjectRef, ObjectRef__Output as _tessera_v1_ObjectRef__Output } from './tessera/v1/ObjectRef.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tessera: {
    v1: {
      ByteRange: MessageTypeDefinition<_tessera_v1_ByteRange, _tessera_v1_ByteRange__Output>
      MemberIdentity: MessageTypeDefinition<_tessera_v1_MemberIdentity, _tessera_v1_MemberIdentity__Output>
      ObjectInfo: MessageTypeDefinition<_tessera_v1_ObjectInfo, _tessera_v1_ObjectInfo__Output>
      ObjectRef: MessageTypeDefinition<_tessera_v1_ObjectRef, _tessera_v1_ObjectRef__Output>
    }
  }
}

