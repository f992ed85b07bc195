/**
 * A bounded outcome label for a failed operation: the gRPC status class the
 * caller sees (`not_found`, `unavailable`, ...), never the error's message
 * or anything it names (O1).
 */
import * as grpc from '@grpc/grpc-js';
import { toStatus } from '../rpc/status.js';

/** `ok` on success, else the lower-case gRPC status name of what the caller is told. */
export function outcomeOf(err: unknown): string {
  if (err === undefined) return 'ok';
  return statusLabel(toStatus(err).code ?? grpc.status.UNKNOWN).toLowerCase();
}

/** The gRPC status name (`OK`, `NOT_FOUND`, ...) of a code; `UNKNOWN` for codes outside the enum. */
export function statusLabel(code: number): string {
  const name = (grpc.status as unknown as Record<number, string | undefined>)[code];
  return typeof name === 'string' ? name : 'UNKNOWN';
}
