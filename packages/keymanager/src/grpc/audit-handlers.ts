/**
 * The audit part of the Keys service: signed heads and exported trails
 * (A3: a tenant admin verifies its tenant's trail against a head it kept).
 *
 * Scope (docs/adr/0008):
 *  - a tenant admin's head covers its own chain only — not the system chain
 *    and not the list of chains — so it learns neither other tenants' ids
 *    nor their trail lengths; what concerns it from the system side (pin
 *    changes) is recorded in its own chain as well;
 *  - a cluster admin's head covers every chain (the tenant table is theirs
 *    anyway), or one tenant's chain when it names one;
 *  - trails: a tenant admin exports its own chain, a cluster admin the
 *    system chain only — a tenant's trail is that tenant's business (A2).
 * Every export is itself audited (committed before the entries go out).
 */
import type * as grpc from '@grpc/grpc-js';
import { SYSTEM_CHAIN, encodeEntry, encodeSignedHead, tenantChain, type AuditBatcher, type ChainId } from '@tessera/audit';
import { ErrorCodes, TesseraError, isValidTenantId } from '@tessera/common';
import type { AuditHead, AuditTrailPart, ExportAuditRequest__Output, GetAuditHeadRequest__Output, SignAuditHeadRequest__Output } from '@tessera/wire';
import { formatKeyRef } from '../key-ref.js';
import type { RootProvider } from '../provider/types.js';
import type { KeyAdmin } from '../service/admin.js';
import type { KeyService } from '../service/key-service.js';
import type { KmGroup } from '../service/group.js';
import type { KeyManagerStateMachine } from '../state/machine.js';
import type { Actor } from '../state/types.js';
import { adminActor, nodeCaller, type PrincipalOf } from './callers.js';
import { keysStatus, keysUnary, type LeaderAddress } from './rpc.js';

/** Entries per streamed part (each entry is well under 1 KiB). */
const ENTRIES_PER_PART = 512;
export const AUDIT_EXPORT_TYPE = 'audit.export';

export interface AuditHandlerDeps {
  readonly group: KmGroup;
  readonly machine: KeyManagerStateMachine;
  readonly admin: KeyAdmin;
  readonly provider: RootProvider;
  readonly audit: AuditBatcher;
  /** Signs storage nodes' metadata-group heads (SignAuditHead, ADR 0020). */
  readonly keys: KeyService;
  readonly principalOf: PrincipalOf;
  readonly leaderAddress: LeaderAddress;
}

function forbidden(message: string): TesseraError {
  return new TesseraError(ErrorCodes.KM_FORBIDDEN, message);
}

/** The chains a head for `actor` covers (undefined: every chain). */
function headChains(actor: Actor, tenant: string): ChainId[] | undefined {
  if (actor.role === 'tenant-admin') {
    if (tenant !== actor.tenant) throw forbidden('a tenant admin reads its own tenant only');
    return [tenantChain(actor.tenant)];
  }
  if (tenant === '') return undefined;
  if (!isValidTenantId(tenant)) throw new TesseraError(ErrorCodes.INVALID_TENANT_ID, 'tenant id must be 1-63 characters of [a-z0-9-]');
  return [tenantChain(tenant)];
}

/** The chain `actor` may export. */
function exportChain(actor: Actor, tenant: string): ChainId {
  if (actor.role === 'tenant-admin') {
    if (tenant !== actor.tenant) throw forbidden('a tenant admin reads its own tenant only');
    return tenantChain(actor.tenant);
  }
  if (tenant !== '') throw forbidden("a cluster admin cannot read a tenant's audit trail");
  return SYSTEM_CHAIN;
}

export function auditHandlers(deps: AuditHandlerDeps): {
  GetAuditHead: grpc.handleUnaryCall<GetAuditHeadRequest__Output, AuditHead>;
  ExportAudit: grpc.handleServerStreamingCall<ExportAuditRequest__Output, AuditTrailPart>;
  SignAuditHead: grpc.handleUnaryCall<SignAuditHeadRequest__Output, AuditHead>;
} {
  return {
    GetAuditHead: keysUnary(deps.leaderAddress, async (req, call) => {
      const actor = adminActor(deps.principalOf(call));
      const select = headChains(actor, req.tenant);
      if (select !== undefined && !(await deps.group.read()).tenants.has(req.tenant === '' ? actor.tenant : req.tenant)) {
        throw new TesseraError(ErrorCodes.KM_TENANT_NOT_FOUND, 'no such tenant');
      }
      const signed = await deps.admin.signedHead(select);
      return { signedHead: encodeSignedHead(signed), publicKey: await deps.provider.auditPublicKey(), keyId: formatKeyRef(deps.provider.auditKey()) };
    }),
    SignAuditHead: keysUnary(deps.leaderAddress, async (req, call) => {
      const signed = await deps.keys.signMetadataHead(nodeCaller(deps.principalOf(call), call), req.head);
      return { signedHead: encodeSignedHead(signed), publicKey: await deps.provider.auditPublicKey(), keyId: formatKeyRef(deps.provider.auditKey()) };
    }),
    ExportAudit: (call) => {
      void (async () => {
        const actor = adminActor(deps.principalOf(call));
        const chain = exportChain(actor, call.request.tenant);
        await deps.audit.record([
          { chain, record: { type: AUDIT_EXPORT_TYPE, principal: actor.principal, method: 'ExportAudit', outcome: 'ok', targets: [] } },
        ]);
        await deps.group.read();
        const trail = await deps.machine.trail(chain);
        // At least one part, so an empty chain still names itself.
        const parts = Math.max(1, Math.ceil(trail.entries.length / ENTRIES_PER_PART));
        for (let i = 0; i < parts; i++) {
          if (call.cancelled) return;
          call.write({ chain, entries: trail.entries.slice(i * ENTRIES_PER_PART, (i + 1) * ENTRIES_PER_PART).map(encodeEntry) });
        }
        call.end();
      })().catch((err: unknown) => call.emit('error', keysStatus(err, deps.leaderAddress)));
    },
  };
}
