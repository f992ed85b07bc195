/**
 * The key-manager state machine as `@tessera/raft` runs it: the pure
 * `KmCore` plus persistence in a DurableKv, the root-provider side effects,
 * snapshots, and watch subscribers.
 *
 * Per apply batch, one atomic (unsynced) write holds the state record, the
 * new audit entries and the applied index — the Raft log is durable before
 * apply, so a lost batch is replayed. Side effects (destroying KEKs) run
 * before that write: a crash in between replays the entry and destroys
 * again, which is why every effect is idempotent. A provider that fails an
 * effect makes apply throw, which stops the Raft node; after a restart the
 * entry is applied (and the destroy attempted) again.
 *
 * Store layout (prefix 0x4b, clear of the Raft store's 0x01/0x02 prefixes so
 * both may share one LevelDB):
 *   4b 01                          state record (state codec)
 *   4b 02                          applied index (u64)
 *   4b 03 ‖ u8-len chain ‖ u64 seq  audit entry (entry codec)
 *
 * Snapshot: "TKMP" ‖ u8 1 ‖ u32-len state ‖ u32 n ‖ n × u16-len entry, entries
 * in (chain, seq) order. Restoring checks that every chain's entries link up
 * to the head the state records.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError, type Logger } from '@tessera/common';
import type { DurableKv, KvOp } from '@tessera/common/durable';
import { MAX_AUDIT_ENTRY_BYTES, buildHead, decodeEntry, entryHash, genesisHash, type AuditEntry, type AuditHead, type AuditTrail, type ChainId } from '@tessera/audit';
import { constantTimeEqual } from '@tessera/crypto';
import type { Entry, Snapshot, StateMachine } from '@tessera/raft';
import type { RootProvider } from '../provider/types.js';
import { formatKeyRef, kekKeyId, type KeyRef } from '../key-ref.js';
import { AUDIT_DOMAIN, KmCore } from './core.js';
import type { KmEffect, KmEvent, KmResult } from './results.js';
import { readState } from './state-codec.js';
import type { KmState } from './types.js';

const STATE_KEY = Buffer.from([0x4b, 0x01]);
const APPLIED_KEY = Buffer.from([0x4b, 0x02]);
const AUDIT_PREFIX = Buffer.from([0x4b, 0x03]);
const AUDIT_END = Buffer.from([0x4b, 0x04]);
const SNAPSHOT_MAGIC = Buffer.from('TKMP', 'ascii');
const SNAPSHOT_FORMAT = 1;

export type KmEventListener = (event: KmEvent) => void;

export interface KeyManagerStateMachineOptions {
  /** The state-machine store (may be the Raft store's DurableKv: prefixes do not collide). */
  readonly kv: DurableKv;
  /** Performs shred effects. */
  readonly provider: RootProvider;
  readonly logger?: Logger;
}

function auditKey(chain: ChainId, seq: number): Buffer {
  const id = Buffer.from(chain, 'ascii');
  const key = Buffer.alloc(AUDIT_PREFIX.length + 1 + id.length + 8);
  AUDIT_PREFIX.copy(key, 0);
  key.writeUInt8(id.length, 2);
  id.copy(key, 3);
  key.writeBigUInt64BE(BigInt(seq), 3 + id.length);
  return key;
}

function chainRange(chain: ChainId): { gte: Buffer; lt: Buffer } {
  const id = Buffer.from(chain, 'ascii');
  const start = Buffer.concat([AUDIT_PREFIX, Buffer.from([id.length]), id]);
  return { gte: start, lt: Buffer.concat([start, Buffer.alloc(8, 0xff), Buffer.from([0xff])]) };
}

export class KeyManagerStateMachine implements StateMachine<KmResult> {
  readonly #kv: DurableKv;
  readonly #provider: RootProvider;
  readonly #logger: Logger | undefined;
  readonly #listeners = new Set<KmEventListener>();
  #core: KmCore;
  #applied: number;

  private constructor(options: KeyManagerStateMachineOptions, core: KmCore, applied: number) {
    this.#kv = options.kv;
    this.#provider = options.provider;
    this.#logger = options.logger;
    this.#core = core;
    this.#applied = applied;
  }

  static async open(options: KeyManagerStateMachineOptions): Promise<KeyManagerStateMachine> {
    const stateBytes = await options.kv.get(STATE_KEY);
    const appliedBytes = await options.kv.get(APPLIED_KEY);
    const core = stateBytes === undefined ? new KmCore() : KmCore.decode(stateBytes);
    const applied = appliedBytes === undefined ? 0 : Number(new BinaryReader(appliedBytes).u64());
    return new KeyManagerStateMachine(options, core, applied);
  }

  /** The live state (read-only; follows later applies). */
  get state(): KmState {
    return this.#core.state;
  }

  appliedIndex(): number {
    return this.#applied;
  }

  /** Watch events of every entry applied from now on; returns an unsubscribe function. */
  subscribe(listener: KmEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async apply(entries: readonly Entry[]): Promise<readonly KmResult[]> {
    const results: KmResult[] = [];
    const ops: KvOp[] = [];
    const events: KmEvent[] = [];
    try {
      for (const entry of entries) {
        if (entry.type !== 'normal' || entry.data.byteLength === 0) {
          results.push({ ok: true, value: { kind: 'none' } });
          continue;
        }
        const out = this.#core.applyData(entry.data);
        for (const effect of out.effects) await this.#perform(effect);
        for (const appended of out.audit) ops.push({ type: 'put', key: auditKey(appended.entry.chain, appended.entry.seq), value: appended.encoded });
        events.push(...out.events);
        results.push(out.result);
      }
    } catch (err) {
      // Back to what is persisted, so nobody reads a state this batch never made durable; the batch is replayed.
      await this.#reload();
      throw err;
    }
    const last = entries[entries.length - 1];
    if (last !== undefined) this.#applied = Math.max(this.#applied, last.index);
    ops.push({ type: 'put', key: STATE_KEY, value: this.#core.encode() }, { type: 'put', key: APPLIED_KEY, value: u64(this.#applied) });
    await this.#kv.write(ops, { sync: false });
    this.#publish(events);
    return results;
  }

  async #reload(): Promise<void> {
    const stateBytes = await this.#kv.get(STATE_KEY);
    const appliedBytes = await this.#kv.get(APPLIED_KEY);
    this.#core = stateBytes === undefined ? new KmCore() : KmCore.decode(stateBytes);
    this.#applied = appliedBytes === undefined ? 0 : Number(new BinaryReader(appliedBytes).u64());
  }

  async #perform(effect: KmEffect): Promise<void> {
    // Every KEK version the state names, plus any the provider holds that the state never learnt of
    // (a rotation whose proposal was lost after its KEK object was created).
    const byVersion = new Map<number, KeyRef>(effect.refs.map((r) => [r.version, r]));
    for (const version of await this.#provider.listKekVersions(effect.tenant)) {
      if (!byVersion.has(version)) byVersion.set(version, { provider: this.#provider.kind, keyId: kekKeyId(effect.tenant), version });
    }
    for (const ref of byVersion.values()) await this.#provider.destroyKek(ref);
    this.#logger?.info('tenant KEKs destroyed', { tenant: effect.tenant, versions: [...byVersion.values()].map(formatKeyRef) });
  }

  #publish(events: readonly KmEvent[]): void {
    for (const event of events) {
      for (const listener of this.#listeners) {
        try {
          listener(event);
        } catch {
          // A listener's failure must not fail the apply.
        }
      }
    }
  }

  /** Every entry of one chain, in order. */
  async trail(chain: ChainId): Promise<AuditTrail> {
    const rows = await this.#kv.entries(chainRange(chain));
    return { chain, entries: rows.map(([, value]) => decodeEntry(value)) };
  }

  /** An unsigned head over every chain (or those selected), at the last applied leader time. */
  head(select?: readonly ChainId[]): AuditHead {
    return buildHead(this.#core.state.audit, AUDIT_DOMAIN, this.#core.state.lastTimestampMs, select);
  }

  async snapshot(): Promise<Uint8Array> {
    const rows = await this.#kv.entries({ gte: AUDIT_PREFIX, lt: AUDIT_END });
    const w = new BinaryWriter(4096).raw(SNAPSHOT_MAGIC).u8(SNAPSHOT_FORMAT).bytes(this.#core.encode(), 4).u32(rows.length);
    for (const [, value] of rows) w.bytes(value, 2, MAX_AUDIT_ENTRY_BYTES);
    return w.finish();
  }

  async restore(snapshot: Snapshot): Promise<void> {
    let core = new KmCore();
    const entries: AuditEntry[] = [];
    const encoded: Buffer[] = [];
    if (snapshot.data.byteLength > 0) {
      const r = new BinaryReader(snapshot.data);
      r.expectMagic(SNAPSHOT_MAGIC);
      if (r.u8() !== SNAPSHOT_FORMAT) throw new TesseraError(ErrorCodes.RAFT_SNAPSHOT_UNAVAILABLE, 'unknown key-manager snapshot format');
      const stateReader = new BinaryReader(r.bytes(4));
      core = new KmCore(readState(stateReader));
      stateReader.end();
      const n = r.u32();
      if (n * 80 > r.remaining) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'audit entry count out of range');
      for (let i = 0; i < n; i++) {
        const bytes = Buffer.from(r.bytes(2, MAX_AUDIT_ENTRY_BYTES));
        encoded.push(bytes);
        entries.push(decodeEntry(bytes));
      }
      r.end();
      checkChains(core.state, entries);
    }
    const old = await this.#kv.entries({ gte: AUDIT_PREFIX, lt: AUDIT_END });
    const ops: KvOp[] = old.map(([key]) => ({ type: 'del', key }));
    entries.forEach((e, i) => ops.push({ type: 'put', key: auditKey(e.chain, e.seq), value: encoded[i]! }));
    ops.push({ type: 'put', key: STATE_KEY, value: core.encode() }, { type: 'put', key: APPLIED_KEY, value: u64(snapshot.metadata.index) });
    await this.#kv.write(ops, { sync: false });
    this.#core = core;
    this.#applied = snapshot.metadata.index;
  }
}

function u64(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(value));
  return b;
}

/** Every chain in the snapshot links from its genesis to the head the state records. */
function checkChains(state: KmState, entries: readonly AuditEntry[]): void {
  const byChain = new Map<ChainId, AuditEntry[]>();
  for (const e of entries) {
    const list = byChain.get(e.chain) ?? [];
    list.push(e);
    byChain.set(e.chain, list);
  }
  const broken = (): TesseraError => new TesseraError(ErrorCodes.AUDIT_CHAIN_BROKEN, 'snapshot audit entries do not match the chain heads');
  const chains = state.audit.chains();
  if (chains.length !== byChain.size) throw broken();
  for (const chain of chains) {
    const list = byChain.get(chain) ?? [];
    let hash = genesisHash(chain);
    list.forEach((e, i) => {
      if (e.seq !== i + 1 || !constantTimeEqual(e.prevHash, hash)) throw broken();
      hash = entryHash(e);
    });
    const head = state.audit.head(chain);
    if (head.length !== list.length || !constantTimeEqual(head.hash, hash)) throw broken();
  }
}
