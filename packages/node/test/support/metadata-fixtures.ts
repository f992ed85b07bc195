/** Builders for metadata-group tests: commands, entries and a fresh machine. */
import { EntryType, openDurableKv, type DurableKv, type Entry } from '@tessera/raft';
import { tempDirs } from '@tessera/common/testing';
import { encodeMetadataCommand, type MetadataCommand } from '../../src/metadata/commands.js';
import { MetadataMachine, type MetadataResult } from '../../src/metadata/machine.js';
import { MemoryKv } from './memory-kv.js';
import type { ChunkCommit, DeltaHeader, SessionRef } from '../../src/metadata/types.js';

export const T0 = 1_700_000_000_000;

export const chunkIdOf = (n: number): Buffer => Buffer.alloc(32, n);
export const keyTagOf = (n: number): Buffer => Buffer.alloc(32, 0x80 + n);

export function chunkCommit(n: number, overrides: Partial<ChunkCommit> = {}): ChunkCommit {
  return {
    chunkId: chunkIdOf(n),
    size: 1000 + n,
    k: 2,
    m: 1,
    slots: [
      { nodeId: 'n1', deviceId: 'd1', shardIndex: 0 },
      { nodeId: 'n2', deviceId: 'd1', shardIndex: 1 },
      { nodeId: 'n3', deviceId: 'd1', shardIndex: 2 },
    ],
    writeId: Buffer.alloc(16, n),
    sysEpoch: 1,
    tenEpoch: 0,
    gatewayTimeMs: T0,
    ...overrides,
  };
}

export function deltaHeader(tenant: string, session: SessionRef, keyTag: Buffer, chunks: readonly Buffer[], payloadSize: number, op: 'put' | 'delete' = 'put'): DeltaHeader {
  return {
    formatVersion: 1,
    algId: 1,
    tenEpoch: 1,
    tenant,
    deltaId: Buffer.alloc(16, session.seq),
    keyTag,
    op,
    tombstone: op === 'delete',
    chunkRefs: chunks,
    payloadSize,
    clientId: session.clientId,
    seq: session.seq,
    nonce: Buffer.alloc(12, 7),
  };
}

export function putCmd(tenant: string, session: SessionRef, keyTag: Buffer, chunks: readonly Buffer[], payload = Buffer.from('sealed-payload'), timeMs = T0): MetadataCommand {
  return { op: 'delta', timeMs, session, header: deltaHeader(tenant, session, keyTag, chunks, payload.byteLength), payload };
}

export function deleteCmd(tenant: string, session: SessionRef, keyTag: Buffer, timeMs = T0): MetadataCommand {
  const payload = Buffer.from('sealed-tombstone');
  return { op: 'delta', timeMs, session, header: deltaHeader(tenant, session, keyTag, [], payload.byteLength, 'delete'), payload };
}

/** The commands that set up three nodes with one device each and the given active tenants. */
export function topologyAndTenants(tenants: ReadonlyArray<{ id: string; policy?: 'shared' | 'isolated'; quotaBytes?: number }>): MetadataCommand[] {
  const cmds: MetadataCommand[] = [];
  for (const n of ['n1', 'n2', 'n3']) {
    cmds.push({ op: 'registerNode', timeMs: T0, node: { nodeId: n, address: `127.0.0.1:70${n.slice(1)}` } });
    cmds.push({ op: 'addDevice', timeMs: T0, device: { nodeId: n, deviceId: 'd1', pool: 'default', capacityBytes: 1 << 30, state: 'healthy' } });
  }
  for (const t of tenants) {
    cmds.push({ op: 'upsertTenant', timeMs: T0, tenant: { id: t.id, policy: t.policy ?? 'shared', caCertPem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n', caCrlPem: '-----BEGIN X509 CRL-----\nx\n-----END X509 CRL-----\n', state: 'active', quotaBytes: t.quotaBytes ?? 0, keyEpoch: 1, kekVersion: 1 } });
  }
  return cmds;
}

export class Harness {
  private static readonly open = new Set<DurableKv>();
  private nextIndex = 1;
  private constructor(
    readonly kv: DurableKv,
    readonly machine: MetadataMachine,
    readonly dir: string,
  ) {}

  static async create(dirs: ReturnType<typeof tempDirs>): Promise<Harness> {
    const dir = await dirs.make();
    const kv = await openDurableKv(dir, { crashSim: false });
    Harness.open.add(kv);
    return new Harness(kv, await MetadataMachine.open(kv), dir);
  }

  /** A machine over an in-memory store (no LevelDB, no files): for pure state-machine tests. */
  static async inMemory(): Promise<Harness> {
    const kv = new MemoryKv();
    return new Harness(kv, await MetadataMachine.open(kv), '');
  }

  /** Closes every store a harness opened and the test did not close itself. */
  static async closeAll(): Promise<void> {
    const stores = [...Harness.open];
    Harness.open.clear();
    await Promise.all(stores.map((kv) => kv.close().catch(() => undefined)));
  }

  entry(cmd: MetadataCommand): Entry {
    return { term: 1, index: this.nextIndex++, type: EntryType.Normal, data: encodeMetadataCommand(cmd) };
  }

  async run(...cmds: MetadataCommand[]): Promise<MetadataResult[]> {
    return [...(await this.machine.apply(cmds.map((c) => this.entry(c))))];
  }

  async one(cmd: MetadataCommand): Promise<MetadataResult> {
    const [r] = await this.run(cmd);
    if (r === undefined) throw new Error('no result');
    return r;
  }

  /** A session of `tenant` (every client command must name the tenant that opened its session). */
  async openSession(timeMs = T0, tenant = 'a'): Promise<number> {
    const r = await this.one({ op: 'openSession', timeMs, tenant });
    if (r.kind !== 'session') throw new Error(`no session: ${JSON.stringify(r)}`);
    return r.clientId;
  }
}
