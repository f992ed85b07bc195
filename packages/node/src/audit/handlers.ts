/**
 * The audit part of the node's Admin service (issue #9): signed heads of the
 * metadata group's chains and exported trails (A3: a tenant admin verifies
 * its tenant's trail against a head it kept).
 *
 * Scope, as the key manager's (ADR 0008, ADR 0020):
 *  - a tenant admin's head covers its own tenant's chain only — not the
 *    system chain, not the list of chains — and it exports only that chain;
 *  - a cluster admin's head covers every chain (or one tenant's when it names
 *    one); it exports the system chain only: a tenant's trail is that
 *    tenant's business (A2), so naming a tenant is refused;
 *  - every export is itself audited, committed before the entries go out;
 *  - reads follow a ReadIndex barrier (the head and trail are the committed
 *    ones, whichever node answers).
 * Heads are signed by the key manager's audit key on this node's request
 * (Keys.SignAuditHead); a node without a key manager answers KM_UNAVAILABLE.
 */
import type * as grpc from '@grpc/grpc-js';
import { SYSTEM_CHAIN, encodeHead, tenantChain, type ChainId, type ChainRecord } from '@tessera/audit';
import { ErrorCodes, TesseraError, isValidTenantId } from '@tessera/common';
import { toStatus, unary, type CallWithAuthContext, type Principal } from '@tessera/transport';
import type { ExportMetadataAuditRequest__Output, MetadataAuditHead, MetadataAuditHeadRequest__Output, MetadataAuditPart } from '@tessera/wire';
import type { MetadataMachine } from '../metadata/machine.js';

/** Entries per streamed part (each entry is well under 1 KiB; a part stays far below the 4 MiB message limit). */
export const ENTRIES_PER_PART = 512;
export const AUDIT_EXPORT_TYPE = 'audit.export';

/** A signed head as the key manager returns it. */
export interface SignedMetadataHead {
  readonly signedHead: Buffer;
  readonly publicKey: Buffer;
  readonly keyId: string;
}

/** Asks the key manager to sign an encoded metadata head (Keys.SignAuditHead). */
export type MetadataHeadSigner = (encodedHead: Buffer) => Promise<SignedMetadataHead>;

export interface AuditHandlerDeps {
  readonly machine: Pick<MetadataMachine, 'auditHead' | 'auditEntries' | 'auditLength' | 'tenant'>;
  readonly readBarrier: () => Promise<void>;
  /** Undefined without a key manager (heads cannot be signed). */
  readonly signer: () => MetadataHeadSigner | undefined;
  /** Commits records before resolving (the node's AuditBatcher). */
  readonly audit: { record(records: readonly ChainRecord[]): Promise<void> };
  readonly principalOf: (call: CallWithAuthContext) => Principal;
}

function denied(): TesseraError {
  return new TesseraError(ErrorCodes.TRANSPORT_PERMISSION_DENIED, 'permission denied');
}

function checkTenantId(tenant: string): void {
  if (!isValidTenantId(tenant)) throw new TesseraError(ErrorCodes.INVALID_TENANT_ID, 'tenant id must be 1-63 characters of [a-z0-9-]');
}

/** The chains a head for `p` covers (undefined: every chain), and the tenant that must exist. */
export function headScope(p: Principal, tenant: string): { select: ChainId[] | undefined; tenant: string | undefined } {
  if (p.kind === 'tenant-admin') {
    if (tenant !== '' && tenant !== p.tenant) throw denied();
    return { select: [tenantChain(p.tenant)], tenant: p.tenant };
  }
  if (p.kind !== 'admin') throw denied();
  if (tenant === '') return { select: undefined, tenant: undefined };
  checkTenantId(tenant);
  return { select: [tenantChain(tenant)], tenant };
}

/** The one chain `p` may export. */
export function exportScope(p: Principal, tenant: string): ChainId {
  if (p.kind === 'tenant-admin') {
    if (tenant !== '' && tenant !== p.tenant) throw denied();
    return tenantChain(p.tenant);
  }
  if (p.kind !== 'admin' || tenant !== '') throw denied();
  return SYSTEM_CHAIN;
}

export function auditHandlers(deps: AuditHandlerDeps): {
  GetAuditHead: grpc.handleUnaryCall<MetadataAuditHeadRequest__Output, MetadataAuditHead>;
  ExportAudit: grpc.handleServerStreamingCall<ExportMetadataAuditRequest__Output, MetadataAuditPart>;
} {
  const signerOrFail = (): MetadataHeadSigner => {
    const signer = deps.signer();
    if (signer === undefined) throw new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'no key manager to sign audit heads', { retriable: true });
    return signer;
  };
  return {
    GetAuditHead: unary(async (req, call) => {
      const scope = headScope(deps.principalOf(call), req.tenant);
      const sign = signerOrFail();
      await deps.readBarrier();
      if (scope.tenant !== undefined && deps.machine.tenant(scope.tenant) === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'unknown tenant');
      const signed = await sign(encodeHead(deps.machine.auditHead(scope.select)));
      return { signedHead: signed.signedHead, publicKey: signed.publicKey, keyId: signed.keyId };
    }),
    ExportAudit: (call) => {
      void (async () => {
        const p = deps.principalOf(call);
        const chain = exportScope(p, call.request.tenant);
        await deps.readBarrier();
        if (p.kind === 'tenant-admin' && deps.machine.tenant(p.tenant) === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'unknown tenant');
        await deps.audit.record([{ chain, record: { type: AUDIT_EXPORT_TYPE, principal: p.spiffeId, method: 'ExportAudit', outcome: 'ok' } }]);
        // After the barrier the export's own entry (and everything before it) is applied here.
        await deps.readBarrier();
        const length = deps.machine.auditLength(chain);
        // At least one part, so an empty chain still names itself.
        const parts = Math.max(1, Math.ceil(length / ENTRIES_PER_PART));
        for (let i = 0; i < parts; i++) {
          if (call.cancelled) return;
          call.write({ chain, entries: deps.machine.auditEntries(chain, i * ENTRIES_PER_PART + 1, Math.min(ENTRIES_PER_PART, length - i * ENTRIES_PER_PART)) });
        }
        call.end();
      })().catch((err: unknown) => {
        if (!call.cancelled) call.emit('error', toStatus(err));
      });
    },
  };
}
