/**
 * Authentication: from a peer certificate that TLS has already verified
 * (chain to a trusted CA, validity, CRL), to a principal.
 *
 * TLS alone is not enough, because the client port trusts the cluster CA and
 * every registered tenant CA at once: a tenant CA could sign a certificate
 * claiming `node/x`, and the cluster CA could sign one claiming `tenant/T/...`.
 * So the identity decides which CA must have issued the certificate, and we
 * check the signature against exactly that CA:
 *   node, keymanager, admin  → one of the cluster CAs
 *   tenant/T/admin|client    → T's registered CA, and nothing else
 * Every Tessera CA issues leaves directly (no intermediates), so the leaf's
 * issuer is the anchor. Client-supplied metadata is never consulted.
 */
import { X509Certificate } from 'node:crypto';
import { isTenantKind, parseSpiffeId } from './principal.js';
import type { Principal } from './principal.js';
import { parseSubjectAltName } from './san.js';
import type { TenantCaRegistry } from './tenant-registry.js';

export type AuthenticationFailure =
  | 'no-certificate'
  | 'bad-certificate'
  | 'ca-certificate'
  | 'malformed-san'
  | 'no-uri-san'
  | 'several-uri-sans'
  | 'not-a-tessera-id'
  | 'wrong-trust-domain'
  | 'not-issued-by-cluster-ca'
  | 'unknown-tenant'
  | 'not-issued-by-tenant-ca';

export type Authentication =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: AuthenticationFailure };

export interface AuthenticatorOptions {
  readonly trustDomain: string;
  /** The cluster CA certificates currently trusted (several during a CA rotation). */
  readonly clusterCas: () => readonly X509Certificate[];
  readonly tenantCas: TenantCaRegistry;
}

function issuedBy(leaf: X509Certificate, ca: X509Certificate): boolean {
  return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
}

/** Pure check of one DER certificate against the current trust anchors. */
export function authenticateCertificate(raw: Uint8Array | undefined, options: AuthenticatorOptions): Authentication {
  if (raw === undefined || raw.length === 0) return { ok: false, reason: 'no-certificate' };
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(raw);
  } catch {
    return { ok: false, reason: 'bad-certificate' };
  }
  if (leaf.ca) return { ok: false, reason: 'ca-certificate' };
  const sans = parseSubjectAltName(leaf.subjectAltName);
  if (sans === undefined) return { ok: false, reason: 'malformed-san' };
  const uris = sans.filter((e) => e.type === 'URI');
  const [uri] = uris;
  if (uri === undefined) return { ok: false, reason: 'no-uri-san' };
  if (uris.length > 1) return { ok: false, reason: 'several-uri-sans' };
  const parsed = parseSpiffeId(uri.value, options.trustDomain);
  if (!parsed.ok) return parsed;
  const principal = parsed.principal;
  if (isTenantKind(principal.kind)) {
    const tenant = 'tenant' in principal ? principal.tenant : '';
    const entry = options.tenantCas.get(tenant);
    if (entry === undefined) return { ok: false, reason: 'unknown-tenant' };
    if (!issuedBy(leaf, entry.certificate)) return { ok: false, reason: 'not-issued-by-tenant-ca' };
  } else if (!options.clusterCas().some((ca) => issuedBy(leaf, ca))) {
    return { ok: false, reason: 'not-issued-by-cluster-ca' };
  }
  return { ok: true, principal };
}

/** The part of a gRPC call or TLS socket that carries the verified peer certificate. */
export interface PeerCertificateSource {
  readonly raw?: Buffer;
  readonly fingerprint256?: string;
}

const CACHE_LIMIT = 1024;

/**
 * Authenticates peers with a small cache keyed by certificate fingerprint.
 * The cache is dropped whenever the trust anchors change (`invalidate`), so a
 * replaced tenant CA takes effect on the next call.
 */
export class PeerAuthenticator {
  private readonly cache = new Map<string, Authentication>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: AuthenticatorOptions) {
    this.unsubscribe = options.tenantCas.onChange(() => this.invalidate());
  }

  close(): void {
    this.unsubscribe();
    this.cache.clear();
  }

  get trustDomain(): string {
    return this.options.trustDomain;
  }

  authenticate(peer: PeerCertificateSource | undefined): Authentication {
    const raw = peer?.raw;
    if (raw === undefined) return { ok: false, reason: 'no-certificate' };
    const key = peer?.fingerprint256;
    if (key !== undefined) {
      const hit = this.cache.get(key);
      if (hit !== undefined) return hit;
    }
    const result = authenticateCertificate(raw, this.options);
    if (key !== undefined) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(key, result);
    }
    return result;
  }

  invalidate(): void {
    this.cache.clear();
  }
}
