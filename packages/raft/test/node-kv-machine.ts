/**
 * A small key-value state machine for driver tests: counters and plain values
 * on a DurableKv (so the crash simulation covers it), with a session table so
 * retried increments apply once. State, session table and applied index are
 * written in ONE batch per apply, without sync: a lost apply is replayed from
 * the Raft log.
 */
import { BinaryReader, BinaryWriter, TesseraError } from '@tessera/common';
import { SessionTable, decodeSessionTable, encodeSessionTable } from '../src/session/index.js';
import type { StateMachine } from '../src/node/state-machine.js';
import type { DurableKv, KvOp } from '../src/storage/level-kv.js';
import type { Entry, Snapshot } from '../src/types.js';

export type KvCommand =
  | { readonly op: 'openSession'; readonly ts: number }
  | { readonly op: 'incr'; readonly key: string; readonly clientId: number; readonly seq: number; readonly acked: number; readonly ts: number }
  | { readonly op: 'set'; readonly key: string; readonly value: string };

export type KvResult =
  | { readonly ok: true; readonly value: string; readonly duplicate?: boolean }
  | { readonly ok: false; readonly code: string }
  /** Entries that are not commands (no-ops, conf changes). */
  | { readonly ok: true; readonly value: '' };

const APPLIED_KEY = Buffer.from('\x00applied');
const SESSIONS_KEY = Buffer.from('\x00sessions');
const DATA_PREFIX = 'd/';

export function encodeCommand(cmd: KvCommand): Uint8Array {
  return Uint8Array.from(Buffer.from(JSON.stringify(cmd)));
}

export class KvMachine implements StateMachine<KvResult> {
  private applied = 0;
  private data = new Map<string, string>();
  private sessions = new SessionTable();
  /** How many times each (client, seq) increment ran; a test asserts 1. */
  readonly executions = new Map<string, number>();

  private constructor(private readonly kv: DurableKv) {}

  static async open(kv: DurableKv): Promise<KvMachine> {
    const m = new KvMachine(kv);
    const applied = await kv.get(APPLIED_KEY);
    if (applied !== undefined) m.applied = Number(applied.readBigUInt64BE(0));
    const sessions = await kv.get(SESSIONS_KEY);
    if (sessions !== undefined) m.sessions = decodeSessionTable(sessions);
    for (const [k, v] of await kv.entries({ gte: Buffer.from(DATA_PREFIX), lt: Buffer.from('d0') })) {
      m.data.set(k.toString().slice(DATA_PREFIX.length), v.toString());
    }
    return m;
  }

  get(key: string): string | undefined {
    return this.data.get(key);
  }

  appliedIndex(): number {
    return this.applied;
  }

  async apply(entries: readonly Entry[]): Promise<readonly KvResult[]> {
    const changed = new Set<string>();
    const results = entries.map((entry) => this.applyOne(entry, changed));
    this.applied = entries[entries.length - 1]?.index ?? this.applied;
    const ops: KvOp[] = [...changed].map((key) => ({ type: 'put', key: Buffer.from(DATA_PREFIX + key), value: Buffer.from(this.data.get(key)!) }));
    await this.kv.write([...ops, ...this.metaOps()], { sync: false });
    return results;
  }

  private applyOne(entry: Entry, changed: Set<string>): KvResult {
    if (entry.type !== 'normal' || entry.data.byteLength === 0) return { ok: true, value: '' };
    const cmd = JSON.parse(Buffer.from(entry.data).toString()) as KvCommand;
    switch (cmd.op) {
      case 'openSession':
        return { ok: true, value: String(this.sessions.openSession(cmd.ts)) };
      case 'set':
        this.data.set(cmd.key, cmd.value);
        changed.add(cmd.key);
        return { ok: true, value: cmd.value };
      case 'incr': {
        try {
          const outcome = this.sessions.apply({ clientId: cmd.clientId, seq: cmd.seq, ackedThrough: cmd.acked }, cmd.ts, () => {
            const runs = `${cmd.clientId}/${cmd.seq}`;
            this.executions.set(runs, (this.executions.get(runs) ?? 0) + 1);
            const next = String(Number(this.data.get(cmd.key) ?? '0') + 1);
            this.data.set(cmd.key, next);
            changed.add(cmd.key);
            return Uint8Array.from(Buffer.from(next));
          });
          return { ok: true, value: Buffer.from(outcome.reply).toString(), duplicate: outcome.duplicate };
        } catch (err) {
          if (err instanceof TesseraError) return { ok: false, code: err.code };
          throw err;
        }
      }
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
    const w = new BinaryWriter().u64(this.applied).bytes(encodeSessionTable(this.sessions), 4).u32(this.data.size);
    for (const [k, v] of [...this.data].sort(([a], [b]) => (a < b ? -1 : 1))) w.string(k, 2).string(v, 4);
    return w.finish();
  }

  async restore(snapshot: Snapshot): Promise<void> {
    const ops: KvOp[] = [...this.data.keys()].map((key) => ({ type: 'del', key: Buffer.from(DATA_PREFIX + key) }));
    const data = new Map<string, string>();
    let sessions = new SessionTable();
    if (snapshot.data.byteLength > 0) {
      const r = new BinaryReader(snapshot.data);
      r.u64();
      sessions = decodeSessionTable(r.bytes(4));
      const n = r.u32();
      for (let i = 0; i < n; i++) data.set(r.string(2), r.string(4));
      r.end();
    }
    this.data = data;
    this.sessions = sessions;
    this.applied = snapshot.metadata.index;
    for (const [k, v] of data) ops.push({ type: 'put', key: Buffer.from(DATA_PREFIX + k), value: Buffer.from(v) });
    await this.kv.write([...ops, ...this.metaOps()], { sync: false });
  }
}
