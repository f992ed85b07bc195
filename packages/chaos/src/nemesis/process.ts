/**
 * Process faults: kill -9 and restart, SIGSTOP/SIGCONT for longer than the
 * election timeout, rolling restarts, and power loss (SIGUSR2 under
 * TESSERA_CRASHSIM=1: the node drops every write not covered by a completed
 * sync, then kills itself).
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { MAX_ELECTION_TIMEOUT_MS } from '../cluster/args.js';
import { WriteThrottle } from './blkio.js';
import { chooseNode, waitRecovered, type TargetRole } from './targets.js';
import type { Nemesis, NemesisContext } from './types.js';

export function killNemesis(role: TargetRole, holdMs: number): Nemesis {
  return {
    name: 'kill',
    action: `kill-${role}`,
    async run(ctx) {
      const id = await chooseNode(ctx, role);
      const window = ctx.faults.begin('kill', `kill-${role}`, [id], 'SIGKILL, then restart');
      await ctx.cluster.launcher.kill(id, 'SIGKILL');
      await ctx.hold(holdMs);
      await ctx.cluster.restart(id);
      ctx.faults.end(window);
      await waitRecovered(ctx);
    },
  };
}

export function pauseNemesis(role: TargetRole, holdMs: number): Nemesis {
  return {
    name: 'pause',
    action: `pause-${role}`,
    async run(ctx) {
      const id = await chooseNode(ctx, role);
      // Longer than any election timeout, so the others elect a new leader meanwhile.
      const pauseMs = Math.max(holdMs, 2 * MAX_ELECTION_TIMEOUT_MS + 500);
      const window = ctx.faults.begin('pause', `pause-${role}`, [id], `SIGSTOP for ${pauseMs} ms, then SIGCONT`);
      ctx.cluster.node(id).pause();
      try {
        await ctx.hold(pauseMs);
      } finally {
        ctx.cluster.node(id).resume();
      }
      ctx.faults.end(window);
      await waitRecovered(ctx);
    },
  };
}

/** Restarts every node, one after another (SIGTERM, start again, wait until ready). */
export function rollingRestartNemesis(): Nemesis {
  return {
    name: 'rolling',
    action: 'rolling-restart',
    async run(ctx) {
      const ids = ctx.cluster.runningIds();
      const window = ctx.faults.begin('rolling', 'rolling-restart', ids, 'SIGTERM and restart each node in turn');
      for (const id of ids) {
        await ctx.cluster.launcher.stop(id, 10_000);
        await ctx.cluster.restart(id);
        await waitRecovered(ctx);
      }
      ctx.faults.end(window);
    },
  };
}

async function powerOff(ctx: NemesisContext, id: string): Promise<void> {
  const node = ctx.cluster.node(id);
  node.signal('SIGUSR2');
  const exit = await node.exited();
  const records = await node.logRecords();
  const simulated = records.findLast((r) => r['msg'] === 'simulating power loss')?.['crashSim'] === true;
  if (exit.signal !== 'SIGKILL' || !simulated) {
    throw new TesseraError(ErrorCodes.CHAOS_RUN, `${id} did not simulate a power loss (exit ${exit.signal ?? String(exit.code)}); is TESSERA_CRASHSIM=1 set?`);
  }
}

export interface PowerLossOptions {
  /**
   * First slow the targets' disks for this long (write IOPS capped through a
   * cgroup), then cut the power while they are still slow: a disk that
   * takes its time to sync widens the window in which a write not yet
   * synced could have been acknowledged.
   */
  readonly slowDiskFirstMs?: number;
  readonly slowDiskWriteIops?: number;
}

/** Power loss of one node (`one`, a role) or of every running node at once (`all`). */
export function powerLossNemesis(scope: TargetRole | 'all', holdMs: number, options: PowerLossOptions = {}): Nemesis {
  const slow = options.slowDiskFirstMs !== undefined;
  return {
    name: 'powerloss',
    action: `powerloss-${scope}${slow ? '-slow-disk' : ''}`,
    async run(ctx) {
      if (!ctx.crashSim) throw new TesseraError(ErrorCodes.CHAOS_RUN, 'power loss needs TESSERA_CRASHSIM=1 on every process');
      const ids = scope === 'all' ? ctx.cluster.runningIds() : [await chooseNode(ctx, scope)];
      const detail = `${slow ? `disk writes capped at ${options.slowDiskWriteIops ?? 20}/s for ${options.slowDiskFirstMs} ms, then ` : ''}SIGUSR2 (drop un-synced writes, SIGKILL), then restart`;
      const window = ctx.faults.begin('powerloss', `powerloss-${scope}${slow ? '-slow-disk' : ''}`, ids, detail);
      const throttles: WriteThrottle[] = [];
      try {
        if (slow) {
          for (const id of ids) {
            const node = ctx.cluster.node(id);
            const throttle = await WriteThrottle.create(`tessera-chaos-${process.pid}-${id}`, node.dataDir, options.slowDiskWriteIops ?? 20);
            throttles.push(throttle);
            await throttle.add(node.pid!);
          }
          await ctx.hold(options.slowDiskFirstMs!);
        }
        await Promise.all(ids.map((id) => powerOff(ctx, id)));
      } finally {
        for (const t of throttles) await t.remove();
      }
      await ctx.hold(holdMs);
      // All at once, as after a real outage (and a restarting node needs a quorum to catch up).
      await Promise.all(ids.map((id) => ctx.cluster.restart(id)));
      ctx.faults.end(window);
      await waitRecovered(ctx);
    },
  };
}
