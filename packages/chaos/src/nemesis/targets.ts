/** Choosing a fault's target among the running nodes: the current leader, a follower, or any. */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { NemesisContext } from './types.js';
import { pick } from './types.js';

export type TargetRole = 'leader' | 'follower' | 'any';

export async function chooseNode(ctx: NemesisContext, role: TargetRole): Promise<string> {
  const running = ctx.cluster.runningIds().filter((id) => ctx.cluster.node(id).state === 'running');
  if (running.length === 0) throw new TesseraError(ErrorCodes.CHAOS_RUN, 'no running node to target');
  if (role === 'any') return pick(ctx.random, running);
  const leader = await ctx.cluster.waitForLeader({ timeoutMs: 30_000 }).catch(() => undefined);
  if (role === 'leader') return leader ?? pick(ctx.random, running);
  const followers = running.filter((id) => id !== leader);
  return pick(ctx.random, followers.length > 0 ? followers : running);
}

/** After a heal: a leader every running node follows, and every running node ready for data. */
export async function waitRecovered(ctx: NemesisContext, timeoutMs = 60_000): Promise<void> {
  await ctx.cluster.waitForLeader({ timeoutMs });
  await ctx.cluster.waitReady(timeoutMs);
}
