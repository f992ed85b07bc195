/**
 * An in-memory `RaftStorage` for the simulator and tests, with the power-loss
 * semantics of DESIGN §4: a write becomes durable only when a sync completes;
 * `crash()` throws away everything written since the last completed sync, as a
 * power failure would. Every entry and the snapshot carry a CRC32C that is
 * verified on every read, and `corruptEntry`/`corruptSnapshot` flip stored bits
 * (bit rot the checksum must catch).
 *
 * Layout: entries after `compacted.index` are kept in an array; the term of
 * `compacted.index` is remembered so `term(firstIndex() - 1)` works.
 * `compacted.index <= snapshot index` always.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { entrySize } from '../entry.js';
import {
  compactedError,
  corruptEntryError,
  snapshotOutOfDateError,
  unavailableError,
} from '../errors.js';
import type {
  ConfState,
  Entry,
  HardState,
  InitialState,
  RaftStorage,
  Snapshot,
  StorageUpdate,
} from '../types.js';
import { crc32c } from './checksum.js';

interface StoredEntry {
  readonly entry: Entry;
  readonly crc: number;
}

interface StoredSnapshot {
  readonly snapshot: Snapshot;
  readonly crc: number;
}

/** Everything the store holds; copied (shallowly) to take a durable image. */
interface StoreState {
  hardState: HardState;
  snapshot: StoredSnapshot;
  compactedIndex: number;
  compactedTerm: number;
  entries: StoredEntry[];
}

const EMPTY_HARD_STATE: HardState = { term: 0, vote: '', commit: 0 };
const EMPTY_CONF: ConfState = { voters: [], learners: [] };

const header = Buffer.alloc(17);

function entryCrc(e: Entry): number {
  header.writeDoubleBE(e.term, 0);
  header.writeDoubleBE(e.index, 8);
  header.writeUInt8(e.type === 'normal' ? 0 : 1, 16);
  return crc32c(e.data, crc32c(header));
}

function snapshotCrc(s: Snapshot): number {
  const meta = Buffer.from(
    JSON.stringify([s.metadata.index, s.metadata.term, s.metadata.confState]),
    'utf8',
  );
  return crc32c(s.data, crc32c(meta));
}

function store(snapshot: Snapshot): StoredSnapshot {
  return { snapshot, crc: snapshotCrc(snapshot) };
}

function cloneState(s: StoreState): StoreState {
  return { ...s, entries: s.entries.slice() };
}

export interface MemoryRaftStorageOptions {
  readonly hardState?: HardState;
  /** Starting snapshot (e.g. a bootstrap configuration at index 1). */
  readonly snapshot?: Snapshot;
}

export class MemoryRaftStorage implements RaftStorage {
  /** What reads see: durable state plus writes not yet synced. */
  private current: StoreState;
  /** What survives `crash()`. */
  private durable: StoreState;
  private dirty = false;
  /** Completed syncs (for tests asserting group commit). */
  syncCount = 0;

  constructor(options: MemoryRaftStorageOptions = {}) {
    const snapshot: Snapshot = options.snapshot ?? {
      metadata: { index: 0, term: 0, confState: EMPTY_CONF },
      data: new Uint8Array(0),
    };
    this.current = {
      hardState: options.hardState ?? EMPTY_HARD_STATE,
      snapshot: store(snapshot),
      compactedIndex: snapshot.metadata.index,
      compactedTerm: snapshot.metadata.term,
      entries: [],
    };
    this.durable = cloneState(this.current);
  }

  /**
   * A store for a member of a new cluster: a snapshot at index 1, term 1
   * holding `confState` and the state machine's initial `data`, committed.
   */
  static bootstrap(confState: ConfState, data: Uint8Array = new Uint8Array(0)): MemoryRaftStorage {
    return new MemoryRaftStorage({
      snapshot: { metadata: { index: 1, term: 1, confState }, data },
      hardState: { term: 1, vote: '', commit: 1 },
    });
  }

  // ----- READ side (RaftLogReader) -----

  initialState(): InitialState {
    return { hardState: this.current.hardState, confState: this.current.snapshot.snapshot.metadata.confState };
  }

  firstIndex(): number {
    return this.current.compactedIndex + 1;
  }

  lastIndex(): number {
    return this.current.compactedIndex + this.current.entries.length;
  }

  term(index: number): number {
    const s = this.current;
    if (index === s.compactedIndex) return s.compactedTerm;
    if (index < s.compactedIndex) throw compactedError(index);
    if (index > this.lastIndex()) throw unavailableError(index);
    return this.verified(index).term;
  }

  entries(lo: number, hi: number, maxSizeBytes = Number.POSITIVE_INFINITY): Entry[] {
    if (lo <= this.current.compactedIndex) throw compactedError(lo);
    if (hi > this.lastIndex() + 1) throw unavailableError(hi - 1);
    const out: Entry[] = [];
    let size = 0;
    for (let i = lo; i < hi; i++) {
      const e = this.verified(i);
      size += entrySize(e);
      if (out.length > 0 && size > maxSizeBytes) break;
      out.push(e);
    }
    return out;
  }

  snapshot(): Snapshot {
    const s = this.current.snapshot;
    if (snapshotCrc(s.snapshot) !== s.crc) throw corruptEntryError(s.snapshot.metadata.index);
    return s.snapshot;
  }

  private verified(index: number): Entry {
    const stored = this.current.entries[index - this.current.compactedIndex - 1];
    if (stored === undefined) throw unavailableError(index);
    if (entryCrc(stored.entry) !== stored.crc || stored.entry.index !== index) throw corruptEntryError(index);
    return stored.entry;
  }

  // ----- WRITE side (RaftStorageWriter) -----

  /** One atomic batch, durable on return. */
  save(update: StorageUpdate): void {
    this.write(update);
    this.sync();
  }

  /**
   * Writes `update` without syncing: reads see it, `crash()` discards it.
   * The simulator uses this to place a crash between write and fsync.
   */
  write(update: StorageUpdate): void {
    const s = this.current;
    if (update.snapshot !== undefined) {
      // Installed unconditionally: the core only emits a snapshot it decided to
      // install, and a replica repairing a corrupt log may go back in time.
      const meta = update.snapshot.metadata;
      s.snapshot = store(update.snapshot);
      s.compactedIndex = meta.index;
      s.compactedTerm = meta.term;
      s.entries = [];
    }
    const first = update.entries[0];
    if (first !== undefined) {
      // Entries at or below the compaction point are already covered.
      const skip = Math.max(0, s.compactedIndex + 1 - first.index);
      const fresh = update.entries.slice(skip);
      const head = fresh[0];
      if (head !== undefined) {
        if (head.index > this.lastIndex() + 1) {
          throw new TesseraError(ErrorCodes.RAFT_STORAGE, `append at ${head.index} leaves a gap after ${this.lastIndex()}`);
        }
        s.entries.length = head.index - s.compactedIndex - 1;
        for (const e of fresh) s.entries.push({ entry: e, crc: entryCrc(e) });
      }
    }
    if (update.hardState !== undefined) s.hardState = update.hardState;
    this.dirty = true;
  }

  /** Completes durability of everything written so far. */
  sync(): void {
    if (this.dirty) {
      this.durable = cloneState(this.current);
      this.dirty = false;
    }
    this.syncCount++;
  }

  createSnapshot(index: number, confState: ConfState, data: Uint8Array): Snapshot {
    const s = this.current;
    if (index <= s.snapshot.snapshot.metadata.index) throw snapshotOutOfDateError(index);
    if (index > this.lastIndex()) throw unavailableError(index);
    const snapshot: Snapshot = { metadata: { index, term: this.term(index), confState }, data };
    s.snapshot = store(snapshot);
    this.dirty = true;
    this.sync();
    return snapshot;
  }

  compact(index: number): void {
    const s = this.current;
    if (index <= s.compactedIndex) return;
    if (index > s.snapshot.snapshot.metadata.index) {
      throw new TesseraError(ErrorCodes.RAFT_STORAGE, `cannot compact ${index} beyond the snapshot`);
    }
    const term = this.term(index);
    s.entries = s.entries.slice(index - s.compactedIndex);
    s.compactedIndex = index;
    s.compactedTerm = term;
    this.dirty = true;
    this.sync();
  }

  // ----- Fault injection -----

  /** Power loss: everything not covered by a completed sync disappears. */
  crash(): void {
    this.current = cloneState(this.durable);
    this.dirty = false;
  }

  /** Whether writes are pending a sync. */
  hasUnsyncedWrites(): boolean {
    return this.dirty;
  }

  /**
   * Flips one bit of the stored entry at `index` (in the durable image too:
   * this is the disk going bad). Returns false if the index is not stored.
   */
  corruptEntry(index: number): boolean {
    let hit = false;
    for (const s of [this.current, this.durable]) {
      const pos = index - s.compactedIndex - 1;
      const stored = s.entries[pos];
      if (stored === undefined) continue;
      const data = new Uint8Array(stored.entry.data.byteLength === 0 ? 1 : stored.entry.data.byteLength);
      data.set(stored.entry.data);
      data[0] = (data[0] ?? 0) ^ 0x01;
      s.entries[pos] = { entry: { ...stored.entry, data }, crc: stored.crc };
      hit = true;
    }
    return hit;
  }

  /** Flips one bit of the stored snapshot's data. */
  corruptSnapshot(): void {
    for (const s of [this.current, this.durable]) {
      const snap = s.snapshot.snapshot;
      const data = new Uint8Array(Math.max(1, snap.data.byteLength));
      data.set(snap.data);
      data[0] = (data[0] ?? 0) ^ 0x01;
      s.snapshot = { snapshot: { ...snap, data }, crc: s.snapshot.crc };
    }
  }

  /** Whether every stored entry and the snapshot pass their checksums. */
  isIntact(): boolean {
    const s = this.current;
    if (snapshotCrc(s.snapshot.snapshot) !== s.snapshot.crc) return false;
    return s.entries.every((e) => entryCrc(e.entry) === e.crc);
  }

  /** Every stored entry, unverified (for simulator invariant checks). */
  rawEntries(): Entry[] {
    return this.current.entries.map((s) => s.entry);
  }

  /** Term at `index` without checksum verification, or undefined if not stored (simulator checks). */
  rawTerm(index: number): number | undefined {
    const s = this.current;
    if (index === s.compactedIndex) return s.compactedTerm;
    return s.entries[index - s.compactedIndex - 1]?.entry.term;
  }

  /** The durable image's hard state (what a restart would load). */
  durableHardState(): HardState {
    return this.durable.hardState;
  }
}
