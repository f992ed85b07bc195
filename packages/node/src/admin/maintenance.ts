/**
 * Maintenance methods of `tessera.v1.Admin` (issues #8/#9; cluster admins,
 * per the authorization table): MaintenanceStatus, StartScrub and Compact.
 *
 * The placement scrub, the repair queue, evacuation and re-encryption run
 * on the metadata leader only, so these methods are answered there: another
 * node answers NOT_LEADER naming the leader (clients go there, as for
 * membership changes). The one exception is StartScrub with `device_only`,
 * which wakes the answering node's own device scrub. Compaction is proposed
 * here exactly as the leader's housekeeping proposes it, and the result is
 * what the state machine committed (headers dropped, references released).
 */
import type * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { NotLeaderError, StateRole, type RaftNode } from '@tessera/raft';
import { unary } from '@tessera/transport';
import type {
  CompactRequest__Output,
  CompactResponse,
  MaintenanceStatusRequest__Output,
  MaintenanceStatusResponse,
  StartScrubRequest__Output,
  StartScrubResponse,
  TenantCompaction,
} from '@tessera/wire';
import type { MetadataCommand } from '../metadata/commands.js';
import type { MetadataMachine, MetadataResult } from '../metadata/machine.js';
import {
  compactionStatusToWire,
  compactionToWire,
  deviceScrubToWire,
  evacuationsToWire,
  placementScrubToWire,
  reencryptionToWire,
  redundancyOf,
  repairsToWire,
  type MaintenanceControl,
} from './maintenance-wire.js';

/** Tenants one Compact call compacts at most (the caller repeats while `remaining` > 0). */
export const COMPACT_BATCH = 100;

export interface MaintenanceAdminView {
  readonly localNodeId: string;
  readonly machine: Pick<MetadataMachine, 'tenant' | 'compactionCandidates' | 'lastCompactions'>;
  readonly raft: Pick<RaftNode<unknown>, 'status'>;
  readBarrier(): Promise<void>;
  propose(command: MetadataCommand): Promise<MetadataResult>;
  /** The node's Maintenance, once started (undefined before). */
  maintenance(): MaintenanceControl | undefined;
  /** The tombstone TTL housekeeping compacts with (node config). */
  readonly tombstoneTtlMs: number;
  clock(): number;
}

export interface MaintenanceHandlers {
  readonly MaintenanceStatus: grpc.handleUnaryCall<MaintenanceStatusRequest__Output, MaintenanceStatusResponse>;
  readonly StartScrub: grpc.handleUnaryCall<StartScrubRequest__Output, StartScrubResponse>;
  readonly Compact: grpc.handleUnaryCall<CompactRequest__Output, CompactResponse>;
}

export function maintenanceHandlers(view: MaintenanceAdminView): MaintenanceHandlers {
  const requireLeader = (): void => {
    const s = view.raft.status();
    if (s.role !== StateRole.Leader) throw new NotLeaderError(s.lead === '' ? undefined : s.lead);
  };
  const started = (): MaintenanceControl => {
    const m = view.maintenance();
    if (m === undefined) throw new TesseraError(ErrorCodes.INTERNAL, 'maintenance has not started on this node yet', { retriable: true });
    return m;
  };
  const candidates = (tenant: string): ReturnType<MaintenanceAdminView['machine']['compactionCandidates']> => {
    const all = view.machine.compactionCandidates(Number.MAX_SAFE_INTEGER, view.tombstoneTtlMs);
    return tenant === '' ? all : all.filter((c) => c.tenant === tenant);
  };

  return {
    MaintenanceStatus: unary<MaintenanceStatusRequest__Output, MaintenanceStatusResponse>(async () => {
      requireLeader();
      const m = started();
      await view.readBarrier();
      const repairs = repairsToWire(m.queue);
      return {
        nodeId: view.localNodeId,
        placementScrub: placementScrubToWire(m.placementScrub),
        repairs,
        evacuations: evacuationsToWire(m.evacuator.status()),
        reencryption: reencryptionToWire(m.reencrypter?.progress()),
        deviceScrub: deviceScrubToWire(view.localNodeId, m.deviceScrubState(), m.deviceScrubber.status()),
        compaction: compactionStatusToWire(view.machine.lastCompactions(), candidates('').length),
        redundancy: redundancyOf(m.placementScrub.lastPass(), { queued: m.queue.length, running: m.queue.active }),
      };
    }),
    StartScrub: unary<StartScrubRequest__Output, StartScrubResponse>(async (req) => {
      if (!req.deviceOnly) requireLeader();
      const m = started();
      let placement = '';
      if (!req.deviceOnly) {
        // The pass counts the live records as of now: read them at a barrier first.
        await view.readBarrier();
        placement = m.startPlacementScrub() ? 'started' : 'running';
      }
      const device = req.device || req.deviceOnly ? m.startDeviceScrub() : '';
      return { nodeId: view.localNodeId, placement, device, placementScrub: placementScrubToWire(m.placementScrub) };
    }),
    Compact: unary<CompactRequest__Output, CompactResponse>(async (req) => {
      requireLeader();
      await view.readBarrier();
      if (req.tenant !== '' && view.machine.tenant(req.tenant) === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'unknown tenant');
      const due = candidates(req.tenant);
      const compacted: TenantCompaction[] = [];
      for (const c of due.slice(0, COMPACT_BATCH)) {
        const result = await view.propose({ op: 'compact', timeMs: view.clock(), tenant: c.tenant, upToSeq: c.upToSeq, tombstoneTtlMs: view.tombstoneTtlMs });
        if (result.kind === 'error') {
          // A tenant purged meanwhile has nothing left to compact; anything else is the answer.
          if (result.code === ErrorCodes.NOT_FOUND) continue;
          throw new TesseraError(result.code, 'compaction refused', { retriable: result.retriable });
        }
        if (result.kind !== 'compacted') throw new TesseraError(ErrorCodes.INTERNAL, 'compaction answered by another command');
        compacted.push(compactionToWire(c.tenant, { index: result.index, leaderTimeMs: result.leaderTimeMs, dropped: result.dropped, released: result.released }));
      }
      return { compacted, remaining: Math.max(0, due.length - COMPACT_BATCH) };
    }),
  };
}
