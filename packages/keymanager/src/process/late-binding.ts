/**
 * The keys port must listen before Raft starts (a bootstrapping member
 * commits its own address in the first configuration), but the Keys service
 * needs Raft. So the port starts with stand-ins: a Keys service that answers
 * UNAVAILABLE ("starting") until the real one is bound, and an audit sink
 * that keeps the first refusals (bounded) until the real one takes them.
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { toStatus, type AuditEvent, type AuditSink } from '@tessera/transport';
import { serviceDefinition, type ServiceName } from '@tessera/wire';

type AnyHandler = (call: unknown, callback?: unknown) => unknown;

export class LateService {
  #impl: grpc.UntypedServiceImplementation | undefined;
  readonly implementation: grpc.UntypedServiceImplementation = {};

  constructor(name: ServiceName) {
    for (const [method, def] of Object.entries(serviceDefinition(name))) {
      this.implementation[method] = ((call: { emit(event: string, value: unknown): boolean }, callback?: grpc.sendUnaryData<unknown>) => {
        const real = this.#impl?.[method] as AnyHandler | undefined;
        if (real !== undefined) return real(call, callback);
        const status = toStatus(new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'the key manager is starting', { retriable: true }));
        if (def.responseStream || callback === undefined) call.emit('error', status);
        else callback(status);
        return undefined;
      }) as grpc.UntypedHandleCall;
    }
  }

  bind(impl: grpc.UntypedServiceImplementation): void {
    this.#impl = impl;
  }
}

const EARLY_EVENTS = 1_000;

export class LateAuditSink implements AuditSink {
  #target: AuditSink | undefined;
  #early: AuditEvent[] = [];
  dropped = 0;

  record(event: AuditEvent): void {
    if (this.#target !== undefined) {
      this.#target.record(event);
      return;
    }
    if (this.#early.length < EARLY_EVENTS) this.#early.push(event);
    else this.dropped++;
  }

  bind(target: AuditSink): void {
    this.#target = target;
    for (const e of this.#early.splice(0)) target.record(e);
  }
}
