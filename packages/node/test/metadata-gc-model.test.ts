/**
 * Model-based test of the housekeeping rules (issue #8): random interleavings
 * of uploads, dedup hits, puts, deletes, GC (chunkDelete/chunkGone from the
 * machine's own candidate queries), compaction, pending-reference expiry,
 * re-placement, dropRetired, purge and snapshot → restore into a fresh
 * machine. Every answer must match a plain model, and after every step:
 *  - no stored delta (so no live object) names a chunk that is not live;
 *  - no chunk anyone references or holds pending is deleting or gone;
 *  - usage, chunk records, per-epoch counts and known writeIds equal the model;
 *  - a restored (and a reopened) replica has the same digest.
 * In-process only, over an in-memory store.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { EntryType } from '@tessera/raft';
import { encodeMetadataCommand, type MetadataCommand } from '../src/metadata/commands.js';
import { MetadataMachine, type MetadataResult } from '../src/metadata/machine.js';
import { MemoryKv } from './support/memory-kv.js';
import { T0, chunkCommit, chunkIdOf, deleteCmd, keyTagOf, putCmd, topologyAndTenants } from './support/metadata-fixtures.js';

const GRACE = 1000;
const TTL = 1500;
const CHUNKS = 5;
const KEYS = 3;
/** Client i works for tenant TENANT_OF[i]. */
const TENANT_OF = ['a', 'b', 'a'] as const;
const chunkSize = (n: number): number => 1000 + n;
const writeIdOf = (k: number): Buffer => {
  const b = Buffer.alloc(16, 0xaa);
  b.writeUInt32BE(k, 12);
  return b;
};

type Step =
  | { readonly t: 'upload'; readonly client: number; readonly chunk: number }
  | { readonly t: 'dedup'; readonly client: number; readonly chunk: number }
  /** `pending`: whatever the client holds pending when the step runs (up to 3), so that most puts succeed. */
  | { readonly t: 'put'; readonly client: number; readonly key: number; readonly chunks: readonly number[] | 'pending' }
  | { readonly t: 'delete'; readonly client: number; readonly key: number }
  | { readonly t: 'gc' }
  /** chunkDelete outside GC's candidates: the record's current writeId, or (stale) one it never had. */
  | { readonly t: 'forceDelete'; readonly chunk: number; readonly stale: boolean }
  | { readonly t: 'forceGone'; readonly chunk: number }
  /** dropRetired of the most recently retired placement of any chunk, whatever its age. */
  | { readonly t: 'forceDropRetired' }
  | { readonly t: 'gone' }
  | { readonly t: 'compact' }
  | { readonly t: 'clock'; readonly dt: number }
  | { readonly t: 'replace'; readonly chunk: number; readonly epoch: number }
  | { readonly t: 'dropRetired' }
  | { readonly t: 'purge' }
  | { readonly t: 'snapshot' };

const client = fc.nat({ max: TENANT_OF.length - 1 });
const chunk = fc.integer({ min: 1, max: CHUNKS });
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('upload' as const), client, chunk }), weight: 8 },
  { arbitrary: fc.record({ t: fc.constant('dedup' as const), client, chunk }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('put' as const), client, key: fc.integer({ min: 1, max: KEYS }), chunks: fc.oneof(fc.constant('pending' as const), fc.uniqueArray(chunk, { maxLength: 3 })) }), weight: 10 },
  { arbitrary: fc.record({ t: fc.constant('delete' as const), client, key: fc.integer({ min: 1, max: KEYS }) }), weight: 4 },
  { arbitrary: fc.constant({ t: 'gc' as const }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('forceDelete' as const), chunk, stale: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('forceGone' as const), chunk }), weight: 1 },
  { arbitrary: fc.constant({ t: 'forceDropRetired' as const }), weight: 1 },
  { arbitrary: fc.constant({ t: 'gone' as const }), weight: 2 },
  { arbitrary: fc.constant({ t: 'compact' as const }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('clock' as const), dt: fc.integer({ min: 0, max: 1200 }) }), weight: 6 },
  { arbitrary: fc.record({ t: fc.constant('replace' as const), chunk, epoch: fc.integer({ min: 1, max: 2 }) }), weight: 2 },
  { arbitrary: fc.constant({ t: 'dropRetired' as const }), weight: 2 },
  { arbitrary: fc.constant({ t: 'purge' as const }), weight: 1 },
  { arbitrary: fc.constant({ t: 'snapshot' as const }), weight: 2 },
);

type Expected = { kind: 'ok' } | { kind: 'chunk'; existing: boolean } | { kind: 'delta'; sequence: number } | { kind: 'error'; code: string };
const OK: Expected = { kind: 'ok' };
const refused = (code: string): Expected => ({ kind: 'error', code });

interface MChunk {
  state: 'live' | 'deleting';
  writeId: number;
  committedAt: number;
  sysEpoch: number;
  retired: Array<{ writeId: number; at: number }>;
}
interface MDelta {
  readonly seq: number;
  readonly key: number;
  readonly chunks: readonly number[];
  readonly tombstone: boolean;
  readonly payload: number;
  readonly at: number;
}

/** The rules, as plainly as they can be written. */
class Model {
  now = T0;
  chunks = new Map<number, MChunk>();
  /** client index → chunk → added at. */
  pending = new Map<number, Map<number, number>>();
  deltas = new Map<string, MDelta[]>([['a', []], ['b', []]]);
  nextSeq = new Map<string, number>([['a', 1], ['b', 1]]);
  shredded = new Set<string>();

  advance(t: number): void {
    this.now = Math.max(this.now, t);
    for (const set of this.pending.values()) for (const [c, at] of set) if (at + GRACE <= this.now) set.delete(c);
  }

  refs(tenant: string, c: number): number {
    return (this.deltas.get(tenant) ?? []).filter((d) => d.chunks.includes(c)).length;
  }

  referenced(c: number): boolean {
    return this.refs('a', c) + this.refs('b', c) > 0 || [...this.pending.values()].some((s) => s.has(c));
  }

  collectable(c: number): boolean {
    const r = this.chunks.get(c);
    return r !== undefined && r.state === 'live' && !this.referenced(c) && r.committedAt + GRACE <= this.now;
  }

  commit(c: number, writeId: number): Expected {
    if (this.chunks.get(c)?.state === 'live') return { kind: 'chunk', existing: true };
    this.chunks.set(c, { state: 'live', writeId, committedAt: this.now, sysEpoch: 1, retired: [] });
    return { kind: 'chunk', existing: false };
  }

  addPending(clientIdx: number, c: number): Expected {
    if (this.shredded.has(TENANT_OF[clientIdx] as string)) return refused(ErrorCodes.TENANT_NOT_ACTIVE);
    if (this.chunks.get(c)?.state !== 'live') return refused(ErrorCodes.CHUNK_GONE);
    const set = this.pending.get(clientIdx) ?? new Map<number, number>();
    set.set(c, this.now);
    this.pending.set(clientIdx, set);
    return OK;
  }

  delta(clientIdx: number, key: number, chunks: readonly number[], tombstone: boolean, payload: number): Expected {
    const tenant = TENANT_OF[clientIdx] as string;
    if (this.shredded.has(tenant)) return refused(ErrorCodes.TENANT_NOT_ACTIVE);
    const set = this.pending.get(clientIdx);
    for (const c of chunks) if (set?.has(c) !== true && this.refs(tenant, c) === 0) return refused(ErrorCodes.NOT_FOUND);
    for (const c of chunks) if (this.chunks.get(c)?.state !== 'live') return refused(ErrorCodes.CHUNK_GONE);
    for (const c of chunks) set?.delete(c);
    const seq = this.nextSeq.get(tenant) as number;
    this.nextSeq.set(tenant, seq + 1);
    this.deltas.get(tenant)?.push({ seq, key, chunks, tombstone, payload, at: this.now });
    return { kind: 'delta', sequence: seq };
  }

  chunkDelete(c: number, writeId: number): Expected {
    const r = this.chunks.get(c);
    if (r === undefined) return OK;
    if (r.writeId !== writeId) return refused(ErrorCodes.CHUNK_STALE_WRITE_ID);
    if (r.state === 'deleting') return OK;
    if (!this.collectable(c)) return refused(ErrorCodes.CHUNK_IN_USE);
    r.state = 'deleting';
    return OK;
  }

  chunkGone(c: number, writeId: number): Expected {
    const r = this.chunks.get(c);
    if (r === undefined) return OK;
    if (r.writeId !== writeId) return refused(ErrorCodes.CHUNK_STALE_WRITE_ID);
    if (r.state === 'live') return refused(ErrorCodes.CHUNK_IN_USE);
    this.chunks.delete(c);
    return OK;
  }

  replace(c: number, newWriteId: number, epoch: number): Expected {
    const r = this.chunks.get(c);
    if (r?.state !== 'live') return refused(ErrorCodes.CHUNK_GONE);
    if (r.retired.length >= 32) return refused(ErrorCodes.CHUNK_IN_USE);
    r.retired.push({ writeId: r.writeId, at: this.now });
    r.writeId = newWriteId;
    r.sysEpoch = epoch;
    return OK;
  }

  dropRetired(c: number, writeId: number): Expected {
    const r = this.chunks.get(c);
    const matching = r?.retired.filter((x) => x.writeId === writeId) ?? [];
    if (r === undefined || matching.length === 0) return OK;
    if (matching.some((x) => x.at + GRACE > this.now)) return refused(ErrorCodes.CHUNK_IN_USE);
    r.retired = r.retired.filter((x) => x.writeId !== writeId);
    return OK;
  }

  latest(tenant: string, key: number): MDelta | undefined {
    const all = (this.deltas.get(tenant) ?? []).filter((d) => d.key === key);
    return all[all.length - 1];
  }

  compactionCandidate(tenant: string): { tenant: string; upToSeq: number; supersededDeltas: number; expiredTombstones: boolean } | undefined {
    const deltas = this.deltas.get(tenant) ?? [];
    const keys = new Set(deltas.map((d) => d.key));
    const superseded = deltas.length - keys.size;
    const expiredTombstones = [...keys].some((k) => {
      const l = this.latest(tenant, k);
      return l !== undefined && l.tombstone && l.at + TTL <= this.now;
    });
    if (superseded === 0 && !expiredTombstones) return undefined;
    return { tenant, upToSeq: (this.nextSeq.get(tenant) as number) - 1, supersededDeltas: superseded, expiredTombstones };
  }

  compact(tenant: string, upToSeq: number): Expected {
    const deltas = this.deltas.get(tenant) ?? [];
    const keep = deltas.filter((d) => {
      if (d.seq > upToSeq) return true;
      const newestBelow = deltas.filter((x) => x.key === d.key && x.seq <= upToSeq).pop();
      if (newestBelow !== d) return false;
      return !(d.tombstone && d.at + TTL <= this.now);
    });
    this.deltas.set(tenant, keep);
    return OK;
  }

  purge(tenant: string): Expected {
    this.shredded.add(tenant);
    this.deltas.set(tenant, []);
    TENANT_OF.forEach((t, i) => {
      if (t === tenant) this.pending.delete(i);
    });
    return OK;
  }

  usage(tenant: string): { logicalBytes: number; objects: number } {
    let logicalBytes = 0;
    let objects = 0;
    for (let k = 1; k <= KEYS; k++) {
      const l = this.latest(tenant, k);
      if (l === undefined || l.tombstone) continue;
      objects += 1;
      logicalBytes += l.payload + l.chunks.reduce((s, c) => s + chunkSize(c), 0);
    }
    return { logicalBytes, objects };
  }
}

function comparable(r: MetadataResult): Expected {
  switch (r.kind) {
    case 'ok':
    case 'compacted':
      return OK;
    case 'chunk':
      return { kind: 'chunk', existing: r.existing };
    case 'delta':
      return { kind: 'delta', sequence: r.sequence };
    case 'error':
      return refused(r.code);
    default:
      throw new Error(`unexpected result ${r.kind}`);
  }
}

/** A machine over an in-memory store, fed entries with consecutive indices. */
class Replica {
  private constructor(
    readonly kv: MemoryKv,
    public machine: MetadataMachine,
  ) {}

  static async create(): Promise<Replica> {
    const kv = new MemoryKv();
    return new Replica(kv, await MetadataMachine.open(kv));
  }

  async one(cmd: MetadataCommand): Promise<MetadataResult> {
    const [r] = await this.machine.apply([{ term: 1, index: this.machine.appliedIndex() + 1, type: EntryType.Normal, data: encodeMetadataCommand(cmd) }]);
    if (r === undefined) throw new Error('no result');
    return r;
  }
}

function checkInvariants(replica: Replica, model: Model, issuedWriteIds: number): void {
  const m = replica.machine;
  for (let c = 1; c <= CHUNKS; c++) {
    const record = m.chunk(chunkIdOf(c));
    const expected = model.chunks.get(c);
    expect(record === undefined ? undefined : { state: record.state, writeId: record.writeId.readUInt32BE(12), sysEpoch: record.sysEpoch, retired: record.retired.map((r) => r.writeId.readUInt32BE(12)) }).toEqual(
      expected === undefined ? undefined : { state: expected.state, writeId: expected.writeId, sysEpoch: expected.sysEpoch, retired: expected.retired.map((r) => r.writeId) },
    );
    // Nothing anyone references or holds pending is deleting or gone.
    for (const tenant of ['a', 'b']) if (m.holdsAnyReference(tenant, chunkIdOf(c))) expect(record?.state).toBe('live');
  }
  for (const tenant of ['a', 'b']) {
    expect(m.tenantUsage(tenant)).toEqual(model.usage(tenant));
    // No stored delta — so no live object — names a chunk that is not live.
    const stored = new Set((model.deltas.get(tenant) ?? []).map((d) => d.seq));
    for (let seq = 1; seq < (model.nextSeq.get(tenant) as number); seq++) expect(m.delta(tenant, seq) !== undefined).toBe(stored.has(seq));
    for (const d of model.deltas.get(tenant) ?? []) {
      expect(m.delta(tenant, d.seq)?.header.keyTag.equals(keyTagOf(d.key))).toBe(true);
      for (const c of d.chunks) expect(m.chunk(chunkIdOf(c))?.state).toBe('live');
    }
    for (let k = 1; k <= KEYS; k++) {
      const l = model.latest(tenant, k);
      expect(m.latestObject(tenant, keyTagOf(k))?.sequence).toBe(l === undefined || l.tombstone ? undefined : l.seq);
    }
  }
  // The reference accounting GC relies on, grace aside: live records nobody references or holds pending.
  expect(m.gcCandidates(Number.MAX_SAFE_INTEGER, CHUNKS).map((c) => c.chunkId[0]).sort()).toEqual([...model.chunks].filter(([c, r]) => r.state === 'live' && !model.referenced(c)).map(([c]) => c).sort());
  for (const epoch of [1, 2]) expect(m.chunksInEpoch(epoch)).toBe([...model.chunks.values()].filter((r) => r.state === 'live' && r.sysEpoch === epoch).length);
  const known = new Set<number>();
  for (const r of model.chunks.values()) [r.writeId, ...r.retired.map((x) => x.writeId)].forEach((w) => known.add(w));
  for (let w = 1; w <= issuedWriteIds; w++) expect(m.isKnownWriteId(writeIdOf(w))).toBe(known.has(w));
}

/** Snapshot → restore into a fresh replica, and reopen the original's store: same digest everywhere. The restored one carries on. */
async function snapshotRoundTrip(replica: Replica): Promise<Replica> {
  const digest = replica.machine.digest();
  await replica.machine.flush();
  expect((await MetadataMachine.open(replica.kv)).digest()).toBe(digest);
  const fresh = await Replica.create();
  await fresh.machine.restore({ data: await replica.machine.snapshot(), metadata: { index: replica.machine.appliedIndex(), term: 1, confState: { voters: [], learners: [] } } });
  expect(fresh.machine.digest()).toBe(digest);
  await fresh.machine.flush();
  expect((await MetadataMachine.open(fresh.kv)).digest()).toBe(digest);
  return fresh;
}

describe('housekeeping against a model (GC, compaction, expiry, re-placement, purge, snapshots)', () => {
  it('agrees with the model on every answer, keeps the invariants after every step, and replicas agree after restore', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60, size: 'max' }), async (steps) => {
        let replica = await Replica.create();
        for (const cmd of [...topologyAndTenants([{ id: 'a' }, { id: 'b' }]), { op: 'setGcGrace', timeMs: T0, gcGraceMs: GRACE } as MetadataCommand]) {
          expect((await replica.one(cmd)).kind).not.toBe('error');
        }
        const clientIds: number[] = [];
        for (const tenant of TENANT_OF) {
          const r = await replica.one({ op: 'openSession', timeMs: T0, tenant });
          if (r.kind !== 'session') throw new Error('no session');
          clientIds.push(r.clientId);
        }
        const seqs = TENANT_OF.map(() => 0);
        const session = (i: number) => {
          const seq = ++(seqs[i] as number);
          return { clientId: clientIds[i] as number, seq, ackedThrough: seq - 1 };
        };
        const model = new Model();
        let writeIds = 0;
        const expectOne = async (cmd: MetadataCommand, predict: () => Expected): Promise<void> => {
          model.advance(cmd.timeMs);
          const expected = predict();
          expect(comparable(await replica.one(cmd))).toEqual(expected);
        };
        for (const s of steps) {
          const now = model.now;
          switch (s.t) {
            case 'upload': {
              const w = ++writeIds;
              await expectOne({ op: 'commitChunk', timeMs: now, chunk: chunkCommit(s.chunk, { writeId: writeIdOf(w), gatewayTimeMs: now }) }, () => model.commit(s.chunk, w));
              await expectOne({ op: 'addPendingRef', timeMs: now, session: session(s.client), tenant: TENANT_OF[s.client] as string, chunkId: chunkIdOf(s.chunk) }, () => model.addPending(s.client, s.chunk));
              break;
            }
            case 'dedup':
              await expectOne({ op: 'addPendingRef', timeMs: now, session: session(s.client), tenant: TENANT_OF[s.client] as string, chunkId: chunkIdOf(s.chunk) }, () => model.addPending(s.client, s.chunk));
              break;
            case 'put': {
              const chunks = s.chunks === 'pending' ? [...(model.pending.get(s.client)?.keys() ?? [])].sort().slice(0, 3) : s.chunks;
              await expectOne(putCmd(TENANT_OF[s.client] as string, session(s.client), keyTagOf(s.key), chunks.map(chunkIdOf), Buffer.alloc(7), now), () => model.delta(s.client, s.key, chunks, false, 7));
              break;
            }
            case 'delete':
              await expectOne(deleteCmd(TENANT_OF[s.client] as string, session(s.client), keyTagOf(s.key), now), () => model.delta(s.client, s.key, [], true, 'sealed-tombstone'.length));
              break;
            case 'gc': {
              const candidates = replica.machine.gcCandidates(now, 10);
              const expected = [...model.chunks.keys()].filter((c) => model.collectable(c)).sort();
              expect(candidates.map((c) => c.chunkId[0]).sort()).toEqual(expected);
              for (const c of candidates) {
                const n = c.chunkId[0] as number;
                await expectOne({ op: 'chunkDelete', timeMs: now, chunkId: c.chunkId, writeId: c.writeId }, () => model.chunkDelete(n, c.writeId.readUInt32BE(12)));
              }
              break;
            }
            case 'forceDelete': {
              const w = s.stale ? 999_999 : (model.chunks.get(s.chunk)?.writeId ?? 0);
              await expectOne({ op: 'chunkDelete', timeMs: now, chunkId: chunkIdOf(s.chunk), writeId: writeIdOf(w) }, () => model.chunkDelete(s.chunk, w));
              break;
            }
            case 'forceGone': {
              const w = model.chunks.get(s.chunk)?.writeId ?? 0;
              await expectOne({ op: 'chunkGone', timeMs: now, chunkId: chunkIdOf(s.chunk), writeId: writeIdOf(w) }, () => model.chunkGone(s.chunk, w));
              break;
            }
            case 'forceDropRetired': {
              const newest = [...model.chunks]
                .flatMap(([c, r]) => r.retired.map((x) => ({ c, ...x })))
                .sort((x, y) => x.at - y.at)
                .pop();
              if (newest === undefined) break;
              await expectOne({ op: 'dropRetired', timeMs: now, chunkId: chunkIdOf(newest.c), writeId: writeIdOf(newest.writeId) }, () => model.dropRetired(newest.c, newest.writeId));
              break;
            }
            case 'gone':
              for (const r of replica.machine.deletingChunks(10)) {
                await expectOne({ op: 'chunkGone', timeMs: now, chunkId: r.chunkId, writeId: r.writeId }, () => model.chunkGone(r.chunkId[0] as number, r.writeId.readUInt32BE(12)));
              }
              break;
            case 'compact': {
              const candidates = replica.machine.compactionCandidates(10, TTL);
              expect(candidates).toEqual(['a', 'b'].map((t) => model.compactionCandidate(t)).filter((c) => c !== undefined));
              for (const c of candidates) {
                await expectOne({ op: 'compact', timeMs: now, tenant: c.tenant, upToSeq: c.upToSeq, tombstoneTtlMs: TTL }, () => model.compact(c.tenant, c.upToSeq));
              }
              break;
            }
            case 'clock':
              await expectOne({ op: 'clock', timeMs: now + s.dt }, () => OK);
              break;
            case 'replace': {
              const w = ++writeIds;
              const old = model.chunks.get(s.chunk)?.writeId ?? 0;
              const cmd: MetadataCommand = { op: 'replacePlacement', timeMs: now, chunkId: chunkIdOf(s.chunk), oldWriteId: writeIdOf(old), newWriteId: writeIdOf(w), slots: chunkCommit(s.chunk).slots, sysEpoch: s.epoch, tenEpoch: 0, gatewayTimeMs: now };
              await expectOne(cmd, () => model.replace(s.chunk, w, s.epoch));
              break;
            }
            case 'dropRetired':
              for (const r of replica.machine.retiredOlderThan(now - GRACE)) {
                await expectOne({ op: 'dropRetired', timeMs: now, chunkId: r.chunkId, writeId: r.writeId }, () => model.dropRetired(r.chunkId[0] as number, r.writeId.readUInt32BE(12)));
              }
              break;
            case 'purge':
              await expectOne({ op: 'purgeTenant', timeMs: now, tenant: 'b' }, () => model.purge('b'));
              break;
            case 'snapshot':
              replica = await snapshotRoundTrip(replica);
              break;
          }
          checkInvariants(replica, model, writeIds);
        }
        await snapshotRoundTrip(replica);
      }),
      { numRuns: 120 },
    );
  });
});
