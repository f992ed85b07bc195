/** Shared fixtures for the key-manager tests. */
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { rawEd25519PublicKey, type AuditBatcher } from '@tessera/audit';
import { KeyMaterial, unwrapKey, wrapKey, type WrapContext } from '@tessera/crypto';
import type { DurableKv } from '@tessera/common/durable';
import {
  KeyAdmin,
  KeyManagerStateMachine,
  KeyService,
  checkContextForKey,
  kmAuditBatcher,
  encodeEnvelope,
  kekDestroyed,
  kekKeyId,
  kekTenant,
  type Actor,
  type KeyRef,
  type KmGroup,
  type NodeCaller,
  type ProviderHealth,
  type RootProvider,
} from '../src/index.js';

export const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBdGVzdC1jYS1ub3QtYS1yZWFsLWNlcnQ=\n-----END CERTIFICATE-----\n';
export const CA_PEM_2 = '-----BEGIN CERTIFICATE-----\nMIIBc2Vjb25kLXRlc3QtY2E=\n-----END CERTIFICATE-----\n';
export const CRL_PEM = '-----BEGIN X509 CRL-----\nMIIBY3Js\n-----END X509 CRL-----\n';

export const clusterAdmin: Actor = { role: 'cluster-admin', principal: 'spiffe://td/admin/alice', tenant: '' };
export function tenantAdmin(tenant: string, name = 'bob'): Actor {
  return { role: 'tenant-admin', principal: `spiffe://td/tenant/${tenant}/admin/${name}`, tenant };
}
export const PIN_A = Buffer.alloc(32, 0xa1);
export function nodeCaller(id: string, pin: Buffer = PIN_A): NodeCaller {
  return { nodeId: id, principal: `spiffe://td/node/${id}`, spkiSha256: pin };
}

/**
 * A root provider in memory: KWP under keys held in a Map, Ed25519 in
 * process. Shareable (a stand-in for one token used by several members).
 */
export class MemoryRootProvider implements RootProvider {
  readonly kind = 'memory';
  readonly shareable = true;
  readonly #keys = new Map<string, KeyMaterial>();
  readonly #audit = generateKeyPairSync('ed25519');
  readonly destroyed: string[] = [];
  failDestroy = false;

  constructor() {
    this.#keys.set('root#1', KeyMaterial.generate());
  }

  rootKey(): KeyRef {
    return { provider: 'memory', keyId: 'root', version: 1 };
  }
  auditKey(): KeyRef {
    return { provider: 'memory', keyId: 'audit', version: 1 };
  }
  async createKek(tenant: string, version: number): Promise<KeyRef> {
    const ref = { provider: 'memory', keyId: kekKeyId(tenant), version };
    const id = `${ref.keyId}#${version}`;
    if (!this.#keys.has(id)) this.#keys.set(id, KeyMaterial.generate());
    return ref;
  }
  async destroyKek(ref: KeyRef): Promise<void> {
    if (this.failDestroy) throw new Error('token offline');
    const id = `${ref.keyId}#${ref.version}`;
    const key = this.#keys.get(id);
    this.destroyed.push(id);
    key?.destroy();
    this.#keys.delete(id);
  }
  async listKekVersions(tenant: string): Promise<number[]> {
    const prefix = `${kekKeyId(tenant)}#`;
    return [...this.#keys.keys()].filter((k) => k.startsWith(prefix)).map((k) => Number(k.slice(prefix.length))).sort((a, b) => a - b);
  }
  #key(ref: KeyRef): KeyMaterial {
    const key = this.#keys.get(`${ref.keyId}#${ref.version}`);
    if (key === undefined) {
      if (kekTenant(ref) !== undefined) throw kekDestroyed();
      throw new Error('no such key');
    }
    return key;
  }
  async wrap(ref: KeyRef, key: KeyMaterial, context: WrapContext): Promise<Buffer> {
    checkContextForKey(ref, context);
    return wrapKey(this.#key(ref), key, context);
  }
  async unwrap(ref: KeyRef, wrapped: Uint8Array, context: WrapContext): Promise<KeyMaterial> {
    checkContextForKey(ref, context);
    return unwrapKey(this.#key(ref), wrapped, context);
  }
  async auditPublicKey(): Promise<Buffer> {
    return rawEd25519PublicKey(this.#audit.publicKey);
  }
  async signAudit(message: Uint8Array): Promise<Buffer> {
    return nodeSign(null, message, this.#audit.privateKey);
  }
  async health(): Promise<ProviderHealth> {
    return { ok: true, provider: this.kind };
  }
  async close(): Promise<void> {}
  /** Test access to every key the provider holds now (for "nothing can unwrap" checks). */
  allKeys(): KeyMaterial[] {
    return [...this.#keys.values()];
  }
}

/** A KmGroup that applies straight to a state machine (one member, no Raft), for unit tests. */
export class DirectGroup implements KmGroup {
  #index: number;
  constructor(readonly machine: KeyManagerStateMachine) {
    this.#index = machine.appliedIndex();
  }
  async propose(envelope: Parameters<KmGroup['propose']>[0]): ReturnType<KmGroup['propose']> {
    const [result] = await this.machine.apply([{ term: 1, index: ++this.#index, type: 'normal', data: encodeEnvelope(envelope) }]);
    return result!;
  }
  async read(): ReturnType<KmGroup['read']> {
    return this.machine.state;
  }
}

export interface Stack {
  readonly machine: KeyManagerStateMachine;
  readonly group: DirectGroup;
  readonly audit: AuditBatcher;
  readonly admin: KeyAdmin;
  readonly service: KeyService;
  readonly clock: { now: number };
}

/** A one-member key manager without Raft: state machine, admin, key service, audit batcher. */
export async function stack(kv: DurableKv, provider: RootProvider, clock = { now: 1_700_000_000_000 }): Promise<Stack> {
  const machine = await KeyManagerStateMachine.open({ kv, provider });
  const group = new DirectGroup(machine);
  const audit = kmAuditBatcher({ group, clock: () => clock.now });
  const admin = new KeyAdmin({ group, provider, audit, clock: () => clock.now });
  const service = new KeyService({ group, provider, audit, clock: () => clock.now });
  return { machine, group, audit, admin, service, clock };
}

/** A tenant with keys and one allow-listed node. */
export async function seed(s: Stack, tenant = 'acme', policy: 'shared' | 'isolated' = 'isolated'): Promise<void> {
  await s.admin.initSystem();
  await s.admin.createTenant(clusterAdmin, { tenant, policy, caCertPem: CA_PEM, caCrlPem: CRL_PEM });
  await s.admin.createTenantKeys(tenantAdmin(tenant), tenant);
  await s.admin.setNodePin(clusterAdmin, 'n1', PIN_A);
}
