/** A metadata machine driven entry by entry over an in-memory store, with tenants a and b (object-change tests). */
import { EntryType, type Entry } from '@tessera/raft';
import { encodeMetadataCommand, type MetadataCommand } from '../../src/metadata/commands.js';
import { MetadataMachine, type MetadataMachineOptions } from '../../src/metadata/machine.js';
import type { ObjectChangeCursor } from '../../src/metadata/object-changes.js';
import type { SessionRef } from '../../src/metadata/types.js';
import { MemoryKv } from './memory-kv.js';
import { T0, topologyAndTenants } from './metadata-fixtures.js';

export class Replica {
  private index = 0;
  private constructor(
    readonly kv: MemoryKv,
    public machine: MetadataMachine,
  ) {}

  static async start(options: MetadataMachineOptions = {}): Promise<Replica> {
    const kv = new MemoryKv();
    const r = new Replica(kv, await MetadataMachine.open(kv, options));
    await r.run(...topologyAndTenants([{ id: 'a' }, { id: 'b' }]));
    return r;
  }

  async run(...cmds: MetadataCommand[]): Promise<void> {
    const entries: Entry[] = cmds.map((cmd) => ({ term: 1, index: ++this.index, type: EntryType.Normal, data: encodeMetadataCommand(cmd) }));
    for (const result of await this.machine.apply(entries)) if (result.kind === 'error') throw new Error(`refused: ${result.code}`);
  }

  async session(tenant: string, timeMs = T0): Promise<() => SessionRef> {
    const [result] = await this.machine.apply([{ term: 1, index: ++this.index, type: EntryType.Normal, data: encodeMetadataCommand({ op: 'openSession', timeMs, tenant }) }]);
    if (result?.kind !== 'session') throw new Error('no session');
    let seq = 0;
    const clientId = result.clientId;
    return () => ({ clientId, seq: ++seq, ackedThrough: seq - 1 });
  }

  cursor(tenant = 'a'): ObjectChangeCursor {
    return this.machine.objectChangesSince(tenant, undefined).cursor;
  }

  /** A clean restart: every applied change written to the store, then a new machine loaded from it. */
  async reopen(options: MetadataMachineOptions = {}): Promise<void> {
    await this.machine.flush();
    this.machine = await MetadataMachine.open(this.kv, options);
  }

  async restore(data: Uint8Array): Promise<void> {
    await this.machine.restore({ data, metadata: { index: this.machine.appliedIndex(), term: 1, confState: { voters: [], learners: [] } } });
  }
}

