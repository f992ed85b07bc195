/**
 * Typed access to the tessera.v1 services: client constructors (one per
 * service) and service definitions for servers, plus the list of every RPC
 * method, which authorization uses to prove each method is declared.
 */
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as AdminProto } from './generated/admin.js';
import type { ProtoGrpcType as DataProto } from './generated/data.js';
import type { ProtoGrpcType as FabricProto } from './generated/fabric.js';
import type { ProtoGrpcType as KeysProto } from './generated/keys.js';
import type { ProtoGrpcType as KvProto } from './generated/kv.js';
import type { ProtoGrpcType as RaftProto } from './generated/raft.js';
import { packageDefinition } from './loader.js';

/** Client constructors and definitions of package tessera.v1. */
export type TesseraV1 = AdminProto['tessera']['v1'] &
  DataProto['tessera']['v1'] &
  FabricProto['tessera']['v1'] &
  KeysProto['tessera']['v1'] &
  KvProto['tessera']['v1'] &
  RaftProto['tessera']['v1'];

export const PROTO_PACKAGE = 'tessera.v1';

/** Every service of tessera.v1. */
export const SERVICE_NAMES = ['Raft', 'Fabric', 'Data', 'Admin', 'Keys', 'Kv'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

let cached: TesseraV1 | undefined;

/**
 * The loaded package: `new (tesseraV1().Data)(address, credentials, options)`
 * builds a client, `tesseraV1().Data.service` is the server definition.
 */
export function tesseraV1(): TesseraV1 {
  if (cached === undefined) {
    const loaded = grpc.loadPackageDefinition(packageDefinition()) as unknown as {
      tessera: { v1: TesseraV1 };
    };
    cached = loaded.tessera.v1;
  }
  return cached;
}

/** One RPC method, as gRPC names it on the wire. */
export interface MethodInfo {
  /** Fully qualified service name, e.g. `tessera.v1.Data`. */
  readonly service: string;
  /** Method name, e.g. `PutObject`. */
  readonly method: string;
  /** HTTP/2 path, e.g. `/tessera.v1.Data/PutObject`. */
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
}

function isServiceDefinition(value: protoLoader.AnyDefinition): value is protoLoader.ServiceDefinition {
  return !('format' in value);
}

/** Every method of every service in `definition`, sorted by path. */
export function listMethods(definition: protoLoader.PackageDefinition = packageDefinition()): MethodInfo[] {
  const out: MethodInfo[] = [];
  for (const [service, value] of Object.entries(definition)) {
    if (!isServiceDefinition(value)) continue;
    for (const [method, def] of Object.entries(value)) {
      out.push({
        service,
        method,
        path: def.path,
        requestStream: def.requestStream,
        responseStream: def.responseStream,
      });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The service definition of one tessera.v1 service, for `server.addService`. */
export function serviceDefinition(name: ServiceName): grpc.ServiceDefinition {
  return tesseraV1()[name].service;
}
