/**
 * gRPC requests by method and status code, on every Tessera server port.
 *
 * The interceptor runs first in the chain, so it sees every status —
 * including the authorization interceptor's refusals, which never reach a
 * handler. Only registered methods reach interceptors (grpc-js answers
 * unknown paths UNIMPLEMENTED before any), so the method label set is the
 * port's fixed service table: no caller chooses a label value.
 */
import * as grpc from '@grpc/grpc-js';
import type { Registry } from 'prom-client';
import { counterFrom, type Sample } from './families.js';
import { statusLabel } from './outcome.js';

const METHOD_PATH = /^\/([A-Za-z0-9_.]+)\/([A-Za-z0-9_]+)$/;

/** Calls ended, by method path and status code (plain counters: read by the metrics registry). */
export class RpcCounts {
  private readonly counts = new Map<string, { service: string; method: string; code: string; value: number }>();

  record(path: string, code: number): void {
    const match = METHOD_PATH.exec(path);
    const service = match?.[1] ?? 'unknown';
    const method = match?.[2] ?? 'unknown';
    const label = statusLabel(code);
    const key = `${service}/${method}/${label}`;
    const entry = this.counts.get(key);
    if (entry !== undefined) entry.value++;
    else this.counts.set(key, { service, method, code: label, value: 1 });
  }

  samples(extra: Readonly<Record<string, string>> = {}): Sample[] {
    return [...this.counts.values()].map((e) => ({ labels: { ...extra, service: e.service, method: e.method, code: e.code }, value: e.value }));
  }
}

/** Records each call's final status (or CANCELLED when the client went away first) exactly once. */
export function createRpcMetricsInterceptor(counts: RpcCounts): grpc.ServerInterceptor {
  return (descriptor, call) => {
    let recorded = false;
    const record = (code: number): void => {
      if (recorded) return;
      recorded = true;
      counts.record(descriptor.path, code);
    };
    return new grpc.ServerInterceptingCall(call, {
      start: (next) => {
        next({
          onCancel: () => record(grpc.status.CANCELLED),
        });
      },
      sendStatus: (status, next) => {
        record(status.code);
        next(status);
      },
    });
  };
}

/** Something with per-port request counts (a TesseraServer). */
export interface RpcCountSource {
  readonly kind: string;
  readonly rpc: RpcCounts;
}

/** `tessera_grpc_requests_total{port,service,method,code}` over the given servers. */
export function registerRpcMetrics(registry: Registry, servers: () => readonly (RpcCountSource | undefined)[]): void {
  counterFrom(registry, {
    name: 'tessera_grpc_requests_total',
    help: 'gRPC calls this process served, by port, service, method and final status code.',
    labelNames: ['port', 'service', 'method', 'code'],
    read: () => servers().flatMap((s) => (s === undefined ? [] : s.rpc.samples({ port: s.kind }))),
  });
}

/** Something with bulk-port request counts (a BulkServer, ADR 0026). */
export interface BulkCountSource {
  readonly counts: {
    requestSamples(): Sample[];
    byteSamples(): Sample[];
  };
}

/** `tessera_bulk_requests_total{kind,code}` and `tessera_bulk_received_bytes_total{kind}` of a node's bulk ports (their kinds differ). */
export function registerBulkMetrics(registry: Registry, servers: () => readonly (BulkCountSource | undefined)[]): void {
  counterFrom(registry, {
    name: 'tessera_bulk_requests_total',
    help: 'Requests the bulk ports (ADR 0026: shards between nodes, chunk uploads) answered, by request kind and answer code (OK or a Tessera error code).',
    labelNames: ['kind', 'code'],
    read: () => servers().flatMap((s) => s?.counts.requestSamples() ?? []),
  });
  counterFrom(registry, {
    name: 'tessera_bulk_received_bytes_total',
    help: 'Payload bytes of the requests the bulk ports handled, by request kind.',
    labelNames: ['kind'],
    read: () => servers().flatMap((s) => s?.counts.byteSamples() ?? []),
  });
}
