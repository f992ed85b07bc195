/**
 * What a port trusts at the TLS layer. The peer port trusts the cluster CA(s)
 * only. The client and key-manager ports also trust every registered tenant
 * CA — a server has one trust store — and authentication then checks which CA
 * issued each leaf (identity/authenticate.ts).
 *
 * OpenSSL finds issuers and CRLs by subject name, so a tenant CA whose subject
 * equals a cluster CA's, or another tenant CA's, could be confused with it: such
 * a tenant CA is left out of the trust store (and reported) rather than trusted.
 */
import type { TenantCaEntry } from '../identity/tenant-registry.js';
import type { TlsMaterial } from './material.js';

export interface TrustStore {
  readonly ca: readonly string[];
  readonly crl: readonly string[];
  /** Tenant CAs left out, with the reason. */
  readonly skipped: readonly { readonly tenant: string; readonly reason: 'subject-collision' }[];
}

export function buildTrustStore(material: TlsMaterial, tenants: readonly TenantCaEntry[] | undefined): TrustStore {
  const ca = [...material.caPems];
  const crl = [...material.crlPems];
  const skipped: { tenant: string; reason: 'subject-collision' }[] = [];
  if (tenants === undefined) return { ca, crl, skipped };
  const subjects = new Map<string, number>();
  const count = (subject: string): void => {
    subjects.set(subject, (subjects.get(subject) ?? 0) + 1);
  };
  for (const c of material.clusterCas) count(c.subject);
  for (const t of tenants) count(t.certificate.subject);
  const clusterSubjects = new Set(material.clusterCas.map((c) => c.subject));
  for (const t of tenants) {
    const subject = t.certificate.subject;
    if (clusterSubjects.has(subject) || (subjects.get(subject) ?? 0) > 1) {
      skipped.push({ tenant: t.tenant, reason: 'subject-collision' });
      continue;
    }
    ca.push(t.certificatePem);
    crl.push(t.crlPem);
  }
  return { ca, crl, skipped };
}
