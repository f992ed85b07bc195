/** A membership change under load: a spare node joins (learner, caught up, promoted) while clients run. */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { waitRecovered } from './targets.js';
import type { Nemesis } from './types.js';

export function addNodeNemesis(): Nemesis {
  return {
    name: 'membership',
    action: 'add-node',
    async run(ctx) {
      const started = new Set(ctx.cluster.nodeIds());
      const spare = ctx.cluster.spareIds.find((id) => !started.has(id));
      if (spare === undefined) throw new TesseraError(ErrorCodes.CHAOS_RUN, 'no spare node id left to add');
      const window = ctx.faults.begin('membership', 'add-node', [spare], 'join: learner, caught up, promoted to voter');
      await ctx.cluster.join(spare);
      await waitRecovered(ctx);
      ctx.faults.end(window);
    },
  };
}
