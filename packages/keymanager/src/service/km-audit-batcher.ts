/**
 * The key manager's use of @tessera/audit's `AuditBatcher`: batches go in as
 * `append-audit` commands by the system actor. What it carries: key releases
 * to nodes (audited before the key goes out), refusals found before
 * proposing, transport denials.
 */
import { AuditBatcher, type AuditBatcherOptions, type ProposeAuditBatch } from '@tessera/audit';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { SYSTEM_ACTOR } from '../state/types.js';
import { KM_LIMITS } from '../state/limits.js';
import type { KmGroup } from './group.js';

/** Records per command unless told otherwise (the command limit is larger). */
export const KM_AUDIT_BATCH = 256;

export interface KmAuditBatcherOptions extends Omit<AuditBatcherOptions, 'propose' | 'commandLimit' | 'unavailableCode'> {
  readonly group: Pick<KmGroup, 'propose'>;
}

export function kmAuditBatcher({ group, maxBatch = KM_AUDIT_BATCH, ...options }: KmAuditBatcherOptions): AuditBatcher {
  return new AuditBatcher({
    ...options,
    maxBatch,
    propose: proposeAppendAudit(group),
    commandLimit: KM_LIMITS.auditRecordsPerCommand,
    unavailableCode: ErrorCodes.KM_UNAVAILABLE,
  });
}

/** One `append-audit` command; a refusal by the state machine becomes a TesseraError with its code. */
export function proposeAppendAudit(group: Pick<KmGroup, 'propose'>): ProposeAuditBatch {
  return async (records, timeMs) => {
    const result = await group.propose({ ts: timeMs, actor: SYSTEM_ACTOR, command: { type: 'append-audit', records } });
    if (!result.ok) throw new TesseraError(result.code, result.message);
  };
}
