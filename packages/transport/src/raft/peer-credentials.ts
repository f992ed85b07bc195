/**
 * Channel credentials for Raft links: this member's certificate as the client
 * certificate, the cluster CA(s) and CRLs as trust, and a server check that
 * the far end is exactly `<kind>/<peer id>` — `node/…` between storage nodes,
 * `keymanager/…` between key managers — (not merely some member: a link may
 * be routed through a proxy or a stale address, and only the certificate
 * proves who answers). Material is loaded once and reloaded on file change
 * or SIGHUP; every link's credentials then use it for later connections.
 */
import type { PeerCertificate } from 'node:tls';
import { toTesseraError } from '@tessera/common';
import type { NodeId } from '@tessera/raft';
import { authenticateCertificate } from '../identity/authenticate.js';
import { EMPTY_TENANT_CA_REGISTRY } from '../identity/tenant-registry.js';
import { ReloadableChannelCredentials } from '../tls/channel-credentials.js';
import { loadTlsMaterial, type TlsFiles, type TlsMaterial } from '../tls/material.js';
import { watchForReload, type ReloadTrigger } from '../tls/watch.js';
import type { MemberKind } from './admission.js';

export interface PeerCredentialsOptions {
  readonly trustDomain: string;
  readonly tls: TlsFiles;
  /** Reload on file change and SIGHUP (default true). */
  readonly watch?: boolean;
  /** Kind of principal every peer must be (default `node`). */
  readonly memberKind?: MemberKind;
}

export class PeerCredentials {
  private material: TlsMaterial;
  private readonly issued = new Set<ReloadableChannelCredentials>();
  private trigger: ReloadTrigger | undefined;

  private constructor(
    private readonly options: PeerCredentialsOptions,
    material: TlsMaterial,
  ) {
    this.material = material;
  }

  static async load(options: PeerCredentialsOptions): Promise<PeerCredentials> {
    const creds = new PeerCredentials(options, await loadTlsMaterial(options.tls));
    if (options.watch !== false) {
      const { certFile, keyFile, caFile, crlFile } = options.tls;
      creds.trigger = watchForReload({ files: [certFile, keyFile, caFile, crlFile], onTrigger: () => void creds.reload().catch(() => undefined) });
    }
    return creds;
  }

  /** Credentials that accept only `<member kind>/<peer>` of our trust domain as the server. */
  forPeer(peer: NodeId): ReloadableChannelCredentials {
    const expected = `spiffe://${this.options.trustDomain}/${this.options.memberKind ?? 'node'}/${peer}`;
    const creds = new ReloadableChannelCredentials(this.contextOptions(), (cert: PeerCertificate) => {
      const auth = authenticateCertificate(cert.raw, {
        trustDomain: this.options.trustDomain,
        clusterCas: () => this.material.clusterCas,
        tenantCas: EMPTY_TENANT_CA_REGISTRY,
      });
      return auth.ok && auth.principal.spiffeId === expected ? undefined : new Error('peer identity is not the expected member');
    });
    this.issued.add(creds);
    return creds;
  }

  /** Stops updating credentials of a closed link. */
  release(creds: ReloadableChannelCredentials): void {
    this.issued.delete(creds);
  }

  async reload(): Promise<void> {
    let material: TlsMaterial;
    try {
      material = await loadTlsMaterial(this.options.tls);
    } catch (err) {
      throw toTesseraError(err);
    }
    this.material = material;
    for (const creds of this.issued) creds.update(this.contextOptions());
  }

  close(): void {
    this.trigger?.close();
    this.issued.clear();
  }

  private contextOptions(): { cert: Buffer; key: Buffer; ca: string[]; crl: string[] } {
    return { cert: this.material.cert, key: this.material.key, ca: [...this.material.caPems], crl: [...this.material.crlPems] };
  }
}
