/**
 * The metadata leader's expiry duty (DESIGN section 7): when a grant's
 * window has ended by the leader's clock, commit `accessExpired` for it.
 * Its own timer (not the shared duties loop); every turn re-reads the
 * committed table, so elections, restarts and lost proposals need no
 * bookkeeping. The state machine refuses an expiry whose window has not
 * ended by leader time, so a fast clock elsewhere cannot cut a grant short
 * by more than the skew the freshness rule tolerates.
 */
import type { Logger } from '@tessera/common';
import type { MetadataMachine } from '../metadata/machine.js';
import type { MetadataProposer } from '../data/proposer.js';

export const EXPIRY_TURN_MS = 250;
/** Expiries proposed per turn (more wait for the next turn). */
const PER_TURN = 64;

export interface ExpiryDutyDeps {
  readonly machine: MetadataMachine;
  readonly proposer: Pick<MetadataProposer, 'propose' | 'isLeader'>;
  readonly clock: () => number;
  readonly logger: Logger;
}

export class AccessExpiryDuty {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly deps: ExpiryDutyDeps) {}

  start(): void {
    this.timer ??= setInterval(() => void this.turn(), EXPIRY_TURN_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass; public so tests can drive it without the timer. Resolves with the expiries committed. */
  async turn(): Promise<number> {
    const { deps } = this;
    if (this.busy || !deps.proposer.isLeader()) return 0;
    this.busy = true;
    let committed = 0;
    try {
      for (const due of deps.machine.access().dueExpiries(deps.clock()).slice(0, PER_TURN)) {
        const result = await deps.proposer.propose({ op: 'accessExpired', timeMs: deps.clock(), tenant: due.tenant, grantId: due.grantId });
        if (result.kind === 'error') deps.logger.debug('grant expiry deferred', { errorCode: result.code });
        else committed++;
      }
    } catch (err) {
      deps.logger.debug('grant expiry deferred', { errorCode: (err as { code?: string }).code ?? 'UNKNOWN' });
    } finally {
      this.busy = false;
    }
    return committed;
  }
}
