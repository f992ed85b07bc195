/**
 * The protobuf (de)serializers of single gRPC methods, for paths that carry
 * the same messages outside gRPC: the bulk ports (ADR 0026) frame a method's
 * request and response messages themselves, so that a shard or chunk written
 * there is decoded exactly as the gRPC call would decode it.
 *
 * grpc-js types a method definition's serializers loosely; the one cast from
 * it to the generated message types lives here, checked against the method's
 * name, rather than in each caller.
 */
import type * as grpc from '@grpc/grpc-js';
import type { PutChunkFrame, PutChunkFrame__Output } from './generated/tessera/v1/PutChunkFrame.js';
import type { PutChunkResponse, PutChunkResponse__Output } from './generated/tessera/v1/PutChunkResponse.js';
import type { PutShardFrame, PutShardFrame__Output } from './generated/tessera/v1/PutShardFrame.js';
import type { PutShardReceipt, PutShardReceipt__Output } from './generated/tessera/v1/PutShardReceipt.js';
import { serviceDefinition, type ServiceName } from './services.js';

/** A method's request and response codecs (the types the generated code gives its messages). */
export interface MethodCodec<Request, RequestOutput, Response, ResponseOutput> {
  requestSerialize(value: Request): Buffer;
  requestDeserialize(bytes: Buffer): RequestOutput;
  responseSerialize(value: Response): Buffer;
  responseDeserialize(bytes: Buffer): ResponseOutput;
}

export type PutShardCodec = MethodCodec<PutShardFrame, PutShardFrame__Output, PutShardReceipt, PutShardReceipt__Output>;
export type PutChunkCodec = MethodCodec<PutChunkFrame, PutChunkFrame__Output, PutChunkResponse, PutChunkResponse__Output>;

const cache = new Map<string, grpc.MethodDefinition<unknown, unknown>>();

function methodDefinition(service: ServiceName, method: string): grpc.MethodDefinition<unknown, unknown> {
  const key = `${service}/${method}`;
  let found = cache.get(key);
  if (found === undefined) {
    found = serviceDefinition(service)[method];
    if (found === undefined) throw new Error(`tessera.v1.${service} has no method ${method}`);
    cache.set(key, found);
  }
  return found;
}

/** `Fabric.PutShard`: a shard write between nodes. */
export function putShardCodec(): PutShardCodec {
  return methodDefinition('Fabric', 'PutShard') as unknown as PutShardCodec;
}

/** `Data.PutChunk`: a tenant's chunk upload. */
export function putChunkCodec(): PutChunkCodec {
  return methodDefinition('Data', 'PutChunk') as unknown as PutChunkCodec;
}
