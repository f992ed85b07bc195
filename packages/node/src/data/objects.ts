/**
 * Objects of a tenant on the gateway node (DESIGN sections 6 and 7): a put
 * or delete is a delta whose cleartext header (keyTag, chunk refs, sizes)
 * the metadata group checks and whose payload (name, attributes, chunk
 * order, small-object bytes) only the tenant's data key opens; reads find
 * the latest delta by keyTag after a ReadIndex barrier, open it, and read
 * only the chunks covering the requested range.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { MetadataMachine } from '../metadata/machine.js';
import type { ObjectChangeCursor } from '../metadata/object-changes.js';
import type { SessionRef, StoredDelta, TenantRecord } from '../metadata/types.js';
import { objectSize, OBJECT_LIMITS, type ObjectPayload } from '../objects/payload.js';
import { objectKeyTag, openObjectPut, sealObjectPut, sealTombstone } from '../objects/delta-crypto.js';
import { LIST_PAGE_MAX, NameIndex, type IndexedObject } from '../objects/name-index.js';
import { syncNameIndex } from '../objects/index-sync.js';
import { planRange, type ChunkSlice } from '../objects/range.js';
import type { ChunkStore } from './chunk-store.js';
import type { NodeKeys } from './node-keys.js';
import type { MetadataProposer } from './proposer.js';

export interface ObjectMetaView {
  readonly name: string;
  readonly size: number;
  readonly modifiedMs: number;
  readonly etag: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly chunks: number;
}

export interface ObjectRead {
  readonly meta: ObjectMetaView;
  readonly start: number;
  readonly end: number;
  /** The requested bytes, chunk slice by chunk slice, in order. */
  readonly parts: AsyncIterable<Buffer>;
}

export interface ObjectServiceDeps {
  readonly machine: MetadataMachine;
  readonly proposer: MetadataProposer;
  readonly readBarrier: () => Promise<void>;
  readonly keys: NodeKeys;
  readonly chunks: ChunkStore;
  readonly clock: () => number;
}

export class ObjectService {
  /** Per-tenant sorted name index, in memory only; dropped with the tenant's keys. */
  private readonly indexes = new Map<string, NameIndex<ObjectChangeCursor>>();

  constructor(private readonly deps: ObjectServiceDeps) {
    deps.keys.client.onTenantKeysDropped((tenant) => this.dropIndex(tenant));
  }

  dropIndex(tenant: string): void {
    this.indexes.get(tenant)?.clear();
    this.indexes.delete(tenant);
  }

  async put(tenant: TenantRecord, session: SessionRef, name: string, chunkIds: readonly Buffer[], attributes: ReadonlyMap<string, string>, inline: Buffer): Promise<ObjectMetaView> {
    const { deps } = this;
    if (chunkIds.length > OBJECT_LIMITS.chunks) throw invalid(`an object has at most ${OBJECT_LIMITS.chunks} chunks`);
    if (inline.byteLength > OBJECT_LIMITS.inlineBytes) throw invalid(`inline data is at most ${OBJECT_LIMITS.inlineBytes} bytes; larger objects go in chunks`);
    if (inline.byteLength > 0 && chunkIds.length > 0) throw invalid('an object has either inline data or chunks');
    for (const id of chunkIds) if (id.byteLength !== 32) throw new TesseraError(ErrorCodes.NOT_FOUND, 'chunk not found');
    // Sizes come from committed records (a chunk id's size never changes). Local applied state is
    // asked first; only when it lacks a record or reference (this gateway has not applied the upload
    // yet) is a ReadIndex barrier worth its round trip. The metadata group re-checks every reference
    // at apply and answers NOT_FOUND for a chunk this tenant does not hold.
    const lookUp = (): Array<{ id: Buffer; size: number }> | undefined => {
      const out: Array<{ id: Buffer; size: number }> = [];
      for (const id of chunkIds) {
        const record = deps.machine.holdsReference(tenant.id, id, session.clientId) ? deps.machine.chunk(id) : undefined;
        if (record === undefined) return undefined;
        out.push({ id: Buffer.from(id), size: record.size });
      }
      return out;
    };
    let chunks = lookUp();
    if (chunks === undefined) {
      await deps.readBarrier();
      chunks = lookUp();
    }
    if (chunks === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'chunk not found');
    const payload: ObjectPayload = { name, attributes, chunks, inline };
    const { key: tdk, epoch: tenEpoch } = await deps.keys.dataKey(tenant.id);
    const keyTag = objectKeyTag(await deps.keys.indexKey(tenant.id), name);
    // The header's chunk refs are the payload's distinct ids (so header and payload cannot disagree).
    const sealed = sealObjectPut({ tenant: tenant.id, tenEpoch, keyTag, clientId: session.clientId, seq: session.seq }, payload, tdk);
    const result = await deps.chunks.stats.dataPath.timed('commit', () => deps.proposer.propose({ op: 'delta', timeMs: deps.clock(), session, header: sealed.header, payload: sealed.payload }));
    if (result.kind === 'error') throw new TesseraError(result.code, refusalMessage(result.code), { retriable: result.retriable });
    if (result.kind !== 'delta') throw new TesseraError(ErrorCodes.INTERNAL, 'unexpected result');
    return { name, size: objectSize(payload), modifiedMs: result.leaderTimeMs, etag: sealed.header.deltaId.toString('hex'), attributes, chunks: chunks.length };
  }

  async stat(tenant: TenantRecord, name: string): Promise<ObjectMetaView> {
    const { meta } = await this.find(tenant, name);
    return meta;
  }

  async get(tenant: TenantRecord, name: string, offset: number, length: number): Promise<ObjectRead> {
    const { meta, payload } = await this.find(tenant, name);
    if (payload.chunks.length === 0) {
      const { slices, start, end } = planRange([payload.inline.byteLength], offset, length);
      const bytes = slices.length === 0 ? [] : [payload.inline.subarray(slices[0]!.from, slices[0]!.to)];
      return { meta, start, end, parts: iterate(bytes) };
    }
    const { slices, start, end } = planRange(
      payload.chunks.map((c) => c.size),
      offset,
      length,
    );
    return { meta, start, end, parts: this.readSlices(tenant, payload, slices) };
  }

  async delete(tenant: TenantRecord, session: SessionRef, name: string): Promise<boolean> {
    const { deps } = this;
    await deps.readBarrier();
    const keyTag = objectKeyTag(await deps.keys.indexKey(tenant.id), name);
    if (deps.machine.latestObject(tenant.id, keyTag) === undefined) return false;
    const { key: tdk, epoch: tenEpoch } = await deps.keys.dataKey(tenant.id);
    const sealed = sealTombstone({ tenant: tenant.id, tenEpoch, keyTag, clientId: session.clientId, seq: session.seq }, tdk);
    const result = await deps.chunks.stats.dataPath.timed('commit', () => deps.proposer.propose({ op: 'delta', timeMs: deps.clock(), session, header: sealed.header, payload: sealed.payload }));
    if (result.kind === 'error') throw new TesseraError(result.code, refusalMessage(result.code), { retriable: result.retriable });
    return true;
  }

  /**
   * One page of the tenant's names. The name index is brought up to date
   * from the metadata journal's changes since its mark: O(changes), with a
   * payload opened per changed object; only the first list, or one after a
   * resync (restore, restart, journal overrun, purge), walks every current
   * object (issue #12).
   */
  async list(tenant: TenantRecord, prefix: string, limit: number, token: string | undefined): Promise<{ objects: IndexedObject[]; nextToken: string | undefined }> {
    const { deps } = this;
    if (limit < 0 || limit > LIST_PAGE_MAX) throw invalid(`a page holds 1 to ${LIST_PAGE_MAX} names`);
    await deps.readBarrier();
    let index = this.indexes.get(tenant.id);
    if (index === undefined) {
      index = new NameIndex<ObjectChangeCursor>();
      this.indexes.set(tenant.id, index);
    }
    const describe = async (keyTag: string, sequence: number): Promise<IndexedObject> => {
      const delta = deps.machine.delta(tenant.id, sequence);
      if (delta === undefined) throw new TesseraError(ErrorCodes.INTERNAL, 'delta vanished while listing');
      const payload = await this.openPayload(tenant, delta);
      return { name: payload.name, keyTag, sequence, size: objectSize(payload), modifiedMs: delta.leaderTimeMs, chunks: payload.chunks.length };
    };
    await syncNameIndex(index, deps.machine, tenant.id, describe);
    return index.page(prefix, limit === 0 ? LIST_PAGE_MAX : limit, token);
  }

  private async find(tenant: TenantRecord, name: string): Promise<{ meta: ObjectMetaView; payload: ObjectPayload; delta: StoredDelta }> {
    const { deps } = this;
    await deps.readBarrier();
    const keyTag = objectKeyTag(await deps.keys.indexKey(tenant.id), name);
    const delta = deps.machine.latestObject(tenant.id, keyTag);
    if (delta === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'object not found');
    const payload = await this.openPayload(tenant, delta);
    // A keyTag is an HMAC of the name: a different name here would be a collision or a bug; never serve it.
    if (payload.name !== name) throw new TesseraError(ErrorCodes.NOT_FOUND, 'object not found');
    const meta: ObjectMetaView = {
      name,
      size: objectSize(payload),
      modifiedMs: delta.leaderTimeMs,
      etag: delta.header.deltaId.toString('hex'),
      attributes: payload.attributes,
      chunks: payload.chunks.length,
    };
    return { meta, payload, delta };
  }

  private async openPayload(tenant: TenantRecord, delta: StoredDelta): Promise<ObjectPayload> {
    const { key } = await this.deps.keys.dataKey(tenant.id, delta.header.tenEpoch);
    return openObjectPut(delta.header, delta.payload, key);
  }

  private async *readSlices(tenant: TenantRecord, payload: ObjectPayload, slices: readonly ChunkSlice[]): AsyncGenerator<Buffer> {
    for (const slice of slices) {
      const chunk = payload.chunks[slice.index]!;
      const record = this.deps.machine.chunk(chunk.id);
      if (record === undefined) throw new TesseraError(ErrorCodes.CHUNK_GONE, 'chunk is gone', { retriable: true });
      const plaintext = await this.deps.chunks.read(tenant, record);
      yield plaintext.subarray(slice.from, slice.to);
    }
  }
}

async function* iterate(parts: readonly Buffer[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield p;
}

function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

function refusalMessage(code: string): string {
  switch (code) {
    case ErrorCodes.NOT_FOUND:
      return 'chunk not found';
    case ErrorCodes.QUOTA_EXCEEDED:
      return 'tenant quota exceeded';
    default:
      return 'request refused';
  }
}
