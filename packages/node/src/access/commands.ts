/**
 * The access-grant commands of the metadata group (issue #9) and their
 * canonical fields, after the common `version | op | leader time` prefix of
 * metadata/commands.ts (which lists them among its op codes):
 *
 *   accessRequest  requestId 16 B | tenant | requester | prefixSealed (u16 + bytes) | mode u8 | durationMs u64
 *   accessApprove  tenant | requestId 16 B | approver
 *   accessDeny     tenant | requestId 16 B | denier
 *   accessRevoke   tenant | grantId 16 B | revoker
 *   accessExpired  tenant | grantId 16 B
 *   auditAccess    tenant | admin | grantId (u8 + 0/16 B) | method u8 | keyTag (u8 + 0/32 B) | outcome u8
 *
 * The request id is chosen by the proposing node; the cleartext prefix never
 * appears here, only its sealed form (prefix-seal.ts).
 */
import { ErrorCodes, TesseraError, type BinaryReader, type BinaryWriter } from '@tessera/common';
import { bad, readEnum, readTenant, writeEnum, writeTenant } from '../metadata/fields.js';
import { checkDuration, readAuditDraft, readPrincipalName, readSealedPrefix, writeAuditDraft, writePrincipalName, writeSealedPrefix, type AuditDraft } from './codec.js';
import { ACCESS_LIMITS, ACCESS_MODES, type AccessMode } from './types.js';

export type AccessCommand =
  | {
      readonly op: 'accessRequest';
      readonly timeMs: number;
      readonly requestId: Buffer;
      readonly tenant: string;
      readonly requester: string;
      readonly prefixSealed: Buffer;
      readonly mode: AccessMode;
      readonly durationMs: number;
    }
  | { readonly op: 'accessApprove'; readonly timeMs: number; readonly tenant: string; readonly requestId: Buffer; readonly approver: string }
  | { readonly op: 'accessDeny'; readonly timeMs: number; readonly tenant: string; readonly requestId: Buffer; readonly denier: string }
  | { readonly op: 'accessRevoke'; readonly timeMs: number; readonly tenant: string; readonly grantId: Buffer; readonly revoker: string }
  /** The leader's expiry duty: the grant's window ended (refused before it has, by leader time). */
  | { readonly op: 'accessExpired'; readonly timeMs: number; readonly tenant: string; readonly grantId: Buffer }
  /** One Data call by a cluster admin naming this tenant, recorded before it is served. */
  | { readonly op: 'auditAccess'; readonly timeMs: number; readonly tenant: string; readonly audit: AuditDraft };

export type AccessOp = AccessCommand['op'];

export const ACCESS_OPS: readonly AccessOp[] = ['accessRequest', 'accessApprove', 'accessDeny', 'accessRevoke', 'accessExpired', 'auditAccess'];

export function isAccessOp(op: string): op is AccessOp {
  return (ACCESS_OPS as readonly string[]).includes(op);
}

export function writeAccessFields(w: BinaryWriter, cmd: AccessCommand): BinaryWriter {
  switch (cmd.op) {
    case 'accessRequest':
      checkDuration(cmd.durationMs, (m) => new TesseraError(ErrorCodes.INVALID_ARGUMENT, m));
      writePrincipalName(writeTenant(w.fixed(cmd.requestId, ACCESS_LIMITS.idBytes), cmd.tenant), cmd.requester);
      return writeEnum(writeSealedPrefix(w, cmd.prefixSealed), ACCESS_MODES, cmd.mode).u64(cmd.durationMs);
    case 'accessApprove':
      return writePrincipalName(writeTenant(w, cmd.tenant).fixed(cmd.requestId, ACCESS_LIMITS.idBytes), cmd.approver);
    case 'accessDeny':
      return writePrincipalName(writeTenant(w, cmd.tenant).fixed(cmd.requestId, ACCESS_LIMITS.idBytes), cmd.denier);
    case 'accessRevoke':
      return writePrincipalName(writeTenant(w, cmd.tenant).fixed(cmd.grantId, ACCESS_LIMITS.idBytes), cmd.revoker);
    case 'accessExpired':
      return writeTenant(w, cmd.tenant).fixed(cmd.grantId, ACCESS_LIMITS.idBytes);
    case 'auditAccess':
      return writeAuditDraft(writeTenant(w, cmd.tenant), cmd.audit);
  }
}

export function readAccessFields(r: BinaryReader, op: AccessOp, timeMs: number): AccessCommand {
  const id = (): Buffer => Buffer.from(r.fixed(ACCESS_LIMITS.idBytes));
  switch (op) {
    case 'accessRequest': {
      const requestId = id();
      const tenant = readTenant(r);
      const requester = readPrincipalName(r);
      const prefixSealed = readSealedPrefix(r);
      const mode = readEnum(r, ACCESS_MODES, 'access mode');
      const durationMs = r.u64Number();
      checkDuration(durationMs, bad);
      return { op, timeMs, requestId, tenant, requester, prefixSealed, mode, durationMs };
    }
    case 'accessApprove':
      return { op, timeMs, tenant: readTenant(r), requestId: id(), approver: readPrincipalName(r) };
    case 'accessDeny':
      return { op, timeMs, tenant: readTenant(r), requestId: id(), denier: readPrincipalName(r) };
    case 'accessRevoke':
      return { op, timeMs, tenant: readTenant(r), grantId: id(), revoker: readPrincipalName(r) };
    case 'accessExpired':
      return { op, timeMs, tenant: readTenant(r), grantId: id() };
    case 'auditAccess':
      return { op, timeMs, tenant: readTenant(r), audit: readAuditDraft(r) };
  }
}
