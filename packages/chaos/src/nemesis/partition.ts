/**
 * Network faults through the proxy mesh: a minority cut off from the
 * majority, the leader isolated, an asymmetric cut (one node's messages to
 * another are lost while the reverse direction works), a bridge (two halves
 * that only one node connects), and the key manager cut off from the nodes.
 */
import { chooseNode, waitRecovered } from './targets.js';
import type { Nemesis, NemesisContext } from './types.js';

export type PartitionKind = 'minority' | 'isolate-leader' | 'asymmetric' | 'bridge';

function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function inject(ctx: NemesisContext, kind: PartitionKind): Promise<{ targets: string[]; detail: string }> {
  const { mesh } = ctx.cluster;
  const members = ctx.cluster.nodeIds();
  switch (kind) {
    case 'minority': {
      const order = shuffled(ctx.random, members);
      const minority = order.slice(0, Math.floor((members.length - 1) / 2));
      const majority = order.slice(minority.length);
      mesh.partition([minority, majority]);
      return { targets: minority, detail: `minority [${minority.join(',')}] | majority [${majority.join(',')}]` };
    }
    case 'isolate-leader': {
      const leader = await chooseNode(ctx, 'leader');
      mesh.isolate(leader);
      return { targets: [leader], detail: `leader ${leader} cut off from every node` };
    }
    case 'asymmetric': {
      const leader = await chooseNode(ctx, 'leader');
      const others = members.filter((id) => id !== leader);
      // The leader's messages to everyone else are lost; theirs still reach it.
      for (const id of others) mesh.blockMessages(leader, id);
      return { targets: [leader], detail: `messages from leader ${leader} to [${others.join(',')}] dropped; the reverse direction works` };
    }
    case 'bridge': {
      const leader = await chooseNode(ctx, 'leader');
      const others = shuffled(ctx.random, members.filter((id) => id !== leader));
      const bridge = others[0]!;
      const far = others.slice(1);
      mesh.partition([[leader], far]);
      return { targets: [leader, ...far], detail: `leader ${leader} and [${far.join(',')}] cut apart; ${bridge} reaches both` };
    }
  }
}

export function partitionNemesis(kind: PartitionKind, holdMs: number): Nemesis {
  return {
    name: 'partition',
    action: kind,
    async run(ctx) {
      const { targets, detail } = await inject(ctx, kind);
      const window = ctx.faults.begin('partition', kind, targets, detail);
      try {
        await ctx.hold(holdMs);
      } finally {
        ctx.cluster.mesh.heal();
      }
      ctx.faults.end(window);
      await waitRecovered(ctx);
    },
  };
}

/** The key manager killed (then restarted) or cut off from every node (then healed). */
export function keyManagerNemesis(mode: 'kill' | 'cut', holdMs: number): Nemesis {
  return {
    name: 'km',
    action: `km-${mode}`,
    async run(ctx) {
      const proxies = [...ctx.cluster.kmProxies.values()];
      const window = ctx.faults.begin('km', `km-${mode}`, ['km1'], mode === 'kill' ? 'SIGKILL, then restart' : 'every node -> key manager link cut');
      if (mode === 'kill') {
        await ctx.cluster.killKeyManager();
        await ctx.hold(holdMs);
        await ctx.cluster.restartKeyManager();
      } else {
        for (const p of proxies) p.cut('both');
        try {
          await ctx.hold(holdMs);
        } finally {
          for (const p of proxies) p.heal();
        }
      }
      ctx.faults.end(window);
      await waitRecovered(ctx);
    },
  };
}
