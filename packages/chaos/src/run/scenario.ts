/**
 * One chaos scenario on a running cluster: start the workload, inject the
 * scheduled faults while it runs, heal everything, then the final checks —
 * convergence (one leader, applied = commit everywhere), a final read of
 * every key, the linearizability verdict ("unknown" fails), every read
 * byte-identical to the write it names — and a summary in the scenario's
 * folder (history.jsonl, faults.jsonl, summary.json, summary.txt).
 *
 * The disk scan for the plaintext marker needs every process stopped, so it
 * runs once per cluster (`scanDisksForMarker`), not per scenario.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TesseraClient } from '@tessera/client';
import { isTesseraError } from '@tessera/common';
import { checkHistory, type Verdict } from '../checker.js';
import type { ChaosCluster, ScrubPassResult, TenantHandle } from '../cluster/chaos-cluster.js';
import { kvModel } from '../models/kv.js';
import { countOverlapping, FaultLog, type FaultWindow } from '../nemesis/fault-log.js';
import type { Nemesis } from '../nemesis/types.js';
import { parseKvJsonl } from '../parse/jsonl.js';
import { seededRandom } from '../proxy/rng.js';
import { formatCheckResult } from '../report.js';
import { RunClock } from '../workload/clock.js';
import { HistoryLog } from '../workload/history-log.js';
import { ObjectWorkload, type WorkerSpec, type WorkloadStats } from '../workload/object-workload.js';

/** One planned fault: wait `gapMs` (the workload runs undisturbed), then run the nemesis. */
export interface FaultStep {
  readonly gapMs: number;
  readonly nemesis: Nemesis;
}

export interface WorkloadShape {
  /** Writers/readers through every node (default 6). */
  readonly clients?: number;
  /**
   * Writers/readers of small objects only (≤ 4 KiB, inline: metadata path, no device) on the same keys
   * (default 3): they keep making progress while the device path waits out a cut-off node.
   */
  readonly inlineClients?: number;
  /** Shared keys of the object workload (default 200). */
  readonly keys?: number;
  /** Sizes of the chunked puts (default 5-24 KiB: one chunk, past the inline limit, so the write reaches the devices). */
  readonly minBytes?: number;
  readonly maxBytes?: number;
  /** Share of puts (default 0.45) and deletes (default 0.08); the rest are gets. */
  readonly putShare?: number;
  readonly deleteShare?: number;
  /** Share of puts small enough to travel inline, metadata only (default 0.5). */
  readonly inlineShare?: number;
  /** Workers writing multi-chunk objects (default 1) and their chunk size (default 32 KiB, objects of 3-5 chunks). */
  readonly multiChunkClients?: number;
  readonly multiChunkSize?: number;
  /** Readers pinned to one node each (no failover), to expose stale reads on a cut-off node (default 1 per node). */
  readonly pinnedReaders?: boolean;
}

export interface ScenarioOptions {
  readonly name: string;
  readonly cluster: ChaosCluster;
  readonly tenant: TenantHandle;
  /** The scenario's files go to `<runDir>/<name>/`. */
  readonly runDir: string;
  readonly seed: number;
  /** The run's plaintext canary (in every object's bytes). */
  readonly marker: string;
  /** Fixed steps, or a source asked for the next step until it returns undefined (given the elapsed ms). */
  readonly steps: readonly FaultStep[] | ((elapsedMs: number) => FaultStep | undefined);
  readonly workload?: WorkloadShape;
  /** Acknowledged operations before the first fault (default 100). */
  readonly warmupOps?: number;
  /** Acknowledged operations after the last heal, before the final checks (default 100). */
  readonly cooldownOps?: number;
  readonly crashSim: boolean;
  readonly checkerBudgetMs?: number;
  /** Run the placement-scrub checks after healing (D1 and full redundancy; default true). */
  readonly redundancyCheck?: boolean;
  readonly log?: (line: string) => void;
}

export interface ScenarioResult {
  readonly name: string;
  readonly seed: number;
  readonly ops: WorkloadStats;
  /** Completed operations (ok or info) whose interval overlaps a fault window. */
  readonly overlapping: number;
  readonly faults: readonly FaultWindow[];
  readonly verdict: Verdict;
  readonly checkerMs: number;
  readonly checkerReport: string;
  readonly converged: boolean;
  readonly finalReads: { readonly keys: number; readonly present: number; readonly absent: number; readonly failed: number };
  readonly violations: readonly string[];
  /** Repair brought every chunk back to full redundancy after healing. */
  readonly fullRedundancy: boolean;
  /** What the placement-scrub passes of the redundancy check found. */
  readonly redundancyNote: string;
  readonly wallMs: number;
  readonly dir: string;
  readonly passed: boolean;
}

/** How long each placement-scrub pass of the final checks may take (the pass runs at the scrub's own pace). */
export const SCRUB_PASS_TIMEOUT_MS = 120_000;
/** How long the final check waits for the repairs a pass queued. */
export const REPAIRS_IDLE_TIMEOUT_MS = 120_000;
/**
 * How long repair may take to bring every chunk back to full redundancy:
 * passes run (each after the repairs of the last have drained) while each
 * finds fewer bad slots than the one before, until one is clean or this ends.
 */
export const REDUNDANCY_TIMEOUT_MS = 600_000;

const errorCode = (err: unknown): string => (isTesseraError(err) ? `${err.code}: ${err.message.slice(0, 300)}` : String(err));

/** A fault step that takes longer than this is reported and the run goes on to healing. */
const NEMESIS_TIMEOUT_MS = 180_000;
/** Every operation is bounded by its client's retry deadline; this only catches a hang. */
const STOP_TIMEOUT_MS = 60_000;
const FINAL_READ_TIMEOUT_MS = 60_000;

async function withinTime(work: Promise<void>, ms: number): Promise<'done' | 'timeout' | { error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work.then((): 'done' => 'done', (error: unknown) => ({ error })), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function inParallel<T>(items: readonly T[], width: number, fn: (item: T, lane: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async (_, lane) => {
      while (next < items.length) await fn(items[next++]!, lane);
    }),
  );
}

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const { cluster, tenant, name } = options;
  const dir = path.join(options.runDir, name);
  await mkdir(dir, { recursive: true });
  const clock = new RunClock();
  const history = new HistoryLog(path.join(dir, 'history.jsonl'), clock);
  const faults = new FaultLog(path.join(dir, 'faults.jsonl'), clock);
  const shape = options.workload ?? {};
  const violations: string[] = [];

  // ----- clients and workers -----
  const keys = Array.from({ length: shape.keys ?? 200 }, (_, i) => `${name}/k${i}`);
  const workers: WorkerSpec[] = [];
  const base = { minBytes: shape.minBytes ?? 5 * 1_024, maxBytes: shape.maxBytes ?? 24 * 1_024, putShare: shape.putShare ?? 0.45, deleteShare: shape.deleteShare ?? 0.08, inlineShare: shape.inlineShare ?? 0.5 };
  for (let i = 0; i < (shape.clients ?? 6); i++) {
    workers.push({ ...base, keys, client: await cluster.client(tenant.client, { endpoints: cluster.endpoints(i) }) });
  }
  for (let i = 0; i < (shape.inlineClients ?? 3); i++) {
    workers.push({ ...base, inlineShare: 1, keys, client: await cluster.client(tenant.client, { endpoints: cluster.endpoints(i + 2) }) });
  }
  const chunk = shape.multiChunkSize ?? 32 * 1_024;
  const mcKeys = Array.from({ length: 24 }, (_, i) => `${name}/mc${i}`);
  for (let i = 0; i < (shape.multiChunkClients ?? 1); i++) {
    const client = await cluster.client(tenant.client, { endpoints: cluster.endpoints(i + 1), chunkSize: chunk, concurrency: 2 });
    workers.push({ keys: mcKeys, client, minBytes: 3 * chunk - 100, maxBytes: 5 * chunk, putShare: 0.6, deleteShare: 0.05 });
  }
  if (shape.pinnedReaders ?? true) {
    for (const node of cluster.launcher.running()) {
      const client = await cluster.client(tenant.client, { endpoints: [`${node.id}=${node.ports.clientAddress}`], retryTimeoutMs: 1_500, attemptTimeoutMs: 1_500 });
      workers.push({ ...base, keys, client, putShare: 0, deleteShare: 0 });
    }
  }
  const workload = new ObjectWorkload({ history, marker: options.marker, seed: options.seed, tag: name, workers });

  // ----- faults while the workload runs -----
  let stepIndex = 0;
  const nextStep = (elapsed: number): FaultStep | undefined => (typeof options.steps === 'function' ? options.steps(elapsed) : options.steps[stepIndex]);
  const crashSim = options.crashSim;
  workload.start();
  try {
    if (!(await workload.waitForOk(options.warmupOps ?? 100, 60_000))) violations.push('the workload made no progress before the first fault (60 s)');
    const faultsFrom = performance.now();
    for (let step = nextStep(0); step !== undefined; step = nextStep(performance.now() - faultsFrom)) {
      await sleep(step.gapMs);
      const random = seededRandom((options.seed * 1_000_003 + stepIndex * 7_919) >>> 0);
      log(`${name}: fault ${stepIndex + 1}: ${step.nemesis.action}`);
      const ran = await withinTime(step.nemesis.run({ cluster, faults, random, log, crashSim, hold: (ms) => sleep(ms) }), NEMESIS_TIMEOUT_MS);
      stepIndex++;
      if (ran !== 'done') {
        violations.push(`fault ${stepIndex} (${step.nemesis.action}) ${ran === 'timeout' ? `did not finish within ${NEMESIS_TIMEOUT_MS / 1_000} s` : `failed: ${errorCode(ran.error)}`}`);
        break;
      }
    }
    if (!(await workload.waitForOk(options.cooldownOps ?? 100, 60_000))) violations.push('the workload made no progress after the faults were healed (60 s)');
  } finally {
    faults.endAll();
    if ((await withinTime(workload.stop(), STOP_TIMEOUT_MS)) === 'timeout') violations.push(`the workers did not stop within ${STOP_TIMEOUT_MS / 1_000} s (an operation hung)`);
  }

  // ----- heal, converge -----
  cluster.healNetworkAndPauses();
  for (const node of cluster.launcher.nodes()) if (node.state === 'stopped') await cluster.restart(node.id);
  if (cluster.keyManager().state === 'stopped') await cluster.restartKeyManager();
  let converged = true;
  try {
    await cluster.waitConverged(90_000);
    await cluster.waitReady(60_000);
  } catch (err) {
    converged = false;
    violations.push(`the cluster did not converge after healing: ${errorCode(err)}`);
  }

  // ----- final read of every key -----
  const diskFaults = faults.windows().some((w) => w.nemesis === 'disk');
  const finalClient: TesseraClient = await cluster.client(tenant.client, { retryTimeoutMs: 20_000, attemptTimeoutMs: 5_000 });
  const reads = { keys: 0, present: 0, absent: 0, failed: 0 };
  await inParallel([...keys, ...mcKeys], 4, async (key, lane) => {
    reads.keys++;
    for (let attempt = 0; attempt < 3; attempt++) {
      // The client's own deadlines bound a read; this catches a read that never answers at all.
      const pending = workload.read(finalClient, key, `${name}.final.${lane}.${attempt}`);
      const r = await Promise.race([pending, sleep(FINAL_READ_TIMEOUT_MS).then(() => undefined)]);
      if (r === undefined) {
        reads.failed++;
        violations.push(`final read of ${key} did not answer within ${FINAL_READ_TIMEOUT_MS / 1_000} s (client retry deadline 20 s): a read hangs`);
        return;
      }
      if (r.outcome === 'ok') {
        if (r.value === '') reads.absent++;
        else reads.present++;
        return;
      }
      if (attempt === 2) {
        reads.failed++;
        violations.push(`final read of ${key} failed three times: ${errorCode(r.error)}`);
      }
    }
  });
  // ----- D1 and repair back to full redundancy (issues #8, #11) -----
  // A device-scrub round on every node (CRC of every shard record), then a placement-scrub pass on the
  // healed cluster that asks every slot of every committed chunk for its shard.
  // D1: with no disk fault injected, none may be missing or damaged (a shard acknowledged before its fsync
  // and lost to a power loss is). The pass queues repairs for whatever it found; later passes must then
  // find every slot clean, at most m shards per node (full redundancy). New leaders wait one interval
  // (1 h by default) before scrubbing on their own, so nothing is repaired before the first pass looks.
  let fullRedundancy = false;
  let redundancyNote = 'not checked';
  if (options.redundancyCheck ?? true) {
    try {
      // Every node re-reads its shards first (CRC): a damaged record is deleted and so counts as missing below.
      await cluster.deviceScrubAll(SCRUB_PASS_TIMEOUT_MS);
      const first = await cluster.scrubPass(SCRUB_PASS_TIMEOUT_MS);
      if (!diskFaults && first.missing + first.corrupt > 0) {
        violations.push(`the placement scrub found ${first.missing} missing and ${first.corrupt} damaged shard(s) of committed chunks with no disk fault injected: an acknowledged shard was lost (D1)`);
      }
      let pass = first;
      let passes = 1;
      const until = Date.now() + REDUNDANCY_TIMEOUT_MS;
      while (!clean(pass) && Date.now() < until) {
        if (!(await cluster.waitRepairsIdle(REPAIRS_IDLE_TIMEOUT_MS))) break;
        const next = await cluster.scrubPass(SCRUB_PASS_TIMEOUT_MS);
        passes++;
        const progress = badSlots(next) < badSlots(pass);
        pass = next;
        if (!progress) break;
      }
      fullRedundancy = clean(pass);
      redundancyNote = `${first.scanned} chunks; first pass: ${describePass(first)}; after ${passes} pass(es): ${describePass(pass)}`;
      if (!fullRedundancy) violations.push(`repair did not bring every chunk back to full redundancy (${redundancyNote})`);
    } catch (err) {
      redundancyNote = errorCode(err);
      violations.push(`the full-redundancy check failed: ${redundancyNote}`);
    }
  }
  await history.close();
  for (const c of workload.corruptions) violations.push(`a read returned bytes that match no write: ${c}`);

  // ----- verdict -----
  const parsed = parseKvJsonl(await readFile(history.file, 'utf8'));
  const check = checkHistory(kvModel, parsed, { timeBudgetMs: options.checkerBudgetMs ?? 60_000 });
  const checkerReport = check.verdict === 'linearizable' ? '' : formatCheckResult(kvModel, check);
  if (check.verdict !== 'linearizable') violations.push(`history ${check.verdict}${check.unknownReason !== undefined ? ` (${check.unknownReason})` : ''}`);

  const ops = workload.stats();
  const overlapping = countOverlapping(
    workload.operations().filter((o) => o.outcome !== 'fail'),
    faults.windows(),
  );
  const result: ScenarioResult = {
    name,
    seed: options.seed,
    ops,
    overlapping,
    faults: faults.windows(),
    verdict: check.verdict,
    checkerMs: Math.round(check.elapsedMs),
    checkerReport,
    converged,
    finalReads: reads,
    violations,
    fullRedundancy,
    redundancyNote,
    wallMs: Math.round(performance.now() - started),
    dir,
    passed: violations.length === 0,
  };
  await writeFile(path.join(dir, 'summary.json'), `${JSON.stringify({ ...result, checkerReport: checkerReport.slice(0, 20_000) }, null, 2)}\n`);
  await writeFile(path.join(dir, 'summary.txt'), formatScenario(result));
  return result;
}

/** A human summary of one scenario. */
export function formatScenario(r: ScenarioResult): string {
  const lines = [
    `scenario ${r.name} (seed ${r.seed}): ${r.passed ? 'PASSED' : 'FAILED'} in ${(r.wallMs / 1_000).toFixed(1)} s`,
    `  operations: ${r.ops.invoked} invoked, ${r.ops.ok} ok, ${r.ops.fail} fail, ${r.ops.info} info (unknown outcome); ${r.overlapping} ok/info overlap a fault window`,
    `  by op: ${Object.entries(r.ops.byOp).map(([op, c]) => `${op} ${c.ok}/${c.fail}/${c.info}`).join(', ')}`,
    `  errors: ${Object.entries(r.ops.errors).map(([code, n]) => `${code} ${n}`).join(', ') || 'none'}`,
    `  faults (${r.faults.length}): ${r.faults.map((f) => `${f.action}[${f.targets.join(',')}] ${((f.end ?? f.start) - f.start).toFixed(0)} ms`).join('; ') || 'none'}`,
    `  converged: ${r.converged}; final reads: ${r.finalReads.keys} keys, ${r.finalReads.present} present, ${r.finalReads.absent} absent, ${r.finalReads.failed} failed`,
    `  checker: ${r.verdict} in ${r.checkerMs} ms`,
    ...r.violations.map((v) => `  VIOLATION: ${v}`),
    `  full redundancy after repair: ${r.fullRedundancy ? 'yes' : 'no'} (${r.redundancyNote})`,
    `  files: ${r.dir}`,
  ];
  if (r.checkerReport !== '') lines.push(r.checkerReport.split('\n').slice(0, 60).join('\n'));
  return `${lines.join('\n')}\n`;
}

function badSlots(p: ScrubPassResult): number {
  return p.missing + p.corrupt + p.badDevice + p.unreachable + p.underProtected;
}

function clean(p: ScrubPassResult): boolean {
  return badSlots(p) === 0;
}

function describePass(p: ScrubPassResult): string {
  return `${p.missing} missing, ${p.corrupt} damaged, ${p.badDevice} on bad devices, ${p.unreachable} unreachable, ${p.underProtected} under-protected chunks, ${p.queued} repairs queued`;
}
