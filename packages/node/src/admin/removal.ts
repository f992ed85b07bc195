/**
 * Membership safety rules of Admin RemoveMember on a storage node (issue #9,
 * DESIGN section 7): a member is not removed while the committed chunk table
 * still places a current shard of a live chunk on one of its devices (drain
 * it first: evacuate, or mark its devices failed and let repair move the
 * shards), nor when removing it would leave fewer than three voters. Both
 * give way to `force`, and a forced removal names what it overrode, so the
 * decision can be logged and audited.
 *
 * `judgeRemoval` is the pure rule; `removalGuard` is the `beforeRemove` hook
 * the node mounts in the membership handlers (it runs on the leader after a
 * ReadIndex, so the chunk table it counts is current).
 */
import { ErrorCodes, TesseraError, type ErrorCode, type Logger } from '@tessera/common';
import type { CallWithAuthContext, MemberRemoval, Principal } from '@tessera/transport';
import type { MetadataProposer } from '../data/proposer.js';
import type { MetadataMachine } from '../metadata/machine.js';
import type { DeviceState } from '../metadata/types.js';

/** Fewer voters than this tolerate no failure (two) or are a single point of failure (one). */
export const MIN_SAFE_VOTERS = 3;

export type RemovalRule = 'node-holds-shards' | 'too-few-voters';

export interface RemovalFacts {
  readonly force: boolean;
  readonly voter: boolean;
  readonly votersAfter: number;
  /** Live chunks with a current shard on the member's devices (counted up to a limit). */
  readonly chunksOnNode: number;
}

export type RemovalDecision =
  | { readonly kind: 'refused'; readonly code: ErrorCode; readonly message: string }
  /** `overridden` lists the rules `force` set aside (empty for an unforced or harmless removal). */
  | { readonly kind: 'allowed'; readonly overridden: readonly RemovalRule[] };

export function judgeRemoval(facts: RemovalFacts): RemovalDecision {
  const broken: RemovalRule[] = [];
  if (facts.chunksOnNode > 0) broken.push('node-holds-shards');
  if (facts.voter && facts.votersAfter < MIN_SAFE_VOTERS) broken.push('too-few-voters');
  if (broken.length === 0 || facts.force) return { kind: 'allowed', overridden: broken };
  if (broken[0] === 'node-holds-shards') {
    return {
      kind: 'refused',
      code: ErrorCodes.NODE_HOLDS_SHARDS,
      message: `the node's devices still hold current shards of ${facts.chunksOnNode} live chunk(s): evacuate them (or mark them failed and let repair finish) first, or force the removal`,
    };
  }
  return { kind: 'refused', code: ErrorCodes.TOO_FEW_VOTERS, message: `removing this voter would leave ${facts.votersAfter} voter(s), fewer than ${MIN_SAFE_VOTERS}; force it if that is intended` };
}

/** A removal that went ahead, for the log and the audit trail. */
export interface RemovalRecord {
  readonly memberId: string;
  /** The caller's SPIFFE id. */
  readonly principal: string;
  readonly forced: boolean;
  readonly overridden: readonly RemovalRule[];
}

export interface RemovalGuardDeps {
  readonly machine: Pick<MetadataMachine, 'devices' | 'chunksOnDevice'>;
  readBarrier(): Promise<void>;
  principalOf(call: CallWithAuthContext): Principal;
  readonly logger: Logger;
  /** Sees every removal the rules let through (the metadata audit chain hooks in here). */
  readonly onAllowed?: (record: RemovalRecord) => void;
}

export interface PlacementExitDeps {
  readonly machine: Pick<MetadataMachine, 'devices'>;
  readonly proposer: Pick<MetadataProposer, 'propose'>;
  readonly clock: () => number;
  readonly logger: Logger;
}

/** Device states new shards may still land on, or that still hold shards to move. */
const STILL_PLACED: ReadonlySet<DeviceState> = new Set(['healthy', 'degraded', 'evacuating']);

/**
 * After a member is removed, its devices leave placement: each one still
 * healthy, degraded or evacuating is marked failed (the committed,
 * validated SetDeviceState), so no gateway places a new shard on a node that
 * is gone and repair rebuilds whatever a forced removal left on it. Errors
 * are logged: the removal itself has committed, and the down-out of a silent
 * node does the same later.
 */
export async function takeOutOfPlacement(deps: PlacementExitDeps, nodeId: string): Promise<number> {
  let failed = 0;
  for (const device of deps.machine.devices()) {
    if (device.nodeId !== nodeId || !STILL_PLACED.has(device.state)) continue;
    const result = await deps.proposer.propose({ op: 'setDeviceState', timeMs: deps.clock(), nodeId, deviceId: device.deviceId, state: 'failed' });
    if (result.kind === 'error') deps.logger.warn('device of a removed member not taken out of placement', { member: nodeId, device: device.deviceId, errorCode: result.code });
    else failed++;
  }
  if (failed > 0) deps.logger.info('devices of a removed member marked failed', { member: nodeId, devices: failed });
  return failed;
}

/** Counting stops here: the refusal only needs to know there is at least one. */
const COUNT_LIMIT = 10_000;

/** Live chunks with a current shard on any device the committed table gives `nodeId` (up to COUNT_LIMIT). */
export function chunksOnNode(machine: RemovalGuardDeps['machine'], nodeId: string): number {
  let count = 0;
  for (const device of machine.devices()) {
    if (device.nodeId !== nodeId) continue;
    count += machine.chunksOnDevice(nodeId, device.deviceId, COUNT_LIMIT - count).length;
    if (count >= COUNT_LIMIT) break;
  }
  return count;
}

export function removalGuard(deps: RemovalGuardDeps): (removal: MemberRemoval, call: CallWithAuthContext) => Promise<void> {
  return async (removal, call) => {
    await deps.readBarrier();
    const decision = judgeRemoval({ force: removal.force, voter: removal.voter, votersAfter: removal.votersAfter, chunksOnNode: chunksOnNode(deps.machine, removal.id) });
    if (decision.kind === 'refused') throw new TesseraError(decision.code, decision.message);
    const record: RemovalRecord = { memberId: removal.id, principal: deps.principalOf(call).spiffeId, forced: removal.force, overridden: decision.overridden };
    if (decision.overridden.length > 0) {
      deps.logger.info('forced member removal: safety rules overridden', { member: record.memberId, principal: record.principal, overridden: record.overridden.join(',') });
    }
    deps.onAllowed?.(record);
  };
}
