/**
 * The replicated key-value test state machine: put and delete through client
 * sessions (a retried request is answered from the session table, never
 * applied twice), reads served from memory after a ReadIndex barrier.
 *
 * Durability: the state lives in its own LevelDB (through DurableKv, so the
 * power-loss simulation covers it). The changed keys, the session table and
 * the applied index are written in ONE batch, without sync, behind the
 * apply (WriteBehind: in order, coalesced while a batch is in flight, a
 * failure fails the next apply): Raft entries are durable before they are
 * applied, so an apply lost in a crash is replayed from the log (or from the
 * Raft snapshot when the log was compacted past it). Every
 * `syncEveryEntries` applied entries a batch is synced, which bounds what a
 * power loss makes the node replay.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError, type ErrorCode } from '@tessera/common';
import {
  EntryType,
  SessionTable,
  decodeSessionTable,
  encodeSessionTable,
  type DurableKv,
  type Entry,
  type KvOp,
  type Snapshot,
  type StateMachine,
} from '@tessera/raft';
import { STATE_WRITE_GATHER_MS, WriteBehind, type BehindBatch } from '@tessera/common/durable';
import { decodeKvCommand, KV_LIMITS, type KvCommand } from './commands.js';

export type KvResult =
  /** No-ops and configuration changes. */
  | { readonly kind: 'none'; readonly index: number }
  | { readonly kind: 'session'; readonly index: number; readonly clientId: number }
  /** `index`: where the put was first applied (also for a duplicate). */
  | { readonly kind: 'put'; readonly index: number; readonly duplicate: boolean }
  | { readonly kind: 'delete'; readonly index: number; readonly existed: boolean; readonly duplicate: boolean }
  /** The command was refused deterministically (stale or expired session, malformed). */
  | { readonly kind: 'error'; readonly index: number; readonly code: ErrorCode };

export interface KvMachineOptions {
  /** Sync the apply batch once this many entries were applied since the last sync. Default 1,000. */
  readonly syncEveryEntries?: number;
  /** An unsynced state write waits this long for more applies to join it (WriteBehind `gatherMs`). Default 10. */
  readonly writeGatherMs?: number;
}

const APPLIED_KEY = Buffer.from([0x00, 0x01]);
const SESSIONS_KEY = Buffer.from([0x00, 0x02]);
const DATA_TAG = 0x64; // 'd'
const SNAPSHOT_MAGIC = Buffer.from('TKVS', 'latin1');
const SNAPSHOT_VERSION = 1;

const dataKey = (key: string): Buffer => Buffer.concat([Buffer.from([DATA_TAG]), Buffer.from(key, 'latin1')]);
/** Map keys are the key bytes as latin1, so string order is byte order. */
const keyString = (key: Uint8Array): string => Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');

function reply(index: number, flag: boolean): Uint8Array {
  const b = Buffer.alloc(9);
  b.writeBigUInt64BE(BigInt(index), 0);
  b.writeUInt8(flag ? 1 : 0, 8);
  return b;
}

function readReply(bytes: Uint8Array): { index: number; flag: boolean } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { index: Number(b.readBigUInt64BE(0)), flag: b.readUInt8(8) === 1 };
}

export class KvMachine implements StateMachine<KvResult> {
  private applied = 0;
  private durable = 0;
  private data = new Map<string, Buffer>();
  private sorted: string[] | undefined;
  private sessions = new SessionTable();
  private readonly syncEveryEntries: number;
  /** Keys changed since the last batch started. */
  private dirty = new Set<string>();
  /** The applied index the last synced batch was asked for at. */
  private syncAskedAt = 0;
  private readonly writer: WriteBehind;

  private constructor(
    private readonly kv: DurableKv,
    options: KvMachineOptions,
  ) {
    this.syncEveryEntries = options.syncEveryEntries ?? 1_000;
    this.writer = new WriteBehind(kv, (sync) => this.batch(sync), { gatherMs: options.writeGatherMs ?? STATE_WRITE_GATHER_MS });
  }

  static async open(kv: DurableKv, options: KvMachineOptions = {}): Promise<KvMachine> {
    const m = new KvMachine(kv, options);
    const applied = await kv.get(APPLIED_KEY);
    if (applied !== undefined) m.applied = Number(applied.readBigUInt64BE(0));
    m.durable = m.applied;
    m.syncAskedAt = m.applied;
    const sessions = await kv.get(SESSIONS_KEY);
    if (sessions !== undefined) m.sessions = decodeSessionTable(sessions);
    for (const [k, v] of await kv.entries({ gte: Buffer.from([DATA_TAG]), lt: Buffer.from([DATA_TAG + 1]) })) {
      m.data.set(k.subarray(1).toString('latin1'), v);
    }
    return m;
  }

  appliedIndex(): number {
    return this.applied;
  }

  /** The applied index as of the last synced batch (what survives a power loss). */
  durableAppliedIndex(): number {
    return this.durable;
  }

  get size(): number {
    return this.data.size;
  }

  get(key: Uint8Array): Buffer | undefined {
    return this.data.get(keyString(key));
  }

  /**
   * Pairs with start <= key < end (end empty: unbounded), in byte order: at
   * most `limit` pairs, and no more once `maxBytes` of keys and values are in.
   */
  scan(start: Uint8Array, end: Uint8Array, limit: number, maxBytes = Number.POSITIVE_INFINITY): { pairs: Array<[Buffer, Buffer]>; more: boolean } {
    this.sorted ??= [...this.data.keys()].sort();
    const from = keyString(start);
    const to = end.byteLength === 0 ? undefined : keyString(end);
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.sorted[mid] as string) < from) lo = mid + 1;
      else hi = mid;
    }
    const pairs: Array<[Buffer, Buffer]> = [];
    let bytes = 0;
    for (let i = lo; i < this.sorted.length; i++) {
      const k = this.sorted[i] as string;
      if (to !== undefined && k >= to) break;
      if (pairs.length === limit || bytes >= maxBytes) return { pairs, more: true };
      const value = this.data.get(k) as Buffer;
      pairs.push([Buffer.from(k, 'latin1'), value]);
      bytes += k.length + value.byteLength;
    }
    return { pairs, more: false };
  }

  async apply(entries: readonly Entry[]): Promise<readonly KvResult[]> {
    // A failed earlier write stops the node before anything more is applied.
    if (this.writer.failed !== undefined) throw this.writer.failed;
    const changed = new Set<string>();
    const results = entries.map((entry) => this.applyOne(entry, changed));
    const last = entries[entries.length - 1];
    if (last === undefined) return results;
    this.applied = last.index;
    if (changed.size > 0) this.sorted = undefined;
    for (const key of changed) this.dirty.add(key);
    const sync = this.applied - this.syncAskedAt >= this.syncEveryEntries;
    if (sync) this.syncAskedAt = this.applied;
    // Entries that are no-ops here (the metadata machine's commands, empty
    // entries, configuration changes) change nothing but the applied index:
    // that alone waits for the next batch with a change or the next sync
    // (a crash replays those no-ops from the log), instead of costing a
    // LevelDB batch per Raft round.
    if (sync || results.some((r) => r.kind !== 'none')) this.writer.request(sync);
    return results;
  }

  /** Waits until every applied change is in the store (before closing it); rejects with a write failure. */
  flush(): Promise<void> {
    return this.writer.drain();
  }

  /** The batch storing the state as it is now: the keys changed since the last batch, the sessions and the applied index. */
  private batch(sync: boolean): BehindBatch {
    const ops: KvOp[] = [...this.dirty].map((key) => {
      const value = this.data.get(key);
      return value === undefined ? { type: 'del', key: dataKey(key) } : { type: 'put', key: dataKey(key), value };
    });
    this.dirty = new Set();
    const applied = this.applied;
    return {
      ops: [...ops, ...this.metaOps()],
      written: () => {
        if (sync) this.durable = Math.max(this.durable, applied);
      },
    };
  }

  private applyOne(entry: Entry, changed: Set<string>): KvResult {
    const index = entry.index;
    if (entry.type !== EntryType.Normal || entry.data.byteLength === 0) return { kind: 'none', index };
    let cmd: KvCommand;
    try {
      cmd = decodeKvCommand(entry.data);
    } catch (err) {
      return { kind: 'error', index, code: err instanceof TesseraError ? err.code : ErrorCodes.INTERNAL };
    }
    try {
      switch (cmd.op) {
        case 'openSession':
          return { kind: 'session', index, clientId: this.sessions.openSession(cmd.timeMs) };
        case 'put': {
          const outcome = this.sessions.apply(cmd.session, cmd.timeMs, () => {
            const key = keyString(cmd.key);
            this.data.set(key, Buffer.from(cmd.value));
            changed.add(key);
            return reply(index, false);
          });
          return { kind: 'put', index: readReply(outcome.reply).index, duplicate: outcome.duplicate };
        }
        case 'delete': {
          const outcome = this.sessions.apply(cmd.session, cmd.timeMs, () => {
            const key = keyString(cmd.key);
            const existed = this.data.delete(key);
            if (existed) changed.add(key);
            return reply(index, existed);
          });
          const r = readReply(outcome.reply);
          return { kind: 'delete', index: r.index, existed: r.flag, duplicate: outcome.duplicate };
        }
      }
    } catch (err) {
      // Session refusals are deterministic: every replica answers the same.
      if (err instanceof TesseraError) return { kind: 'error', index, code: err.code };
      throw err;
    }
  }

  private metaOps(): KvOp[] {
    const applied = Buffer.alloc(8);
    applied.writeBigUInt64BE(BigInt(this.applied));
    return [
      { type: 'put', key: APPLIED_KEY, value: applied },
      { type: 'put', key: SESSIONS_KEY, value: encodeSessionTable(this.sessions) },
    ];
  }

  async snapshot(): Promise<Uint8Array> {
    const w = new BinaryWriter(1024);
    w.raw(SNAPSHOT_MAGIC).u8(SNAPSHOT_VERSION).u64(this.applied).bytes(encodeSessionTable(this.sessions), 4).u32(this.data.size);
    for (const k of [...this.data.keys()].sort()) {
      w.bytes(Buffer.from(k, 'latin1'), 2, KV_LIMITS.keyBytes).bytes(this.data.get(k) as Buffer, 4, KV_LIMITS.valueBytes);
    }
    return w.finish();
  }

  async restore(snapshot: Snapshot): Promise<void> {
    const { data, sessions } = decodeSnapshotData(snapshot.data);
    // The restore's batch lands after every earlier one, and replaces what they wrote.
    await this.writer.drain();
    this.dirty = new Set();
    const ops: KvOp[] = [];
    for (const key of this.data.keys()) if (!data.has(key)) ops.push({ type: 'del', key: dataKey(key) });
    for (const [key, value] of data) ops.push({ type: 'put', key: dataKey(key), value });
    this.data = data;
    this.sorted = undefined;
    this.sessions = sessions;
    this.applied = snapshot.metadata.index;
    await this.kv.write([...ops, ...this.metaOps()], { sync: false });
  }
}

/** Decodes a snapshot image (empty: the empty state of a new cluster). */
export function decodeSnapshotData(bytes: Uint8Array): { data: Map<string, Buffer>; sessions: SessionTable } {
  const data = new Map<string, Buffer>();
  if (bytes.byteLength === 0) return { data, sessions: new SessionTable() };
  const r = new BinaryReader(bytes);
  r.expectMagic(SNAPSHOT_MAGIC);
  if (r.u8() !== SNAPSHOT_VERSION) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'unknown kv snapshot version');
  r.u64Number();
  const sessions = decodeSessionTable(r.bytes(4));
  const count = r.u32();
  if (count * 6 > r.remaining) throw new TesseraError(ErrorCodes.CODEC_TRUNCATED, 'input truncated');
  let previous: string | undefined;
  for (let i = 0; i < count; i++) {
    const key = r.bytes(2, KV_LIMITS.keyBytes).toString('latin1');
    if (previous !== undefined && key <= previous) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'kv snapshot keys out of order');
    previous = key;
    data.set(key, Buffer.from(r.bytes(4, KV_LIMITS.valueBytes)));
  }
  r.end();
  return { data, sessions };
}
