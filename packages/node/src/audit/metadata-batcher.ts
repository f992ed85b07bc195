/**
 * The metadata group's use of @tessera/audit's `AuditBatcher`: batches go in
 * as `auditAppend` commands, proposed through the leader (a follower's
 * proposer forwards them like any other proposal).
 */
import { AuditBatcher, type AuditBatcherOptions, type ProposeAuditBatch } from '@tessera/audit';
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { MetadataProposer } from '../data/proposer.js';
import { AUDIT_APPEND_LIMITS } from '../metadata/audit-command.js';

export interface NodeAuditBatcherOptions extends Omit<AuditBatcherOptions, 'propose' | 'commandLimit' | 'unavailableCode'> {
  readonly proposer: Pick<MetadataProposer, 'propose'>;
}

export function nodeAuditBatcher({ proposer, ...options }: NodeAuditBatcherOptions): AuditBatcher {
  return new AuditBatcher({
    ...options,
    propose: proposeAuditAppend(proposer),
    commandLimit: AUDIT_APPEND_LIMITS.records,
    // Not committed for a reason other than a refusal: most often no leader (yet).
    unavailableCode: ErrorCodes.RAFT_NOT_LEADER,
  });
}

/** One `auditAppend` command; a refusal by the state machine becomes a TesseraError with its code. */
export function proposeAuditAppend(proposer: Pick<MetadataProposer, 'propose'>): ProposeAuditBatch {
  return async (records, timeMs) => {
    const result = await proposer.propose({ op: 'auditAppend', timeMs, records });
    if (result.kind === 'error') throw new TesseraError(result.code, 'audit records refused', { retriable: result.retriable });
  };
}
