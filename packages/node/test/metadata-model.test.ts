/**
 * Model test: random command sequences applied to the machine and to a
 * small in-memory model of the reference rules must give the same answers,
 * and the final state must survive snapshot/restore with an equal digest.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import type { MetadataCommand } from '../src/metadata/commands.js';
import { decodeMetadataImage } from '../src/metadata/image.js';
import { MetadataMachine, type MetadataResult } from '../src/metadata/machine.js';
import { openDurableKv } from '@tessera/raft';
import { Harness, T0, chunkCommit, chunkIdOf, deleteCmd, keyTagOf, putCmd, topologyAndTenants } from './support/metadata-fixtures.js';

const dirs = tempDirs('tessera-metadata-model-');
afterAll(async () => {
  await Harness.closeAll();
  await dirs.cleanup();
});

type Step =
  | { readonly t: 'commit'; readonly chunk: number }
  | { readonly t: 'pending'; readonly client: number; readonly chunk: number }
  | { readonly t: 'put'; readonly client: number; readonly key: number; readonly chunks: readonly number[]; readonly payload: number }
  | { readonly t: 'delete'; readonly client: number; readonly key: number }
  | { readonly t: 'retry'; readonly client: number }
  | { readonly t: 'clock'; readonly dt: number };

const CLIENTS = 3;
/** Client i works for this tenant (client 0 and 2 for `a`, 1 for `b`). */
const tenantOf = (client: number): string => (client === 1 ? 'b' : 'a');
const chunkSize = (n: number): number => 1000 + n;

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ t: fc.constant('commit' as const), chunk: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ t: fc.constant('pending' as const), client: fc.nat({ max: CLIENTS - 1 }), chunk: fc.integer({ min: 1, max: 6 }) }),
  fc.record({
    t: fc.constant('put' as const),
    client: fc.nat({ max: CLIENTS - 1 }),
    key: fc.integer({ min: 1, max: 3 }),
    chunks: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }),
    payload: fc.nat({ max: 20 }),
  }),
  fc.record({ t: fc.constant('delete' as const), client: fc.nat({ max: CLIENTS - 1 }), key: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ t: fc.constant('retry' as const), client: fc.nat({ max: CLIENTS - 1 }) }),
  fc.record({ t: fc.constant('clock' as const), dt: fc.integer({ min: 0, max: 5000 }) }),
);

type Expected = { kind: 'ok' } | { kind: 'chunk'; existing: boolean } | { kind: 'delta'; sequence: number } | { kind: 'error'; code: string };

/** The reference rules, written as plainly as possible. */
class Model {
  live = new Set<number>();
  pending = new Map<string, Set<number>>(); // `${tenant}/${client}` → chunks
  refs = new Map<string, number>(); // `${tenant}/${chunk}` → count
  latest = new Map<string, { sequence: number; tombstone: boolean; bytes: number }>(); // `${tenant}/${key}`
  nextSeq = new Map<string, number>();

  commit(chunk: number): Expected {
    if (this.live.has(chunk)) return { kind: 'chunk', existing: true };
    this.live.add(chunk);
    return { kind: 'chunk', existing: false };
  }

  addPending(tenant: string, client: number, chunk: number): Expected {
    if (!this.live.has(chunk)) return { kind: 'error', code: ErrorCodes.CHUNK_GONE };
    const k = `${tenant}/${client}`;
    this.pending.set(k, (this.pending.get(k) ?? new Set()).add(chunk));
    return { kind: 'ok' };
  }

  holds(tenant: string, chunk: number, client?: number): boolean {
    return (this.refs.get(`${tenant}/${chunk}`) ?? 0) > 0 || (client !== undefined && this.pending.get(`${tenant}/${client}`)?.has(chunk) === true);
  }

  delta(tenant: string, client: number, key: number, chunks: readonly number[], payload: number, tombstone: boolean): Expected {
    for (const c of chunks) if (!this.holds(tenant, c, client)) return { kind: 'error', code: ErrorCodes.NOT_FOUND };
    for (const c of chunks) if (!this.live.has(c)) return { kind: 'error', code: ErrorCodes.CHUNK_GONE };
    for (const c of chunks) {
      this.pending.get(`${tenant}/${client}`)?.delete(c);
      this.refs.set(`${tenant}/${c}`, (this.refs.get(`${tenant}/${c}`) ?? 0) + 1);
    }
    const sequence = this.nextSeq.get(tenant) ?? 1;
    this.nextSeq.set(tenant, sequence + 1);
    const bytes = tombstone ? 0 : payload + chunks.reduce((s, c) => s + chunkSize(c), 0);
    this.latest.set(`${tenant}/${key}`, { sequence, tombstone, bytes });
    return { kind: 'delta', sequence };
  }

  usage(tenant: string): { logicalBytes: number; objects: number } {
    let logicalBytes = 0;
    let objects = 0;
    for (const [k, v] of this.latest) {
      if (!k.startsWith(`${tenant}/`) || v.tombstone) continue;
      logicalBytes += v.bytes;
      objects += 1;
    }
    return { logicalBytes, objects };
  }
}

function comparable(r: MetadataResult): Expected {
  switch (r.kind) {
    case 'ok':
      return { kind: 'ok' };
    case 'chunk':
      return { kind: 'chunk', existing: r.existing };
    case 'delta':
      return { kind: 'delta', sequence: r.sequence };
    case 'error':
      return { kind: 'error', code: r.code };
    default:
      throw new Error(`unexpected result ${r.kind}`);
  }
}

async function reopenedDigest(dir: string): Promise<string> {
  const kv = await openDurableKv(dir, { crashSim: false });
  try {
    return (await MetadataMachine.open(kv)).digest();
  } finally {
    await kv.close();
  }
}

describe('metadata state machine against a model', () => {
  it('agrees with the model on every answer and query, and survives snapshot/restore', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const h = await Harness.create(dirs);
        try {
          await h.run(...topologyAndTenants([{ id: 'a' }, { id: 'b' }]));
          const clients: number[] = [];
          for (let i = 0; i < CLIENTS; i++) clients.push(await h.openSession(T0, tenantOf(i)));
          const model = new Model();
          const seqs = new Array<number>(CLIENTS).fill(0);
          const last = new Array<{ cmd: MetadataCommand; expected: Expected } | undefined>(CLIENTS).fill(undefined);
          let now = T0;
          for (const s of steps) {
            let cmd: MetadataCommand;
            let expected: Expected;
            let retry = false;
            if (s.t === 'commit') {
              cmd = { op: 'commitChunk', timeMs: now, chunk: chunkCommit(s.chunk, { gatewayTimeMs: now }) };
              expected = model.commit(s.chunk);
            } else if (s.t === 'clock') {
              now += s.dt;
              cmd = { op: 'clock', timeMs: now };
              expected = { kind: 'ok' };
            } else if (s.t === 'retry') {
              const previous = last[s.client];
              if (previous === undefined) continue;
              cmd = previous.cmd;
              expected = previous.expected;
              retry = true;
              // A pending reference refused because its chunk was not live is not recorded in the
              // session (adding one is idempotent): the retry is applied afresh.
              if (cmd.op === 'addPendingRef' && expected.kind === 'error' && expected.code === ErrorCodes.CHUNK_GONE) {
                expected = model.addPending(cmd.tenant, cmd.session.clientId, Number(cmd.chunkId[0]));
                last[s.client] = { cmd, expected };
                retry = false;
              }
            } else {
              const seq = ++seqs[s.client]!;
              const session = { clientId: clients[s.client]!, seq, ackedThrough: seq - 1 };
              const tenant = tenantOf(s.client);
              if (s.t === 'pending') {
                cmd = { op: 'addPendingRef', timeMs: now, session, tenant, chunkId: chunkIdOf(s.chunk) };
                expected = model.addPending(tenant, session.clientId, s.chunk);
              } else if (s.t === 'put') {
                cmd = putCmd(tenant, session, keyTagOf(s.key), s.chunks.map(chunkIdOf), Buffer.alloc(s.payload, 1), now);
                expected = model.delta(tenant, session.clientId, s.key, s.chunks, s.payload, false);
              } else {
                cmd = deleteCmd(tenant, session, keyTagOf(s.key), now);
                expected = model.delta(tenant, session.clientId, s.key, [], 'sealed-tombstone'.length, true);
              }
              last[s.client] = { cmd, expected };
            }
            const result = await h.one(cmd);
            expect(comparable(result)).toEqual(expected);
            if (retry && result.kind !== 'error') expect(result).toMatchObject({ duplicate: true });
          }
          for (const tenant of ['a', 'b']) {
            expect(h.machine.tenantUsage(tenant)).toEqual(model.usage(tenant));
            for (let chunk = 1; chunk <= 6; chunk++) {
              expect(h.machine.holdsReference(tenant, chunkIdOf(chunk))).toBe(model.holds(tenant, chunk));
              for (const c of clients) expect(h.machine.holdsReference(tenant, chunkIdOf(chunk), c)).toBe(model.holds(tenant, chunk, c));
            }
            for (let key = 1; key <= 3; key++) {
              const m = model.latest.get(`${tenant}/${key}`);
              expect(h.machine.latestObject(tenant, keyTagOf(key))?.sequence).toBe(m === undefined || m.tombstone ? undefined : m.sequence);
            }
          }
          for (let chunk = 1; chunk <= 6; chunk++) expect(h.machine.chunk(chunkIdOf(chunk)) !== undefined).toBe(model.live.has(chunk));
          const digest = h.machine.digest();
          const image = await h.machine.snapshot();
          // A replica holding other state installs the snapshot: same digest, in memory and after reopening.
          const other = await Harness.create(dirs);
          await other.run(...topologyAndTenants([{ id: 'x' }]), { op: 'commitChunk', timeMs: T0, chunk: chunkCommit(9) });
          await other.machine.restore({ data: image, metadata: { index: h.machine.appliedIndex(), term: 1, confState: { voters: [], learners: [] } } });
          expect(other.machine.digest()).toBe(digest);
          for (const tenant of ['a', 'b']) expect(other.machine.tenantUsage(tenant)).toEqual(h.machine.tenantUsage(tenant));
          await other.machine.flush();
          await other.kv.close();
          expect(await reopenedDigest(other.dir)).toBe(digest);
          // The keyed LevelDB records of the replica that applied the commands load to the same state.
          await h.machine.flush();
          await h.kv.close();
          expect(await reopenedDigest(h.dir)).toBe(digest);
        } finally {
          await h.kv.close().catch(() => undefined);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the image decoder turns arbitrary and mutated bytes only into TesseraErrors', async () => {
    const h = await Harness.create(dirs);
    const c = await h.openSession();
    await h.run(
      ...topologyAndTenants([{ id: 'a' }]),
      { op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1) },
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 1, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) },
      { op: 'addPendingRef', timeMs: T0, session: { clientId: c, seq: 2, ackedThrough: 0 }, tenant: 'a', chunkId: chunkIdOf(1) },
      putCmd('a', { clientId: c, seq: 3, ackedThrough: 1 }, keyTagOf(1), [chunkIdOf(1)]),
    );
    const image = Buffer.from(await h.machine.snapshot());
    await h.kv.close();
    const check = (bytes: Uint8Array): void => {
      try {
        decodeMetadataImage(bytes);
      } catch (err) {
        if (!(err instanceof TesseraError)) throw err;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => check(Buffer.concat([image.subarray(0, 5), bytes]))), { numRuns: 1000 });
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat({ max: 40 }), (at, value, cut) => {
        const bytes = Buffer.from(image.subarray(0, Math.max(0, image.length - cut)));
        if (bytes.length > 0) bytes[at % bytes.length] = value;
        check(bytes);
      }),
      { numRuns: 2000 },
    );
  });
});
