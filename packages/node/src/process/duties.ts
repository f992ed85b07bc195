/**
 * Background duties of a storage node toward the metadata group, run on a
 * short timer and re-checked every turn (so they survive elections,
 * restarts and lost proposals without bookkeeping):
 *
 *  - every node: its own node record and devices are in the committed
 *    node/device table (placement topology, separate from the voter set);
 *  - the leader: `Clock{leaderTime}` whenever 1 s passed without an entry
 *    (DESIGN section 7), so leader timestamps never go stale when idle;
 *  - the leader: the committed tenant table follows the key manager's
 *    (the key-manager group is the authority for tenants: DESIGN section 2).
 */
import type { Logger } from '@tessera/common';
import type { KmEvent, TenantView } from '@tessera/keymanager';
import type { MetadataMachine } from '../metadata/machine.js';
import { tenantServesData, type TenantRecord, type TenantState } from '../metadata/types.js';
import type { MetadataProposer } from '../data/proposer.js';
import type { NodeDeviceConfig } from './config.js';

export const CLOCK_INTERVAL_MS = 1_000;
const TURN_MS = 200;

export interface DutiesOptions {
  readonly nodeId: string;
  readonly peerAddress: string;
  readonly devices: readonly NodeDeviceConfig[];
  readonly machine: MetadataMachine;
  readonly proposer: MetadataProposer;
  /** Wall-clock time (ms) of the last entry this replica applied. */
  readonly lastEntryAt: () => number;
  /** Wall-clock milliseconds (Date.now): command timestamps and the idle Clock duty. */
  readonly clock: () => number;
  readonly logger: Logger;
  /**
   * Tells the key manager the committed minDecryptEpoch (DESIGN section 5:
   * it takes the value only from the metadata leader). Called by the leader
   * after a ReadIndex barrier, with its term and the applied index read at.
   */
  readonly reportMinDecryptEpoch?: (report: { epoch: number; term: number; index: number }) => Promise<void>;
  /** The newest system epoch this node can seal under (undefined before its keys load). */
  readonly currentSystemEpoch?: () => number | undefined;
  /** The leader's read barrier and term (for the report above). */
  readonly leaderRead?: () => Promise<{ term: number; index: number }>;
}

export class NodeDuties {
  /** The key manager's tenant table as its watch stream reports it. */
  private readonly watched = new Map<string, TenantView>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private lastClockProposal = 0;
  /** What the key manager last accepted from this node, as "epoch@term". */
  private reported = '';

  constructor(private readonly options: DutiesOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.turn(), TURN_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Watch events from the key manager. */
  onKmEvent(event: KmEvent): void {
    if (event.kind === 'tenant-changed') this.watched.set(event.tenant.id, event.tenant);
  }

  /** One pass over every duty; public so tests can drive it without the timer. */
  async turn(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.register();
      if (this.options.proposer.isLeader()) {
        await this.followTenants();
        await this.tickClock();
        await this.retireOldEpochs();
        await this.reportMinDecrypt();
      }
    } catch (err) {
      this.options.logger.debug('metadata duty deferred', { errorCode: (err as { code?: string }).code ?? 'UNKNOWN' });
    } finally {
      this.busy = false;
    }
  }

  private async register(): Promise<void> {
    const { machine, proposer, nodeId, peerAddress, clock } = this.options;
    const known = machine.nodes().find((n) => n.nodeId === nodeId);
    if (known === undefined || known.address !== peerAddress) {
      await proposer.propose({ op: 'registerNode', timeMs: clock(), node: { nodeId, address: peerAddress } });
    }
    const devices = new Set(machine.devices().filter((d) => d.nodeId === nodeId).map((d) => d.deviceId));
    for (const d of this.options.devices) {
      if (devices.has(d.id)) continue;
      const result = await proposer.propose({ op: 'addDevice', timeMs: clock(), device: { nodeId, deviceId: d.id, pool: d.pool, capacityBytes: d.capacityBytes, state: 'healthy' } });
      if (result.kind === 'error') this.options.logger.warn('device registration refused', { device: d.id, errorCode: result.code });
    }
  }

  private async followTenants(): Promise<void> {
    const { machine, proposer, clock } = this.options;
    for (const view of this.watched.values()) {
      const committed = machine.tenant(view.id);
      if (view.state === 'shredded') {
        // Crypto-shred executed in the key manager: purge the tenant's metadata here (idempotent;
        // re-checked every turn, after every election and restart, until both groups agree).
        if (committed?.state === 'shredded') continue;
        if (committed === undefined) {
          await proposer.propose({ op: 'upsertTenant', timeMs: clock(), tenant: { id: view.id, policy: view.policy, caCertPem: view.caCertPem, caCrlPem: view.caCrlPem, state: 'disabled', quotaBytes: 0, keyEpoch: view.currentEpoch, kekVersion: view.kekVersion } });
        }
        const purged = await proposer.propose({ op: 'purgeTenant', timeMs: clock(), tenant: view.id });
        if (purged.kind === 'error') this.options.logger.warn('tenant purge refused', { tenant: view.id, errorCode: purged.code });
        else this.options.logger.info('tenant purged after its crypto-shred', { tenant: view.id });
        continue;
      }
      const wanted: TenantRecord = {
        id: view.id,
        policy: view.policy,
        caCertPem: view.caCertPem,
        caCrlPem: view.caCrlPem,
        state: committedState(view),
        quotaBytes: committed?.quotaBytes ?? 0,
        keyEpoch: view.currentEpoch,
        kekVersion: view.kekVersion,
      };
      if (committed !== undefined && sameTenant(committed, wanted)) continue;
      const result = await proposer.propose({ op: 'upsertTenant', timeMs: clock(), tenant: wanted });
      if (result.kind === 'error') this.options.logger.warn('tenant copy refused', { tenant: view.id, errorCode: result.code });
    }
  }

  /**
   * After a system-epoch rotation, once no live chunk is sealed under an older
   * epoch (new writes use the new one; issue #8's re-encryption moves the
   * rest), the leader proposes SetMinDecryptEpoch. The state machine applies
   * it only if the per-epoch counts below it are zero at that index.
   */
  private async retireOldEpochs(): Promise<void> {
    const { machine, proposer, clock } = this.options;
    const target = this.options.currentSystemEpoch?.();
    // Epochs start at 1: there is nothing to retire until a rotation made a second one.
    if (target === undefined || target <= Math.max(1, machine.minDecryptEpoch())) return;
    for (let e = Math.max(0, machine.minDecryptEpoch()); e < target; e++) if (machine.chunksInEpoch(e) > 0) return;
    const result = await proposer.propose({ op: 'setMinDecryptEpoch', timeMs: clock(), epoch: target });
    if (result.kind === 'error') this.options.logger.debug('older system epochs still in use', { epoch: target });
  }

  private async reportMinDecrypt(): Promise<void> {
    const { machine, reportMinDecryptEpoch, leaderRead } = this.options;
    if (reportMinDecryptEpoch === undefined || leaderRead === undefined || machine.minDecryptEpoch() === 0) return;
    const { term, index } = await leaderRead();
    const epoch = machine.minDecryptEpoch();
    const key = `${epoch}@${term}`;
    if (key === this.reported) return;
    await reportMinDecryptEpoch({ epoch, term, index });
    this.reported = key;
    this.options.logger.info('minDecryptEpoch reported to the key manager', { epoch, term });
  }

  private async tickClock(): Promise<void> {
    const now = this.options.clock();
    if (now - this.options.lastEntryAt() < CLOCK_INTERVAL_MS || now - this.lastClockProposal < CLOCK_INTERVAL_MS) return;
    this.lastClockProposal = now;
    await this.options.proposer.propose({ op: 'clock', timeMs: now });
  }
}

/**
 * The key manager's state, with a tenant a cluster admin disabled (`tenant
 * disable`, a key-manager flag beside the shred lifecycle) copied as
 * `disabled` while the key manager would otherwise let it serve data; `tenant
 * enable` copies it back as it was.
 */
function committedState(view: TenantView): TenantState {
  return view.disabled && tenantServesData(view.state) ? 'disabled' : view.state;
}

function sameTenant(a: TenantRecord, b: TenantRecord): boolean {
  return a.policy === b.policy && a.caCertPem === b.caCertPem && a.caCrlPem === b.caCrlPem && a.state === b.state && a.quotaBytes === b.quotaBytes && a.keyEpoch === b.keyEpoch && a.kekVersion === b.kekVersion;
}
