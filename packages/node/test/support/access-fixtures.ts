/** Builders for access-grant tests: commands with readable defaults. */
import type { MetadataCommand } from '../../src/metadata/commands.js';
import type { AccessMode, AuditOutcome, GrantedMethod } from '../../src/access/types.js';
import { grantIdOf } from '../../src/access/ids.js';
import { T0 } from './metadata-fixtures.js';

export const requestIdOf = (n: number): Buffer => Buffer.alloc(16, n);
export const grantOf = (n: number): Buffer => grantIdOf(requestIdOf(n));
/** Stands in for a sealed prefix (the state machine never opens it). */
export const SEALED = Buffer.from('01000000000000000100112233445566778899aabbccddeeff00112233445566778899aabbcc', 'hex');

export function requestCmd(n: number, options: { tenant?: string; requester?: string; mode?: AccessMode; durationMs?: number; timeMs?: number } = {}): MetadataCommand {
  return {
    op: 'accessRequest',
    timeMs: options.timeMs ?? T0,
    requestId: requestIdOf(n),
    tenant: options.tenant ?? 'acme',
    requester: options.requester ?? 'ops',
    prefixSealed: SEALED,
    mode: options.mode ?? 'read',
    durationMs: options.durationMs ?? 60_000,
  };
}

export const approveCmd = (n: number, timeMs = T0, tenant = 'acme'): MetadataCommand => ({ op: 'accessApprove', timeMs, tenant, requestId: requestIdOf(n), approver: 'boss' });
export const denyCmd = (n: number, timeMs = T0, tenant = 'acme'): MetadataCommand => ({ op: 'accessDeny', timeMs, tenant, requestId: requestIdOf(n), denier: 'boss' });
export const revokeCmd = (n: number, timeMs = T0, tenant = 'acme'): MetadataCommand => ({ op: 'accessRevoke', timeMs, tenant, grantId: grantOf(n), revoker: 'boss' });
export const expiredCmd = (n: number, timeMs: number, tenant = 'acme'): MetadataCommand => ({ op: 'accessExpired', timeMs, tenant, grantId: grantOf(n) });

export function auditCmd(n: number | undefined, options: { method?: GrantedMethod; outcome?: AuditOutcome; timeMs?: number; tenant?: string; keyTag?: Buffer } = {}): MetadataCommand {
  return {
    op: 'auditAccess',
    timeMs: options.timeMs ?? T0,
    tenant: options.tenant ?? 'acme',
    audit: {
      admin: 'ops',
      grantId: n === undefined ? Buffer.alloc(0) : grantOf(n),
      method: options.method ?? 'GetObject',
      keyTag: options.keyTag ?? Buffer.alloc(32, 9),
      outcome: options.outcome ?? (n === undefined ? 'no-grant' : 'allowed'),
    },
  };
}
