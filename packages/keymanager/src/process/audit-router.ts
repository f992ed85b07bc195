/**
 * Where this process's own audit records go (transport refusals, aggregated
 * key-service refusals): only the leader can propose, so on the leader they
 * go to the `AuditBatcher` (one AppendAudit command per batch), and on a
 * follower they are forwarded to the leader over the keys port
 * (`Keys.ForwardAudit`, key-manager principals only), which appends them.
 * Records that cannot be delivered (no leader, leader unreachable) are
 * counted in `lost` (reported by `GetKeyHealth`) — never retried forever,
 * never allowed to block a refusal.
 */
import type { AuditAppender, ChainRecord } from '@tessera/audit';
import { encodeChainRecord } from '@tessera/audit';
import type { Logger } from '@tessera/common';
import { StateRole, type RaftNode } from '@tessera/raft';
import type { AuditBatcher } from '../service/audit-batcher.js';
import type { KmResult } from '../state/results.js';

/** Sends encoded records to the member `leaderId`. */
export type AuditForwarder = (leaderId: string, records: readonly Buffer[]) => Promise<void>;

export class AuditRouter implements AuditAppender {
  #forwardLost = 0;

  constructor(
    private readonly raft: RaftNode<KmResult>,
    private readonly batcher: AuditBatcher,
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
      this.#lose(records.length, 'no leader');
      return;
    }
    this.forward(status.lead, records.map(encodeChainRecord)).catch(() => this.#lose(records.length, 'leader unreachable'));
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
