/**
 * Where this process's own audit records go (transport refusals, aggregated
 * key-service refusals): only the leader can propose, so on the leader they
 * go to the `AuditBatcher` (one AppendAudit command per batch), and on a
 * follower they are forwarded to the leader over the keys port
 * (`Keys.ForwardAudit`, key-manager principals only), which appends them.
 * While no leader is known (start-up, an election) records wait in a
 * bounded queue that `flushPending` (the duty timer) routes once one is.
 * Records that cannot be delivered (queue full, leader unreachable) are
 * counted in `lost` (reported by `GetKeyHealth`) — never retried forever,
 * never allowed to block a refusal.
 */
import type { AuditAppender, AuditBatcher, ChainRecord } from '@tessera/audit';
import { encodeChainRecord } from '@tessera/audit';
import type { Logger } from '@tessera/common';
import { StateRole, type RaftNode } from '@tessera/raft';
import type { KmResult } from '../state/results.js';

/** Sends encoded records to the member `leaderId`. */
export type AuditForwarder = (leaderId: string, records: readonly Buffer[]) => Promise<void>;

/** Records kept while no leader is known. */
const MAX_PENDING = 1_000;

export class AuditRouter implements AuditAppender {
  #forwardLost = 0;
  #pending: ChainRecord[] = [];

  constructor(
    private readonly raft: RaftNode<KmResult>,
    private readonly batcher: Pick<AuditBatcher, 'append' | 'lost'>,
    private readonly forward: AuditForwarder,
    private readonly logger?: Logger,
  ) {}

  append(records: readonly ChainRecord[]): void {
    if (records.length === 0) return;
    const status = this.raft.status();
    if (status.role === StateRole.Leader) {
      this.batcher.append(records);
      return;
    }
    if (status.lead === '') {
      const room = Math.max(0, MAX_PENDING - this.#pending.length);
      this.#pending.push(...records.slice(0, room));
      if (records.length > room) this.#lose(records.length - room, 'no leader');
      return;
    }
    this.forward(status.lead, records.map(encodeChainRecord)).catch(() => this.#lose(records.length, 'leader unreachable'));
  }

  /** Routes the records kept while there was no leader, once there is one. */
  flushPending(): void {
    if (this.#pending.length === 0 || this.raft.status().lead === '') return;
    this.append(this.#pending.splice(0));
  }

  /** Records that never reached the audit trail since start. */
  get lost(): number {
    return this.batcher.lost + this.#forwardLost;
  }

  #lose(count: number, why: string): void {
    this.#forwardLost += count;
    this.logger?.warn('audit records lost', { count, why });
  }
}
