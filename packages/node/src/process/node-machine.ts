/**
 * The metadata group's state machine as the node runs it: the metadata
 * state machine (chunks, references, deltas, tenants, topology) and the
 * key-value test machine (integration, chaos and consensus benchmarks) share
 * the group's log. Each normal entry starts with one tag byte naming its
 * machine; each machine sees every entry (the other machine's as empty
 * no-ops), so both applied indexes move together and each machine's own
 * atomic "records + applied index" batch stays its durability unit.
 *
 * After a crash the two machines may have synced different applied indexes:
 * the composite reports the lower one, and each machine is given only the
 * entries above its own index when the log is replayed.
 *
 * Snapshot image: u32 length of the metadata image, the metadata image, then
 * the key-value image.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { EntryType, type Entry, type Snapshot, type StateMachine } from '@tessera/raft';
import { decodeSnapshotData, type KvMachine, type KvResult } from '../kv/machine.js';
import { decodeMetadataImage } from '../metadata/image.js';
import type { MetadataMachine, MetadataResult } from '../metadata/machine.js';

export const MACHINE_TAGS = { metadata: 0x4d, kv: 0x4b } as const;

export type NodeResult = { readonly machine: 'metadata'; readonly result: MetadataResult } | { readonly machine: 'kv'; readonly result: KvResult } | { readonly machine: 'none'; readonly index: number };

/** Prefixes an encoded command with its machine's tag. */
export function tagCommand(machine: keyof typeof MACHINE_TAGS, command: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(command.byteLength + 1);
  out[0] = MACHINE_TAGS[machine];
  out.set(command, 1);
  return out;
}

function untagged(entry: Entry, data: Uint8Array): Entry {
  return { term: entry.term, index: entry.index, type: entry.type, data };
}

const EMPTY = new Uint8Array(0);

export class NodeMachine implements StateMachine<NodeResult> {
  /** Wall-clock time (ms) this replica last applied an entry (the leader's idle Clock duty reads it). */
  lastApplyAt = 0;

  constructor(
    readonly metadata: MetadataMachine,
    readonly kv: KvMachine,
  ) {}

  appliedIndex(): number {
    return Math.min(this.metadata.appliedIndex(), this.kv.appliedIndex());
  }

  durableAppliedIndex(): number {
    return Math.min(this.metadata.durableAppliedIndex(), this.kv.durableAppliedIndex());
  }

  async apply(entries: readonly Entry[]): Promise<readonly NodeResult[]> {
    if (entries.length > 0) this.lastApplyAt = Date.now();
    const owner: Array<'metadata' | 'kv' | 'none'> = [];
    const forMetadata: Entry[] = [];
    const forKv: Entry[] = [];
    for (const entry of entries) {
      let tag: 'metadata' | 'kv' | 'none' = 'none';
      let body: Uint8Array = EMPTY;
      if (entry.type === EntryType.Normal && entry.data.byteLength > 0) {
        const first = entry.data[0];
        // An entry with an unknown tag is a no-op on every replica (deterministic).
        if (first === MACHINE_TAGS.metadata) tag = 'metadata';
        else if (first === MACHINE_TAGS.kv) tag = 'kv';
        body = tag === 'none' ? EMPTY : entry.data.subarray(1);
      }
      owner.push(tag);
      const mine = entry.type === EntryType.Normal ? untagged(entry, body) : entry;
      const noop = entry.type === EntryType.Normal ? untagged(entry, EMPTY) : entry;
      if (entry.index > this.metadata.appliedIndex()) forMetadata.push(tag === 'metadata' ? mine : noop);
      if (entry.index > this.kv.appliedIndex()) forKv.push(tag === 'kv' ? mine : noop);
    }
    const [mdResults, kvResults] = await Promise.all([this.metadata.apply(forMetadata), this.kv.apply(forKv)]);
    const mdByIndex = new Map(forMetadata.map((e, i) => [e.index, mdResults[i]]));
    const kvByIndex = new Map(forKv.map((e, i) => [e.index, kvResults[i]]));
    return entries.map((entry, i): NodeResult => {
      const tag = owner[i];
      if (tag === 'metadata') {
        const result = mdByIndex.get(entry.index);
        if (result !== undefined) return { machine: 'metadata', result };
      } else if (tag === 'kv') {
        const result = kvByIndex.get(entry.index);
        if (result !== undefined) return { machine: 'kv', result };
      }
      return { machine: 'none', index: entry.index };
    });
  }

  /** Waits until both machines' applied changes are in their stores (clean shutdown, before closing them). */
  async flush(): Promise<void> {
    await Promise.all([this.metadata.flush(), this.kv.flush()]);
  }

  async snapshot(): Promise<Uint8Array> {
    if (this.metadata.appliedIndex() !== this.kv.appliedIndex()) {
      throw new TesseraError(ErrorCodes.INTERNAL, 'state machines disagree on the applied index');
    }
    const md = await this.metadata.snapshot();
    const kv = await this.kv.snapshot();
    const header = Buffer.alloc(4);
    header.writeUInt32BE(md.byteLength, 0);
    return Buffer.concat([header, md, kv]);
  }

  async restore(snapshot: Snapshot): Promise<void> {
    const data = Buffer.from(snapshot.data.buffer, snapshot.data.byteOffset, snapshot.data.byteLength);
    if (data.byteLength === 0) {
      // The bootstrap snapshot (a configuration and no state): both machines start empty.
      await this.metadata.restore(snapshot);
      await this.kv.restore(snapshot);
      return;
    }
    if (data.byteLength < 4) throw new TesseraError(ErrorCodes.CODEC_TRUNCATED, 'snapshot image too short');
    const mdLength = data.readUInt32BE(0);
    if (mdLength > data.byteLength - 4) throw new TesseraError(ErrorCodes.CODEC_TRUNCATED, 'snapshot image truncated');
    const mdImage = data.subarray(4, 4 + mdLength);
    const kvImage = data.subarray(4 + mdLength);
    // Check both halves before replacing either: a half-restored pair would sit at
    // two applied indexes, with the log possibly compacted past the lower one.
    decodeMetadataImage(mdImage);
    decodeSnapshotData(kvImage);
    await this.metadata.restore({ metadata: snapshot.metadata, data: mdImage });
    await this.kv.restore({ metadata: snapshot.metadata, data: kvImage });
  }
}
