/**
 * Fabric clients to other storage nodes, one channel per peer address, made
 * with this node's own certificate. A channel accepts only a node principal
 * of our trust domain as the server (the pool is keyed by address, and
 * addresses may be overridden or proxied; the certificate proves a node
 * answers). Every call has a deadline; failures come back as TesseraError
 * with the server's error code and leader hint (RpcFailure).
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';
import { crc32c } from '@tessera/erasure';
import type { ShardKey } from '@tessera/storage';
import { ClientTls, createClient, rpcFailure, type BulkClients, type ReloadableChannelCredentials, type TlsFiles } from '@tessera/transport';
import { tesseraV1, u64Number, u64String, type FabricClient, type GetShardFrame__Output } from '@tessera/wire';
import { BULK_PUT_SHARD, decodeBulkShardReceipt, encodeBulkShardHeader } from './bulk-shard.js';
import { GetShardAssembler, type ShardRange } from './get-assembler.js';
import { FABRIC_LIMITS } from './limits.js';
import { checkDeviceId, frameSlices, putHeadToWire, shardKeyToWire } from './wire-shard.js';

/** Whether a device holds a shard record (HasShard). */
export interface ShardPresence {
  readonly present: boolean;
  /** Payload bytes of the record; 0 when absent. */
  readonly length: number;
}

/** One shard to store on a device of another node. */
export interface RemoteShardWrite {
  readonly deviceId: string;
  readonly chunkId: Uint8Array;
  readonly writeId: Uint8Array;
  readonly shardIndex: number;
  /** Not copied: must stay unchanged until the call settles. */
  readonly payload: Uint8Array;
  readonly sysEpoch: number;
  readonly gatewayTime: number;
}

export interface FabricClientsOptions {
  /** This node's client-side TLS (its own certificate); must expect node principals as servers. */
  readonly tls: ClientTls;
  /** Deadline of a shard transfer (default 30 s). */
  readonly shardTimeoutMs?: number;
  /** Default deadline of a forwarded proposal (default 10 s). */
  readonly proposeTimeoutMs?: number;
  /** Largest shard this node reads back (default 16 MiB + 64 KiB). */
  readonly maxShardBytes?: number;
  /** Extra channel options (tests: `grpc.use_local_subchannel_pool`). */
  readonly channelOptions?: grpc.ChannelOptions;
  /** Shard writes over peers' bulk ports (ADR 0026) where one is known; PutShard otherwise. Closed with the pool. */
  readonly bulk?: BulkRoute;
}

/** Where shard writes go over a bulk port instead of Fabric.PutShard. */
export interface BulkRoute {
  readonly clients: BulkClients;
  /** The bulk port of the node at this peer address, when it has one. */
  bulkAddressOf(peerAddress: string): string | undefined;
  /** A bulk connection to this peer failed (its port may have moved). */
  failed?(peerAddress: string): void;
}

export interface FabricClientsFiles {
  readonly trustDomain: string;
  /** This node's certificate, key, cluster CA and CRL. */
  readonly tls: TlsFiles;
  /** Reload the files on change and SIGHUP (default true: a node is long-lived). */
  readonly watch?: boolean;
}

export interface GetShardOptions {
  /** Part of the payload; absent = the whole payload, CRC-32C-checked. */
  readonly range?: ShardRange;
  readonly timeoutMs?: number;
}

export class FabricClients {
  private readonly clients = new Map<string, FabricClient>();
  private closed = false;
  private ownedTls: ClientTls | undefined;
  private bulk: BulkRoute | undefined;

  constructor(private readonly options: FabricClientsOptions) {
    this.bulk = options.bulk;
  }

  /**
   * A pool with its own ClientTls built from the node's files (closed with the pool). `bulk`, when
   * given, makes the bulk route from the pool's TLS credentials and the pool itself (DescribeBulk).
   */
  static async create(
    files: FabricClientsFiles,
    options: Omit<FabricClientsOptions, 'tls'> = {},
    bulk?: (credentials: ReloadableChannelCredentials, pool: FabricClients) => BulkRoute,
  ): Promise<FabricClients> {
    const tls = await ClientTls.create({ trustDomain: files.trustDomain, tls: files.tls, expect: { kinds: ['node'] }, watch: files.watch ?? true });
    const pool = new FabricClients({ ...options, tls });
    pool.ownedTls = tls;
    if (bulk !== undefined) pool.bulk = bulk(tls.credentials, pool);
    return pool;
  }

  /** Streams the shard (header, then ≤ 1 MiB frames); resolves once the peer stored and fsynced it. */
  async putShard(address: string, write: RemoteShardWrite, timeoutMs?: number): Promise<void> {
    checkDeviceId(write.deviceId);
    const maxShardBytes = this.options.maxShardBytes ?? FABRIC_LIMITS.maxShardBytes;
    if (write.payload.length > maxShardBytes) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `shard longer than ${maxShardBytes} bytes`);
    const header = putHeadToWire({
      key: { chunkId: write.chunkId, writeId: write.writeId, shardIndex: write.shardIndex },
      deviceId: write.deviceId,
      sysEpoch: write.sysEpoch,
      gatewayTime: write.gatewayTime,
      length: write.payload.length,
      crc32c: crc32c(write.payload),
    });
    const route = this.bulk;
    const bulkAddress = route?.bulkAddressOf(address);
    if (bulkAddress !== undefined && route !== undefined) {
      if (this.closed) throw new TesseraError(ErrorCodes.TRANSPORT_CLOSED, 'fabric clients are closed');
      try {
        decodeBulkShardReceipt(await route.clients.request(bulkAddress, BULK_PUT_SHARD, encodeBulkShardHeader(header), write.payload, timeoutMs ?? this.shardTimeout()));
      } catch (err) {
        if (isTesseraError(err, ErrorCodes.TRANSPORT_PEER_UNREACHABLE)) route.failed?.(address);
        throw err;
      }
      return;
    }
    const client = this.client(address);
    let settled = false;
    let wake: (() => void) | undefined;
    const outcome = new Promise<void>((resolve, reject) => {
      const call = client.putShard(new grpc.Metadata(), { deadline: this.deadline(timeoutMs ?? this.shardTimeout()) }, (err) => {
        settled = true;
        wake?.();
        if (err === null) resolve();
        else reject(failure(err, shardDeadline));
      });
      // Errors reach the callback; a listener keeps a late stream error from going unhandled.
      call.on('error', () => undefined);
      const writeFrame = async (frame: Parameters<typeof call.write>[0]): Promise<void> => {
        if (settled || call.write(frame)) return;
        // Wait for the send buffer to drain, or for the call to end (the answer then tells why).
        await new Promise<void>((ready) => {
          wake = ready;
          call.once('drain', ready);
        });
        wake = undefined;
      };
      const send = async (): Promise<void> => {
        await writeFrame({ header });
        for (const data of frameSlices(write.payload)) {
          if (settled) return;
          await writeFrame({ data });
        }
        if (!settled) call.end();
      };
      send().catch(() => call.cancel());
    });
    await outcome;
  }

  /**
   * Reads a shard from a device of another node: the whole payload, checked
   * against the CRC-32C the peer recorded, or (options.range) part of it.
   */
  async getShard(address: string, key: ShardKey, deviceId: string, options: GetShardOptions = {}): Promise<Buffer> {
    checkDeviceId(deviceId);
    const client = this.client(address);
    const assembler = new GetShardAssembler(options.range, this.options.maxShardBytes ?? FABRIC_LIMITS.maxShardBytes);
    const range = options.range === undefined ? null : { offset: u64String(options.range.offset), length: u64String(options.range.length ?? 0) };
    return await new Promise<Buffer>((resolve, reject) => {
      let failed: TesseraError | undefined;
      const call = client.getShard({ key: shardKeyToWire(key), deviceId, range }, { deadline: this.deadline(options.timeoutMs ?? this.shardTimeout()) });
      call.on('data', (frame: GetShardFrame__Output) => {
        if (failed !== undefined) return;
        try {
          assembler.push(frame);
        } catch (err) {
          failed = err instanceof TesseraError ? err : new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, 'malformed shard stream');
          call.cancel();
        }
      });
      call.on('error', (err: grpc.ServiceError) => reject(failed ?? failure(err, shardDeadline)));
      call.on('end', () => {
        if (failed !== undefined) return reject(failed);
        try {
          resolve(assembler.finish());
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  /**
   * Whether a device of the node at `address` holds the shard record, and its
   * payload length (index only: no bytes read, no CRC checked).
   */
  async hasShard(address: string, key: ShardKey, deviceId: string, timeoutMs?: number): Promise<ShardPresence> {
    checkDeviceId(deviceId);
    const client = this.client(address);
    const deadline = this.deadline(timeoutMs ?? this.options.proposeTimeoutMs ?? FABRIC_LIMITS.proposeTimeoutMs);
    return await new Promise<ShardPresence>((resolve, reject) => {
      client.hasShard({ key: shardKeyToWire(key), deviceId }, new grpc.Metadata(), { deadline }, (err, response) => {
        if (err !== null) return reject(failure(err, shardDeadline));
        if (response === undefined || response.present !== true) return resolve({ present: false, length: 0 });
        try {
          resolve({ present: true, length: u64Number(response.length) });
        } catch {
          reject(new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, 'malformed HasShard answer'));
        }
      });
    });
  }

  /** The bulk address the node at `address` announces ('' when it serves none). */
  async describeBulk(address: string, timeoutMs?: number): Promise<string> {
    const client = this.client(address);
    const deadline = this.deadline(timeoutMs ?? this.options.proposeTimeoutMs ?? FABRIC_LIMITS.proposeTimeoutMs);
    return await new Promise<string>((resolve, reject) => {
      client.describeBulk({}, new grpc.Metadata(), { deadline }, (err, response) => {
        if (err !== null) return reject(failure(err, shardDeadline));
        resolve(response?.address ?? '');
      });
    });
  }

  /** Proposes an encoded metadata command on the node at `address` (the leader); resolves with the encoded result. */
  async forwardPropose(address: string, group: number, command: Buffer, timeoutMs?: number): Promise<Buffer> {
    if (command.length === 0 || command.length > FABRIC_LIMITS.maxCommandBytes) {
      throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `command must be 1..${FABRIC_LIMITS.maxCommandBytes} bytes`);
    }
    const client = this.client(address);
    const deadline = this.deadline(timeoutMs ?? this.options.proposeTimeoutMs ?? FABRIC_LIMITS.proposeTimeoutMs);
    return await new Promise<Buffer>((resolve, reject) => {
      client.forwardPropose({ group, command }, new grpc.Metadata(), { deadline }, (err, response) => {
        if (err !== null) return reject(failure(err, proposeDeadline));
        const result = response?.result ?? Buffer.alloc(0);
        if (result.length > FABRIC_LIMITS.maxResultBytes) return reject(new TesseraError(ErrorCodes.CODEC_FIELD_TOO_LONG, 'forwarded result too long'));
        resolve(result);
      });
    });
  }

  /** Closes every channel; later calls fail with TRANSPORT_CLOSED. */
  close(): void {
    this.closed = true;
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
    this.bulk?.clients.close();
    this.ownedTls?.close();
  }

  private client(address: string): FabricClient {
    if (this.closed) throw new TesseraError(ErrorCodes.TRANSPORT_CLOSED, 'fabric clients are closed');
    let client = this.clients.get(address);
    if (client === undefined) {
      client = createClient(tesseraV1().Fabric, address, this.options.tls, this.options.channelOptions);
      this.clients.set(address, client);
    }
    return client;
  }

  private shardTimeout(): number {
    return this.options.shardTimeoutMs ?? FABRIC_LIMITS.shardTimeoutMs;
  }

  private deadline(timeoutMs: number): Date {
    return new Date(Date.now() + timeoutMs);
  }
}

/** A shard transfer that ran out of time: the peer is slow or gone; another slot or a retry may do. */
function shardDeadline(): TesseraError {
  return new TesseraError(ErrorCodes.TRANSPORT_PEER_UNREACHABLE, 'peer did not complete the shard transfer in time', { retriable: true });
}

/** A proposal that ran out of time may still commit: only a session makes a retry safe. */
function proposeDeadline(): TesseraError {
  return new TesseraError(ErrorCodes.RAFT_UNKNOWN_OUTCOME, 'forwarded proposal timed out; it may still commit');
}

/** The server's code and leader hint when it sent one (RpcFailure); our own deadline otherwise. */
function failure(err: grpc.ServiceError, onDeadline: () => TesseraError): TesseraError {
  const rpc = rpcFailure(err);
  if (err.code === grpc.status.DEADLINE_EXCEEDED && rpc.code === ErrorCodes.INTERNAL) return onDeadline();
  return rpc;
}
