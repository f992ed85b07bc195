/**
 * One in-process point of the `scale` section: the metadata group's state
 * machine (packages/node/src/metadata/machine.ts) over the real LevelDB store
 * (`openDurableKv`, the node's own), driven directly with Raft entries, at N
 * stored objects. Runs in a child process of its own (`scale.ts` starts one
 * per point) so that each point's RSS is its own and nothing from a previous
 * point stays on the heap. Prints one JSON document (BenchResult[]) on stdout.
 *
 * The state it builds is the state a cluster reaches after N PutObject calls
 * of 256-byte (inline, metadata-only) objects through one session: the same
 * commands (topology, tenant, session, N `delta` puts), the same header and
 * payload sizes. What differs: payloads are random bytes of the sealed size
 * (sealing 1 M deltas would take minutes; the state machine never opens
 * them), keyTags are SHA-256 of the name instead of an HMAC under the
 * tenant's key (same length, same spread), and entries are applied in
 * batches of 1,000 as a busy leader's apply loop would, without Raft,
 * gRPC or fsync of the log.
 *
 * Figures at the point:
 *  - preload: apply throughput (deltas/s) over the whole load, batches of
 *    1,000 entries; p50/p99 of one batch; the event-loop lag p99 while
 *    applying (one batch blocks the loop for its whole apply);
 *  - put: one delta per apply call (a lone PutObject's apply: decode, state,
 *    one unsynced LevelDB batch);
 *  - get: the latest-object lookup by keyTag a GetObject/StatObject starts
 *    with (the gateway then opens one payload: constant cost, the `open one
 *    delta payload` row);
 *  - list: what a ListObjects costs the gateway beside the payload opening,
 *    run as the gateway runs it (`syncNameIndex`: the metadata journal's
 *    changes since the index's mark applied to the name index, then the next
 *    page of 1,000 names of a client walking the whole listing): the first
 *    list (index built from the whole current-object map, names given
 *    without decryption) as a single timing; a list with nothing changed
 *    since the last one; a list after 1,000 distinct objects were
 *    overwritten since the last one (one apply batch between lists, not
 *    timed; at most 50 lists, their superseded deltas compacted away after
 *    the row so the rows below see the preloaded state);
 *  - reopen: a restart's load of the whole state from LevelDB
 *    (MetadataMachine.open), single timing;
 *  - memory: RSS and V8 heap used after the preload (the note of each row).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { percentile, type BenchResult } from '@tessera/common/bench';
import { KeyMaterial } from '@tessera/crypto';
import { MetadataMachine, NameIndex, encodeMetadataCommand, encodeObjectPayload, openObjectPut, sealObjectPut, syncNameIndex, type MetadataCommand, type ObjectChangeCursor } from '@tessera/node';
import { EntryType, openDurableKv, type DurableKv, type Entry } from '@tessera/raft';

const TENANT = 'bench';
const INLINE_BYTES = 256;
const BATCH = 1_000;
const PAGE = 1_000;
/** Objects overwritten between two lists in the "changed" list row. */
const CHANGED = 1_000;
/** At most this many lists in that row (each round adds CHANGED superseded deltas until the compaction after it). */
const CHANGED_ROUNDS_MAX = 50;

export interface MetadataPointOptions {
  /** Stored objects at this point. */
  readonly objects: number;
  /** Measured time per repeated figure (put, get, list). */
  readonly durationMs: number;
}

const nameOf = (i: number): string => `scale/${String(i).padStart(8, '0')}`;
const keyTagOf = (name: string): Buffer => createHash('sha256').update(name).digest();

/** Sealed payload length of every object here: encoded payload + 16-byte GCM tag. */
const SEALED_PAYLOAD_BYTES = encodeObjectPayload({ name: nameOf(0), attributes: new Map(), chunks: [], inline: Buffer.alloc(INLINE_BYTES) }).byteLength + 16;

export async function metadataPoint(options: MetadataPointOptions): Promise<BenchResult[]> {
  const n = options.objects;
  const label = `${count(n)} objects`;
  const dir = await mkdtemp(path.join(tmpdir(), 'tessera-bench-scale-'));
  let kv: DurableKv | undefined;
  try {
    kv = await openDurableKv(dir, { crashSim: false });
    let machine: MetadataMachine | undefined = await MetadataMachine.open(kv);
    const live = (): MetadataMachine => {
      if (machine === undefined) throw new Error('no machine open');
      return machine;
    };
    let index = 0;
    let now = Date.now();
    const entry = (cmd: MetadataCommand): Entry => ({ term: 1, index: ++index, type: EntryType.Normal, data: encodeMetadataCommand(cmd) });
    const setup: MetadataCommand[] = [];
    for (const id of ['n1', 'n2', 'n3']) {
      setup.push({ op: 'registerNode', timeMs: now, node: { nodeId: id, address: `127.0.0.1:70${id.slice(1)}` } });
      for (const d of ['d1', 'd2']) setup.push({ op: 'addDevice', timeMs: now, device: { nodeId: id, deviceId: d, pool: 'default', capacityBytes: 2 ** 34, state: 'healthy' } });
    }
    setup.push({ op: 'upsertTenant', timeMs: now, tenant: { id: TENANT, policy: 'shared', caCertPem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n', caCrlPem: '-----BEGIN X509 CRL-----\nx\n-----END X509 CRL-----\n', state: 'active', quotaBytes: 0, keyEpoch: 1, kekVersion: 1 } });
    setup.push({ op: 'openSession', timeMs: now, tenant: TENANT });
    const setupResults = await live().apply(setup.map(entry));
    const session = setupResults[setupResults.length - 1];
    if (session?.kind !== 'session') throw new Error(`no session: ${JSON.stringify(session)}`);
    const clientId = session.clientId;
    let seq = 0;
    let extra = n; // names of the objects put after the preload (the put row)
    const put = (name: string): MetadataCommand => {
      seq++;
      const payload = randomBytes(SEALED_PAYLOAD_BYTES);
      return {
        op: 'delta',
        timeMs: (now += 1),
        session: { clientId, seq, ackedThrough: seq - 1 },
        header: { formatVersion: 1, algId: 1, tenEpoch: 1, tenant: TENANT, deltaId: randomBytes(16), keyTag: keyTagOf(name), op: 'put', tombstone: false, chunkRefs: [], payloadSize: payload.byteLength, clientId, seq, nonce: randomBytes(12) },
        payload,
      };
    };
    const check = (results: readonly { kind: string }[]): void => {
      const bad = results.find((r) => r.kind !== 'delta');
      if (bad !== undefined) throw new Error(`apply refused a delta: ${JSON.stringify(bad)}`);
    };

    // Preload.
    const rows: BenchResult[] = [];
    const rssBefore = process.memoryUsage().rss;
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const batchUs: number[] = [];
    let applyMs = 0;
    for (let done = 0; done < n; ) {
      const size = Math.min(BATCH, n - done);
      const entries = Array.from({ length: size }, (_, i) => entry(put(nameOf(done + i))));
      const t0 = performance.now();
      check(await live().apply(entries));
      const ms = performance.now() - t0;
      applyMs += ms;
      batchUs.push(ms * 1000);
      done += size;
      await new Promise((resolve) => setImmediate(resolve)); // let the lag monitor see each batch as one loop turn
    }
    await new Promise((resolve) => setTimeout(resolve, 25)); // the monitor records a delay only when its next timer fires
    lag.disable();
    const preloadLagMs = lag.percentile(99) / 1e6;
    global.gc?.();
    const mem = process.memoryUsage();
    const memNote = `RSS ${mibText(mem.rss)} (+${mibText(mem.rss - rssBefore)} for the objects), heap used ${mibText(mem.heapUsed)}, buffers ${mibText(mem.arrayBuffers)}`;
    batchUs.sort((a, b) => a - b);
    rows.push({
      name: `metadata apply, preload to ${label} (batches of ${BATCH})`,
      bytes: 0,
      runs: 1,
      opsPerSec: n / (applyMs / 1000),
      p50Us: percentile(batchUs, 50),
      p99Us: percentile(batchUs, 99),
      note: `in-process; p50/p99: one batch; loop lag p99 ${preloadLagMs.toFixed(1)} ms; ${memNote}`,
    });

    // Get: the latest-object lookup by keyTag.
    const probes = Array.from({ length: 4_096 }, () => keyTagOf(nameOf(Math.floor(Math.random() * n))));
    let p = 0;
    rows.push(
      await timed(`metadata latest-object lookup at ${label}`, options.durationMs, async () => {
        if (live().latestObject(TENANT, probes[p++ & 4095]!) === undefined) throw new Error('a stored object was not found');
      }, `in-process; ${memNote}`),
    );

    // List: first (index built), then incremental (nothing changed; CHANGED objects overwritten); the index
    // and the name map die with the call. The overwrites' superseded deltas are compacted away afterwards,
    // so the rows below see the preloaded state again.
    rows.push(
      ...(await listRows({
        machine: live(),
        objects: n,
        label,
        durationMs: options.durationMs,
        overwrite: async (indexes) => check(await live().apply(indexes.map((i) => entry(put(nameOf(i)))))),
      })),
    );
    const [compacted] = await live().apply([entry({ op: 'compact', timeMs: (now += 1), tenant: TENANT, upToSeq: 2 ** 52, tombstoneTtlMs: 0 })]);
    if (compacted?.kind !== 'compacted') throw new Error(`compaction refused: ${JSON.stringify(compacted)}`);

    // Reopen: a restart loads the whole state from LevelDB (after the writes behind the applies land, as a node's stop does).
    await live().flush();
    await kv.close();
    kv = undefined;
    machine = undefined; // the old state must be collectable, as in a restarted process
    global.gc?.();
    const reopenAt = performance.now();
    kv = await openDurableKv(dir, { crashSim: false });
    machine = await MetadataMachine.open(kv);
    const reopenUs = (performance.now() - reopenAt) * 1000;
    if (machine.latestObject(TENANT, probes[0]!) === undefined) throw new Error('state lost across reopen');
    global.gc?.();
    const reopened = process.memoryUsage();
    rows.push({ name: `metadata reopen (state loaded from LevelDB) at ${label}`, bytes: 0, runs: 1, opsPerSec: 1e6 / reopenUs, p50Us: reopenUs, p99Us: reopenUs, note: `in-process; one timing; after it RSS ${mibText(reopened.rss)}, heap used ${mibText(reopened.heapUsed)}; the process's peak RSS so far ${mibText(process.resourceUsage().maxRSS * 1024)}` });
    // Put: one delta per apply, on top of N (last, so that the figures above see exactly N objects).
    rows.push(
      await timed(`metadata put (1 delta per apply) at ${label}`, options.durationMs, async () => {
        check(await live().apply([entry(put(nameOf(extra++)))]));
      }, `in-process, unsynced LevelDB batch per apply; ${memNote}`),
    );

    return rows;
  } finally {
    await kv?.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the list rows need from the point: its machine, the preloaded names, and a way to overwrite some of them. */
interface ListContext {
  readonly machine: MetadataMachine;
  /** Objects preloaded: names nameOf(0 .. objects - 1). */
  readonly objects: number;
  readonly label: string;
  readonly durationMs: number;
  /** Applies one batch of puts overwriting these preloaded objects. */
  readonly overwrite: (indexes: readonly number[]) => Promise<void>;
}

/**
 * The list figures at a point, each a ListObjects as the gateway runs it
 * (`syncNameIndex`, then the next page): the first list (index built from
 * the whole current-object map), a list with nothing changed since the last
 * one, and a list after CHANGED objects were overwritten since the last one.
 */
async function listRows(ctx: ListContext): Promise<BenchResult[]> {
  const { machine, label, durationMs } = ctx;
  const out: BenchResult[] = [];
  const describe = async (keyTag: string, sequence: number) => {
    const delta = machine.delta(TENANT, sequence);
    if (delta === undefined) throw new Error('delta vanished');
    const i = byTag.get(keyTag) ?? -1;
    return { name: i >= 0 ? nameOf(i) : `scale/extra/${keyTag}`, keyTag, sequence, size: INLINE_BYTES, modifiedMs: delta.leaderTimeMs, chunks: 0 };
  };
  const byTag = new Map<string, number>();
  for (let i = 0; i < ctx.objects; i++) byTag.set(keyTagOf(nameOf(i)).toString('hex'), i);
  const names = new NameIndex<ObjectChangeCursor>();
  let token: string | undefined;
  // A client walking the whole listing page by page, starting over at the end.
  const nextPage = (): void => {
    const page = names.page('', PAGE, token);
    if (page.objects.length === 0) throw new Error('empty page');
    token = page.nextToken;
  };

  const firstAt = performance.now();
  await syncNameIndex(names, machine, TENANT, describe);
  const firstUs = (performance.now() - firstAt) * 1000;
  out.push({ name: `metadata first list (name index built) at ${label}`, bytes: 0, runs: 1, opsPerSec: 1e6 / firstUs, p50Us: firstUs, p99Us: firstUs, note: `in-process, payload opening excluded (${count(names.size)} names); one timing` });

  out.push(
    await timed(`metadata list page of ${PAGE} at ${label}, nothing changed since the last list`, durationMs, async () => {
      await syncNameIndex(names, machine, TENANT, describe);
      nextPage();
    }, 'in-process: journal read (no change) + next page; payload opening excluded'),
  );

  // Changes between lists: CHANGED distinct preloaded objects overwritten (one apply batch, not timed).
  const changed = Math.min(CHANGED, ctx.objects);
  const latencies: number[] = [];
  const started = performance.now();
  let listedMs = 0;
  for (let round = 0; round < CHANGED_ROUNDS_MAX && (performance.now() - started < durationMs || round < 3); round++) {
    await ctx.overwrite(sample(ctx.objects, changed));
    const t0 = performance.now();
    await syncNameIndex(names, machine, TENANT, describe);
    nextPage();
    const ms = performance.now() - t0;
    latencies.push(ms * 1000);
    listedMs += ms;
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (names.size !== ctx.objects) throw new Error(`index holds ${names.size} names, expected ${ctx.objects}`);
  latencies.sort((a, b) => a - b);
  out.push({
    name: `metadata list page of ${PAGE} at ${label}, ${count(changed)} objects overwritten since the last list`,
    bytes: 0,
    runs: 1,
    opsPerSec: latencies.length / (listedMs / 1000),
    p50Us: percentile(latencies, 50),
    p99Us: percentile(latencies, 99),
    note: `in-process: journal read + ${count(changed)} index updates (names given without decryption) + next page; payload opening excluded (a real list opens ${count(changed)} payloads); ${latencies.length} lists; rate counts list time only`,
  });
  return out;
}

/** `k` distinct integers below `n`, in random order. */
function sample(n: number, k: number): number[] {
  const picked = new Set<number>();
  while (picked.size < k) picked.add(Math.floor(Math.random() * n));
  return [...picked];
}

/** The gateway's constant per-get work the lookups above leave out: opening one sealed 256-byte object delta. */
export async function openPayloadCost(durationMs: number): Promise<BenchResult> {
  const tdk = KeyMaterial.generate();
  try {
    const sealed = sealObjectPut({ tenant: TENANT, tenEpoch: 1, keyTag: keyTagOf(nameOf(0)), clientId: 1, seq: 1 }, { name: nameOf(0), attributes: new Map(), chunks: [], inline: randomBytes(INLINE_BYTES) }, tdk);
    return await timed('open one sealed object delta (256 B inline)', durationMs, async () => {
      openObjectPut(sealed.header, sealed.payload, tdk);
    }, 'in-process, constant per get and per name a first list describes (HKDF + AES-256-GCM)');
  } finally {
    tdk.destroy();
  }
}

async function timed(name: string, durationMs: number, op: () => Promise<void>, note: string): Promise<BenchResult> {
  for (let i = 0; i < 3; i++) await op(); // warm-up
  const latenciesUs: number[] = [];
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const started = performance.now();
  const deadline = started + durationMs;
  let calls = 0;
  while (performance.now() < deadline || calls < 3) {
    const t0 = performance.now();
    await op();
    latenciesUs.push((performance.now() - t0) * 1000);
    // Yield once in a while so that the lag monitor's timer runs.
    if (++calls % 64 === 0 || latenciesUs[latenciesUs.length - 1]! > 1_000) await new Promise((resolve) => setImmediate(resolve));
  }
  lag.disable();
  const seconds = (performance.now() - started) / 1000;
  latenciesUs.sort((a, b) => a - b);
  return { name, bytes: 0, runs: 1, opsPerSec: latenciesUs.length / seconds, p50Us: percentile(latenciesUs, 50), p99Us: percentile(latenciesUs, 99), note: `${note}; loop lag p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms` };
}


function count(n: number): string {
  return n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6} M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3} k` : String(n);
}

function mibText(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}

// Child-process entry: `scale-metadata.ts <objects> <durationMs>` prints the point's rows as JSON.
if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  const objects = Number(process.argv[2]);
  const durationMs = Number(process.argv[3] ?? 2_000);
  metadataPoint({ objects, durationMs })
    .then((rows) => {
      process.stdout.write(JSON.stringify(rows) + '\n');
    })
    .catch((err: unknown) => {
      process.stderr.write(`scale point ${objects}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    });
}
