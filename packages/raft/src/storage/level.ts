/**
 * `RaftStorage` on LevelDB (through {@link DurableKv}, so the crash
 * simulation applies to it).
 *
 * The core reads storage synchronously, so the store keeps the un-compacted
 * log in memory after `open` — each entry next to the CRC32C it was stored
 * with, re-checked on every read — and writes go to LevelDB first and into
 * memory only once the batch is durable. Log length is bounded by the
 * driver's snapshot-and-compact policy.
 *
 * Atomicity: one `save` is one LevelDB batch — snapshot records, deletion of
 * every replaced entry key (LevelDB's `clear()` cannot join a batch, so the
 * store deletes the keys of the range it knows it holds), the new entries and
 * the hard state — written with `sync: true` unless the caller says the
 * update needs no sync (only the commit index moved).
 *
 * Corruption: an entry whose record fails its checksum is kept, never
 * truncated; reading it throws `RAFT_CORRUPT_LOG` with its index so the core
 * can stop voting and ask for a snapshot. A corrupt hard state, identity or
 * snapshot metadata cannot be worked around (it holds the vote), so `open`
 * refuses with `RAFT_CORRUPT_LOG`.
 *
 * Failure: after any failed write the store refuses every later write with
 * `RAFT_STORAGE` — the node must stop acknowledging; the in-memory state still
 * describes what is known durable.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';
import { entrySize } from '../entry.js';
import { compactedError, corruptEntryError, snapshotOutOfDateError, unavailableError } from '../errors.js';
import type { ConfState, Entry, HardState, InitialState, MemberInfo, NodeId, RaftStorage, Snapshot, SnapshotMetadata, StorageUpdate } from '../types.js';
import type { DurableKv, KvOp } from './level-kv.js';
import {
  BadRecordError,
  MetaKind,
  checkGroup,
  decodeCompacted,
  decodeEntry,
  decodeHardState,
  decodeIdentity,
  decodeSnapshotMeta,
  encodeCompacted,
  encodeEntry,
  encodeHardState,
  encodeIdentity,
  encodeSnapshotMeta,
  entryChecksum,
  entryKey,
  entryRangeEnd,
  indexFromEntryKey,
  metaKey,
  snapshotDataMatches,
  type StoreIdentity,
} from './level-records.js';

export type { StoreIdentity } from './level-records.js';

/** How an empty store is initialised (DESIGN section 2). */
export type StoreInit =
  | {
      /** Start a new cluster: a one-voter configuration of this member, committed at index 1. */
      readonly kind: 'bootstrap';
      readonly address: string;
      /** The state machine's initial snapshot data (empty by default). */
      readonly initialData?: Uint8Array;
    }
  | {
      /** Join an existing cluster; a ConfChange carrying this store's incarnation id adds the member. */
      readonly kind: 'join';
      /** The cluster to join, when known; otherwise learnt from the first leader (see `adoptClusterId`). */
      readonly clusterId?: string;
    };

export interface LevelRaftStorageOptions {
  /** Several groups may share one LevelDB; keys are prefixed by group. */
  readonly group: number;
  readonly nodeId: NodeId;
  /** Required when the store is empty; ignored (beyond the node id check) otherwise. */
  readonly init?: StoreInit;
}

export interface SaveOptions {
  /** Default true. False only when the update needs no sync (Ready.mustSync false). */
  readonly sync?: boolean;
}

/** An entry as held in memory: `crc` is the checksum read from (or written to) disk. */
interface HeldEntry {
  readonly entry: Entry;
  readonly crc: number;
}

/** An entry whose record failed its checksum on load. */
const CORRUPT: unique symbol = Symbol('corrupt');
type Slot = HeldEntry | typeof CORRUPT;

interface HeldSnapshot {
  readonly snapshot: Snapshot;
  /** Whether the data record matched the CRC in the metadata when loaded. */
  readonly intact: boolean;
}

const EMPTY_HARD_STATE: HardState = { term: 0, vote: '', commit: 0 };
const EMPTY_SNAPSHOT: Snapshot = { metadata: { index: 0, term: 0, confState: { voters: [], learners: [] } }, data: new Uint8Array(0) };

export class LevelRaftStorage implements RaftStorage {
  readonly group: number;
  private readonly kv: DurableKv;
  private identityValue: StoreIdentity;
  private hardState: HardState;
  private snap: HeldSnapshot;
  private compactedIndex: number;
  private compactedTerm: number;
  /** slots[i] holds index compactedIndex + 1 + i. */
  private slots: Slot[];
  private writes: Promise<unknown> = Promise.resolve();
  private failure: TesseraError | undefined;
  /** Completed synced batches (for tests and the benchmark's entries-per-fsync). */
  syncCount = 0;

  private constructor(kv: DurableKv, group: number, identity: StoreIdentity, state: LoadedState) {
    this.kv = kv;
    this.group = group;
    this.identityValue = identity;
    this.hardState = state.hardState;
    this.snap = state.snapshot;
    this.compactedIndex = state.compacted.index;
    this.compactedTerm = state.compacted.term;
    this.slots = state.slots;
  }

  /**
   * Opens the group's store. An empty store needs `init`, or it refuses with
   * RAFT_NOT_BOOTSTRAPPED; a store made for another node id refuses with
   * RAFT_BAD_CONFIG.
   */
  static async open(kv: DurableKv, options: LevelRaftStorageOptions): Promise<LevelRaftStorage> {
    checkGroup(options.group);
    if (options.nodeId === '') throw new TesseraError(ErrorCodes.RAFT_BAD_CONFIG, 'node id must not be empty');
    const group = options.group;
    const identityRecord = await storageCall(() => kv.get(metaKey(group, MetaKind.Identity)));
    if (identityRecord === undefined) return LevelRaftStorage.initialise(kv, options);
    const identity = fatalIfBad(() => decodeIdentity(identityRecord));
    if (identity.nodeId !== options.nodeId) {
      throw new TesseraError(ErrorCodes.RAFT_BAD_CONFIG, 'this raft store belongs to another node id');
    }
    return new LevelRaftStorage(kv, group, identity, await load(kv, group));
  }

  private static async initialise(kv: DurableKv, options: LevelRaftStorageOptions): Promise<LevelRaftStorage> {
    const init = options.init;
    if (init === undefined) {
      throw new TesseraError(ErrorCodes.RAFT_NOT_BOOTSTRAPPED, 'empty raft store: start with bootstrap or join');
    }
    const group = options.group;
    const incarnationId = randomId();
    let identity: StoreIdentity;
    let state: LoadedState;
    const ops: KvOp[] = [];
    if (init.kind === 'bootstrap') {
      identity = { nodeId: options.nodeId, incarnationId, clusterId: randomId() };
      const member: MemberInfo = { id: options.nodeId, incarnationId, address: init.address };
      const confState: ConfState = { voters: [options.nodeId], learners: [], members: [member], removed: [] };
      // The configuration is committed at index 1, term 1, as a snapshot: no
      // log entry is needed to know it, and no other member can ever have a
      // conflicting entry at index 1.
      const snapshot: Snapshot = { metadata: { index: 1, term: 1, confState }, data: Uint8Array.from(init.initialData ?? new Uint8Array(0)) };
      const hardState: HardState = { term: 1, vote: '', commit: 1 };
      state = { hardState, snapshot: { snapshot, intact: true }, compacted: { index: 1, term: 1 }, slots: [] };
      ops.push(...snapshotOps(group, snapshot), { type: 'put', key: metaKey(group, MetaKind.Compacted), value: encodeCompacted({ index: 1, term: 1 }) });
      ops.push({ type: 'put', key: metaKey(group, MetaKind.HardState), value: encodeHardState(hardState) });
    } else {
      identity = { nodeId: options.nodeId, incarnationId, clusterId: init.clusterId ?? '' };
      state = { hardState: EMPTY_HARD_STATE, snapshot: { snapshot: EMPTY_SNAPSHOT, intact: true }, compacted: { index: 0, term: 0 }, slots: [] };
    }
    // The identity goes last in the same batch: a store that has it is complete.
    ops.push({ type: 'put', key: metaKey(group, MetaKind.Identity), value: encodeIdentity(identity) });
    await storageCall(() => kv.write(ops, { sync: true }));
    return new LevelRaftStorage(kv, group, identity, state);
  }

  // ----- identity -----

  identity(): StoreIdentity {
    return this.identityValue;
  }

  /**
   * Records the cluster id a joining member learnt from its first leader. Only
   * an unknown cluster id can be set; a different one is refused.
   */
  adoptClusterId(clusterId: string): Promise<void> {
    return this.serially(async () => {
      const current = this.identityValue.clusterId;
      if (current === clusterId) return;
      if (current !== '' || clusterId === '') {
        throw new TesseraError(ErrorCodes.RAFT_WRONG_CLUSTER, 'this store already belongs to another cluster');
      }
      const next = { ...this.identityValue, clusterId };
      await this.writeBatch([{ type: 'put', key: metaKey(this.group, MetaKind.Identity), value: encodeIdentity(next) }], true);
      this.identityValue = next;
    });
  }

  /** The write failure that stopped this store, if any. */
  get failed(): TesseraError | undefined {
    return this.failure;
  }

  /** Indexes whose records failed their checksum on load (kept, never truncated). */
  corruptIndexes(): number[] {
    const out: number[] = [];
    this.slots.forEach((slot, i) => {
      if (slot === CORRUPT) out.push(this.compactedIndex + 1 + i);
    });
    return out;
  }

  // ----- READ side -----

  initialState(): InitialState {
    return { hardState: this.hardState, confState: this.snap.snapshot.metadata.confState };
  }

  firstIndex(): number {
    return this.compactedIndex + 1;
  }

  lastIndex(): number {
    return this.compactedIndex + this.slots.length;
  }

  term(index: number): number {
    if (index === this.compactedIndex) return this.compactedTerm;
    if (index < this.compactedIndex) throw compactedError(index);
    if (index > this.lastIndex()) throw unavailableError(index);
    return this.verified(index).term;
  }

  entries(lo: number, hi: number, maxSizeBytes = Number.POSITIVE_INFINITY): Entry[] {
    if (lo <= this.compactedIndex) throw compactedError(lo);
    if (hi > this.lastIndex() + 1) throw unavailableError(hi - 1);
    const out: Entry[] = [];
    let size = 0;
    for (let i = lo; i < hi; i++) {
      const entry = this.verified(i);
      size += entrySize(entry);
      if (out.length > 0 && size > maxSizeBytes) break;
      out.push(entry);
    }
    return out;
  }

  /** The latest snapshot's metadata, without reading (or verifying) its data. */
  snapshotMetadata(): SnapshotMetadata {
    return this.snap.snapshot.metadata;
  }

  snapshot(): Snapshot {
    if (!this.snap.intact) throw corruptEntryError(this.snap.snapshot.metadata.index);
    return this.snap.snapshot;
  }

  private verified(index: number): Entry {
    const slot = this.slots[index - this.compactedIndex - 1];
    if (slot === undefined) throw unavailableError(index);
    if (slot === CORRUPT || entryChecksum(slot.entry) !== slot.crc) throw corruptEntryError(index);
    return slot.entry;
  }

  // ----- WRITE side -----

  /**
   * Persists one Ready as one batch: snapshot (replacing the whole log, even
   * when not newer than the stored one: the core decides), then
   * entries (replacing every stored entry from the first one's index), then
   * hard state. Durable when the promise resolves (unless `sync: false`).
   */
  save(update: StorageUpdate, options: SaveOptions = {}): Promise<void> {
    return this.serially(async () => {
      const plan = this.planSave(update);
      if (plan.ops.length === 0) return;
      await this.writeBatch(plan.ops, options.sync ?? true);
      plan.commit();
    });
  }

  createSnapshot(index: number, confState: ConfState, data: Uint8Array): Promise<Snapshot> {
    return this.serially(async () => {
      if (index <= this.snap.snapshot.metadata.index) throw snapshotOutOfDateError(index);
      if (index > this.lastIndex()) throw unavailableError(index);
      const snapshot: Snapshot = { metadata: { index, term: this.term(index), confState }, data: Uint8Array.from(data) };
      await this.writeBatch(snapshotOps(this.group, snapshot), true);
      this.snap = { snapshot, intact: true };
      return snapshot;
    });
  }

  /**
   * Drops entries <= `index` (at most the snapshot index). `sync: false` is
   * enough for the driver: a compaction lost in a crash only leaves entries
   * that a later compaction drops again.
   */
  compact(index: number, options: SaveOptions = {}): Promise<void> {
    return this.serially(async () => {
      if (index <= this.compactedIndex) return;
      if (index > this.snap.snapshot.metadata.index) {
        throw new TesseraError(ErrorCodes.RAFT_STORAGE, `cannot compact ${index} beyond the snapshot`);
      }
      const term = this.term(index);
      const ops: KvOp[] = [];
      for (let i = this.compactedIndex + 1; i <= index; i++) ops.push({ type: 'del', key: entryKey(this.group, i) });
      ops.push({ type: 'put', key: metaKey(this.group, MetaKind.Compacted), value: encodeCompacted({ index, term }) });
      await this.writeBatch(ops, options.sync ?? true);
      this.slots = this.slots.slice(index - this.compactedIndex);
      this.compactedIndex = index;
      this.compactedTerm = term;
    });
  }

  /** Builds the batch for `update` and the in-memory change to make once it is durable. */
  private planSave(update: StorageUpdate): { ops: KvOp[]; commit: () => void } {
    const ops: KvOp[] = [];
    let compacted = { index: this.compactedIndex, term: this.compactedTerm };
    let lastIndex = this.lastIndex();
    let resetLog = false;
    /** Held entries that survive, counted from the (new) compaction point. */
    let keep = this.slots.length;
    const held: HeldEntry[] = [];
    let snap = this.snap;
    const group = this.group;
    if (update.snapshot !== undefined) {
      const meta = update.snapshot.metadata;
      // No staleness check here: the core ignores stale snapshots itself, and
      // a replica repairing a corrupt log must take the leader's snapshot even
      // when it is not newer than its own (a fresh cluster has only the
      // bootstrap snapshot at index 1 everywhere).
      for (let i = compacted.index + 1; i <= lastIndex; i++) ops.push({ type: 'del', key: entryKey(group, i) });
      ops.push(...snapshotOps(group, update.snapshot));
      compacted = { index: meta.index, term: meta.term };
      ops.push({ type: 'put', key: metaKey(group, MetaKind.Compacted), value: encodeCompacted(compacted) });
      snap = { snapshot: { metadata: meta, data: Uint8Array.from(update.snapshot.data) }, intact: true };
      resetLog = true;
      keep = 0;
      lastIndex = compacted.index;
    }
    // Entries at or below the compaction point are already covered.
    const fresh = update.entries.filter((e) => e.index > compacted.index);
    const head = fresh[0];
    if (head !== undefined) {
      if (head.index > lastIndex + 1) {
        throw new TesseraError(ErrorCodes.RAFT_STORAGE, `append at ${head.index} leaves a gap after ${lastIndex}`);
      }
      fresh.forEach((e, i) => {
        if (e.index !== head.index + i) throw new TesseraError(ErrorCodes.RAFT_STORAGE, 'appended entries are not contiguous');
      });
      const newLast = head.index + fresh.length - 1;
      // Truncate the suffix the new entries do not overwrite.
      for (let i = newLast + 1; i <= lastIndex; i++) ops.push({ type: 'del', key: entryKey(group, i) });
      for (const e of fresh) {
        const entry: Entry = { term: e.term, index: e.index, type: e.type, data: Uint8Array.from(e.data) };
        const crc = entryChecksum(entry);
        held.push({ entry, crc });
        ops.push({ type: 'put', key: entryKey(group, e.index), value: encodeEntry(entry, crc) });
      }
      keep = head.index - compacted.index - 1;
    }
    const hardState = update.hardState;
    if (hardState !== undefined) ops.push({ type: 'put', key: metaKey(group, MetaKind.HardState), value: encodeHardState(hardState) });
    return {
      ops,
      commit: () => {
        this.snap = snap;
        this.compactedIndex = compacted.index;
        this.compactedTerm = compacted.term;
        if (resetLog) this.slots = [];
        this.slots.length = keep;
        for (const h of held) this.slots.push(h);
        if (hardState !== undefined) this.hardState = hardState;
      },
    };
  }

  /** Runs writes one at a time: each plans from the state the previous one left. */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.writes.then(() => {
      if (this.failure !== undefined) throw this.failure;
      return task();
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async writeBatch(ops: KvOp[], sync: boolean): Promise<void> {
    try {
      await this.kv.write(ops, { sync });
    } catch (err) {
      this.failure = new TesseraError(ErrorCodes.RAFT_STORAGE, raftStorageMessage(err), { cause: err });
      throw this.failure;
    }
    if (sync) this.syncCount++;
  }
}

interface LoadedState {
  hardState: HardState;
  snapshot: HeldSnapshot;
  compacted: { index: number; term: number };
  slots: Slot[];
}

async function load(kv: DurableKv, group: number): Promise<LoadedState> {
  const [hsRecord, metaRecord, dataRecord, compactedRecord] = await Promise.all([
    storageCall(() => kv.get(metaKey(group, MetaKind.HardState))),
    storageCall(() => kv.get(metaKey(group, MetaKind.SnapshotMeta))),
    storageCall(() => kv.get(metaKey(group, MetaKind.SnapshotData))),
    storageCall(() => kv.get(metaKey(group, MetaKind.Compacted))),
  ]);
  const hardState = hsRecord === undefined ? EMPTY_HARD_STATE : fatalIfBad(() => decodeHardState(hsRecord));
  let snapshot: HeldSnapshot = { snapshot: EMPTY_SNAPSHOT, intact: true };
  if (metaRecord !== undefined) {
    const meta = fatalIfBad(() => decodeSnapshotMeta(metaRecord));
    const data = dataRecord ?? Buffer.alloc(0);
    snapshot = { snapshot: { metadata: meta.metadata, data: Uint8Array.from(data) }, intact: snapshotDataMatches(meta, data) };
  }
  const compacted = compactedRecord === undefined ? { index: 0, term: 0 } : fatalIfBad(() => decodeCompacted(compactedRecord));
  const rows = await storageCall(() => kv.entries({ gt: entryKey(group, compacted.index), lt: entryRangeEnd(group) }));
  const slots: Slot[] = [];
  let expected = compacted.index + 1;
  for (const [key, value] of rows) {
    const index = indexFromEntryKey(key);
    // A hole can only come from a damaged disk: mark it, never close it up.
    for (; expected < index; expected++) slots.push(CORRUPT);
    try {
      const entry = decodeEntry(index, value);
      slots.push({ entry, crc: entryChecksum(entry) });
    } catch (err) {
      if (!(err instanceof BadRecordError)) throw err;
      slots.push(CORRUPT);
    }
    expected = index + 1;
  }
  return { hardState, snapshot, compacted, slots };
}

function snapshotOps(group: number, snapshot: Snapshot): KvOp[] {
  return [
    { type: 'put', key: metaKey(group, MetaKind.SnapshotMeta), value: encodeSnapshotMeta(snapshot.metadata, snapshot.data) },
    { type: 'put', key: metaKey(group, MetaKind.SnapshotData), value: snapshot.data },
  ];
}

function fatalIfBad<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof BadRecordError) {
      throw new TesseraError(ErrorCodes.RAFT_CORRUPT_LOG, `raft store ${err.what} record failed its checksum`);
    }
    throw err;
  }
}

async function storageCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new TesseraError(ErrorCodes.RAFT_STORAGE, raftStorageMessage(err), { cause: err });
  }
}

function raftStorageMessage(err: unknown): string {
  if (isTesseraError(err)) return `raft storage failed: ${err.message}`;
  return 'raft storage failed';
}

function randomId(): string {
  return randomBytes(16).toString('hex');
}
