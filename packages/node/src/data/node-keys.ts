/**
 * The node's keys (DESIGN section 5): system master keys and the dedup key
 * fetched from the key manager at start and on rotation, kept in memory
 * only; tenant data and index keys through the KeyClient's cache (absolute
 * TTL, dropped on invalidation). A node serves Raft without the key manager:
 * `ready()` stays false ("not ready for data") until the current master key
 * and the dedup key are loaded, and data calls fail with KM_UNAVAILABLE
 * (retriable) until then.
 */
import { ErrorCodes, TesseraError, type Logger } from '@tessera/common';
import type { KeyMaterial } from '@tessera/crypto';
import type { KeyClient, KmEvent } from '@tessera/keymanager';
import type { ChunkKeySet } from './pipeline/index.js';
import type { TenantRecord } from '../metadata/types.js';

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5_000;

export class NodeKeys {
  private systemEpoch: number | undefined;
  private dedup: KeyMaterial | undefined;
  private closed = false;
  private loading: Promise<void> | undefined;

  constructor(
    readonly client: KeyClient,
    private readonly logger: Logger,
  ) {}

  /** Starts loading the master and dedup keys in the background, retrying until the key manager answers. */
  start(): void {
    this.loading ??= this.loadLoop();
  }

  /** The watch told us of a new system epoch: new chunk writes use it once its master key is here. */
  onEvent(event: KmEvent): void {
    if (event.kind !== 'system-epoch') return;
    void this.client
      .masterKey(event.epoch)
      .then(({ epoch }) => {
        this.systemEpoch = Math.max(this.systemEpoch ?? 0, epoch);
        this.logger.info('new system epoch loaded', { epoch });
      })
      .catch(() => this.logger.warn('could not load the new system epoch yet; new writes keep the previous one', { epoch: event.epoch }));
  }

  /** The newest system epoch whose master key this node holds (undefined before the keys load). */
  currentSystemEpoch(): number | undefined {
    return this.systemEpoch;
  }

  ready(): boolean {
    return this.systemEpoch !== undefined && this.dedup !== undefined;
  }

  /** Keys for sealing a new chunk of `tenant` (current system epoch; current tenant epoch for isolated tenants). */
  async writeKeySet(tenant: TenantRecord): Promise<ChunkKeySet> {
    const sysEpoch = this.currentEpoch();
    const { key: master } = await this.client.masterKey(sysEpoch);
    if (tenant.policy === 'shared') return { policy: 'shared', sysEpoch, master, dedupKey: this.dedupKey() };
    const { key: tdk, epoch: tenEpoch } = await this.client.tenantDataKey(tenant.id);
    const tik = await this.client.tenantIndexKey(tenant.id);
    return { policy: 'isolated', sysEpoch, master, tenant: tenant.id, tenEpoch, tdk, tik };
  }

  /** Keys for opening a stored chunk sealed under (sysEpoch, tenEpoch). */
  async readKeySet(tenant: TenantRecord, sysEpoch: number, tenEpoch: number): Promise<ChunkKeySet> {
    this.currentEpoch();
    const { key: master } = await this.client.masterKey(sysEpoch);
    if (tenant.policy === 'shared') return { policy: 'shared', sysEpoch, master, dedupKey: this.dedupKey() };
    const { key: tdk } = await this.client.tenantDataKey(tenant.id, tenEpoch);
    const tik = await this.client.tenantIndexKey(tenant.id);
    return { policy: 'isolated', sysEpoch, master, tenant: tenant.id, tenEpoch, tdk, tik };
  }

  /** TDK of the tenant's current epoch (new deltas), or of a given epoch (stored deltas). */
  async dataKey(tenant: string, epoch?: number): Promise<{ key: KeyMaterial; epoch: number }> {
    this.currentEpoch();
    return this.client.tenantDataKey(tenant, epoch);
  }

  async indexKey(tenant: string): Promise<KeyMaterial> {
    this.currentEpoch();
    return this.client.tenantIndexKey(tenant);
  }

  close(): void {
    this.closed = true;
    this.client.close();
  }

  private currentEpoch(): number {
    if (this.systemEpoch === undefined || this.dedup === undefined) throw notReady();
    return this.systemEpoch;
  }

  private dedupKey(): KeyMaterial {
    if (this.dedup === undefined || this.dedup.destroyed) throw notReady();
    return this.dedup;
  }

  private async loadLoop(): Promise<void> {
    let delay = RETRY_MIN_MS;
    while (!this.closed) {
      try {
        const { epoch } = await this.client.masterKey();
        this.dedup = await this.client.dedupKey();
        this.systemEpoch = Math.max(this.systemEpoch ?? 0, epoch);
        this.logger.info('system keys loaded: ready for data', { systemEpoch: this.systemEpoch });
        return;
      } catch (err) {
        this.logger.warn('key manager not reachable yet; not ready for data', { errorCode: err instanceof TesseraError ? err.code : 'UNKNOWN' });
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        delay = Math.min(RETRY_MAX_MS, delay * 2);
      }
    }
  }
}

function notReady(): TesseraError {
  return new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'node not ready for data: system keys not loaded', { retriable: true });
}
