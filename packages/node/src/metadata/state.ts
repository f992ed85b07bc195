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
 *
 * Time: every entry first advances "now" to its leader time (never back) and
 * drops the pending references at least gcGrace old, so an upload that was
 * never committed into an object leaves its chunk collectable. The chunk
 * lifecycle lives in chunk-lifecycle.ts, compaction in compaction.ts.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { SessionTable } from '@tessera/raft';
import { SYSTEM_CHAIN, chainTenant, type ChainRecord } from '@tessera/audit';
import { AccessTable, type AccessDirty, type TenantStatus } from '../access/table.js';
import { auditRecordsFor, type AuditBefore } from './audit-events.js';
import { MetadataAuditLog, type AuditEntryDirty } from './audit-log.js';
import { ChunkIndex, deviceIndexKey } from './chunk-index.js';
import { chunkDelete, chunkGone, commitChunk, dropRetired, replacePlacement } from './chunk-lifecycle.js';
import type { MetadataCommand } from './commands.js';
import { compactTenant } from './compaction.js';
import { DEFAULT_GC_GRACE_MS } from './gc-grace.js';
import { PendingExpiryQueue, type PendingEntry } from './pending-expiry.js';
import { decodeOutcome, encodeOutcome } from './session-replies.js';
import { deltaLogicalBytes, deriveTenantTables, emptyTenantData, type TenantData } from './tenant-data.js';
import { canDeviceTransition, tenantServesData, type ChunkRecord, type DeviceRecord, type NodeRecord, type StoredDelta, type TenantRecord } from './types.js';

export { deltaLogicalBytes, emptyTenantData, isEmptyTenantData, type TenantData } from './tenant-data.js';

export { COMMIT_DEADLINE_MS, COMMIT_MAX_AHEAD_MS } from './chunk-lifecycle.js';

export interface TenantUsage {
  /** Logical bytes of the tenant's current objects (chunk sizes plus payload bytes). */
  readonly logicalBytes: number;
  readonly objects: number;
}

/** What a successful command yields (deterministic; recorded in the session table for client commands). */
export type Outcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'session'; readonly clientId: number }
  | { readonly kind: 'chunk'; readonly existing: boolean }
  | { readonly kind: 'delta'; readonly sequence: number; readonly leaderTimeMs: number }
  /** A compaction: delta headers dropped and chunk references released (Admin Compact reports them). */
  | { readonly kind: 'compacted'; readonly dropped: number; readonly released: number; readonly leaderTimeMs: number };

export interface Applied {
  readonly result: Outcome | TesseraError;
  /** The request was answered from the session table, not applied again. */
  readonly duplicate: boolean;
}

/**
 * A record changed by apply, for the machine to write (or delete) under its
 * own LevelDB key. Meta (time, epochs, gcGrace, sessions) is written with every batch.
 */
export type DirtyRecord =
  | { readonly t: 'node'; readonly nodeId: string }
  | { readonly t: 'device'; readonly key: string }
  | { readonly t: 'tenant'; readonly id: string }
  | { readonly t: 'chunk'; readonly hex: string }
  | { readonly t: 'epoch'; readonly epoch: number }
  | { readonly t: 'sequence'; readonly tenant: string }
  | { readonly t: 'delta'; readonly tenant: string; readonly sequence: number }
  | { readonly t: 'pending'; readonly tenant: string; readonly clientId: number }
  /** Access records and grant audit entries of a tenant (issue #9: ../access/table.ts). */
  | AccessDirty
  /** One new entry of an audit chain (issue #9: audit-log.ts). */
  | AuditEntryDirty;

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
    case 'access':
      return `a/${d.tenant}`;
    case 'audit':
      return `A/${d.tenant}/${d.seq}`;
    case 'auditEntry':
      return `L/${d.chain}/${d.seq}`;
  }
}

/**
 * Told of every change to what a tenant's `latest` map says (issue #12:
 * object-changes.ts). An observer only: it must not touch the state, and
 * nothing it does is replicated, persisted or part of the digest.
 */
export interface ObjectChangeSink {
  /** The latest delta of `keyTag` (hex) changed: a put, an overwrite, a tombstone, or an expired tombstone compacted away. */
  changed(tenant: string, keyTag: string): void;
  /** Every object of the tenant is gone at once (purge). */
  tenantDropped(tenant: string): void;
}

type ClientCommand = Extract<MetadataCommand, { op: 'addPendingRef' | 'delta' }>;
type AdminCommand = Exclude<MetadataCommand, ClientCommand>;

export class MetadataState {
  /** Highest leader timestamp applied. */
  nowMs = 0;
  minDecryptEpoch = 0;
  gcGraceMs = DEFAULT_GC_GRACE_MS;
  readonly nodes = new Map<string, NodeRecord>();
  /** `nodeId \0 deviceId` → device. */
  readonly devices = new Map<string, DeviceRecord>();
  readonly tenants = new Map<string, TenantRecord>();
  /** chunk id hex → record (live or deleting; a gone record is absent). */
  readonly chunks = new Map<string, ChunkRecord>();
  /** system epoch → live chunks sealed under it (kept by `setChunk`). */
  readonly epochCounts = new Map<number, number>();
  readonly tenantData = new Map<string, TenantData>();
  /** Derived indexes over the chunk table (chunk-index.ts). */
  readonly index = new ChunkIndex(this.chunks);
  sessions: SessionTable;
  /**
   * The tenant that opened each client session. A client command naming
   * another tenant is answered as if the session did not exist, before the
   * session table is consulted: one tenant can neither write through, stall
   * (acked-through) nor read the recorded replies of another's session.
   */
  readonly sessionOwners = new Map<number, string>();
  private readonly pendingExpiry = new PendingExpiryQueue();
  /** Access requests, grants and the grant audit trail, per tenant (issue #9). */
  readonly access = new AccessTable((d) => this.markDirty(d));
  /** The group's audit chains: one per tenant plus the system chain (issue #9: audit-log.ts). */
  readonly audit = new MetadataAuditLog((d) => this.markDirty(d));
  /** Local observer of object changes (the machine's journal); not state. */
  objectChanges: ObjectChangeSink | undefined;
  /** Records changed since the last `takeDirty()`. */
  private dirty = new Map<string, DirtyRecord>();

  constructor(sessions: SessionTable = new SessionTable()) {
    this.sessions = sessions;
  }

  /** Tenant-record changes so far (in memory only): a caller compares two readings to learn whether the tenant table changed. */
  tenantChanges = 0;

  markDirty(record: DirtyRecord): void {
    this.dirty.set(dirtyKey(record), record);
    if (record.t === 'tenant') this.tenantChanges++;
  }

  /** Whether any record changed since the last `takeDirty()`. */
  hasDirty(): boolean {
    return this.dirty.size > 0;
  }

  /** The records changed since the last call, once each. */
  takeDirty(): DirtyRecord[] {
    const records = [...this.dirty.values()];
    this.dirty = new Map();
    return records;
  }

  /**
   * Replaces (or, with undefined, removes) a chunk record, keeping the
   * per-epoch live counts and the indexes in step and marking what to persist.
   */
  setChunk(hex: string, record: ChunkRecord | undefined): void {
    const before = this.chunks.get(hex);
    if (record === undefined) this.chunks.delete(hex);
    else this.chunks.set(hex, record);
    const beforeEpoch = before?.state === 'live' ? before.sysEpoch : undefined;
    const afterEpoch = record?.state === 'live' ? record.sysEpoch : undefined;
    if (beforeEpoch !== afterEpoch) {
      if (beforeEpoch !== undefined) this.bumpEpoch(beforeEpoch, -1);
      if (afterEpoch !== undefined) this.bumpEpoch(afterEpoch, 1);
    }
    this.index.recordChanged(hex, before);
    this.markDirty({ t: 'chunk', hex });
  }

  private bumpEpoch(epoch: number, delta: number): void {
    // A count that falls to zero stays as an explicit 0 (SetMinDecryptEpoch reads it; the store keeps it).
    this.epochCounts.set(epoch, (this.epochCounts.get(epoch) ?? 0) + delta);
    this.markDirty({ t: 'epoch', epoch });
  }

  /** Rebuilds every derived table (tenant tables, indexes, expiry queue) from the stored ones: after a load or restore. */
  rebuildDerived(): void {
    const refs = new Map<string, number>();
    const pending = new Map<string, number>();
    const queue: PendingEntry[] = [];
    for (const [tenant, data] of this.tenantData) {
      deriveTenantTables(this.chunks, data);
      for (const [hex, n] of data.refs) refs.set(hex, (refs.get(hex) ?? 0) + n);
      for (const [clientId, chunks] of data.pending) {
        for (const [chunkHex, addedAtMs] of chunks) {
          pending.set(chunkHex, (pending.get(chunkHex) ?? 0) + 1);
          queue.push({ addedAtMs, tenant, clientId, chunkHex });
        }
      }
    }
    this.index.rebuild(refs, pending);
    this.pendingExpiry.reset(queue);
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
        // A pending reference to a chunk that is not live is refused WITHOUT recording the refusal in
        // the session: adding a pending reference is idempotent, and the gateway asks again with the same
        // seq once it has stored the chunk (or once its own record, proposed just before, is applied).
        if (
          cmd.op === 'addPendingRef' &&
          this.tenants.get(cmd.tenant)?.state === 'active' &&
          this.chunks.get(cmd.chunkId.toString('hex'))?.state !== 'live' &&
          this.sessions.session(cmd.session.clientId)?.replies.has(cmd.session.seq) !== true
        ) {
          return { result: new TesseraError(ErrorCodes.CHUNK_GONE, 'chunk is not live', { retriable: true }), duplicate: false };
        }
        const outcome = this.sessions.apply(cmd.session, this.nowMs, () => encodeOutcome(this.runClient(cmd)));
        return { result: decodeOutcome(outcome.reply), duplicate: outcome.duplicate };
      }
      const before = this.auditBefore(cmd);
      const result = this.applyAdmin(cmd);
      // Checks passed and the command applied: its audit entries go in with it (never for a refusal).
      this.appendAudit(auditRecordsFor(cmd, before, this.auditAfter));
      return { result, duplicate: false };
    } catch (err) {
      if (err instanceof TesseraError) return { result: err, duplicate: false };
      throw err;
    }
  }

  /** The facts audit-events.ts compares, read before the command applies. */
  private auditBefore(cmd: AdminCommand): AuditBefore {
    switch (cmd.op) {
      case 'upsertTenant':
        return { ...optional('tenant', this.tenants.get(cmd.tenant.id)) };
      case 'disableTenant':
      case 'setTenantQuota':
        return { ...optional('tenant', this.tenants.get(cmd.tenant)) };
      case 'purgeTenant':
        return { ...optional('tenant', this.tenants.get(cmd.tenant)), hadTenantData: this.tenantData.has(cmd.tenant) || !this.access.isEmpty(cmd.tenant) };
      case 'registerNode':
        return { ...optional('node', this.nodes.get(cmd.node.nodeId)) };
      case 'addDevice':
        return { ...optional('device', this.devices.get(deviceKey(cmd.device.nodeId, cmd.device.deviceId))) };
      case 'setDeviceState':
        return { ...optional('device', this.devices.get(deviceKey(cmd.nodeId, cmd.deviceId))) };
      case 'accessRevoke':
      case 'accessExpired':
        return { ...optional('access', this.access.findGrant(cmd.tenant, cmd.grantId)?.record) };
      default:
        return {};
    }
  }

  private readonly auditAfter = {
    tenant: (id: string) => this.tenants.get(id),
    access: (tenant: string, requestId: Uint8Array) => this.access.request(tenant, requestId),
    grant: (tenant: string, grantId: Uint8Array) => this.access.findGrant(tenant, grantId)?.record,
  };

  /**
   * Appends records at the current leader time. A record bound for the chain
   * of a tenant this group does not know goes to the system chain instead
   * (chains exist only for registered tenants; nothing is lost).
   */
  private appendAudit(records: readonly ChainRecord[]): void {
    for (const { chain, record } of records) {
      const tenant = chainTenant(chain);
      this.audit.append(tenant === undefined || this.tenants.has(tenant) ? chain : SYSTEM_CHAIN, record, this.nowMs);
    }
  }

  private advance(timeMs: number): void {
    if (timeMs > this.nowMs) this.nowMs = timeMs;
    this.sessions.advanceTo(this.nowMs);
    this.expirePending();
  }

  /** Drops every pending reference added at least gcGrace ago (the same set on every replica: it depends on state and leader time only). */
  private expirePending(): void {
    for (const due of this.pendingExpiry.takeDue(this.nowMs - this.gcGraceMs)) {
      const session = this.tenantData.get(due.tenant)?.pending.get(due.clientId);
      // A stale queue entry: the reference was consumed, purged, or re-added later.
      if (session?.get(due.chunkHex) !== due.addedAtMs) continue;
      this.removePending(due.tenant, due.clientId, session, due.chunkHex);
    }
  }

  private removePending(tenant: string, clientId: number, session: Map<string, number>, chunkHex: string): void {
    session.delete(chunkHex);
    if (session.size === 0) this.tenantData.get(tenant)?.pending.delete(clientId);
    this.index.addPending(chunkHex, -1);
    this.markDirty({ t: 'pending', tenant, clientId });
  }

  private applyAdmin(cmd: AdminCommand): Outcome {
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
        this.markDirty({ t: 'node', nodeId: cmd.node.nodeId });
        return { kind: 'ok' };
      case 'addDevice':
        return this.addDevice(cmd.device);
      case 'setDeviceState':
        return this.setDeviceState(cmd.nodeId, cmd.deviceId, cmd.state);
      case 'upsertTenant':
        return this.upsertTenant(cmd.tenant);
      case 'commitChunk':
        return commitChunk(this, cmd.chunk, cmd.timeMs);
      case 'setMinDecryptEpoch':
        return this.setMinDecryptEpoch(cmd.epoch);
      case 'compact':
        return this.compact(cmd.tenant, cmd.upToSeq, cmd.tombstoneTtlMs);
      case 'chunkDelete':
        return chunkDelete(this, cmd.chunkId, cmd.writeId);
      case 'chunkGone':
        return chunkGone(this, cmd.chunkId, cmd.writeId);
      case 'replacePlacement':
        return replacePlacement(this, cmd, cmd.timeMs);
      case 'dropRetired':
        return dropRetired(this, cmd.chunkId, cmd.writeId);
      case 'setGcGrace':
        this.gcGraceMs = cmd.gcGraceMs;
        return { kind: 'ok' };
      case 'disableTenant':
        return this.disableTenant(cmd.tenant);
      case 'purgeTenant':
        return this.purgeTenant(cmd.tenant);
      case 'setTenantQuota':
        return this.setTenantQuota(cmd.tenant, cmd.quotaBytes);
      case 'auditAppend':
        this.appendAudit(cmd.records);
        return { kind: 'ok' };
      case 'accessRequest':
      case 'accessApprove':
      case 'accessDeny':
      case 'accessRevoke':
      case 'accessExpired':
      case 'auditAccess':
        this.access.apply(cmd, this.nowMs, (id) => this.tenantStatus(id));
        return { kind: 'ok' };
    }
  }

  private tenantStatus(id: string): TenantStatus {
    const state = this.tenants.get(id)?.state;
    if (state === undefined) return undefined;
    return state === 'active' ? 'active' : state === 'shredded' ? 'shredded' : 'inactive';
  }

  /** Runs a client command; refusals are recorded as replies so a retry gets the same answer. */
  private runClient(cmd: ClientCommand): Outcome | TesseraError {
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
    this.markDirty({ t: 'device', key });
    return { kind: 'ok' };
  }

  private setDeviceState(nodeId: string, deviceId: string, state: DeviceRecord['state']): Outcome {
    const key = deviceKey(nodeId, deviceId);
    const device = this.devices.get(key);
    if (device === undefined) throw new TesseraError(ErrorCodes.UNKNOWN_DEVICE, 'unknown device');
    if (!canDeviceTransition(device.state, state)) throw new TesseraError(ErrorCodes.DEVICE_BAD_TRANSITION, `device cannot go from ${device.state} to ${state}`);
    this.devices.set(key, { ...device, state });
    this.markDirty({ t: 'device', key });
    return { kind: 'ok' };
  }

  private upsertTenant(tenant: TenantRecord): Outcome {
    const existing = this.tenants.get(tenant.id);
    // A tenant's policy is fixed when it is created (DESIGN section 5).
    if (existing !== undefined && existing.policy !== tenant.policy) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a tenant policy never changes');
    // Its data is purged for good: a late copy of an older key-manager state must not revive it.
    if (existing?.state === 'shredded' && tenant.state !== 'shredded') throw new TesseraError(ErrorCodes.TENANT_NOT_ACTIVE, 'a shredded tenant stays shredded');
    // The quota belongs to the metadata group (setTenantQuota): a copy of the key manager's tenant
    // proposed around a quota change must not revert it.
    this.tenants.set(tenant.id, existing === undefined ? tenant : { ...tenant, quotaBytes: existing.quotaBytes });
    this.markDirty({ t: 'tenant', id: tenant.id });
    return { kind: 'ok' };
  }

  /** Only the quota changes (the key manager's copy of the tenant owns the other fields); existing usage above it is kept, new bytes are refused. */
  private setTenantQuota(id: string, quotaBytes: number): Outcome {
    const existing = this.tenants.get(id);
    if (existing === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'unknown tenant');
    if (existing.quotaBytes === quotaBytes) return { kind: 'ok' };
    this.tenants.set(id, { ...existing, quotaBytes });
    this.markDirty({ t: 'tenant', id });
    return { kind: 'ok' };
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

  private compact(tenant: string, upToSeq: number, tombstoneTtlMs: number): Outcome {
    if (!this.tenants.has(tenant)) throw new TesseraError(ErrorCodes.NOT_FOUND, 'unknown tenant');
    const data = this.tenantData.get(tenant);
    if (data === undefined) return { kind: 'compacted', dropped: 0, released: 0, leaderTimeMs: this.nowMs };
    let released = 0;
    const dropped = compactTenant(
      data,
      upToSeq,
      this.nowMs,
      tombstoneTtlMs,
      (hex) => {
        released++;
        this.index.addRefs(hex, -1);
      },
      (keyTag) => this.objectChanges?.changed(tenant, keyTag),
    );
    for (const sequence of dropped) this.markDirty({ t: 'delta', tenant, sequence });
    return { kind: 'compacted', dropped: dropped.length, released, leaderTimeMs: this.nowMs };
  }

  private disableTenant(id: string): Outcome {
    const tenant = this.tenants.get(id);
    if (tenant === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'unknown tenant');
    if (tenant.state === 'active') {
      this.tenants.set(id, { ...tenant, state: 'disabled' });
      this.markDirty({ t: 'tenant', id });
    }
    return { kind: 'ok' };
  }

  /**
   * After a shred executed: every delta header, reference and pending
   * reference of the tenant goes (references released, so GC reclaims chunks
   * nobody else references), its usage with them; the record stays, shredded.
   */
  private purgeTenant(id: string): Outcome {
    const tenant = this.tenants.get(id);
    if (tenant === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'unknown tenant');
    if (tenant.state !== 'shredded') {
      this.tenants.set(id, { ...tenant, state: 'shredded' });
      this.markDirty({ t: 'tenant', id });
    }
    // Its access requests, grants and grant audit trail go with its data (issue #9).
    this.access.purge(id);
    const data = this.tenantData.get(id);
    if (data === undefined) return { kind: 'ok' };
    for (const sequence of data.deltas.keys()) this.markDirty({ t: 'delta', tenant: id, sequence });
    for (const [hex, n] of data.refs) this.index.addRefs(hex, -n);
    for (const [clientId, chunks] of data.pending) {
      for (const hex of chunks.keys()) this.index.addPending(hex, -1);
      this.markDirty({ t: 'pending', tenant: id, clientId });
    }
    this.tenantData.delete(id);
    this.objectChanges?.tenantDropped(id);
    this.markDirty({ t: 'sequence', tenant: id });
    return { kind: 'ok' };
  }

  private activeTenant(tenant: string): TenantData {
    const record = this.tenants.get(tenant);
    if (record === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'unknown tenant');
    if (!tenantServesData(record.state)) throw new TesseraError(ErrorCodes.TENANT_NOT_ACTIVE, 'tenant is not active');
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
    if (!session.has(key)) this.index.addPending(key, 1);
    session.set(key, this.nowMs);
    this.pendingExpiry.push({ addedAtMs: this.nowMs, tenant, clientId, chunkHex: key });
    this.markDirty({ t: 'pending', tenant, clientId });
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
    const previousBytes = previous === undefined || previous.header.tombstone ? 0 : deltaLogicalBytes(this.chunks, previous);
    const newBytes = header.tombstone ? 0 : chunkBytes + header.payloadSize;
    const quota = this.tenants.get(header.tenant)?.quotaBytes ?? 0;
    const nextUsage = data.logicalBytes - previousBytes + newBytes;
    if (quota > 0 && newBytes > previousBytes && nextUsage > quota) throw new TesseraError(ErrorCodes.QUOTA_EXCEEDED, 'tenant quota exceeded');

    // Checks done: from here on nothing throws.
    for (const key of keys) {
      if (session?.has(key) === true) this.removePending(header.tenant, header.clientId, session, key);
      data.refs.set(key, (data.refs.get(key) ?? 0) + 1);
      this.index.addRefs(key, 1);
    }
    const sequence = data.nextSequence++;
    data.deltas.set(sequence, { header, sequence, leaderTimeMs: this.nowMs, payload });
    this.markDirty({ t: 'sequence', tenant: header.tenant });
    this.markDirty({ t: 'delta', tenant: header.tenant, sequence });
    data.latest.set(tagKey, sequence);
    this.objectChanges?.changed(header.tenant, tagKey);
    if (previousSeq !== undefined) data.latestTombstones.delete(previousSeq);
    if (header.tombstone) data.latestTombstones.set(sequence, this.nowMs);
    data.logicalBytes = nextUsage;
    data.objects += (header.tombstone ? 0 : 1) - (previous === undefined || previous.header.tombstone ? 0 : 1);
    return { kind: 'delta', sequence, leaderTimeMs: this.nowMs };
  }
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

export const deviceKey = deviceIndexKey;

/** `{ [key]: value }` when the value is there, `{}` otherwise (optional fields stay absent). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
