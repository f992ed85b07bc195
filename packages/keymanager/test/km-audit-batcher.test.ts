/** How the key manager proposes an audit batch (the batcher itself is tested in @tessera/audit). */
import { describe, expect, it } from 'vitest';
import { SYSTEM_CHAIN, type ChainRecord } from '@tessera/audit';
import { ErrorCodes } from '@tessera/common';
import { KM_AUDIT_BATCH, KM_LIMITS, SYSTEM_ACTOR, kmAuditBatcher, type KmEnvelope, type KmResult } from '../src/index.js';

const rec = (i: number): ChainRecord => ({ chain: SYSTEM_CHAIN, record: { type: 'key.unwrap', principal: `p${i}`, outcome: 'ok' } });
const recs = (n: number): ChainRecord[] => Array.from({ length: n }, (_, i) => rec(i));

function fakeGroup(answer: (e: KmEnvelope) => KmResult | Promise<KmResult>): { proposed: KmEnvelope[]; propose(e: KmEnvelope): Promise<KmResult> } {
  const proposed: KmEnvelope[] = [];
  return {
    proposed,
    propose: async (envelope) => {
      proposed.push(envelope);
      return answer(envelope);
    },
  };
}

const ok = (): KmResult => ({ ok: true, value: { kind: 'none' } });
const sizes = (proposed: readonly KmEnvelope[]): number[] => proposed.map((e) => (e.command.type === 'append-audit' ? e.command.records.length : -1));

describe('the key-manager audit batcher', () => {
  it('proposes append-audit commands by the system actor, stamped by the clock, of KM_AUDIT_BATCH records by default', async () => {
    const group = fakeGroup(ok);
    await kmAuditBatcher({ group, clock: () => 42 }).record(recs(KM_AUDIT_BATCH + 1));
    expect(sizes(group.proposed)).toEqual([KM_AUDIT_BATCH, 1]);
    expect(group.proposed.every((e) => e.ts === 42 && e.actor === SYSTEM_ACTOR)).toBe(true);
  });

  it('never proposes more than a command may carry', async () => {
    const group = fakeGroup(ok);
    await kmAuditBatcher({ group, maxBatch: KM_LIMITS.auditRecordsPerCommand * 2 }).record(recs(KM_LIMITS.auditRecordsPerCommand + 1));
    expect(sizes(group.proposed)).toEqual([KM_LIMITS.auditRecordsPerCommand, 1]);
  });

  it('turns a refused command into its code and message, and a failed proposal into KM_UNAVAILABLE', async () => {
    const refused = kmAuditBatcher({ group: fakeGroup(() => ({ ok: false, code: ErrorCodes.INVALID_ARGUMENT, message: 'too many audit records in one command' })) });
    await expect(refused.record([rec(0)])).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT, message: 'too many audit records in one command' });
    const down = kmAuditBatcher({ group: fakeGroup(() => Promise.reject(new Error('stopped'))) });
    await expect(down.record([rec(0)])).rejects.toMatchObject({ code: ErrorCodes.KM_UNAVAILABLE, retriable: true });
  });
});
