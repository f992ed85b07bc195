/**
 * The key manager's Prometheus metrics (DESIGN section 8), served on its
 * HTTP port beside prom-client's default process metrics. No label names a
 * tenant, key or principal (O1): tenants are counted by state only.
 *
 *   raft:  the key managers' group (term, leader, indexes, proposals, fsync
 *          and commit latency) — the storage node's families, group="keymanager";
 *   grpc:  calls on the keys port by method and code;
 *   keys:  root-provider unwraps by outcome; rotations by kind and shreds
 *          (counted as this member applies them); tenants by state; the
 *          current system epoch; whether the root provider answers.
 */
import {
  ProcessMetrics,
  counterFrom,
  gaugeFrom,
  registerRaftMetrics,
  registerRpcMetrics,
  type RaftMetricsSource,
  type RenderedMetrics,
  type RpcCountSource,
} from '@tessera/transport';
import type { KmEvent } from '../state/results.js';
import type { KmState, TenantState } from '../state/types.js';

const TENANT_STATES: readonly TenantState[] = ['active', 'shred-pending-approval', 'shred-scheduled', 'shredded'];

/** Root-provider unwraps by outcome (filled by `countingProvider`). */
export interface UnwrapCounts {
  ok: number;
  error: number;
}

/** Key events this member applied, by kind (filled from the state machine's event stream). */
export interface KeyEventCounts {
  kekRotations: number;
  tenantEpochs: number;
  systemEpochs: number;
  shreds: number;
}

export function countKeyEvent(counts: KeyEventCounts, event: KmEvent): void {
  if (event.kind === 'kek-rotated') counts.kekRotations++;
  else if (event.kind === 'tenant-epoch') counts.tenantEpochs++;
  else if (event.kind === 'system-epoch') counts.systemEpochs++;
  else if (event.kind === 'tenant-shredded') counts.shreds++;
}

export interface KeyManagerMetricsSources {
  readonly ready: () => boolean | Promise<boolean>;
  readonly providerHealthy: () => boolean | Promise<boolean>;
  readonly raft: RaftMetricsSource;
  readonly servers: () => readonly (RpcCountSource | undefined)[];
  readonly state: () => KmState;
  readonly unwraps: UnwrapCounts;
  readonly events: KeyEventCounts;
  /** prom-client's default process metrics (default true). */
  readonly defaults?: boolean;
}

export class KeyManagerMetrics {
  private readonly process: ProcessMetrics;
  private readonly detachRaft: () => void;

  constructor(sources: KeyManagerMetricsSources) {
    this.process = new ProcessMetrics({ defaults: sources.defaults ?? true });
    const registry = this.process.registry;
    gaugeFrom(registry, { name: 'tessera_keymanager_ready', help: '1 when this key manager is a member of a group with a known leader and its root provider is healthy.', read: async () => ((await sources.ready()) ? 1 : 0) });
    gaugeFrom(registry, { name: 'tessera_keymanager_provider_healthy', help: '1 when the root provider answered its last health check.', read: async () => ((await sources.providerHealthy()) ? 1 : 0) });
    this.detachRaft = registerRaftMetrics(registry, sources.raft, 'keymanager');
    registerRpcMetrics(registry, sources.servers);
    counterFrom(registry, {
      name: 'tessera_keys_unwraps_total',
      help: 'Unwraps through the root provider (system and tenant keys), by outcome.',
      labelNames: ['outcome'],
      read: () => [
        { labels: { outcome: 'ok' }, value: sources.unwraps.ok },
        { labels: { outcome: 'error' }, value: sources.unwraps.error },
      ],
    });
    counterFrom(registry, {
      name: 'tessera_keys_rotations_total',
      help: 'Key rotations applied by this member, by kind (kek, tenant_epoch, system_epoch).',
      labelNames: ['kind'],
      read: () => [
        { labels: { kind: 'kek' }, value: sources.events.kekRotations },
        { labels: { kind: 'tenant_epoch' }, value: sources.events.tenantEpochs },
        { labels: { kind: 'system_epoch' }, value: sources.events.systemEpochs },
      ],
    });
    counterFrom(registry, { name: 'tessera_keys_shreds_total', help: 'Tenant crypto-shreds applied by this member.', read: () => sources.events.shreds });
    gaugeFrom(registry, {
      name: 'tessera_keys_tenants',
      help: 'Tenants known to the key manager, by state.',
      labelNames: ['state'],
      read: () => {
        const counts = new Map<TenantState, number>(TENANT_STATES.map((s) => [s, 0]));
        for (const t of sources.state().tenants.values()) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
        return [...counts].map(([state, value]) => ({ labels: { state }, value }));
      },
    });
    gaugeFrom(registry, { name: 'tessera_keys_system_epoch', help: 'Current system key epoch (0 before the system keys exist).', read: () => sources.state().system?.currentEpoch ?? 0 });
  }

  render(): Promise<RenderedMetrics> {
    return this.process.render();
  }

  /** Our families alone (what promtool lints). */
  renderOwn(): Promise<string> {
    return this.process.renderOwn();
  }

  close(): void {
    this.detachRaft();
  }
}
