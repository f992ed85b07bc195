/**
 * Generic gRPC invocation for table-driven tests: call any method by path
 * with a list of request messages, whatever its streaming shape, and report
 * the final status.
 */
import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import { ReflectionService } from '@grpc/reflection';
import { packageDefinition } from '@tessera/wire';
import type * as protoLoader from '@grpc/proto-loader';

export type AnyMethod = MethodDefinition<unknown, unknown, unknown, unknown>;

function reflectionDefinitions(): protoLoader.ServiceDefinition[] {
  const defs: protoLoader.ServiceDefinition[] = [];
  new ReflectionService(packageDefinition()).addToServer({
    addService: (definition) => {
      defs.push(definition as unknown as protoLoader.ServiceDefinition);
    },
  });
  return defs;
}

/** Every method a Tessera port can serve: tessera.v1, health, reflection. */
export function allServedMethods(): Map<string, AnyMethod> {
  const out = new Map<string, AnyMethod>();
  const add = (def: protoLoader.ServiceDefinition | grpc.ServiceDefinition): void => {
    for (const m of Object.values(def)) out.set(m.path, m as unknown as AnyMethod);
  };
  for (const value of Object.values(packageDefinition())) {
    if (!('format' in value)) add(value as protoLoader.ServiceDefinition);
  }
  add(healthService as unknown as protoLoader.ServiceDefinition);
  for (const d of reflectionDefinitions()) add(d);
  return out;
}

export interface CallOutcome {
  readonly code: grpc.status;
  readonly details: string;
}

export function invoke(
  client: grpc.Client,
  method: AnyMethod,
  messages: readonly unknown[],
  metadata: grpc.Metadata = new grpc.Metadata(),
  deadlineMs = 5000,
): Promise<CallOutcome> {
  const deadline = Date.now() + deadlineMs;
  const ser = method.requestSerialize as (value: unknown) => Buffer;
  const de = method.responseDeserialize as (bytes: Buffer) => unknown;
  const [first] = messages;
  return new Promise<CallOutcome>((resolve) => {
    const done = (err: grpc.ServiceError | null): void =>
      resolve(err === null ? { code: grpc.status.OK, details: '' } : { code: err.code, details: err.details });
    if (!method.requestStream && !method.responseStream) {
      client.makeUnaryRequest(method.path, ser, de, first ?? {}, metadata, { deadline }, (err) => done(err));
      return;
    }
    if (method.requestStream && !method.responseStream) {
      const call = client.makeClientStreamRequest(method.path, ser, de, metadata, { deadline }, (err) => done(err));
      call.on('error', () => undefined);
      for (const m of messages) call.write(m);
      call.end();
      return;
    }
    const onStatus = (status: grpc.StatusObject): void => resolve({ code: status.code, details: status.details });
    if (method.requestStream) {
      const call = client.makeBidiStreamRequest(method.path, ser, de, metadata, { deadline });
      call.on('data', () => undefined);
      call.on('error', () => undefined);
      call.on('status', onStatus);
      for (const m of messages) call.write(m);
      call.end();
    } else {
      const call = client.makeServerStreamRequest(method.path, ser, de, first ?? {}, metadata, { deadline });
      call.on('data', () => undefined);
      call.on('error', () => undefined);
      call.on('status', onStatus);
    }
  });
}

/** What stub handlers saw, by method path. */
export interface StubCounters {
  /** Handler invocations (a refused call must never add one). */
  readonly calls: Map<string, number>;
  /** Request messages delivered to handlers. */
  readonly messages: Map<string, number>;
}

export function newCounters(): StubCounters {
  return { calls: new Map(), messages: new Map() };
}

function bump(map: Map<string, number>, path: string): void {
  map.set(path, (map.get(path) ?? 0) + 1);
}

/**
 * Stub handlers for every method of a service definition: each counts its
 * invocation and the request messages it receives, and completes successfully.
 */
export function stubService(definition: grpc.ServiceDefinition | protoLoader.ServiceDefinition, counters: StubCounters): grpc.UntypedServiceImplementation {
  const impl: grpc.UntypedServiceImplementation = {};
  for (const [name, m] of Object.entries(definition)) {
    const path = m.path;
    const invoked = (): void => bump(counters.calls, path);
    const received = (): void => bump(counters.messages, path);
    if (!m.requestStream && !m.responseStream) {
      impl[name] = (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        invoked();
        received();
        cb(null, {});
      };
    } else if (m.requestStream && !m.responseStream) {
      impl[name] = (call: grpc.ServerReadableStream<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        invoked();
        call.on('data', received);
        call.on('end', () => cb(null, {}));
        call.on('error', () => undefined);
      };
    } else if (!m.requestStream && m.responseStream) {
      impl[name] = (call: grpc.ServerWritableStream<unknown, unknown>) => {
        invoked();
        received();
        call.end();
      };
    } else {
      impl[name] = (call: grpc.ServerDuplexStream<unknown, unknown>) => {
        invoked();
        call.on('data', received);
        call.on('end', () => call.end());
        call.on('error', () => undefined);
      };
    }
  }
  return impl;
}
