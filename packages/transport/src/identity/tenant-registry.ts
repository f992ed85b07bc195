/**
 * The tenant-CA registry: which CA certificate (and CRL) each tenant
 * registered. A `tenant/T/*` principal is accepted only when its certificate
 * was issued by T's registered CA. Later issues fill it from the owning Raft
 * group's committed tenant table; `InMemoryTenantCaRegistry` is that table's
 * in-process form.
 */
import { X509Certificate } from 'node:crypto';
import { ErrorCodes, TesseraError, isValidTenantId } from '@tessera/common';

export interface TenantCaEntry {
  readonly tenant: string;
  readonly certificate: X509Certificate;
  readonly certificatePem: string;
  /** Every CA a server trusts must come with its CRL (peers check revocation for all of them). */
  readonly crlPem: string;
}

export interface TenantCaRegistry {
  get(tenant: string): TenantCaEntry | undefined;
  list(): readonly TenantCaEntry[];
  /** Called after every change; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
}

const CRL_PEM = /^-----BEGIN X509 CRL-----\r?\n[A-Za-z0-9+/=\r\n]+-----END X509 CRL-----\s*$/;

export function parseTenantCa(tenant: string, certificatePem: string, crlPem: string): TenantCaEntry {
  if (!isValidTenantId(tenant)) throw new TesseraError(ErrorCodes.INVALID_TENANT_ID, 'tenant id must be 1-63 characters of [a-z0-9-]');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (err) {
    throw new TesseraError(ErrorCodes.CERT_INVALID, 'tenant CA certificate is not a PEM certificate', { cause: err });
  }
  if (!certificate.ca) throw new TesseraError(ErrorCodes.CERT_INVALID, 'tenant CA certificate is not a CA certificate');
  if (!CRL_PEM.test(crlPem.trim() + '\n')) throw new TesseraError(ErrorCodes.CERT_INVALID, 'tenant CA CRL is not a PEM X509 CRL');
  return { tenant, certificate, certificatePem: certificatePem.trim() + '\n', crlPem: crlPem.trim() + '\n' };
}

export class InMemoryTenantCaRegistry implements TenantCaRegistry {
  private readonly entries = new Map<string, TenantCaEntry>();
  private readonly listeners = new Set<() => void>();

  get(tenant: string): TenantCaEntry | undefined {
    return this.entries.get(tenant);
  }

  list(): readonly TenantCaEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.tenant < b.tenant ? -1 : 1));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers (or replaces) a tenant's CA and CRL. */
  set(tenant: string, certificatePem: string, crlPem: string): void {
    this.entries.set(tenant, parseTenantCa(tenant, certificatePem, crlPem));
    this.emit();
  }

  delete(tenant: string): void {
    if (this.entries.delete(tenant)) this.emit();
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** A registry with no tenants (ports that never accept tenant principals). */
export const EMPTY_TENANT_CA_REGISTRY: TenantCaRegistry = {
  get: () => undefined,
  list: () => [],
  onChange: () => () => undefined,
};
