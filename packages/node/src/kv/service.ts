/**
 * The `tessera.v1.Kv` service on the client port: writes are proposed to the
 * metadata group through client sessions (a retry with the same seq is
 * answered, never applied twice), reads wait for a ReadIndex barrier on the
 * answering node and then read its applied state — on a follower too, so a
 * test can read every replica's state linearizably. `Writes` carries a
 * session's puts and deletes over one stream (ADR 0023, ./writes-stream.ts).
 */
import type * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError } from '@tessera/common';
import {
  u64Number,
  u64String,
  type KvDeleteRequest__Output,
  type KvDeleteResponse,
  type KvGetRequest__Output,
  type KvGetResponse,
  type KvOpenSessionRequest__Output,
  type KvOpenSessionResponse,
  type KvPutRequest__Output,
  type KvPutResponse,
  type KvScanRequest__Output,
  type KvScanResponse,
  type KvSession__Output,
  type KvWriteRequest__Output,
} from '@tessera/wire';
import { unary } from '@tessera/transport';
import { trace, tracing } from '@tessera/raft';
import { KV_LIMITS, encodeKvCommand, type SessionRef } from './commands.js';
import type { KvMachine, KvResult } from './machine.js';
import { writesHandler } from './writes-stream.js';

export const SCAN_DEFAULT_LIMIT = 1_000;
export const SCAN_MAX_LIMIT = 10_000;
/** Keys and values per Scan answer, well under the 4 MiB message limit. */
export const SCAN_MAX_BYTES = 2 * 1024 * 1024;

export interface KvServiceDeps {
  /** Proposes an encoded kv command in the group (tagging it for the kv machine) and yields its result. */
  readonly propose: (command: Buffer) => Promise<KvResult>;
  /** The linearizable read barrier (a planted bug may skip it: `read-without-readindex`). */
  readonly readIndex: () => Promise<number>;
  readonly machine: KvMachine;
  /** Leader time stamped into commands (ms). */
  readonly clock?: () => number;
}

function sessionOf(s: KvSession__Output | null): SessionRef {
  if (s === null) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a write needs a session');
  return { clientId: u64Number(s.clientId), seq: u64Number(s.seq), ackedThrough: u64Number(s.ackedThrough) };
}

function failed(result: KvResult): never {
  const code = result.kind === 'error' ? result.code : ErrorCodes.INTERNAL;
  throw new TesseraError(code, code === ErrorCodes.RAFT_SESSION_EXPIRED ? 'session expired or its reply forgotten: outcome unknown' : 'kv command refused');
}

export function kvService(deps: KvServiceDeps): grpc.UntypedServiceImplementation {
  const clock = deps.clock ?? Date.now;
  const { machine } = deps;
  const node = { propose: deps.propose, readIndex: deps.readIndex };
  const put = async (req: KvPutRequest__Output): Promise<KvPutResponse> => {
    if (tracing) trace('put');
    const cmd = encodeKvCommand({ op: 'put', timeMs: clock(), session: sessionOf(req.session), key: req.key, value: req.value });
    const result = await node.propose(cmd);
    if (result.kind !== 'put') failed(result);
    if (tracing) trace('put-done');
    return { index: u64String(result.index), duplicate: result.duplicate };
  };
  const del = async (req: KvDeleteRequest__Output): Promise<KvDeleteResponse> => {
    const cmd = encodeKvCommand({ op: 'delete', timeMs: clock(), session: sessionOf(req.session), key: req.key });
    const result = await node.propose(cmd);
    if (result.kind !== 'delete') failed(result);
    return { index: u64String(result.index), existed: result.existed, duplicate: result.duplicate };
  };
  return {
    OpenSession: unary<KvOpenSessionRequest__Output, KvOpenSessionResponse>(async () => {
      const result = await node.propose(encodeKvCommand({ op: 'openSession', timeMs: clock() }));
      if (result.kind !== 'session') failed(result);
      return { clientId: u64String(result.clientId) };
    }),
    Put: unary<KvPutRequest__Output, KvPutResponse>(put),
    Delete: unary<KvDeleteRequest__Output, KvDeleteResponse>(del),
    // The same writes over one stream per session (ADR 0023).
    Writes: writesHandler(async (req: KvWriteRequest__Output) => {
      if (req.op === 'put' && req.put != null) return { put: await put(req.put) };
      if (req.op === 'delete' && req.delete != null) return { delete: await del(req.delete) };
      throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a write is a put or a delete');
    }),
    Get: unary<KvGetRequest__Output, KvGetResponse>(async (req) => {
      if (req.key.byteLength === 0 || req.key.byteLength > KV_LIMITS.keyBytes) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `key must be 1 to ${KV_LIMITS.keyBytes} bytes`);
      const readIndex = await node.readIndex();
      const value = machine.get(req.key);
      return { found: value !== undefined, value: value ?? Buffer.alloc(0), readIndex: u64String(readIndex) };
    }),
    Scan: unary<KvScanRequest__Output, KvScanResponse>(async (req) => {
      if (req.limit > SCAN_MAX_LIMIT) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `scan limit is at most ${SCAN_MAX_LIMIT}`);
      const limit = req.limit === 0 ? SCAN_DEFAULT_LIMIT : req.limit;
      const readIndex = await node.readIndex();
      const { pairs, more } = machine.scan(req.start, req.end, limit, SCAN_MAX_BYTES);
      return {
        pairs: pairs.map(([key, value]) => ({ key, value })),
        more,
        readIndex: u64String(readIndex),
        appliedIndex: u64String(machine.appliedIndex()),
      };
    }),
  };
}
