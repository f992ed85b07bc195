/**
 * A client of a node cluster's client ports, for tests, the benchmark and
 * (later) scripts: Admin membership calls and the Kv test service, over mTLS
 * with an admin certificate, checking that each address answers as the node
 * it is supposed to be.
 *
 * Writes and membership changes go to the leader: a node that is not the
 * leader answers UNAVAILABLE naming the leader when it knows it, and the
 * client goes there; otherwise it tries the next node after a short,
 * growing pause, until its retry deadline. A write whose outcome is unknown
 * (ABORTED, DEADLINE_EXCEEDED, a dropped connection) is retried with the
 * same session seq, which the state machine answers from its session table
 * if the first attempt did commit — so a retry never applies twice.
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { NodeId } from '@tessera/raft';
import { ClientTls, RpcFailure, createClient, failureFromFields, rpcFailure, type TlsFiles } from '@tessera/transport';
import {
  tesseraV1,
  u64Number,
  u64String,
  type AddMemberResponse__Output,
  type AdminClient,
  type ClusterStatusResponse__Output,
  type KvClient,
  type KvDeleteResponse__Output,
  type KvGetResponse__Output,
  type KvOpenSessionResponse__Output,
  type KvPutResponse__Output,
  type KvScanResponse__Output,
  type KvWriteReply__Output,
  type KvWriteRequest,
  type RemoveMemberResponse__Output,
  type DeviceStatus__Output,
  type ListDevicesResponse__Output,
  type MaintenanceStatusResponse__Output,
  type StartScrubResponse__Output,
  type TransferLeaderResponse__Output,
} from '@tessera/wire';
import { WritesStream } from './writes-stream.js';

export interface ClusterClientOptions {
  readonly trustDomain: string;
  /** Admin certificate, key, cluster CA and CRL. */
  readonly tls: TlsFiles;
  /** Client-port address of each node. */
  readonly nodes: ReadonlyMap<NodeId, string> | Readonly<Record<NodeId, string>>;
  /** Deadline of one attempt. Default 5 s. */
  readonly attemptTimeoutMs?: number;
  /** How long a call keeps retrying (other nodes, unknown outcomes). Default 30 s. */
  readonly retryTimeoutMs?: number;
  /**
   * Session writes go over one `Kv.Writes` stream per session to the leader
   * (ADR 0023), falling back to unary Put/Delete calls for a write the
   * stream could not settle. Default true; false: unary calls only.
   */
  readonly streamWrites?: boolean;
}

export interface MemberView {
  readonly id: NodeId;
  readonly incarnationId: string;
  readonly address: string;
  readonly role: 'voter' | 'learner';
  readonly matchIndex: number;
  readonly reachable: boolean;
}

export interface NodeStatus {
  readonly nodeId: NodeId;
  readonly clusterId: string;
  readonly leaderId: NodeId;
  readonly term: number;
  readonly commitIndex: number;
  readonly appliedIndex: number;
  readonly snapshotIndex: number;
  readonly firstLogIndex: number;
  readonly snapshotsInstalled: number;
  /** SHA-256 of the metadata state at the node's applied index ('' when not computed). */
  readonly stateDigest: string;
  readonly members: readonly MemberView[];
}

export interface PutResult {
  readonly index: number;
  readonly duplicate: boolean;
}

export { RpcFailure };

interface NodeChannels {
  readonly address: string;
  readonly tls: ClientTls;
  readonly admin: AdminClient;
  readonly kv: KvClient;
}

/** Starts one unary call with the given options; the callback receives its outcome. */
type Invoke<Res> = (options: grpc.CallOptions, callback: (err: grpc.ServiceError | null, res?: Res) => void) => unknown;

/** Which failures may be retried (on another node, or the same one later). */
function retriable(status: grpc.status, unknownOk: boolean): boolean {
  if (status === grpc.status.UNAVAILABLE || status === grpc.status.CANCELLED) return true;
  return unknownOk && (status === grpc.status.ABORTED || status === grpc.status.DEADLINE_EXCEEDED);
}

function parseStatus(s: ClusterStatusResponse__Output): NodeStatus {
  return {
    nodeId: s.nodeId,
    clusterId: s.clusterId,
    leaderId: s.leaderId,
    term: u64Number(s.term),
    commitIndex: u64Number(s.commitIndex),
    appliedIndex: u64Number(s.appliedIndex),
    snapshotIndex: u64Number(s.snapshotIndex),
    firstLogIndex: u64Number(s.firstLogIndex),
    snapshotsInstalled: u64Number(s.snapshotsInstalled),
    stateDigest: s.stateDigest,
    members: s.members.map((m) => ({
      id: m.identity?.id ?? '',
      incarnationId: m.identity?.incarnationId ?? '',
      address: m.identity?.address ?? '',
      role: m.role === 'MEMBER_ROLE_LEARNER' ? 'learner' : 'voter',
      matchIndex: u64Number(m.matchIndex),
      reachable: m.reachable,
    })),
  };
}

export class ClusterClient {
  private readonly addresses = new Map<NodeId, string>();
  private readonly channels = new Map<NodeId, Promise<NodeChannels>>();
  private leaderHint: NodeId | undefined;
  private readonly attemptTimeoutMs: number;
  private readonly retryTimeoutMs: number;
  /** Open Writes streams (closed with their node's channels and by `close`). */
  private readonly streams = new Set<WritesStream>();
  /** @internal See ClusterClientOptions.streamWrites. */
  readonly streamWrites: boolean;
  /** Session writes settled over a Writes stream, and through unary calls (no stream, or the stream could not settle them). */
  readonly writeCounts = { streamed: 0, unary: 0 };

  constructor(private readonly options: ClusterClientOptions) {
    const nodes = options.nodes instanceof Map ? options.nodes : new Map(Object.entries(options.nodes));
    for (const [id, address] of nodes) this.addresses.set(id, address);
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 5_000;
    this.retryTimeoutMs = options.retryTimeoutMs ?? 30_000;
    this.streamWrites = options.streamWrites ?? true;
  }

  /** Adds a node, or changes its address (the old channel is closed). */
  setNode(id: NodeId, address: string): void {
    if (this.addresses.get(id) === address) return;
    this.addresses.set(id, address);
    this.dropChannels(id);
  }

  removeNode(id: NodeId): void {
    this.addresses.delete(id);
    this.dropChannels(id);
    if (this.leaderHint === id) this.leaderHint = undefined;
  }

  nodeIds(): NodeId[] {
    return [...this.addresses.keys()];
  }

  close(): void {
    for (const id of [...this.channels.keys()]) this.dropChannels(id);
  }

  // ----- admin -----

  /** One node's own view (no redirect). */
  async status(node: NodeId): Promise<NodeStatus> {
    const ch = await this.channelsOf(node);
    return parseStatus(await this.call<ClusterStatusResponse__Output>((o, cb) => ch.admin.ClusterStatus({}, o, cb)));
  }

  /** Adds a member as a learner, and with `voter` promotes it once caught up. */
  async addMember(member: { id: NodeId; incarnationId: string; address: string }, options: { voter?: boolean } = {}): Promise<number> {
    const res = await this.onLeader(async (ch) => this.call<AddMemberResponse__Output>((o, cb) => ch.admin.AddMember({ member, voter: options.voter === true }, o, cb), 90_000), true);
    return u64Number(res.index);
  }

  /** Removes a member; `force` overrides the node's membership safety rules (shards still on it, fewer than three voters). */
  async removeMember(id: NodeId, options: { force?: boolean } = {}): Promise<number> {
    let attempted = false;
    try {
      const res = await this.onLeader(async (ch) => {
        attempted = true;
        return this.call<RemoveMemberResponse__Output>((o, cb) => ch.admin.RemoveMember({ id, force: options.force === true }, o, cb));
      }, true);
      return u64Number(res.index);
    } catch (err) {
      // An earlier attempt whose outcome was unknown did remove it.
      if (attempted && err instanceof RpcFailure && err.status === grpc.status.NOT_FOUND) return 0;
      throw err;
    }
  }

  /** The committed node/device table (Admin ListDevices; answered after a ReadIndex). */
  async listDevices(): Promise<DeviceStatus__Output[]> {
    const res = await this.onLeader(async (ch) => this.call<ListDevicesResponse__Output>((o, cb) => ch.admin.ListDevices({}, o, cb)), true);
    return res.devices;
  }

  /** The metadata leader's maintenance view (Admin MaintenanceStatus): scrub passes, repairs, evacuations. */
  async maintenanceStatus(): Promise<MaintenanceStatusResponse__Output> {
    return this.onLeader(async (ch) => this.call<MaintenanceStatusResponse__Output>((o, cb) => ch.admin.MaintenanceStatus({}, o, cb)), true);
  }

  /** Starts a placement scrub pass on the metadata leader now (Admin StartScrub), or reports the one running. */
  async startScrub(): Promise<StartScrubResponse__Output> {
    return this.onLeader(async (ch) => this.call<StartScrubResponse__Output>((o, cb) => ch.admin.StartScrub({ device: false, deviceOnly: false }, o, cb)), true);
  }

  /** Wakes one node's device scrub now (Admin StartScrub with device_only; any node answers for itself). */
  async startDeviceScrub(node: NodeId): Promise<StartScrubResponse__Output> {
    return this.onNode(node, async (ch) => this.call<StartScrubResponse__Output>((o, cb) => ch.admin.StartScrub({ device: false, deviceOnly: true }, o, cb)));
  }

  async transferLeader(id: NodeId): Promise<void> {
    await this.onLeader(async (ch) => this.call<TransferLeaderResponse__Output>((o, cb) => ch.admin.TransferLeader({ id }, o, cb), 60_000), true);
    this.leaderHint = id;
  }

  // ----- kv -----

  async openSession(): Promise<KvSession> {
    const res = await this.onLeader(async (ch) => this.call<KvOpenSessionResponse__Output>((o, cb) => ch.kv.OpenSession({}, o, cb)), true);
    return new KvSession(this, u64Number(res.clientId));
  }

  /** A linearizable read through `node` (ReadIndex there), or through the leader when no node is named. */
  async get(key: Uint8Array, options: { node?: NodeId } = {}): Promise<Buffer | undefined> {
    const read = async (ch: NodeChannels): Promise<Buffer | undefined> => {
      const res = await this.call<KvGetResponse__Output>((o, cb) => ch.kv.Get({ key }, o, cb));
      return res.found ? res.value : undefined;
    };
    return options.node !== undefined ? this.onNode(options.node, read) : this.onLeader(read, true);
  }

  /** Every pair in [start, end) as `node` sees it after a ReadIndex, paging through. */
  async scan(options: { node: NodeId; start?: Uint8Array; end?: Uint8Array }): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    let start = Buffer.from(options.start ?? new Uint8Array(0));
    const end = options.end ?? new Uint8Array(0);
    for (;;) {
      const res = await this.onNode(options.node, async (ch) => this.call<KvScanResponse__Output>((o, cb) => ch.kv.Scan({ start, end, limit: 5_000 }, o, cb), 30_000));
      for (const p of res.pairs) out.set(p.key.toString('latin1'), p.value);
      const last = res.pairs.at(-1);
      if (!res.more || last === undefined) return out;
      start = Buffer.concat([last.key, Buffer.from([0])]);
    }
  }

  /**
   * @internal A new Writes stream to the node this client believes leads, or
   * undefined when it knows of none or cannot reach it (the caller then
   * takes the unary path, which finds the leader).
   */
  async openWrites(): Promise<WritesStream | undefined> {
    const target = this.leaderHint;
    if (target === undefined || !this.addresses.has(target)) return undefined;
    const ch = await this.channelsOf(target).catch(() => undefined);
    if (ch === undefined) return undefined;
    const stream = new WritesStream(target, ch.kv, this.attemptTimeoutMs);
    this.streams.add(stream);
    stream.onClose(() => this.streams.delete(stream));
    return stream;
  }

  /** @internal The node the client believes leads. */
  presumedLeader(): NodeId | undefined {
    return this.leaderHint;
  }

  /** @internal A refusal named the leader: the next call goes there. */
  noteLeader(id: NodeId): void {
    if (this.addresses.has(id)) this.leaderHint = id;
  }

  /** @internal One session write, on the leader, retried through unknown outcomes. */
  async sessionWrite<Res>(invoke: (kv: KvClient) => Invoke<Res>): Promise<Res> {
    return this.onLeader(async (ch) => this.call<Res>(invoke(ch.kv)), true);
  }

  // ----- plumbing -----

  private channelsOf(id: NodeId): Promise<NodeChannels> {
    const existing = this.channels.get(id);
    if (existing !== undefined) return existing;
    const address = this.addresses.get(id);
    if (address === undefined) return Promise.reject(new TesseraError(ErrorCodes.NOT_FOUND, `unknown node ${id}`));
    const made = (async (): Promise<NodeChannels> => {
      const tls = await ClientTls.create({ trustDomain: this.options.trustDomain, tls: this.options.tls, expect: { spiffeId: `spiffe://${this.options.trustDomain}/node/${id}` } });
      const v1 = tesseraV1();
      const own = { 'grpc.use_local_subchannel_pool': 1 };
      return { address, tls, admin: createClient(v1.Admin, address, tls, own), kv: createClient(v1.Kv, address, tls, own) };
    })();
    made.catch(() => this.channels.delete(id));
    this.channels.set(id, made);
    return made;
  }

  private dropChannels(id: NodeId): void {
    for (const stream of [...this.streams]) if (stream.node === id) stream.close();
    const ch = this.channels.get(id);
    this.channels.delete(id);
    void ch?.then((c) => {
      c.admin.close();
      c.kv.close();
      c.tls.close();
    }, () => undefined);
  }

  private call<Res>(invoke: Invoke<Res>, timeoutMs = this.attemptTimeoutMs): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      invoke({ deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err !== null) reject(rpcFailure(err));
        else if (res === undefined) reject(new TesseraError(ErrorCodes.INTERNAL, 'empty response'));
        else resolve(res);
      });
    });
  }

  /** Calls `node` only, retrying while it is unavailable (restarting, electing). */
  private async onNode<T>(node: NodeId, op: (ch: NodeChannels) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.retryTimeoutMs;
    let pause = 20;
    for (;;) {
      try {
        return await op(await this.channelsOf(node));
      } catch (err) {
        if (!(err instanceof RpcFailure) || !retriable(err.status, false) || Date.now() > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, 500);
      }
    }
  }

  private async onLeader<T>(op: (ch: NodeChannels) => Promise<T>, unknownOk: boolean): Promise<T> {
    const deadline = Date.now() + this.retryTimeoutMs;
    const ids = (): NodeId[] => [...this.addresses.keys()];
    let target = this.leaderHint !== undefined && this.addresses.has(this.leaderHint) ? this.leaderHint : ids()[0];
    let pause = 20;
    for (;;) {
      if (target === undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'the client knows no node');
      try {
        const result = await op(await this.channelsOf(target));
        this.leaderHint = target;
        return result;
      } catch (err) {
        if (!(err instanceof RpcFailure) || !retriable(err.status, unknownOk) || Date.now() > deadline) throw err;
        if (err.leader !== undefined && err.leader !== target && this.addresses.has(err.leader)) {
          target = err.leader;
          continue;
        }
        const all = ids();
        target = all[(all.indexOf(target) + 1) % all.length];
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, 500);
      }
    }
  }
}

/**
 * One client session: requests carry (client id, seq, acknowledged mark).
 * One request at a time per session (open several sessions for
 * concurrency), so every earlier seq has been answered or given up on, and
 * the acknowledged mark is simply the previous seq.
 */
export class KvSession {
  private seq = 0;
  private busy = false;
  /** This session's Writes stream (ADR 0023), opened on the first write. */
  private stream: WritesStream | undefined;

  constructor(
    private readonly client: ClusterClient,
    readonly clientId: number,
  ) {}

  async put(key: Uint8Array, value: Uint8Array): Promise<PutResult> {
    const res = await this.write(
      (session) => ({ put: { session, key, value } }),
      (reply) => reply.put,
      (session) => (kv) => (o, cb) => kv.Put({ session, key, value }, o, cb),
    );
    return { index: u64Number(res.index), duplicate: res.duplicate };
  }

  async delete(key: Uint8Array): Promise<{ existed: boolean; duplicate: boolean }> {
    const res = await this.write(
      (session) => ({ delete: { session, key } }),
      (reply) => reply.delete,
      (session) => (kv) => (o, cb) => kv.Delete({ session, key }, o, cb),
    );
    return { existed: res.existed, duplicate: res.duplicate };
  }

  /** Ends this session's stream (the session itself lives on in the cluster until it expires). */
  close(): void {
    this.stream?.close();
    this.stream = undefined;
  }

  /**
   * One write: over the session's stream when the client has one to the
   * presumed leader, and through the unary calls (which find the leader and
   * retry unknown outcomes, with the same seq) for a write the stream could
   * not settle.
   */
  private async write<Res>(
    streamed: (session: WireSession) => KvWriteRequest,
    resultOf: (reply: KvWriteReply__Output) => Res | null | undefined,
    unaryCall: (session: WireSession) => (kv: KvClient) => Invoke<Res>,
  ): Promise<Res> {
    if (this.busy) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'one request at a time per session');
    this.busy = true;
    const seq = ++this.seq;
    const session: WireSession = { clientId: u64String(this.clientId), seq: u64String(seq), ackedThrough: u64String(seq - 1) };
    try {
      if (this.client.streamWrites) {
        const reply = await this.viaStream(streamed(session), session.seq);
        if (reply !== undefined) {
          if (reply.result === 'failure' && reply.failure != null) {
            const failure = failureFromFields(reply.failure);
            if (!retriable(failure.status, true)) throw failure;
            if (failure.leader !== undefined) this.client.noteLeader(failure.leader);
          } else {
            const result = resultOf(reply);
            if (result == null) throw new TesseraError(ErrorCodes.INTERNAL, 'the Writes stream answered with another kind of result');
            this.client.writeCounts.streamed++;
            return result;
          }
        }
      }
      const result = await this.client.sessionWrite(unaryCall(session));
      this.client.writeCounts.unary++;
      return result;
    } finally {
      this.busy = false;
    }
  }

  /** The stream's reply, or undefined when the write must take the unary path (no stream, or it broke). */
  private async viaStream(request: KvWriteRequest, seq: string): Promise<KvWriteReply__Output | undefined> {
    const leader = this.client.presumedLeader();
    if (this.stream !== undefined && (!this.stream.usable || this.stream.node !== leader)) this.close();
    this.stream ??= await this.client.openWrites();
    const stream = this.stream;
    if (stream === undefined) return undefined;
    try {
      return await stream.request(request, seq);
    } catch {
      // Broken (or timed out): its outcome is unknown, and the unary retry with this seq settles it.
      this.close();
      return undefined;
    }
  }
}

interface WireSession {
  readonly clientId: string;
  readonly seq: string;
  readonly ackedThrough: string;
}
