/**
 * Maintenance metrics (DESIGN section 8; O1: no tenant label, no chunk id).
 * Registered on the node's registry by the node process. Labels are fixed
 * vocabularies (reason, outcome, problem), device ids and system epochs.
 * Placement-scrub and re-encryption figures are the metadata leader's; other
 * nodes report zeros there.
 */
import { counterFrom, gaugeFrom, type Sample } from '@tessera/transport';
import type { Registry } from 'prom-client';
import type { DeviceScrubStatus } from './device-scrub.js';
import type { EvacuationStatus } from './evacuation.js';
import type { PlacementScrubProgress } from './placement-scrub.js';
import type { ReencryptProgress } from './reencrypt.js';
import { REPAIR_OUTCOMES, REPAIR_REASONS, type RepairOutcome, type RepairReason } from './repair-queue.js';

/**
 * What the maintenance metrics read, and nothing more (a Maintenance
 * satisfies it structurally), so that a fake can drive every family — the
 * metric contract test (test/operations/metric-registries.ts) builds one.
 */
export interface MaintenanceMetricsSource {
  readonly queue: {
    count(reason: RepairReason, outcome: RepairOutcome): number;
    readonly shardsMoved: number;
    /** Repairs waiting. */
    readonly length: number;
    /** Repairs running. */
    readonly active: number;
  };
  readonly placementScrub: {
    passesCompleted(): number;
    progress(): Pick<PlacementScrubProgress, 'scanned' | 'total'>;
    lastPass(): Pick<PlacementScrubProgress, 'missing' | 'corrupt' | 'badDevice' | 'unreachable' | 'underProtected' | 'finishedAt'> | undefined;
  };
  readonly evacuator: { status(): readonly Pick<EvacuationStatus, 'nodeId' | 'deviceId' | 'remaining'>[] };
  /** Undefined without a key manager (no re-encryption). */
  readonly reencrypter: { progress(): Pick<ReencryptProgress, 'remaining' | 'rewritten' | 'failed' | 'deferred'> } | undefined;
  readonly deviceScrubber: {
    badRecordsByDevice(): ReadonlyMap<string, number>;
    status(): Pick<DeviceScrubStatus, 'quarantined' | 'rounds'>;
  };
  /** Nodes downed out as leader (down-out.ts). */
  downOutCount(): number;
}

export function registerMaintenanceMetrics(registry: Registry, maintenance: MaintenanceMetricsSource): void {
  counterFrom(registry, {
    name: 'tessera_storage_repairs_total',
    help: 'Chunk repairs this node ran as metadata leader, by reason (missing, corrupt, device, evacuate, under-protected) and outcome.',
    labelNames: ['reason', 'outcome'],
    read: () => REPAIR_REASONS.flatMap((reason) => REPAIR_OUTCOMES.map((outcome) => ({ labels: { reason, outcome }, value: maintenance.queue.count(reason, outcome) }))),
  });
  counterFrom(registry, {
    name: 'tessera_storage_shards_repaired_total',
    help: 'Shards moved by committed repairs (rebuilt from parity or copied off a vacated slot).',
    read: () => maintenance.queue.shardsMoved,
  });
  gaugeFrom(registry, { name: 'tessera_storage_repair_queue_length', help: 'Repairs waiting on the leader.', read: () => maintenance.queue.length });
  gaugeFrom(registry, { name: 'tessera_storage_repairs_running', help: 'Repairs running on the leader now.', read: () => maintenance.queue.active });
  counterFrom(registry, { name: 'tessera_storage_placement_scrub_passes_total', help: 'Placement scrub passes over the chunk table this node completed as leader.', read: () => maintenance.placementScrub.passesCompleted() });
  gaugeFrom(registry, {
    name: 'tessera_storage_placement_scrub_scanned_chunks',
    help: 'Chunk records checked by the placement scrub pass under way (or the last one).',
    read: () => maintenance.placementScrub.progress().scanned,
  });
  gaugeFrom(registry, {
    name: 'tessera_storage_placement_scrub_total_chunks',
    help: 'Live chunk records when the placement scrub pass under way (or the last one) started.',
    read: () => maintenance.placementScrub.progress().total,
  });
  gaugeFrom(registry, {
    name: 'tessera_storage_placement_scrub_bad_slots',
    help: 'Bad slots found by the last completed placement scrub pass, by problem (missing, corrupt, device, unreachable).',
    labelNames: ['problem'],
    read: () => lastPassSlots(maintenance),
  });
  gaugeFrom(registry, {
    name: 'tessera_storage_chunks_under_protected',
    help: 'Chunks with more than m shards on one node in the last completed placement scrub pass.',
    read: () => maintenance.placementScrub.lastPass()?.underProtected ?? 0,
  });
  gaugeFrom(registry, {
    name: 'tessera_storage_placement_scrub_last_pass_timestamp_seconds',
    help: 'When this node last completed a placement scrub pass as leader (0: never).',
    read: () => (maintenance.placementScrub.lastPass()?.finishedAt ?? 0) / 1000,
  });
  gaugeFrom(registry, {
    name: 'tessera_storage_evacuation_remaining_chunks',
    help: 'Live chunk records still placing a shard on each evacuating, failed or removed device.',
    labelNames: ['node', 'device'],
    read: () => maintenance.evacuator.status().map((e) => ({ labels: { node: e.nodeId, device: e.deviceId }, value: e.remaining })),
  });
  counterFrom(registry, {
    name: 'tessera_storage_nodes_down_out_total',
    help: 'Storage nodes this node marked down as metadata leader: silent for maintenance.downOutAfterMs, their healthy and degraded devices set failed.',
    read: () => maintenance.downOutCount(),
  });
  gaugeFrom(registry, {
    name: 'tessera_storage_reencrypt_remaining_chunks',
    help: 'Live chunk records still sealed under each system epoch older than the current one.',
    labelNames: ['epoch'],
    read: (): Sample[] => Object.entries(maintenance.reencrypter?.progress().remaining ?? {}).map(([epoch, value]) => ({ labels: { epoch }, value })),
  });
  counterFrom(registry, {
    name: 'tessera_storage_reencrypt_chunks_total',
    help: 'Chunk re-encryptions this node ran as leader, by outcome (rewritten, failed, deferred).',
    labelNames: ['outcome'],
    read: () => {
      const p = maintenance.reencrypter?.progress();
      return [
        { labels: { outcome: 'rewritten' }, value: p?.rewritten ?? 0 },
        { labels: { outcome: 'failed' }, value: p?.failed ?? 0 },
        { labels: { outcome: 'deferred' }, value: p?.deferred ?? 0 },
      ];
    },
  });
  counterFrom(registry, {
    name: 'tessera_storage_scrub_bad_records_total',
    help: 'Damaged live shard records the device scrub found on each local device since the node started.',
    labelNames: ['device'],
    read: () => [...maintenance.deviceScrubber.badRecordsByDevice()].map(([device, value]) => ({ labels: { device }, value })),
  });
  counterFrom(registry, {
    name: 'tessera_storage_scrub_rounds_total',
    help: 'Device scrub rounds (every live record of every local device re-read) this node completed since it started.',
    read: () => maintenance.deviceScrubber.status().rounds,
  });
  counterFrom(registry, {
    name: 'tessera_storage_scrub_quarantined_records_total',
    help: 'Damaged live shard records the device scrub deleted so that they are rebuilt from parity.',
    read: () => maintenance.deviceScrubber.status().quarantined,
  });
}

function lastPassSlots(maintenance: MaintenanceMetricsSource): Sample[] {
  const p = maintenance.placementScrub.lastPass();
  return [
    { labels: { problem: 'missing' }, value: p?.missing ?? 0 },
    { labels: { problem: 'corrupt' }, value: p?.corrupt ?? 0 },
    { labels: { problem: 'device' }, value: p?.badDevice ?? 0 },
    { labels: { problem: 'unreachable' }, value: p?.unreachable ?? 0 },
  ];
}
