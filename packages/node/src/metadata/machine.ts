/**
 * The metadata Raft group's state machine over a DurableKv (LevelDB, with
 * the power-loss simulation when enabled), plus the queries the gateway
 * serves after a ReadIndex barrier.
 *
 * Durability: the records changed since the last batch and the meta record
 * (applied index, leader time, sessions) are written in ONE batch, so state
 * and applied index can never disagree after a crash; the batch is written
 * behind the apply (WriteBehind: in order, coalesced while one is in flight,
 * a failure fails the next apply) and not synced (Raft entries are durable
 * before they are applied and an apply lost in a crash is replayed), except
 * every `syncEveryEntries` entries. The state is also held in memory, loaded
 * once at open (layout: store.ts).
 */
import { performance } from 'node:perf_hooks';
import type { AuditHead, ChainId } from '@tessera/audit';
import { TesseraError, type ErrorCode } from '@tessera/common';
import { STATE_WRITE_GATHER_MS, WriteBehind, type BehindBatch } from '@tessera/common/durable';
import type { AccessTable } from '../access/table.js';
import { EntryType, type DurableKv, type Entry, type KvOp, type SessionLimits, type Snapshot, type StateMachine } from '@tessera/raft';
import { decodeMetadataCommand } from './commands.js';
import { decodeMetadataImage, encodeMetadataImage, metadataDigest } from './image.js';
import { ObjectChangeJournal, type ObjectChangeCursor, type ObjectChanges } from './object-changes.js';
import { allRecords, loadState, metaOp, recordOp } from './store.js';
import * as queries from './queries.js';
import type { ChunkWrite, CompactionCandidate, EpochCursor, ExpectedShard } from './queries.js';
import { MetadataState, type TenantUsage } from './state.js';
import type { ChunkRecord, DeviceRecord, NodeRecord, StoredDelta, TenantRecord } from './types.js';

export type MetadataResult =
  /** No-ops and configuration changes. */
  | { readonly kind: 'none'; readonly index: number }
  | { readonly kind: 'ok'; readonly index: number; readonly duplicate: boolean }
  | { readonly kind: 'session'; readonly index: number; readonly clientId: number }
  /** `existing`: a record for this chunk id was already committed; it stands. */
  | { readonly kind: 'chunk'; readonly index: number; readonly existing: boolean }
  | { readonly kind: 'delta'; readonly index: number; readonly sequence: number; readonly leaderTimeMs: number; readonly duplicate: boolean }
  /** A compaction of `tenant`: delta headers dropped, chunk references released. */
  | { readonly kind: 'compacted'; readonly index: number; readonly tenant: string; readonly dropped: number; readonly released: number; readonly leaderTimeMs: number }
  /** Refused deterministically; the state did not change. */
  | { readonly kind: 'error'; readonly index: number; readonly code: ErrorCode; readonly retriable: boolean; readonly duplicate: boolean };

export interface MetadataMachineOptions {
  /** Sync the apply batch once this many entries were applied since the last sync. Default 1,000. */
  readonly syncEveryEntries?: number;
  /** An unsynced state write waits this long for more applies to join it (WriteBehind `gatherMs`). Default 10. */
  readonly writeGatherMs?: number;
  readonly sessionLimits?: Partial<SessionLimits>;
  /** Monotonic milliseconds for `lastLeaderEntry` (default performance.now; tests inject one). */
  readonly monotonicClock?: () => number;
  /** Object changes the local journal holds across all tenants (object-changes.ts; default 262,144). */
  readonly objectJournalLimit?: number;
}

/** The access table's read-only queries (issue #9: ../access/table.ts). */
export type AccessView = Pick<AccessTable, 'request' | 'findGrant' | 'records' | 'activeGrants' | 'dueExpiries' | 'auditTrail'>;

/** When (monotonic clock) this replica last applied a metadata entry, and that entry's leader timestamp. */
export interface LeaderEntryMark {
  readonly appliedAtMonotonicMs: number;
  readonly leaderTimeMs: number;
}

/** The last compaction applied for a tenant (node memory only: not replicated, not in the digest). */
export interface CompactionRecord {
  readonly index: number;
  readonly leaderTimeMs: number;
  readonly dropped: number;
  readonly released: number;
}

export class MetadataMachine implements StateMachine<MetadataResult> {
  private applied = 0;
  /** Operators' view of compaction (Admin MaintenanceStatus): what this node applied since it started. */
  private readonly compactions = new Map<string, CompactionRecord>();
  private durable = 0;
  private state: MetadataState;
  /** Which objects changed, for incremental listing (local, in memory; replaced with the state on restore). */
  private journal: ObjectChangeJournal;
  private readonly syncEveryEntries: number;
  private readonly tenantListeners = new Set<() => void>();
  private lastEntry: LeaderEntryMark | undefined;
  /** The applied index the last synced batch was asked for at. */
  private syncAskedAt = 0;
  private readonly writer: WriteBehind;

  private constructor(
    private readonly kv: DurableKv,
    private readonly options: MetadataMachineOptions,
  ) {
    this.syncEveryEntries = options.syncEveryEntries ?? 1_000;
    this.state = new MetadataState();
    this.writer = new WriteBehind(kv, (sync) => this.batch(sync), { gatherMs: options.writeGatherMs ?? STATE_WRITE_GATHER_MS });
    this.journal = this.observe(this.state);
  }

  /** A fresh journal attached to `state`: whatever cursor was issued before can only resync. */
  private observe(state: MetadataState): ObjectChangeJournal {
    const journal = new ObjectChangeJournal(this.options.objectJournalLimit);
    state.objectChanges = journal;
    return journal;
  }

  static async open(kv: DurableKv, options: MetadataMachineOptions = {}): Promise<MetadataMachine> {
    const m = new MetadataMachine(kv, options);
    const { state, applied } = loadState(await kv.entries({}), options.sessionLimits);
    m.state = state;
    m.journal = m.observe(state);
    m.applied = applied;
    m.durable = applied;
    m.syncAskedAt = applied;
    return m;
  }

  appliedIndex(): number {
    return this.applied;
  }

  /** The applied index as of the last synced batch (what survives a power loss). */
  durableAppliedIndex(): number {
    return this.durable;
  }

  async apply(entries: readonly Entry[]): Promise<readonly MetadataResult[]> {
    // A failed earlier write stops the node before anything more is applied.
    if (this.writer.failed !== undefined) throw this.writer.failed;
    const tenantChanges = this.state.tenantChanges;
    const results = entries.map((entry) => this.applyOne(entry));
    const last = entries[entries.length - 1];
    if (last === undefined) return results;
    this.applied = last.index;
    const sync = this.applied - this.syncAskedAt >= this.syncEveryEntries;
    if (sync) this.syncAskedAt = this.applied;
    // No-ops here (the Kv machine's commands, empty entries, configuration
    // changes) move only the applied index, which waits for the next batch
    // with a change or the next sync (a crash replays them from the log).
    if (sync || this.state.hasDirty() || results.some((r) => r.kind !== 'none')) this.writer.request(sync);
    if (this.state.tenantChanges !== tenantChanges) this.notifyTenants();
    return results;
  }

  /** Waits until every applied change is in the store (before closing it); rejects with a write failure. */
  flush(): Promise<void> {
    return this.writer.drain();
  }

  /** The batch storing the state as it is now: the records changed since the last batch and the meta record. */
  private batch(sync: boolean): BehindBatch {
    const applied = this.applied;
    const ops = [...this.state.takeDirty().map((record) => recordOp(this.state, record)), metaOp(this.state, applied)];
    return {
      ops,
      written: () => {
        if (sync) this.durable = Math.max(this.durable, applied);
      },
    };
  }

  /** Called after an applied batch changed the tenant table (and after a restore). */
  onTenantsChanged(listener: () => void): () => void {
    this.tenantListeners.add(listener);
    return () => this.tenantListeners.delete(listener);
  }

  private notifyTenants(): void {
    for (const listener of this.tenantListeners) listener();
  }

  private applyOne(entry: Entry): MetadataResult {
    const index = entry.index;
    if (entry.type !== EntryType.Normal || entry.data.byteLength === 0) return { kind: 'none', index };
    let applied;
    let compacting: string | undefined;
    try {
      const command = decodeMetadataCommand(entry.data);
      compacting = command.op === 'compact' ? command.tenant : undefined;
      // Grants are served only while leader entries keep arriving (issue #9: ../access/freshness.ts).
      this.lastEntry = { appliedAtMonotonicMs: this.options.monotonicClock?.() ?? performance.now(), leaderTimeMs: command.timeMs };
      applied = this.state.apply(command);
    } catch (err) {
      // A malformed entry is refused the same way on every replica.
      if (err instanceof TesseraError) return { kind: 'error', index, code: err.code, retriable: false, duplicate: false };
      throw err;
    }
    const { result, duplicate } = applied;
    if (result instanceof TesseraError) return { kind: 'error', index, code: result.code, retriable: result.retriable, duplicate };
    switch (result.kind) {
      case 'ok':
        return { kind: 'ok', index, duplicate };
      case 'session':
        return { kind: 'session', index, clientId: result.clientId };
      case 'chunk':
        return { kind: 'chunk', index, existing: result.existing };
      case 'delta':
        return { kind: 'delta', index, sequence: result.sequence, leaderTimeMs: result.leaderTimeMs, duplicate };
      case 'compacted': {
        const tenant = compacting ?? '';
        this.compactions.set(tenant, { index, leaderTimeMs: result.leaderTimeMs, dropped: result.dropped, released: result.released });
        return { kind: 'compacted', index, tenant, dropped: result.dropped, released: result.released, leaderTimeMs: result.leaderTimeMs };
      }
    }
  }

  /** The last compaction of each tenant this node applied since it started (memory only), by tenant id. */
  lastCompactions(): ReadonlyMap<string, CompactionRecord> {
    return this.compactions;
  }

  async snapshot(): Promise<Uint8Array> {
    return encodeMetadataImage(this.state, this.applied);
  }

  async restore(snapshot: Snapshot): Promise<void> {
    const { state } = decodeMetadataImage(snapshot.data, this.options.sessionLimits);
    // The restore's batch lands after every earlier one, and replaces what they wrote.
    await this.writer.drain();
    // Replace every stored record: delete what is there, then write the new state.
    const ops: KvOp[] = (await this.kv.entries({})).map(([key]) => ({ type: 'del', key }));
    this.state = state;
    this.journal = this.observe(state);
    this.applied = snapshot.metadata.index;
    ops.push(...allRecords(state).map((record) => recordOp(state, record)), metaOp(state, this.applied));
    await this.kv.write(ops, { sync: false });
    this.notifyTenants();
  }

  /** SHA-256 (hex) of the canonical state: equal on replicas at the same applied index. */
  digest(): string {
    return metadataDigest(this.state, this.applied);
  }

  // Queries: serve them only after a ReadIndex barrier (linearizable reads).

  /** Access requests, grants and the grant audit trail (issue #9). */
  access(): AccessView {
    return this.state.access;
  }

  /** The audit chains' unsigned head (every chain, or those selected) at the highest applied leader time (issue #9). */
  auditHead(select?: readonly ChainId[]): AuditHead {
    return this.state.audit.head(this.state.nowMs, select);
  }

  /** Chains with at least one entry, ascending. */
  auditChains(): ChainId[] {
    return this.state.audit.chains();
  }

  /** Encoded entries of one chain from `fromSeq` (1-based), at most `limit`. */
  auditEntries(chain: ChainId, fromSeq = 1, limit?: number): Buffer[] {
    return this.state.audit.encodedEntries(chain, fromSeq, limit);
  }

  auditLength(chain: ChainId): number {
    return this.state.audit.length(chain);
  }

  /** The last metadata entry this replica applied since it started (undefined before the first). */
  lastLeaderEntry(): LeaderEntryMark | undefined {
    return this.lastEntry;
  }

  /** Highest leader timestamp applied. */
  leaderTimeMs(): number {
    return this.state.nowMs;
  }

  minDecryptEpoch(): number {
    return this.state.minDecryptEpoch;
  }

  /** Live chunks sealed under a system epoch. */
  chunksInEpoch(epoch: number): number {
    return this.state.epochCounts.get(epoch) ?? 0;
  }

  chunk(chunkId: Uint8Array): ChunkRecord | undefined {
    return this.state.chunks.get(Buffer.from(chunkId).toString('hex'));
  }

  /**
   * Whether `tenant` may name `chunkId` in a delta: a pending reference from
   * session `clientId` (when given), or a reference from its stored deltas.
   */
  holdsReference(tenant: string, chunkId: Uint8Array, clientId?: number): boolean {
    const data = this.state.tenantData.get(tenant);
    if (data === undefined) return false;
    const key = Buffer.from(chunkId).toString('hex');
    if ((data.refs.get(key) ?? 0) > 0) return true;
    return clientId !== undefined && data.pending.get(clientId)?.has(key) === true;
  }

  /** The latest delta of the object, or undefined when there is none or it is deleted. */
  latestObject(tenant: string, keyTag: Uint8Array): StoredDelta | undefined {
    const data = this.state.tenantData.get(tenant);
    const sequence = data?.latest.get(Buffer.from(keyTag).toString('hex'));
    const delta = sequence === undefined ? undefined : data?.deltas.get(sequence);
    return delta === undefined || delta.header.tombstone ? undefined : delta;
  }

  /** Whether `tenant` holds `chunkId` at all: a reference from its stored deltas or a pending one of any session. */
  holdsAnyReference(tenant: string, chunkId: Uint8Array): boolean {
    const data = this.state.tenantData.get(tenant);
    if (data === undefined) return false;
    const key = Buffer.from(chunkId).toString('hex');
    if ((data.refs.get(key) ?? 0) > 0) return true;
    for (const session of data.pending.values()) if (session.has(key)) return true;
    return false;
  }

  /** keyTag (hex) → sequence of the latest delta of every current (not deleted) object of the tenant. */
  currentObjects(tenant: string): Map<string, number> {
    const data = this.state.tenantData.get(tenant);
    const out = new Map<string, number>();
    if (data === undefined) return out;
    for (const [tag, sequence] of data.latest) {
      const delta = data.deltas.get(sequence);
      if (delta !== undefined && !delta.header.tombstone) out.set(tag, sequence);
    }
    return out;
  }

  /**
   * The keyTags (hex) of `tenant` whose latest delta changed since `cursor`
   * (put, overwrite, delete, an expired tombstone compacted away), or
   * `resync` when this replica cannot tell: no cursor, one issued before a
   * restore or by another machine instance, one of a purged tenant, or one
   * older than the bounded journal holds. After a resync, rebuild from
   * `currentObjects` read at the same time, then continue from the cursor
   * returned. Memory only, never replicated: O(changes) per call.
   */
  objectChangesSince(tenant: string, cursor: ObjectChangeCursor | undefined): ObjectChanges {
    return this.journal.since(tenant, cursor);
  }

  /** Sequence of the latest delta of the object (keyTag hex) when it is current (not deleted), else undefined. */
  currentSequence(tenant: string, keyTag: string): number | undefined {
    const data = this.state.tenantData.get(tenant);
    const sequence = data?.latest.get(keyTag);
    if (sequence === undefined) return undefined;
    const delta = data?.deltas.get(sequence);
    return delta === undefined || delta.header.tombstone ? undefined : sequence;
  }

  /** A stored delta by sequence. */
  delta(tenant: string, sequence: number): StoredDelta | undefined {
    return this.state.tenantData.get(tenant)?.deltas.get(sequence);
  }

  tenantUsage(tenant: string): TenantUsage {
    const data = this.state.tenantData.get(tenant);
    return { logicalBytes: data?.logicalBytes ?? 0, objects: data?.objects ?? 0 };
  }

  tenant(id: string): TenantRecord | undefined {
    return this.state.tenants.get(id);
  }

  tenants(): TenantRecord[] {
    return [...this.state.tenants.values()];
  }

  nodes(): NodeRecord[] {
    return [...this.state.nodes.values()];
  }

  devices(): DeviceRecord[] {
    return [...this.state.devices.values()];
  }

  // Housekeeping queries (issue #8): inputs for GC, compaction, re-encryption,
  // scrub, evacuation, shard reconciliation and orphan reclamation proposals.

  /** The group's gcGrace now (default 10 min; `setGcGrace` changes it). */
  gcGraceMs(): number {
    return this.state.gcGraceMs;
  }

  /** Up to `limit` live records with no references, no pending references, committed at least gcGrace before `nowMs`: propose `chunkDelete`. */
  gcCandidates(nowMs: number, limit: number): ChunkWrite[] {
    return queries.gcCandidates(this.state, nowMs, limit);
  }

  /** Records in state `deleting`, oldest condemnation first: delete their shards, then propose `chunkGone`. */
  deletingChunks(limit: number): ChunkRecord[] {
    return queries.deletingChunks(this.state, limit);
  }

  /** Tenants worth compacting (superseded deltas or expired tombstones) and the upToSeq to propose. */
  compactionCandidates(limit: number, tombstoneTtlMs?: number): CompactionCandidate[] {
    return queries.compactionCandidates(this.state, limit, tombstoneTtlMs);
  }

  /** Live records sealed under a system epoch below `epoch` (re-encryption), ascending by (epoch, chunk id). */
  chunksInEpochBelow(epoch: number, limit: number, after?: EpochCursor): ChunkRecord[] {
    return queries.chunksInEpochBelow(this.state, epoch, limit, after);
  }

  /** Live records with a current slot on the device (scrub, evacuation), ascending by chunk id after `after`. */
  chunksOnDevice(nodeId: string, deviceId: string, limit: number, after?: Uint8Array): ChunkRecord[] {
    return queries.chunksOnDevice(this.state, nodeId, deviceId, limit, after === undefined ? undefined : Buffer.from(after));
  }

  /** Every shard the committed table places on the node, with what to do with it (queries.ts: ShardDisposition). */
  shardsExpectedOn(nodeId: string): Generator<ExpectedShard> {
    return queries.shardsExpectedOn(this.state, nodeId);
  }

  /** (chunk, writeId) retired placements all retired at or before `cutoffMs`: propose `dropRetired`. */
  retiredOlderThan(cutoffMs: number, limit = 1000): Array<ChunkWrite & { readonly retiredAtMs: number }> {
    return queries.retiredOlderThan(this.state, cutoffMs, limit);
  }

  /** Whether a live or deleting record, or a retired placement, names the writeId. */
  isKnownWriteId(writeId: Uint8Array): boolean {
    return queries.isKnownWriteId(this.state, writeId);
  }
}
