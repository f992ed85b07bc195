/**
 * What the key-manager leader does on its own, on a short timer:
 *  - creates the system keys (master key of epoch 1, the dedup key) once,
 *    when a new group has none;
 *  - executes every crypto-shred that is due (a Raft command; applying it
 *    destroys the KEKs in the provider and broadcasts the invalidation);
 * and what every member does: hands closed denial windows (transport
 * refusals, key-service refusals) to the audit router.
 *
 * Decisions are taken from the local applied state (cheap); the actions
 * themselves read linearizably and are idempotent, so a stale view or a
 * second leader costs at most a refused or duplicate command.
 */
import type { DenialAggregator } from '@tessera/audit';
import { toTesseraError, type Logger } from '@tessera/common';
import { StateRole, type RaftNode } from '@tessera/raft';
import type { KeyAdmin } from '../service/admin.js';
import type { KeyManagerStateMachine } from '../state/machine.js';
import type { KmResult } from '../state/results.js';
import type { AuditRouter } from './audit-router.js';

export interface LeaderDutiesOptions {
  readonly raft: RaftNode<KmResult>;
  readonly machine: KeyManagerStateMachine;
  readonly admin: KeyAdmin;
  readonly router: AuditRouter;
  /** Aggregators whose closed windows are flushed to the router. */
  readonly aggregators: readonly DenialAggregator[];
  readonly intervalMs: number;
  readonly clock?: () => number;
  readonly logger?: Logger;
}

export class LeaderDuties {
  readonly #o: LeaderDutiesOptions;
  readonly #clock: () => number;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(options: LeaderDutiesOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.tick(), this.#o.intervalMs);
  }

  /** Stops the timer and hands every pending denial (closed window or not) to the router. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const a of this.#o.aggregators) this.#o.router.append(a.drain());
  }

  async tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const now = this.#clock();
      for (const a of this.#o.aggregators) this.#o.router.append(a.flush(now));
      this.#o.router.flushPending();
      if (this.#o.raft.status().role !== StateRole.Leader) return;
      const state = this.#o.machine.state;
      if (state.system === undefined) {
        await this.#o.admin.initSystem();
        this.#o.logger?.info('system keys created');
      }
      const due = [...state.tenants.values()].some((t) => t.state === 'shred-scheduled' && t.shred !== undefined && t.shred.executeAtMs <= now);
      if (due) await this.#o.admin.executeDueShreds();
    } catch (err) {
      // Lost leadership, a provider hiccup: the next tick tries again.
      this.#o.logger?.warn('leader duty failed; will retry', { code: toTesseraError(err).code });
    } finally {
      this.#busy = false;
    }
  }
}
