/**
 * The Fabric service on the peer port (node principals only; the
 * authorization table enforces it before a handler runs):
 *
 *  - PutShard: header then ≤ 1 MiB data frames → checked (sizes, order,
 *    length, CRC-32C) → stored on the named device → the receipt, sent only
 *    once the store resolved (after fsync, through group commit).
 *  - GetShard: the stored record (CRC-checked by the store: a damaged shard
 *    is an error status, never bad bytes) as a header, then the requested
 *    range in ≤ 1 MiB frames, respecting the caller's flow control.
 *  - ForwardPropose: a gateway's encoded metadata command, proposed here;
 *    a follower's NotLeaderError becomes RAFT_NOT_LEADER with the leader hint.
 *  - HasShard: whether a device's index names the record (and its payload
 *    length), for the placement scrub; no payload is read.
 *  - DescribeBulk: where this node's bulk port listens (ADR 0026), so a
 *    gateway can send shards there as raw bytes; empty when there is none.
 *
 * Failures become gRPC statuses carrying the Tessera error code (toStatus);
 * nothing else (no stack, no internal detail) reaches the caller.
 */
import type * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { crc32c } from '@tessera/erasure';
import type { ShardStore } from '@tessera/storage';
import { toStatus, unary } from '@tessera/transport';
import {
  u64Number,
  u64String,
  type ForwardProposeRequest__Output,
  type ForwardProposeResponse,
  type GetShardFrame,
  type GetShardRequest__Output,
  type DescribeBulkRequest__Output,
  type DescribeBulkResponse,
  type HasShardRequest__Output,
  type HasShardResponse,
  type PutShardFrame__Output,
  type PutShardReceipt,
} from '@tessera/wire';
import { resolveRange } from './get-assembler.js';
import { localShardLength } from './local-shard.js';
import { FABRIC_LIMITS } from './limits.js';
import { PutShardAssembler } from './put-assembler.js';
import { checkDeviceId, frameSlices, shardKeyFromWire } from './wire-shard.js';

export interface FabricServiceDeps {
  /** This node's devices. */
  readonly store: ShardStore;
  /**
   * Proposes an encoded metadata command on this node (it must be the leader:
   * RaftNode.propose rejects with NotLeaderError otherwise, which reaches the
   * caller as RAFT_NOT_LEADER with the leader hint). Returns the encoded result.
   */
  readonly propose: (group: number, command: Buffer) => Promise<Buffer>;
  /** Largest shard payload accepted (default 16 MiB + 64 KiB). */
  readonly maxShardBytes?: number;
  /** host:port of this node's bulk port (ADR 0026), answered by DescribeBulk; absent when it serves none. */
  readonly bulkAddress?: () => string | undefined;
}

type PutShardCall = grpc.ServerReadableStream<PutShardFrame__Output, PutShardReceipt>;
type GetShardCall = grpc.ServerWritableStream<GetShardRequest__Output, GetShardFrame>;

export function fabricService(deps: FabricServiceDeps): grpc.UntypedServiceImplementation {
  const maxShardBytes = deps.maxShardBytes ?? FABRIC_LIMITS.maxShardBytes;
  return {
    PutShard: (call: PutShardCall, callback: grpc.sendUnaryData<PutShardReceipt>) => putShard(deps.store, maxShardBytes, call, callback),
    GetShard: (call: GetShardCall) => void getShard(deps.store, call),
    ForwardPropose: unary<ForwardProposeRequest__Output, ForwardProposeResponse>(async (request) => {
      if (request.command.length === 0) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'empty command');
      if (request.command.length > FABRIC_LIMITS.maxCommandBytes) {
        throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `command longer than ${FABRIC_LIMITS.maxCommandBytes} bytes`);
      }
      return { result: await deps.propose(request.group, request.command) };
    }),
    HasShard: unary<HasShardRequest__Output, HasShardResponse>(async (request) => {
      const key = shardKeyFromWire(request.key);
      const deviceId = checkDeviceId(request.deviceId);
      return hasShardAnswer(await localShardLength(deps.store, deviceId, key));
    }),
    DescribeBulk: unary<DescribeBulkRequest__Output, DescribeBulkResponse>(() => Promise.resolve({ address: deps.bulkAddress?.() ?? '' })),
  };
}

function hasShardAnswer(length: number | undefined): HasShardResponse {
  return length === undefined ? { present: false, length: '0' } : { present: true, length: u64String(length) };
}

function putShard(store: ShardStore, maxShardBytes: number, call: PutShardCall, callback: grpc.sendUnaryData<PutShardReceipt>): void {
  const assembler = new PutShardAssembler(maxShardBytes);
  let answered = false;
  const answer = (err: unknown, receipt?: PutShardReceipt): void => {
    if (answered) return;
    answered = true;
    if (receipt !== undefined) callback(null, receipt);
    else callback(toStatus(err));
  };
  call.on('data', (frame: PutShardFrame__Output) => {
    if (answered) return;
    try {
      assembler.push(frame);
      // Refuse a device this node does not have before the payload travels.
      if (frame.kind === 'header' && assembler.deviceId !== undefined) store.device(assembler.deviceId);
    } catch (err) {
      answer(err);
    }
  });
  call.on('end', () => {
    if (answered) return;
    let shard;
    try {
      shard = assembler.finish();
    } catch (err) {
      answer(err);
      return;
    }
    store.putShard(shard.deviceId, shard.write).then(
      (location) => answer(null, { offset: u64String(location.offset) }),
      (err: unknown) => answer(err),
    );
  });
  // Cancelled before its last frame: nothing is stored. Cancelled while the store writes: the record
  // lands unreferenced and is reclaimed as an orphan (gatewayTime + orphanTTL). Nobody is left to answer.
  call.on('cancelled', () => (answered = true));
  call.on('error', () => (answered = true));
}

async function getShard(store: ShardStore, call: GetShardCall): Promise<void> {
  let cancelled = false;
  call.on('cancelled', () => (cancelled = true));
  try {
    const request = call.request;
    const key = shardKeyFromWire(request.key);
    const deviceId = checkDeviceId(request.deviceId);
    const stored = await store.readShard(deviceId, key);
    const range = resolveRange(
      request.range === null ? undefined : { offset: u64Number(request.range.offset), length: u64Number(request.range.length) },
      stored.payload.length,
    );
    if (cancelled) return;
    const header: GetShardFrame = {
      header: { length: u64String(stored.payload.length), crc32c: crc32c(stored.payload), sysEpoch: u64String(stored.sysEpoch) },
    };
    if (!call.write(header)) await drained(call);
    for (const slice of frameSlices(stored.payload.subarray(range.offset, range.offset + range.length))) {
      if (cancelled) return;
      if (!call.write({ data: slice })) await drained(call);
    }
    call.end();
  } catch (err) {
    if (!cancelled) call.emit('error', toStatus(err));
  }
}

/** Resolves when the call's send buffer drained (or the call ended: then nothing more is written). */
function drained(call: GetShardCall): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      call.off('cancelled', done);
      call.off('close', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
    call.on('close', done);
  });
}
