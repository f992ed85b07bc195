/**
 * Maintenance verbs on the nodes' Admin service (issues #8/#9/#10), answered
 * by the metadata leader (the nodes are tried in turn; list them all):
 *
 *  - `scrub start [--wait] [--device | --device-only]`: a placement scrub
 *    pass now (and the answering node's device scrub); `--wait` follows the
 *    pass and the repairs it queued to the end, then prints what it found;
 *  - `scrub status`: the pass under way and the last one, the device scrub,
 *    evacuations, re-encryption, and the redundancy verdict;
 *  - `repair status`, `repair history [--limit N]`: the repair queue, its
 *    counters by reason and outcome, the last repairs (chunk ids cut to 16
 *    hex digits);
 *  - `compact [--tenant T] [--wait]`, `compact status`: header-only
 *    compaction now, with what each tenant's committed compaction dropped
 *    and released; the last compaction per tenant.
 *
 * The JSON documents (`-o json`) are built by the exported pure functions
 * below, so their field names are fixed in one place (and tested).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { ErrorCodes, TesseraError } from '@tessera/common';
import {
  u64Number,
  type CompactResponse__Output,
  type MaintenanceStatusResponse__Output,
  type PlacementScrubPass__Output,
  type PlacementScrubStatus__Output,
  type RepairRecord__Output,
  type StartScrubResponse__Output,
  type TenantCompaction__Output,
} from '@tessera/wire';
import type { CliIo } from '../io.js';
import { formatTable, parseOutputFormat, printRows, type OutputFormat } from '../output.js';
import { NODE_ADMIN_HELP, withNodeAdmin, withNodeAdminConnection, type NodeAdmin, type NodeAdminOptions } from './node-admin.js';
import { WorkProgress } from './progress.js';
import { maintenanceStatus, sleep, stderrIsTty, waitForReencryption } from './work-wait.js';

interface Context {
  readonly io: CliIo;
}

/** How often `--wait` asks the leader how far the work got. */
export const WAIT_POLL_MS = 250;
const DEFAULT_WAIT_TIMEOUT_S = 3_600;

function outputOf(cmd: Command): OutputFormat {
  return parseOutputFormat(cmd.optsWithGlobals()['output']);
}

function examples(lines: readonly string[]): string {
  return `${NODE_ADMIN_HELP}\n\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

function positiveInt(what: string, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${what} must be a whole number from 1 to ${max}`);
    return n;
  };
}

/** ISO time of a wall-clock ms value; null for 0 (never). */
function isoOf(ms: string | number): string | null {
  const n = typeof ms === 'number' ? ms : u64Number(ms);
  return n === 0 ? null : new Date(n).toISOString();
}

export interface PassDocument {
  readonly scanned: number;
  readonly total: number;
  readonly badSlots: { readonly missing: number; readonly corrupt: number; readonly device: number; readonly unreachable: number };
  readonly underProtected: number;
  readonly repairsQueued: number;
  readonly repaired: number;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export function passDocument(p: PlacementScrubPass__Output): PassDocument {
  return {
    scanned: u64Number(p.scanned),
    total: u64Number(p.total),
    badSlots: { missing: u64Number(p.missing), corrupt: u64Number(p.corrupt), device: u64Number(p.badDevice), unreachable: u64Number(p.unreachable) },
    underProtected: u64Number(p.underProtected),
    repairsQueued: u64Number(p.queued),
    repaired: u64Number(p.repaired),
    startedAt: isoOf(p.startedMs),
    finishedAt: isoOf(p.finishedMs),
  };
}

function badSlotTotal(p: PassDocument): number {
  return p.badSlots.missing + p.badSlots.corrupt + p.badSlots.device + p.badSlots.unreachable;
}

/** The pass as one table of `key value` lines. */
function passLines(p: PassDocument): Record<string, unknown> {
  return {
    scanned: `${p.scanned}/${p.total}`,
    missing: p.badSlots.missing,
    corrupt: p.badSlots.corrupt,
    badDevice: p.badSlots.device,
    unreachable: p.badSlots.unreachable,
    underProtected: p.underProtected,
    repairsQueued: p.repairsQueued,
    repaired: p.repaired,
    startedAt: p.startedAt,
    finishedAt: p.finishedAt,
  };
}

/** One line for people: "full (last placement scrub pass finished …: no bad slot)" and the like. */
export function redundancyLine(redundancy: string, last: PassDocument | null, repairs?: { readonly queued: number; readonly running: number }): string {
  const found =
    last === null
      ? 'no placement scrub pass finished yet'
      : `last placement scrub pass finished ${last.finishedAt ?? '-'}: ${badSlotTotal(last) === 0 ? 'no bad slot' : `bad slots ${last.badSlots.missing} missing, ${last.badSlots.corrupt} corrupt, ${last.badSlots.device} on a bad device, ${last.badSlots.unreachable} unreachable`}, ${last.underProtected} under-protected`;
  const queue = repairs !== undefined && repairs.queued + repairs.running > 0 ? `; repairs ${repairs.queued} queued, ${repairs.running} running` : '';
  return `${redundancy} (${found}${queue})`;
}

export function placementDocument(s: PlacementScrubStatus__Output | null): { running: boolean; passes: number; current: PassDocument | null; last: PassDocument | null } {
  return {
    running: s?.running ?? false,
    passes: s === null ? 0 : u64Number(s.passes),
    current: s?.current ? passDocument(s.current) : null,
    last: s?.last ? passDocument(s.last) : null,
  };
}

export function historyRows(history: readonly RepairRecord__Output[]): Array<Record<string, unknown>> {
  return history.map((h) => ({
    at: isoOf(h.atMs),
    chunk: h.chunk,
    reason: h.reason,
    outcome: h.outcome,
    durationMs: u64Number(h.durationMs),
    shards: h.moved.length,
    moved: h.moved.map((m) => ({ shardIndex: m.shardIndex, from: m.from, to: m.to, rebuilt: m.rebuilt })),
  }));
}

/** For the history table: "0 n1/d1→n3/d2 rebuilt; 4 …". */
function movedText(moved: ReadonlyArray<{ shardIndex: number; from: string; to: string; rebuilt: boolean }>): string {
  return moved.map((m) => `${m.shardIndex} ${m.from}→${m.to}${m.rebuilt ? ' rebuilt' : ' copied'}`).join('; ');
}

export function statusDocument(s: MaintenanceStatusResponse__Output): Record<string, unknown> {
  const r = s.repairs;
  const re = s.reencryption;
  const d = s.deviceScrub;
  return {
    answeredBy: s.nodeId,
    redundancy: s.redundancy,
    placementScrub: placementDocument(s.placementScrub),
    repairs: {
      queued: r?.queued ?? 0,
      running: r?.running ?? 0,
      shardsMoved: r === null ? 0 : u64Number(r.shardsMoved),
      counts: (r?.counts ?? []).map((c) => ({ reason: c.reason, outcome: c.outcome, count: u64Number(c.count) })),
    },
    evacuations: s.evacuations.map((e) => ({ node: e.nodeId, device: e.deviceId, state: e.state, remaining: u64Number(e.remaining), done: e.done })),
    reencryption:
      re === null || !re.available
        ? { available: false }
        : {
            available: true,
            targetEpoch: u64Number(re.targetEpoch),
            remaining: re.remaining.map((e) => ({ epoch: u64Number(e.epoch), chunks: u64Number(e.chunks) })),
            rewritten: u64Number(re.rewritten),
            failed: u64Number(re.failed),
            deferred: u64Number(re.deferred),
          },
    deviceScrub:
      d === null
        ? null
        : { node: d.nodeId, state: d.state, badRecords: u64Number(d.badRecords), quarantined: u64Number(d.quarantined), rounds: u64Number(d.rounds), bytesScanned: u64Number(d.bytesScanned) },
  };
}

export function compactionRows(list: readonly TenantCompaction__Output[]): Array<Record<string, unknown>> {
  return list.map((c) => ({ tenant: c.tenant, index: u64Number(c.index), at: isoOf(c.timeMs), dropped: u64Number(c.dropped), released: u64Number(c.released) }));
}
const COMPACTION_COLUMNS = ['tenant', 'index', 'at', 'dropped', 'released'];


/**
 * Follows the placement scrub pass that started at `startedMs` (or later)
 * and then the repair queue until it is empty. A new leader starts no pass
 * for an interval: the pass is asked for again there.
 */
async function waitForScrub(admin: NodeAdmin, first: StartScrubResponse__Output, progress: WorkProgress, deadline: number): Promise<MaintenanceStatusResponse__Output> {
  let leader = first.nodeId;
  let since = u64Number(first.placementScrub?.current?.startedMs ?? first.placementScrub?.last?.startedMs ?? '0');
  for (;;) {
    const s = await maintenanceStatus(admin);
    if (s.nodeId !== leader) {
      // Leadership moved: the new leader's pass is the one to follow.
      const again = await admin.call<StartScrubResponse__Output>((c, o, cb) => c.StartScrub({}, o, cb));
      leader = again.nodeId;
      since = u64Number(again.placementScrub?.current?.startedMs ?? '0');
      continue;
    }
    const scrub = s.placementScrub;
    const last = scrub?.last;
    const passDone = last !== undefined && last !== null && u64Number(last.startedMs) >= since;
    const queued = s.repairs?.queued ?? 0;
    const running = s.repairs?.running ?? 0;
    if (passDone && queued + running === 0) return s;
    if (!passDone) {
      const current = scrub?.current;
      const doc = current ? passDocument(current) : undefined;
      progress.update({ phase: 'placement scrub', done: doc?.scanned ?? 0, ...(doc !== undefined ? { total: doc.total } : {}), unit: 'chunks', note: doc === undefined ? '' : `${badSlotTotal(doc)} bad slots` });
    } else {
      const queuedByPass = u64Number(last.queued);
      progress.update({ phase: 'repairs', done: u64Number(last.repaired), total: queuedByPass, unit: 'committed', note: `${queued} queued, ${running} running` });
    }
    if (Date.now() > deadline) throw new TesseraError(ErrorCodes.RAFT_TIMEOUT, 'the scrub did not finish before --timeout (it goes on; see `tessera scrub status`)');
    await sleep(WAIT_POLL_MS);
  }
}

function registerScrub(program: Command, ctx: Context): void {
  const scrub = program
    .command('scrub')
    .description('placement scrub (every slot of every chunk, on the metadata leader) and device scrub (every record on a node)')
    .addHelpText('after', examples(['tessera scrub start --wait', 'tessera scrub status', 'tessera -o json scrub status']));
  withNodeAdminConnection(
    scrub
      .command('start')
      .description('start a placement scrub pass now (or follow the one running); damage found is queued for repair')
      .option('--wait', 'follow the pass and the repairs it queued to the end, then print what it found')
      .option('--timeout <seconds>', 'with --wait: give up waiting after this long (the scrub goes on)', positiveInt('--timeout', 7 * 24 * 3600), DEFAULT_WAIT_TIMEOUT_S)
      .option('--device', "also wake the answering node's device scrub (re-reads every shard record at the configured rate)")
      .option('--device-only', 'only the device scrub of the node answering (name it with a single --endpoint); no placement pass'),
  )
    .addHelpText('after', examples(['tessera scrub start --wait', 'tessera scrub start --device-only --endpoint 10.0.0.12:7101']))
    .action(async (opts: NodeAdminOptions & { wait?: boolean; timeout: number; device?: boolean; deviceOnly?: boolean }, cmd: Command) => {
      if (opts.deviceOnly === true && opts.wait === true) throw new TesseraError(ErrorCodes.CLI_USAGE, '--wait follows a placement scrub pass: not with --device-only');
      const format = outputOf(cmd);
      await withNodeAdmin(opts, async (admin) => {
        const started = await admin.call<StartScrubResponse__Output>((c, o, cb) => c.StartScrub({ device: opts.device === true, deviceOnly: opts.deviceOnly === true }, o, cb));
        const head = { answeredBy: started.nodeId, placement: started.placement || null, device: started.device || null };
        if (opts.wait !== true) {
          const current = started.placementScrub?.current;
          const doc = { ...head, pass: current ? passDocument(current) : null };
          if (format === 'json') ctx.io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
          else ctx.io.stdout.write(formatTable('scrub', { ...head, passStartedAt: doc.pass?.startedAt ?? null, chunks: doc.pass?.total ?? null }));
          return;
        }
        const progress = new WorkProgress(ctx.io.stderr, stderrIsTty(ctx.io));
        let end: MaintenanceStatusResponse__Output;
        try {
          end = await waitForScrub(admin, started, progress, Date.now() + opts.timeout * 1000);
        } finally {
          progress.finish();
        }
        const last = end.placementScrub?.last ? passDocument(end.placementScrub.last) : null;
        const doc = { ...head, answeredBy: end.nodeId, redundancy: end.redundancy, pass: last, repairs: { queued: end.repairs?.queued ?? 0, running: end.repairs?.running ?? 0 } };
        if (format === 'json') {
          ctx.io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
          return;
        }
        ctx.io.stdout.write(formatTable('placement scrub pass', { answeredBy: end.nodeId, ...(last !== null ? passLines(last) : {}) }));
        ctx.io.stdout.write(formatTable('cluster', { redundancy: redundancyLine(end.redundancy, last) }));
      });
    });
  withNodeAdminConnection(scrub.command('status').description('the pass under way and the last one, device scrub, evacuations, re-encryption, redundancy'))
    .addHelpText('after', examples(['tessera scrub status', 'tessera -o json scrub status']))
    .action(async (opts: NodeAdminOptions, cmd: Command) => {
      const s = await withNodeAdmin(opts, maintenanceStatus);
      const doc = statusDocument(s);
      if (outputOf(cmd) === 'json') {
        ctx.io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
        return;
      }
      const placement = placementDocument(s.placementScrub);
      ctx.io.stdout.write(
        formatTable('placement scrub', {
          answeredBy: s.nodeId,
          redundancy: redundancyLine(s.redundancy, placement.last, { queued: s.repairs?.queued ?? 0, running: s.repairs?.running ?? 0 }),
          running: placement.running ? `yes, ${placement.current?.scanned ?? 0}/${placement.current?.total ?? 0} chunks since ${placement.current?.startedAt ?? '-'}` : 'no',
          passes: placement.passes,
        }),
      );
      if (placement.last !== null) ctx.io.stdout.write(formatTable('last pass', passLines(placement.last)));
      const device = doc['deviceScrub'] as Record<string, unknown> | null;
      if (device !== null) {
        const { node, ...rest } = device;
        ctx.io.stdout.write(formatTable(`device scrub (${String(node)})`, rest));
      }
      printRows(ctx.io, 'table', 'evacuations', 'evacuations', doc['evacuations'] as Array<Record<string, unknown>>, ['node', 'device', 'state', 'remaining', 'done']);
      const { available, remaining, ...re } = doc['reencryption'] as Record<string, unknown>;
      const left = ((remaining ?? []) as Array<{ epoch: number; chunks: number }>).map((e) => `epoch ${e.epoch}: ${e.chunks}`);
      ctx.io.stdout.write(formatTable('re-encryption', available === true ? { ...re, remaining: left } : { available: 'no (no key manager on the leader)' }));
    });
}

function registerRepair(program: Command, ctx: Context): void {
  const repair = program
    .command('repair')
    .description("the metadata leader's repair queue: what waits, what ran, how it ended")
    .addHelpText('after', examples(['tessera repair status', 'tessera repair history --limit 20', 'tessera -o json repair history']));
  withNodeAdminConnection(repair.command('status').description('repairs queued and running, finished repairs by reason and outcome, shards moved, evacuations'))
    .addHelpText('after', examples(['tessera repair status']))
    .action(async (opts: NodeAdminOptions, cmd: Command) => {
      const s = await withNodeAdmin(opts, maintenanceStatus);
      const doc = statusDocument(s);
      const repairs = doc['repairs'] as { queued: number; running: number; shardsMoved: number; counts: Array<Record<string, unknown>> };
      if (outputOf(cmd) === 'json') {
        ctx.io.stdout.write(JSON.stringify({ answeredBy: s.nodeId, redundancy: s.redundancy, ...repairs, evacuations: doc['evacuations'] }, null, 2) + '\n');
        return;
      }
      ctx.io.stdout.write(formatTable('repairs', { answeredBy: s.nodeId, queued: repairs.queued, running: repairs.running, shardsMoved: repairs.shardsMoved, redundancy: s.redundancy }));
      printRows(ctx.io, 'table', 'finished repairs', 'counts', repairs.counts, ['reason', 'outcome', 'count']);
      printRows(ctx.io, 'table', 'evacuations', 'evacuations', doc['evacuations'] as Array<Record<string, unknown>>, ['node', 'device', 'state', 'remaining', 'done']);
    });
  withNodeAdminConnection(
    repair
      .command('history')
      .description('the last repairs, oldest first: chunk (16 hex digits), reason, outcome, shards moved')
      .option('--limit <n>', 'only the last N', positiveInt('--limit', 100_000)),
  )
    .addHelpText('after', examples(['tessera repair history --limit 20', 'tessera -o json repair history']))
    .action(async (opts: NodeAdminOptions & { limit?: number }, cmd: Command) => {
      const s = await withNodeAdmin(opts, maintenanceStatus);
      const all = historyRows(s.repairs?.history ?? []);
      const rows = opts.limit === undefined ? all : all.slice(-opts.limit);
      const format = outputOf(cmd);
      if (format === 'json') {
        ctx.io.stdout.write(JSON.stringify({ answeredBy: s.nodeId, repairs: rows }, null, 2) + '\n');
        return;
      }
      const table = rows.map((r) => ({ ...r, moved: movedText(r['moved'] as Array<{ shardIndex: number; from: string; to: string; rebuilt: boolean }>) }));
      printRows(ctx.io, format, `repair history (${s.nodeId})`, 'repairs', table, ['at', 'chunk', 'reason', 'outcome', 'durationMs', 'moved']);
    });
}

function registerCompact(program: Command, ctx: Context): void {
  const compact = withNodeAdminConnection(
    program
      .command('compact')
      .description("header-only compaction now: drop superseded versions and expired tombstones, release their chunk references (GC reclaims unreferenced chunks after gcGrace)")
      .option('--tenant <tenant>', 'only this tenant (default: every tenant with something to compact)')
      .option('--wait', 'repeat until no tenant has anything left to compact (the leader compacts at most 100 tenants per call)'),
  )
    .addHelpText('after', examples(['tessera compact', 'tessera compact --tenant acme', 'tessera compact --wait', 'tessera compact status']))
    .action(async (opts: NodeAdminOptions & { tenant?: string; wait?: boolean }, cmd: Command) => {
      const format = outputOf(cmd);
      const compacted: TenantCompaction__Output[] = [];
      let remaining = 0;
      await withNodeAdmin(opts, async (admin) => {
        const progress = new WorkProgress(ctx.io.stderr, stderrIsTty(ctx.io));
        try {
          for (;;) {
            const res = await admin.call<CompactResponse__Output>((c, o, cb) => c.Compact({ tenant: opts.tenant ?? '' }, o, cb), { timeoutMs: 120_000 });
            compacted.push(...res.compacted);
            remaining = res.remaining;
            if (opts.wait !== true || remaining === 0 || res.compacted.length === 0) break;
            progress.update({ phase: 'compaction', done: compacted.length, total: compacted.length + remaining, unit: 'tenants' });
          }
        } finally {
          progress.finish();
        }
      });
      const rows = compactionRows(compacted);
      if (format === 'json') {
        ctx.io.stdout.write(JSON.stringify({ compacted: rows, remaining }, null, 2) + '\n');
        return;
      }
      printRows(ctx.io, format, 'compacted', 'compacted', rows, COMPACTION_COLUMNS);
      if (remaining > 0) ctx.io.stdout.write(`${remaining} tenant(s) still to compact: run again, or with --wait\n`);
    });
  withNodeAdminConnection(compact.command('status').description('the last compaction of each tenant (as the leader applied it since it started) and how many tenants have something to compact'))
    .addHelpText('after', examples(['tessera compact status', 'tessera -o json compact status']))
    .action(async (_opts: NodeAdminOptions, cmd: Command) => {
      // `compact` declares the same connection flags: commander gives them to it, so read both levels.
      const s = await withNodeAdmin(cmd.optsWithGlobals<NodeAdminOptions>(), maintenanceStatus);
      const rows = compactionRows(s.compaction?.last ?? []);
      const pendingTenants = s.compaction?.pendingTenants ?? 0;
      if (outputOf(cmd) === 'json') {
        ctx.io.stdout.write(JSON.stringify({ answeredBy: s.nodeId, pendingTenants, last: rows }, null, 2) + '\n');
        return;
      }
      ctx.io.stdout.write(formatTable('compaction', { answeredBy: s.nodeId, pendingTenants }));
      printRows(ctx.io, 'table', 'last compaction per tenant', 'last', rows, COMPACTION_COLUMNS);
    });
}

function registerReencrypt(program: Command, ctx: Context): void {
  const reencrypt = program
    .command('reencrypt')
    .description('re-encryption of old chunks after a system-epoch rotation (on the metadata leader, at maintenance.reencryptChunksPerSec)')
    .addHelpText('after', examples(['tessera reencrypt status', 'tessera reencrypt status --wait']));
  withNodeAdminConnection(
    reencrypt
      .command('status')
      .description('the epoch chunks move to, live chunks still under each older epoch, rewrites done and failed')
      .option('--wait', 'follow re-encryption until no live chunk is sealed under an older epoch')
      .option('--timeout <seconds>', 'with --wait: give up waiting after this long (re-encryption goes on)', positiveInt('--timeout', 7 * 24 * 3600), DEFAULT_WAIT_TIMEOUT_S),
  )
    .addHelpText('after', examples(['tessera reencrypt status', 'tessera keymanager rotate-system-epoch && tessera reencrypt status --wait']))
    .action(async (opts: NodeAdminOptions & { wait?: boolean; timeout: number }, cmd: Command) => {
      const s = await withNodeAdmin(opts, async (admin) => {
        if (opts.wait !== true) return maintenanceStatus(admin);
        const progress = new WorkProgress(ctx.io.stderr, stderrIsTty(ctx.io));
        try {
          return await waitForReencryption(admin, progress, Date.now() + opts.timeout * 1000);
        } finally {
          progress.finish();
        }
      });
      const re = s.reencryption;
      const doc = {
        answeredBy: s.nodeId,
        available: re?.available ?? false,
        targetEpoch: u64Number(re?.targetEpoch ?? '0'),
        remaining: Object.fromEntries((re?.remaining ?? []).map((e) => [String(u64Number(e.epoch)), u64Number(e.chunks)])),
        rewritten: u64Number(re?.rewritten ?? '0'),
        failed: u64Number(re?.failed ?? '0'),
        deferred: u64Number(re?.deferred ?? '0'),
      };
      if (outputOf(cmd) === 'json') {
        ctx.io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
        return;
      }
      const left = Object.entries(doc.remaining).map(([epoch, n]) => `${n} under epoch ${epoch}`).join(', ') || 'none';
      ctx.io.stdout.write(formatTable('re-encryption', { answeredBy: doc.answeredBy, available: doc.available, targetEpoch: doc.targetEpoch, remaining: left, rewritten: doc.rewritten, failed: doc.failed, deferred: doc.deferred }));
    });
}

export function registerMaintenanceCommands(program: Command, ctx: Context): void {
  registerScrub(program, ctx);
  registerRepair(program, ctx);
  registerCompact(program, ctx);
  registerReencrypt(program, ctx);
}
