/**
 * NodeMachine: the metadata and key-value machines sharing one Raft log (a
 * tag byte per entry), recovery when the two synced different applied
 * indexes, and the composite snapshot image.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import { EntryType, openDurableKv, type DurableKv, type Entry, type Snapshot } from '@tessera/raft';
import { encodeKvCommand, type KvCommand } from '../src/kv/commands.js';
import { KvMachine } from '../src/kv/machine.js';
import { encodeMetadataCommand, type MetadataCommand } from '../src/metadata/commands.js';
import { MetadataMachine } from '../src/metadata/machine.js';
import { MACHINE_TAGS, NodeMachine, tagCommand, type NodeResult } from '../src/process/node-machine.js';
import { T0, topologyAndTenants } from './support/metadata-fixtures.js';

const dirs = tempDirs('tessera-node-machine-');
const open = new Set<DurableKv>();
afterAll(async () => {
  await Promise.all([...open].map((kv) => kv.close().catch(() => undefined)));
  await dirs.cleanup();
});

interface Stores {
  readonly mdDir: string;
  readonly kvDir: string;
}

interface Pair {
  readonly machine: NodeMachine;
  readonly mdKv: DurableKv;
  readonly kvKv: DurableKv;
  readonly stores: Stores;
}

interface OpenOptions {
  readonly crashSim?: boolean;
  readonly mdSyncEvery?: number;
  readonly kvSyncEvery?: number;
}

async function openPair(stores?: Stores, options: OpenOptions = {}): Promise<Pair> {
  const s = stores ?? { mdDir: await dirs.make('md'), kvDir: await dirs.make('kv') };
  const crashSim = options.crashSim ?? false;
  const mdKv = await openDurableKv(s.mdDir, { crashSim });
  const kvKv = await openDurableKv(s.kvDir, { crashSim });
  open.add(mdKv);
  open.add(kvKv);
  const md = await MetadataMachine.open(mdKv, options.mdSyncEvery !== undefined ? { syncEveryEntries: options.mdSyncEvery } : {});
  const kv = await KvMachine.open(kvKv, options.kvSyncEvery !== undefined ? { syncEveryEntries: options.kvSyncEvery } : {});
  return { machine: new NodeMachine(md, kv), mdKv, kvKv, stores: s };
}

const normal = (index: number, data: Uint8Array): Entry => ({ term: 1, index, type: EntryType.Normal, data });
const mdEntry = (index: number, cmd: MetadataCommand): Entry => normal(index, tagCommand('metadata', encodeMetadataCommand(cmd)));
const kvEntry = (index: number, cmd: KvCommand): Entry => normal(index, tagCommand('kv', encodeKvCommand(cmd)));
const b = (s: string): Buffer => Buffer.from(s);
const snapshotAt = (index: number, data: Uint8Array): Snapshot => ({ data, metadata: { index, term: 1, confState: { voters: ['n1'], learners: [] } } });

/**
 * A log mixing both machines, no-ops and a configuration change. The kv
 * session opened at index 2 is the kv machine's first (client id 1).
 */
function mixedLog(): Entry[] {
  const kvSession = (seq: number) => ({ clientId: 1, seq, ackedThrough: seq - 1 });
  const setup = topologyAndTenants([{ id: 'a' }]);
  const registerN1 = setup.find((c) => c.op === 'registerNode');
  const upsertA = setup.find((c) => c.op === 'upsertTenant');
  if (registerN1 === undefined || upsertA === undefined) throw new Error('fixture changed');
  return [
    mdEntry(1, { op: 'openSession', tenant: 'a', timeMs: T0 }),
    kvEntry(2, { op: 'openSession', timeMs: T0 }),
    mdEntry(3, registerN1),
    kvEntry(4, { op: 'put', timeMs: T0, session: kvSession(1), key: b('k1'), value: b('v1') }),
    normal(5, new Uint8Array(0)),
    kvEntry(6, { op: 'put', timeMs: T0, session: kvSession(2), key: b('k2'), value: b('v2') }),
    mdEntry(7, upsertA),
    { term: 1, index: 8, type: EntryType.ConfChange, data: Uint8Array.of(1, 2, 3) },
    normal(9, Uint8Array.of(0x00, 1, 2)),
    kvEntry(10, { op: 'delete', timeMs: T0, session: kvSession(3), key: b('k1') }),
    mdEntry(11, { op: 'openSession', tenant: 'a', timeMs: T0 + 500 }),
    mdEntry(12, { op: 'clock', timeMs: T0 + 1_000 }),
  ];
}

function kvContents(m: KvMachine): Array<[string, string]> {
  return m.scan(new Uint8Array(0), new Uint8Array(0), 1_000).pairs.map(([k, v]) => [k.toString(), v.toString()]);
}

function owners(results: readonly NodeResult[]): string[] {
  return results.map((r) => r.machine);
}

describe('NodeMachine: routing by tag', () => {
  it('sends each tagged entry to its machine, with the right result per entry', async () => {
    const { machine } = await openPair();
    const log = mixedLog();
    const results = await machine.apply(log);
    expect(owners(results)).toEqual(['metadata', 'kv', 'metadata', 'kv', 'none', 'kv', 'metadata', 'none', 'none', 'kv', 'metadata', 'metadata']);
    expect(results[0]).toEqual({ machine: 'metadata', result: { kind: 'session', index: 1, clientId: 1 } });
    expect(results[1]).toEqual({ machine: 'kv', result: { kind: 'session', index: 2, clientId: 1 } });
    expect(results[3]).toEqual({ machine: 'kv', result: { kind: 'put', index: 4, duplicate: false } });
    expect(results[4]).toEqual({ machine: 'none', index: 5 });
    expect(results[6]).toEqual({ machine: 'metadata', result: { kind: 'ok', index: 7, duplicate: false } });
    expect(results[7]).toEqual({ machine: 'none', index: 8 });
    expect(results[8]).toEqual({ machine: 'none', index: 9 });
    expect(results[9]).toEqual({ machine: 'kv', result: { kind: 'delete', index: 10, existed: true, duplicate: false } });
    // The metadata machine's second session proves the kv session at index 2 never reached it.
    expect(results[10]).toEqual({ machine: 'metadata', result: { kind: 'session', index: 11, clientId: 2 } });
    expect(machine.metadata.nodes().map((n) => n.nodeId)).toEqual(['n1']);
    expect(machine.metadata.tenant('a')?.state).toBe('active');
    expect(machine.metadata.leaderTimeMs()).toBe(T0 + 1_000);
    expect(kvContents(machine.kv)).toEqual([['k2', 'v2']]);
  });

  it('treats unknown tags, empty entries and bare tags as no-ops that still advance both applied indexes', async () => {
    const { machine } = await openPair();
    const noops = [normal(1, new Uint8Array(0)), normal(2, Uint8Array.of(0xff, 1, 2, 3)), normal(3, Uint8Array.of(0x00))];
    const results = await machine.apply(noops);
    expect(results).toEqual([
      { machine: 'none', index: 1 },
      { machine: 'none', index: 2 },
      { machine: 'none', index: 3 },
    ]);
    expect(machine.metadata.appliedIndex()).toBe(3);
    expect(machine.kv.appliedIndex()).toBe(3);
    expect(machine.appliedIndex()).toBe(3);
    expect(machine.kv.size).toBe(0);
    expect(machine.metadata.nodes()).toEqual([]);
    // A tag with nothing after it reaches its machine as an empty entry: a no-op too.
    const [md, kv] = await machine.apply([normal(4, Uint8Array.of(MACHINE_TAGS.metadata)), normal(5, Uint8Array.of(MACHINE_TAGS.kv))]);
    expect(md).toEqual({ machine: 'metadata', result: { kind: 'none', index: 4 } });
    expect(kv).toEqual({ machine: 'kv', result: { kind: 'none', index: 5 } });
    expect(machine.appliedIndex()).toBe(5);
  });

  it('hands a malformed command to its own machine, which refuses it deterministically', async () => {
    const { machine } = await openPair();
    const [md, kv] = await machine.apply([normal(1, Uint8Array.of(MACHINE_TAGS.metadata, 1)), normal(2, Uint8Array.of(MACHINE_TAGS.kv, 1))]);
    expect(md).toMatchObject({ machine: 'metadata', result: { kind: 'error', index: 1 } });
    expect(kv).toMatchObject({ machine: 'kv', result: { kind: 'error', index: 2 } });
    expect(machine.appliedIndex()).toBe(2);
  });

  it('prefixes a command with exactly one tag byte', () => {
    const body = Uint8Array.of(9, 8, 7);
    expect([...tagCommand('metadata', body)]).toEqual([MACHINE_TAGS.metadata, 9, 8, 7]);
    expect([...tagCommand('kv', body)]).toEqual([MACHINE_TAGS.kv, 9, 8, 7]);
  });
});

describe('NodeMachine: crash recovery with different applied indexes', () => {
  it('reports the lower index and gives each machine only the entries above its own; the result matches a fresh apply', async () => {
    const log = mixedLog();
    // Reference: one replica that applied the whole log without a crash.
    const reference = await openPair();
    const referenceResults = await reference.machine.apply(log);

    // Metadata syncs every batch, kv only after 6 entries: a power loss after entry 9 leaves them at 9 and 6.
    const crashed = await openPair(undefined, { crashSim: true, mdSyncEvery: 1, kvSyncEvery: 6 });
    await crashed.machine.apply(log.slice(0, 6));
    await crashed.machine.flush();
    await crashed.machine.apply(log.slice(6, 9));
    await crashed.machine.flush();
    expect(crashed.machine.durableAppliedIndex()).toBe(6);
    await crashed.mdKv.crash();
    await crashed.kvKv.crash();
    open.delete(crashed.mdKv);
    open.delete(crashed.kvKv);

    const recovered = await openPair(crashed.stores, { crashSim: true });
    expect(recovered.machine.metadata.appliedIndex()).toBe(9);
    expect(recovered.machine.kv.appliedIndex()).toBe(6);
    expect(recovered.machine.appliedIndex()).toBe(6);

    // Raft replays from the composite index + 1.
    const replay = log.slice(6);
    const results = await recovered.machine.apply(replay);
    expect(recovered.machine.metadata.appliedIndex()).toBe(12);
    expect(recovered.machine.kv.appliedIndex()).toBe(12);
    // Entries 7..9 were already in the metadata machine: not applied again (no result), everything else as fresh.
    replay.forEach((entry, i) => {
      const expected = referenceResults[entry.index - 1];
      if (entry.index <= 9 && expected?.machine === 'metadata') expect(results[i]).toEqual({ machine: 'none', index: entry.index });
      else expect(results[i]).toEqual(expected);
    });
    expect(recovered.machine.metadata.digest()).toBe(reference.machine.metadata.digest());
    expect(kvContents(recovered.machine.kv)).toEqual(kvContents(reference.machine.kv));
    expect(Buffer.from(await recovered.machine.kv.snapshot()).equals(Buffer.from(await reference.machine.kv.snapshot()))).toBe(true);
  });

  it('skips a whole batch that is at or below both indexes', async () => {
    const { machine } = await openPair();
    const log = mixedLog();
    await machine.apply(log);
    const digest = machine.metadata.digest();
    const results = await machine.apply(log.slice(2, 5));
    expect(results).toEqual(log.slice(2, 5).map((e) => ({ machine: 'none', index: e.index })));
    expect(machine.metadata.digest()).toBe(digest);
    expect(machine.appliedIndex()).toBe(12);
  });

  it('records the wall-clock time of the last applied batch', async () => {
    const { machine } = await openPair();
    expect(machine.lastApplyAt).toBe(0);
    const before = Date.now();
    await machine.apply([normal(1, new Uint8Array(0))]);
    expect(machine.lastApplyAt).toBeGreaterThanOrEqual(before);
    const stamped = machine.lastApplyAt;
    await machine.apply([]);
    expect(machine.lastApplyAt).toBe(stamped);
  });
});

describe('NodeMachine: snapshot and restore', () => {
  it('restores a snapshot into fresh machines with the same state', async () => {
    const source = await openPair();
    const log = mixedLog();
    await source.machine.apply(log);
    const image = await source.machine.snapshot();
    const target = await openPair();
    await target.machine.restore(snapshotAt(12, image));
    expect(target.machine.appliedIndex()).toBe(12);
    expect(target.machine.metadata.digest()).toBe(source.machine.metadata.digest());
    expect(kvContents(target.machine.kv)).toEqual(kvContents(source.machine.kv));
    expect(Buffer.from(await target.machine.snapshot()).equals(Buffer.from(image))).toBe(true);
    // The restored stores are durable state: reopening finds the same.
    await target.mdKv.close();
    await target.kvKv.close();
    open.delete(target.mdKv);
    open.delete(target.kvKv);
    const reopened = await openPair(target.stores);
    expect(reopened.machine.appliedIndex()).toBe(12);
    expect(reopened.machine.metadata.digest()).toBe(source.machine.metadata.digest());
    expect(kvContents(reopened.machine.kv)).toEqual([['k2', 'v2']]);
  });

  it('restores the empty bootstrap snapshot as two empty machines at its index, replacing earlier state', async () => {
    const { machine } = await openPair();
    await machine.apply(mixedLog());
    await machine.restore(snapshotAt(1, new Uint8Array(0)));
    expect(machine.metadata.appliedIndex()).toBe(1);
    expect(machine.kv.appliedIndex()).toBe(1);
    expect(machine.metadata.nodes()).toEqual([]);
    expect(machine.metadata.tenants()).toEqual([]);
    expect(machine.kv.size).toBe(0);
    // Both sides of a snapshot taken now are the empty images at index 1.
    const empty = await openPair();
    await empty.machine.restore(snapshotAt(1, new Uint8Array(0)));
    expect(machine.metadata.digest()).toBe(empty.machine.metadata.digest());
  });

  it('refuses to snapshot while the two machines disagree on the applied index', async () => {
    const { machine } = await openPair();
    await machine.metadata.apply([normal(1, new Uint8Array(0))]);
    await expect(machine.snapshot()).rejects.toMatchObject({ code: ErrorCodes.INTERNAL });
  });

  it('refuses truncated images with a TesseraError', async () => {
    const source = await openPair();
    await source.machine.apply(mixedLog());
    const image = Buffer.from(await source.machine.snapshot());
    const mdLength = image.readUInt32BE(0);
    const target = await openPair();
    for (const length of [1, 3]) {
      await expect(target.machine.restore(snapshotAt(12, image.subarray(0, length)))).rejects.toMatchObject({ code: ErrorCodes.CODEC_TRUNCATED });
    }
    // Header present, metadata image cut short.
    await expect(target.machine.restore(snapshotAt(12, image.subarray(0, 4 + mdLength - 1)))).rejects.toMatchObject({ code: ErrorCodes.CODEC_TRUNCATED });
    // Metadata image whole, key-value image cut short.
    const err = await target.machine.restore(snapshotAt(12, image.subarray(0, image.byteLength - 1))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TesseraError);
  });

  it('leaves both machines untouched when either half of the image is refused', async () => {
    const source = await openPair();
    await source.machine.apply(mixedLog());
    const image = Buffer.from(await source.machine.snapshot());
    const target = await openPair();
    await target.machine.apply([mdEntry(1, { op: 'openSession', tenant: 'a', timeMs: T0 })]);
    const before = { digest: target.machine.metadata.digest(), applied: target.machine.appliedIndex() };
    // The metadata half is valid, the key-value half is cut: a partial restore would
    // leave the machines at different indexes with the log possibly compacted past the lower one.
    await expect(target.machine.restore(snapshotAt(12, image.subarray(0, image.byteLength - 1)))).rejects.toBeInstanceOf(TesseraError);
    expect(target.machine.metadata.appliedIndex(), 'metadata machine was restored although the image was refused').toBe(before.applied);
    expect(target.machine.metadata.digest()).toBe(before.digest);
    expect(target.machine.kv.appliedIndex()).toBe(before.applied);
  });

  it('fuzz: arbitrary bytes and damaged images either restore or fail with a TesseraError', async () => {
    const source = await openPair();
    await source.machine.apply(mixedLog());
    const image = Buffer.from(await source.machine.snapshot());
    const target = await openPair();
    const tryRestore = async (data: Uint8Array): Promise<void> => {
      try {
        await target.machine.restore(snapshotAt(12, data));
      } catch (err) {
        if (!(err instanceof TesseraError)) throw err;
      }
    };
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), tryRestore), { numRuns: 150 });
    // Damaged real images: a byte changed, or cut anywhere.
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: image.byteLength - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean(), async (at, xor, cut) => {
        const damaged = Buffer.from(image);
        if (cut) return tryRestore(damaged.subarray(0, at));
        damaged[at] = (damaged[at] ?? 0) ^ xor;
        return tryRestore(damaged);
      }),
      { numRuns: 150 },
    );
  });
});
