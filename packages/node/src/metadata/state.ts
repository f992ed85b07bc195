/**
 * The metadata group's state and its apply rules, pure and deterministic:
 * every replica applying the same commands holds the same state (the same
 * snapshot bytes and digest). No I/O here; `MetadataMachine` persists it.
 *
 * Authorization on the data path (DESIGN section 6): a delta may name a chunk
 * only when its tenant holds a reference to it — a pending reference from an
 * upload in the same session, or a reference from one of its stored deltas.
 * The reference check comes before the liveness check, so a tenant naming a
 * chunk it never referenced learns nothing (NOT_FOUND), whatever the chunk's
 * state or owner.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { SessionTable } from '@tessera/raft';
import type { MetadataCommand } from './commands.js';
import { canDeviceTransition, type ChunkCommit, type ChunkRecord, type DeviceRecord, type NodeRecord, type StoredDelta, type TenantRecord } from './types.js';

/** A chunk commit older than this (leader time minus gateway time) is refused. */
export const COMMIT_DEADLINE_MS = 10 * 60 * 1000;
/** A chunk commit whose gateway clock is further ahead than this is refused. */
export const COMMIT_MAX_AHEAD_MS = 60 * 1000;

export interface TenantUsage {
  /** Logical bytes of the tenant's current objects (chunk sizes plus payload bytes). */
  readonly logicalBytes: number;
  readonly objects: number;
}

/** Per-tenant part of the state. */
export interface TenantData {
  /** Next sequence to assign to a delta. */
  nextSequence: number;
  /** Every stored delta by sequence (superseded ones stay until compaction). */
  readonly deltas: Map<number, StoredDelta>;
  /** keyTag hex → sequence of the latest delta of that key. */
  readonly latest: Map<string, number>;
  /** chunk id hex → number of stored deltas naming it. */
  readonly refs: Map<string, number>;
  /** client id → chunk id hex → leader time the pending reference was added. */
  readonly pending: Map<number, Map<string, number>>;
  logicalBytes: number;
  objects: number;
}

export function emptyTenantData(): TenantData {
  return { nextSequence: 1, deltas: new Map(), latest: new Map(), refs: new Map(), pending: new Map(), logicalBytes: 0, objects: 0 };
}

export function isEmptyTenantData(data: TenantData): boolean {
  return data.nextSequence === 1 && data.deltas.size === 0 && data.pending.size === 0;
}

/** What a successful command yields (deterministic; recorded in the session table for client commands). */
export type Outcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'session'; readonly clientId: number }
  | { readonly kind: 'chunk'; readonly existing: boolean }
  | { readonly kind: 'delta'; readonly sequence: number; readonly leaderTimeMs: number };

export interface Applied {
  readonly result: Outcome | TesseraError;
  /** The request was answered from the session table, not applied again. */
  readonly duplicate: boolean;
}

/**
 * A record changed by apply, for the machine to write (or delete) under its
 * own LevelDB key. Meta (time, epochs, sessions) is written with every batch.
 */
export type DirtyRecord =
  | { readonly t: 'node'; readonly nodeId: string }
  | { readonly t: 'device'; readonly key: string }
  | { readonly t: 'tenant'; readonly id: string }
  | { readonly t: 'chunk'; readonly hex: string }
  | { readonly t: 'epoch'; readonly epoch: number }
  | { readonly t: 'sequence'; readonly tenant: string }
  | { readonly t: 'delta'; readonly tenant: string; readonly sequence: number }
  | { readonly t: 'pending'; readonly tenant: string; readonly clientId: number };

function dirtyKey(d: DirtyRecord): string {
  switch (d.t) {
    case 'node':
      return `n/${d.nodeId}`;
    case 'device':
      return `d/${d.key}`;
    case 'tenant':
      return `t/${d.id}`;
    case 'chunk':
      return `c/${d.hex}`;
    case 'epoch':
      return `e/${d.epoch}`;
    case 'sequence':
      return `s/${d.tenant}`;
    case 'delta':
      return `D/${d.tenant}/${d.sequence}`;
    case 'pending':
      return `p/${d.tenant}/${d.clientId}`;
  }
}

export class MetadataState {
  /** Highest leader timestamp applied. */
  nowMs = 0;
  minDecryptEpoch = 0;
  readonly nodes = new Map<string, NodeRecord>();
  /** `nodeId \0 deviceId` → device. */
  readonly devices = new Map<string, DeviceRecord>();
  readonly tenants = new Map<string, TenantRecord>();
  readonly chunks = new Map<string, ChunkRecord>();
  /** system epoch → live chunks sealed under it. */
  readonly epochCounts = new Map<number, number>();
  readonly tenantData = new Map<string, TenantData>();
  sessions: SessionTable;
  /**
   * The tenant that opened each client session. A client command naming
   * another tenant is answered as if the session did not exist, before the
   * session table is consulted: one tenant can neither write through, stall
   * (acked-through) nor read the recorded replies of another's session.
   */
  readonly sessionOwners = new Map<number, string>();
  /** Records changed since the last `takeDirty()`. */
  private dirty = new Map<string, DirtyRecord>();

  constructor(sessions: SessionTable = new SessionTable()) {
    this.sessions = sessions;
  }

  private mark(record: DirtyRecord): void {
    this.dirty.set(dirtyKey(record), record);
  }

  /** The records changed since the last call, once each. */
  takeDirty(): DirtyRecord[] {
    const records = [...this.dirty.values()];
    this.dirty = new Map();
    return records;
  }

  /**
   * Applies one command. A deterministic refusal comes back as the error
   * (the state is unchanged then); client commands go through the session
   * table, so a retry returns the first answer, refusals included, without
   * applying again.
   */
  apply(cmd: MetadataCommand): Applied {
    try {
      if (cmd.op === 'addPendingRef' || cmd.op === 'delta') {
        this.advance(cmd.timeMs);
        const tenant = cmd.op === 'addPendingRef' ? cmd.tenant : cmd.header.tenant;
        if (this.sessions.session(cmd.session.clientId) === undefined || this.sessionOwners.get(cmd.session.clientId) !== tenant) {
          return { result: new TesseraError(ErrorCodes.RAFT_SESSION_EXPIRED, 'no such session: open a new one'), duplicate: false };
        }
        const outcome = this.sessions.apply(cmd.session, this.nowMs, () => encodeOutcome(this.runClient(cmd)));
        return { result: decodeOutcome(outcome.reply), duplicate: outcome.duplicate };
      }
      return { result: this.applyAdmin(cmd), duplicate: false };
    } catch (err) {
      if (err instanceof TesseraError) return { result: err, duplicate: false };
      throw err;
    }
  }

  private advance(timeMs: number): void {
    if (timeMs > this.nowMs) this.nowMs = timeMs;
    this.sessions.advanceTo(this.nowMs);
  }

  private applyAdmin(cmd: Exclude<MetadataCommand, { op: 'addPendingRef' | 'delta' }>): Outcome {
    this.advance(cmd.timeMs);
    switch (cmd.op) {
      case 'openSession': {
        const clientId = this.sessions.openSession(this.nowMs);
        this.sessionOwners.set(clientId, cmd.tenant);
        return { kind: 'session', clientId };
      }
      case 'clock':
        return { kind: 'ok' };
      case 'registerNode':
        this.nodes.set(cmd.node.nodeId, cmd.node);
        this.mark({ t: 'node', nodeId: cmd.node.nodeId });
        return { kind: 'ok' };
      case 'addDevice':
        return this.addDevice(cmd.device);
      case 'setDeviceState':
        return this.setDeviceState(cmd.nodeId, cmd.deviceId, cmd.state);
      case 'upsertTenant': {
        // A tenant's policy is fixed when it is created (DESIGN section 5).
        const existing = this.tenants.get(cmd.tenant.id);
        if (existing !== undefined && existing.policy !== cmd.tenant.policy) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a tenant policy never changes');
        this.tenants.set(cmd.tenant.id, cmd.tenant);
        this.mark({ t: 'tenant', id: cmd.tenant.id });
        return { kind: 'ok' };
      }
      case 'commitChunk':
        return this.commitChunk(cmd.chunk, cmd.timeMs);
      case 'setMinDecryptEpoch':
        return this.setMinDecryptEpoch(cmd.epoch);
    }
  }

  /** Runs a client command; refusals are recorded as replies so a retry gets the same answer. */
  private runClient(cmd: Extract<MetadataCommand, { op: 'addPendingRef' | 'delta' }>): Outcome | TesseraError {
    try {
      return cmd.op === 'addPendingRef' ? this.addPendingRef(cmd.tenant, cmd.session.clientId, cmd.chunkId) : this.applyDelta(cmd.header, cmd.payload);
    } catch (err) {
      if (err instanceof TesseraError) return err;
      throw err;
    }
  }

  private addDevice(device: DeviceRecord): Outcome {
    if (!this.nodes.has(device.nodeId)) throw new TesseraError(ErrorCodes.NOT_FOUND, 'unknown node');
    const key = deviceKey(device.nodeId, device.deviceId);
    const existing = this.devices.get(key);
    if (existing !== undefined) {
      // Re-adding the same device is idempotent; changing it this way is not allowed.
      if (existing.pool === device.pool && existing.capacityBytes === device.capacityBytes) return { kind: 'ok' };
      throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'device already registered with other settings');
    }
    this.devices.set(key, { ...device, state: 'healthy' });
    this.mark({ t: 'device', key });
    return { kind: 'ok' };
  }

  private setDeviceState(nodeId: string, deviceId: string, state: DeviceRecord['state']): Outcome {
    const key = deviceKey(nodeId, deviceId);
    const device = this.devices.get(key);
    if (device === undefined) throw new TesseraError(ErrorCodes.UNKNOWN_DEVICE, 'unknown device');
    if (!canDeviceTransition(device.state, state)) throw new TesseraError(ErrorCodes.DEVICE_BAD_TRANSITION, `device cannot go from ${device.state} to ${state}`);
    this.devices.set(key, { ...device, state });
    this.mark({ t: 'device', key });
    return { kind: 'ok' };
  }

  private commitChunk(chunk: ChunkCommit, leaderTimeMs: number): Outcome {
    if (chunk.gatewayTimeMs + COMMIT_DEADLINE_MS < leaderTimeMs) throw new TesseraError(ErrorCodes.CHUNK_COMMIT_REJECTED, 'chunk commit is past its deadline', { retriable: true });
    if (chunk.gatewayTimeMs > leaderTimeMs + COMMIT_MAX_AHEAD_MS) throw new TesseraError(ErrorCodes.CHUNK_COMMIT_REJECTED, 'gateway clock is too far ahead of the leader', { retriable: true });
    if (chunk.sysEpoch < this.minDecryptEpoch) throw new TesseraError(ErrorCodes.EPOCH_RETIRED, 'chunk sealed under a retired system epoch', { retriable: true });
    for (const slot of chunk.slots) {
      if (!this.devices.has(deviceKey(slot.nodeId, slot.deviceId))) throw new TesseraError(ErrorCodes.UNKNOWN_DEVICE, 'placement names an unknown device');
    }
    const key = chunk.chunkId.toString('hex');
    // A concurrent upload of the same content committed first: its record stands
    // (the later shards become orphans, reclaimed by their writeId).
    if (this.chunks.has(key)) return { kind: 'chunk', existing: true };
    this.chunks.set(key, { ...chunk, state: 'live', committedAtMs: leaderTimeMs });
    this.epochCounts.set(chunk.sysEpoch, (this.epochCounts.get(chunk.sysEpoch) ?? 0) + 1);
    this.mark({ t: 'chunk', hex: key });
    this.mark({ t: 'epoch', epoch: chunk.sysEpoch });
    return { kind: 'chunk', existing: false };
  }

  /** Applies only if no live chunk is sealed under an epoch below `epoch`; never moves back. */
  private setMinDecryptEpoch(epoch: number): Outcome {
    if (epoch <= this.minDecryptEpoch) return { kind: 'ok' };
    for (const [e, count] of this.epochCounts) {
      if (e < epoch && count > 0) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'chunks remain under an older system epoch');
    }
    this.minDecryptEpoch = epoch;
    return { kind: 'ok' };
  }

  private activeTenant(tenant: string): TenantData {
    const record = this.tenants.get(tenant);
    if (record === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'unknown tenant');
    if (record.state !== 'active') throw new TesseraError(ErrorCodes.TENANT_NOT_ACTIVE, 'tenant is not active');
    let data = this.tenantData.get(tenant);
    if (data === undefined) {
      data = emptyTenantData();
      this.tenantData.set(tenant, data);
    }
    return data;
  }

  /**
   * The gateway uploaded (or found already stored) a chunk for this tenant's
   * session. Only a live chunk can be referenced; a duplicate of content
   * another tenant stored is referenced the same way, so the caller cannot
   * tell the two apart.
   */
  private addPendingRef(tenant: string, clientId: number, chunkId: Buffer): Outcome {
    const data = this.activeTenant(tenant);
    const key = chunkId.toString('hex');
    if (this.chunks.get(key)?.state !== 'live') throw new TesseraError(ErrorCodes.CHUNK_GONE, 'chunk is not live', { retriable: true });
    let session = data.pending.get(clientId);
    if (session === undefined) {
      session = new Map();
      data.pending.set(clientId, session);
    }
    session.set(key, this.nowMs);
    this.mark({ t: 'pending', tenant, clientId });
    return { kind: 'ok' };
  }

  private applyDelta(header: StoredDelta['header'], payload: Buffer): Outcome {
    const data = this.activeTenant(header.tenant);
    const session = data.pending.get(header.clientId);
    const keys = header.chunkRefs.map((c) => c.toString('hex'));
    let chunkBytes = 0;
    for (const key of keys) {
      if (session?.has(key) !== true && (data.refs.get(key) ?? 0) === 0) throw new TesseraError(ErrorCodes.NOT_FOUND, 'chunk not found');
    }
    for (const key of keys) {
      const chunk = this.chunks.get(key);
      if (chunk?.state !== 'live') throw new TesseraError(ErrorCodes.CHUNK_GONE, 'chunk is not live', { retriable: true });
      chunkBytes += chunk.size;
    }
    const tagKey = header.keyTag.toString('hex');
    const previousSeq = data.latest.get(tagKey);
    const previous = previousSeq === undefined ? undefined : data.deltas.get(previousSeq);
    const previousBytes = previous === undefined || previous.header.tombstone ? 0 : deltaLogicalBytes(this, previous);
    const newBytes = header.tombstone ? 0 : chunkBytes + header.payloadSize;
    const quota = this.tenants.get(header.tenant)?.quotaBytes ?? 0;
    const nextUsage = data.logicalBytes - previousBytes + newBytes;
    if (quota > 0 && newBytes > previousBytes && nextUsage > quota) throw new TesseraError(ErrorCodes.QUOTA_EXCEEDED, 'tenant quota exceeded');

    // Checks done: from here on nothing throws.
    for (const key of keys) {
      session?.delete(key);
      data.refs.set(key, (data.refs.get(key) ?? 0) + 1);
    }
    if (session !== undefined && session.size === 0) data.pending.delete(header.clientId);
    if (session !== undefined) this.mark({ t: 'pending', tenant: header.tenant, clientId: header.clientId });
    const sequence = data.nextSequence++;
    data.deltas.set(sequence, { header, sequence, leaderTimeMs: this.nowMs, payload });
    this.mark({ t: 'sequence', tenant: header.tenant });
    this.mark({ t: 'delta', tenant: header.tenant, sequence });
    data.latest.set(tagKey, sequence);
    data.logicalBytes = nextUsage;
    data.objects += (header.tombstone ? 0 : 1) - (previous === undefined || previous.header.tombstone ? 0 : 1);
    return { kind: 'delta', sequence, leaderTimeMs: this.nowMs };
  }
}

/** Logical bytes a stored delta stands for: its chunks' sizes plus its payload. */
export function deltaLogicalBytes(state: MetadataState, delta: StoredDelta): number {
  let bytes = delta.header.payloadSize;
  for (const c of delta.header.chunkRefs) bytes += state.chunks.get(c.toString('hex'))?.size ?? 0;
  return bytes;
}

/**
 * Owners of the sessions the table still holds, ascending by client id
 * (expired sessions' owners are dropped here, so every replica persists the
 * same set whatever it pruned in memory).
 */
export function liveSessionOwners(state: MetadataState): Array<[number, string]> {
  for (const id of [...state.sessionOwners.keys()]) if (state.sessions.session(id) === undefined) state.sessionOwners.delete(id);
  return [...state.sessionOwners].sort(([a], [b]) => a - b);
}

export function deviceKey(nodeId: string, deviceId: string): string {
  return `${nodeId}\u0000${deviceId}`;
}

// Session replies: u8 kind, then the outcome's fields; refusals keep their code and retriability.
const REPLY_ERROR = 0;
const REPLY_OK = 1;
const REPLY_DELTA = 2;

function encodeOutcome(outcome: Outcome | TesseraError): Uint8Array {
  if (outcome instanceof TesseraError) {
    const code = Buffer.from(outcome.code, 'latin1');
    return Buffer.concat([Buffer.from([REPLY_ERROR, outcome.retriable ? 1 : 0]), code]);
  }
  if (outcome.kind === 'delta') {
    const b = Buffer.alloc(17);
    b.writeUInt8(REPLY_DELTA, 0);
    b.writeBigUInt64BE(BigInt(outcome.sequence), 1);
    b.writeBigUInt64BE(BigInt(outcome.leaderTimeMs), 9);
    return b;
  }
  return Buffer.from([REPLY_OK]);
}

/** Turns a recorded reply back into the outcome or the recorded refusal. */
function decodeOutcome(reply: Uint8Array): Outcome | TesseraError {
  const b = Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength);
  switch (b.readUInt8(0)) {
    case REPLY_ERROR: {
      const code = b.subarray(2).toString('latin1');
      const known = (Object.values(ErrorCodes) as string[]).includes(code) ? (code as TesseraError['code']) : ErrorCodes.INTERNAL;
      return new TesseraError(known, 'request refused', { retriable: b.readUInt8(1) === 1 });
    }
    case REPLY_DELTA:
      return { kind: 'delta', sequence: Number(b.readBigUInt64BE(1)), leaderTimeMs: Number(b.readBigUInt64BE(9)) };
    default:
      return { kind: 'ok' };
  }
}
