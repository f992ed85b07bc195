/**
 * Automatic down-out (issue #8; Ceph's mon_osd_down_out_interval): a storage
 * node the metadata leader has not heard from for `downOutAfterMs` in a row
 * is taken to be gone for good, and its healthy and degraded devices are
 * marked `failed` in the committed table. Placement then stops choosing
 * them and evacuation/repair rebuild their shards on the other nodes, so a
 * dead node does not cost redundancy for longer than that.
 *
 * Reachability is the leader's Raft view (a member counts as reachable while
 * the leader has heard from it within the last election timeout, as
 * ClusterStatus reports it), sampled every turn: one slow call proves
 * nothing, a whole interval of silence does. A node in the node table that
 * is no Raft member any more is never heard from, so it counts as
 * unreachable too.
 *
 * Never down-out the leader itself, and never a node whose departure would
 * leave a pool with fewer nodes holding healthy devices than the profile
 * needs (minNodesFor(k, m)): there repair could not restore full redundancy
 * anyway, and the node may yet come back.
 *
 * This file is pure (a virtual clock drives it in tests); the shell is in
 * Maintenance.downOutTurn.
 */
import { minNodesFor } from '@tessera/storage';
import type { DeviceRecord, DeviceState } from '../metadata/types.js';

/** Device states a down-out moves to `failed`. */
const DOWN_OUT_FROM: ReadonlySet<DeviceState> = new Set(['healthy', 'degraded']);

/** Since when each node has been continuously unreachable from this leader. */
export class UnreachableSince {
  private readonly since = new Map<string, number>();

  /** Records one sample of the leader's view; nodes no longer listed are forgotten. */
  observe(now: number, nodeIds: Iterable<string>, reachable: (nodeId: string) => boolean): void {
    const listed = new Set(nodeIds);
    for (const id of [...this.since.keys()]) if (!listed.has(id)) this.since.delete(id);
    for (const id of listed) {
      if (reachable(id)) this.since.delete(id);
      else if (!this.since.has(id)) this.since.set(id, now);
    }
  }

  /** A new leader (or a follower) starts from nothing: it has no history of its own. */
  reset(): void {
    this.since.clear();
  }

  get(nodeId: string): number | undefined {
    return this.since.get(nodeId);
  }
}

export interface DownOutInput {
  readonly now: number;
  /** The metadata leader (this node): never downed out. */
  readonly leaderId: string;
  /** 0 disables down-out. */
  readonly afterMs: number;
  readonly k: number;
  readonly m: number;
  readonly devices: readonly Pick<DeviceRecord, 'nodeId' | 'deviceId' | 'pool' | 'state'>[];
  readonly unreachableSince: (nodeId: string) => number | undefined;
}

export interface DownOut {
  readonly nodeId: string;
  /** Its healthy and degraded devices, to be marked failed. */
  readonly deviceIds: readonly string[];
  readonly unreachableMs: number;
}

export interface DownOutHeld {
  readonly nodeId: string;
  /** The pool that would be left with too few nodes. */
  readonly pool: string;
  readonly nodesLeft: number;
  readonly nodesNeeded: number;
}

export interface DownOutDecision {
  readonly downOut: readonly DownOut[];
  /** Nodes unreachable long enough but kept: their departure would leave a pool too small. */
  readonly held: readonly DownOutHeld[];
}

export function decideDownOut(input: DownOutInput): DownOutDecision {
  if (input.afterMs <= 0) return { downOut: [], held: [] };
  const needed = minNodesFor(input.k, input.m);
  // Pool -> nodes with a healthy device there; shrinks as this turn downs nodes out.
  const healthyNodes = new Map<string, Set<string>>();
  const candidates = new Map<string, string[]>();
  for (const d of input.devices) {
    if (d.state === 'healthy') {
      const set = healthyNodes.get(d.pool) ?? new Set<string>();
      set.add(d.nodeId);
      healthyNodes.set(d.pool, set);
    }
    if (DOWN_OUT_FROM.has(d.state) && d.nodeId !== input.leaderId) candidates.set(d.nodeId, [...(candidates.get(d.nodeId) ?? []), d.deviceId]);
  }
  const due = [...candidates.keys()]
    .flatMap((nodeId) => {
      const since = input.unreachableSince(nodeId);
      return since !== undefined && input.now - since >= input.afterMs ? [{ nodeId, unreachableMs: input.now - since }] : [];
    })
    // The longest silent first (then by id), so that when pools are tight the choice is stable.
    .sort((a, b) => b.unreachableMs - a.unreachableMs || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));

  const downOut: DownOut[] = [];
  const held: DownOutHeld[] = [];
  for (const { nodeId, unreachableMs } of due) {
    const tooSmall = [...healthyNodes].find(([, nodes]) => nodes.has(nodeId) && nodes.size - 1 < needed);
    if (tooSmall !== undefined) {
      held.push({ nodeId, pool: tooSmall[0], nodesLeft: tooSmall[1].size - 1, nodesNeeded: needed });
      continue;
    }
    for (const nodes of healthyNodes.values()) nodes.delete(nodeId);
    downOut.push({ nodeId, deviceIds: [...(candidates.get(nodeId) ?? [])].sort(), unreachableMs });
  }
  return { downOut, held };
}
