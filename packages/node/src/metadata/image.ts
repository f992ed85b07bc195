/**
 * The whole metadata state in canonical binary: what snapshots stream, what
 * the machine persists, and what `digest` hashes for replica comparison.
 * Every table is written in ascending key order and the decoder accepts
 * nothing else, so equal states have equal bytes.
 *
 *   magic "TMDS" | version u8 | applied u64 | nowMs u64 | minDecryptEpoch u64 | gcGraceMs u64 |
 *   sessions (u32 length + session table) |
 *   nodes u32 × node | devices u32 × device | tenants u32 × tenant |
 *   chunks u32 × chunk record (chunk-codec.ts: commit, state, times, retired placements) |
 *   epoch counts u32 × (epoch u64 | count u64) |
 *   tenant data u32 × (tenant | nextSequence u64 |
 *                      deltas u32 × (sequence u64 | leaderTimeMs u64 | header | payload u32+bytes) |
 *                      pending u32 × (clientId u64 | u32 × (chunkId 32 B | addedAtMs u64))) |
 *   access section (access requests, grants, grant audit trail: ../access/persist.ts) |
 *   audit section (every entry of every audit chain: audit-log.ts)
 *
 * References, latest versions, usage and the chunk indexes are derived on decode.
 */
import { createHash } from 'node:crypto';
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { MAX_GC_GRACE_MS, MIN_GC_GRACE_MS } from './gc-grace.js';
import { readSessionOwners, writeSessionOwners } from './session-owners.js';
import { SessionTable, decodeSessionTable, encodeSessionTable, type SessionLimits } from '@tessera/raft';
import {
  METADATA_LIMITS,
  bad,
  readCount,
  readDeltaHeader,
  readDevice,
  readNode,
  readTenant,
  readTenantRecord,
  writeDeltaHeader,
  writeDevice,
  writeNode,
  writeTenant,
  writeTenantRecord,
} from './fields.js';
import { readChunkRecord, writeChunkRecord } from './chunk-codec.js';
import { MetadataState, deviceKey } from './state.js';
import { emptyTenantData, isEmptyTenantData, type TenantData } from './tenant-data.js';
import { readAccessSection, writeAccessSection } from '../access/persist.js';

const MAGIC = Buffer.from('TMDS', 'latin1');
/** 4: the access section; 5: the audit chains (issue #9). Version 4 images still decode (with no chains). */
const VERSION = 5;
const OLDEST_READABLE_VERSION = 4;

const ascending = <T>(map: ReadonlyMap<string, T>): Array<[string, T]> => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const ascendingNumbers = <T>(map: ReadonlyMap<number, T>): Array<[number, T]> => [...map].sort(([a], [b]) => a - b);

export function encodeMetadataImage(state: MetadataState, appliedIndex: number): Buffer {
  const w = new BinaryWriter(4096);
  w.raw(MAGIC).u8(VERSION).u64(appliedIndex).u64(state.nowMs).u64(state.minDecryptEpoch).u64(state.gcGraceMs).bytes(encodeSessionTable(state.sessions), 4);
  writeSessionOwners(w, state);
  w.u32(state.nodes.size);
  for (const [, node] of ascending(state.nodes)) writeNode(w, node);
  w.u32(state.devices.size);
  for (const [, device] of ascending(state.devices)) writeDevice(w, device);
  w.u32(state.tenants.size);
  for (const [, tenant] of ascending(state.tenants)) writeTenantRecord(w, tenant);
  w.u32(state.chunks.size);
  for (const [, chunk] of ascending(state.chunks)) writeChunkRecord(w, chunk);
  w.u32(state.epochCounts.size);
  for (const [epoch, count] of ascendingNumbers(state.epochCounts)) w.u64(epoch).u64(count);
  // A tenant with no sequence, deltas or pending references has no entry (it is
  // the same state as no data at all, however the replica came by it).
  const tenantData = ascending(state.tenantData).filter(([, data]) => !isEmptyTenantData(data));
  w.u32(tenantData.length);
  for (const [tenant, data] of tenantData) {
    writeTenant(w, tenant).u64(data.nextSequence).u32(data.deltas.size);
    for (const [, d] of ascendingNumbers(data.deltas)) writeDeltaHeader(w.u64(d.sequence).u64(d.leaderTimeMs), d.header).bytes(d.payload, 4, METADATA_LIMITS.deltaEntryBytes);
    w.u32(data.pending.size);
    for (const [clientId, chunks] of ascendingNumbers(data.pending)) {
      w.u64(clientId).u32(chunks.size);
      for (const [chunk, at] of ascending(chunks)) w.fixed(Buffer.from(chunk, 'hex'), METADATA_LIMITS.chunkIdBytes).u64(at);
    }
  }
  writeAccessSection(w, state.access);
  state.audit.writeSection(w);
  return w.finish();
}

/** SHA-256 of the canonical image: equal on replicas that applied the same entries. */
export function metadataDigest(state: MetadataState, appliedIndex: number): string {
  return createHash('sha256').update(encodeMetadataImage(state, appliedIndex)).digest('hex');
}

/** Decodes an image (empty bytes: the empty state of a new cluster). */
export function decodeMetadataImage(bytes: Uint8Array, sessionLimits: Partial<SessionLimits> = {}): { state: MetadataState; appliedIndex: number } {
  if (bytes.byteLength === 0) return { state: new MetadataState(new SessionTable(sessionLimits)), appliedIndex: 0 };
  const r = new BinaryReader(bytes);
  r.expectMagic(MAGIC);
  const version = r.u8();
  if (version < OLDEST_READABLE_VERSION || version > VERSION) throw bad('unknown metadata image version');
  const appliedIndex = r.u64Number();
  const nowMs = r.u64Number();
  const minDecryptEpoch = r.u64Number();
  const gcGraceMs = r.u64Number();
  if (gcGraceMs < MIN_GC_GRACE_MS || gcGraceMs > MAX_GC_GRACE_MS) throw bad('gcGrace out of range');
  const state = new MetadataState(decodeSessionTable(r.bytes(4), sessionLimits));
  state.nowMs = nowMs;
  state.minDecryptEpoch = minDecryptEpoch;
  state.gcGraceMs = gcGraceMs;
  readSessionOwners(r, state);
  readSorted(r, 2, () => {
    const node = readNode(r);
    state.nodes.set(node.nodeId, node);
    return node.nodeId;
  });
  readSorted(r, 8, () => {
    const device = readDevice(r);
    const key = deviceKey(device.nodeId, device.deviceId);
    if (!state.nodes.has(device.nodeId)) throw bad('device of an unknown node');
    state.devices.set(key, device);
    return key;
  });
  readSorted(r, 16, () => {
    const tenant = readTenantRecord(r);
    state.tenants.set(tenant.id, tenant);
    return tenant.id;
  });
  readSorted(r, 106, () => {
    const record = readChunkRecord(r);
    const key = record.chunkId.toString('hex');
    state.chunks.set(key, record);
    return key;
  });
  readSortedNumbers(r, 16, () => {
    const epoch = r.u64Number();
    state.epochCounts.set(epoch, r.u64Number());
    return epoch;
  });
  readSorted(r, 18, () => {
    const tenant = readTenant(r);
    const data = readTenantData(r);
    if (isEmptyTenantData(data)) throw bad('empty tenant data entry');
    state.tenantData.set(tenant, data);
    return tenant;
  });
  readAccessSection(r, state.access);
  if (version >= 5) state.audit.readSection(r);
  r.end();
  state.rebuildDerived();
  return { state, appliedIndex };
}

function readTenantData(r: BinaryReader): TenantData {
  const data = emptyTenantData();
  data.nextSequence = r.u64Number();
  readSortedNumbers(r, 100, () => {
    const sequence = r.u64Number();
    const leaderTimeMs = r.u64Number();
    const header = readDeltaHeader(r);
    const payload = Buffer.from(r.bytes(4, METADATA_LIMITS.deltaEntryBytes));
    if (sequence < 1 || sequence >= data.nextSequence) throw bad('delta sequence out of range');
    data.deltas.set(sequence, { header, sequence, leaderTimeMs, payload });
    return sequence;
  });
  readSortedNumbers(r, 12, () => {
    const clientId = r.u64Number();
    const chunks = new Map<string, number>();
    readSorted(r, 40, () => {
      const chunk = Buffer.from(r.fixed(METADATA_LIMITS.chunkIdBytes)).toString('hex');
      chunks.set(chunk, r.u64Number());
      return chunk;
    });
    if (chunks.size === 0) throw bad('empty pending set');
    data.pending.set(clientId, chunks);
    return clientId;
  });
  return data;
}

/** Reads a u32 count of items, each returning its key, and insists on strictly ascending keys. */
function readSorted(r: BinaryReader, minBytes: number, item: () => string): void {
  const count = readCount(r, minBytes, Number.MAX_SAFE_INTEGER);
  let previous: string | undefined;
  for (let i = 0; i < count; i++) {
    const key = item();
    if (previous !== undefined && key <= previous) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'metadata image keys out of order');
    previous = key;
  }
}

function readSortedNumbers(r: BinaryReader, minBytes: number, item: () => number): void {
  const count = readCount(r, minBytes, Number.MAX_SAFE_INTEGER);
  let previous = -1;
  for (let i = 0; i < count; i++) {
    const key = item();
    if (key <= previous) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'metadata image keys out of order');
    previous = key;
  }
}
