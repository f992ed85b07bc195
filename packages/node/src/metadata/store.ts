/**
 * The metadata state's LevelDB layout: one key per record, so an apply
 * writes only what it changed (plus the meta record), in one batch.
 *
 *   0x00                         meta: magic "TMDM" | version | applied u64 | nowMs u64 |
 *                                      minDecryptEpoch u64 | gcGraceMs u64 | session table (u32 + bytes)
 *   'n' nodeId                   node            'd' nodeId 0x00 deviceId   device
 *   't' tenant                   tenant record   'c' chunkId (32 B)         chunk record
 *   'e' epoch u64                live chunks     's' tenant                 next delta sequence
 *   'D' len u8 tenant seq u64    delta           'p' len u8 tenant client u64  pending references
 *   'a' tenant                   access records  'A' len u8 tenant seq u64     grant audit entry
 *   'L' len u8 chain seq u64     audit chain entry (audit-log.ts)
 *   (the access records: ../access/persist.ts)
 *
 * Values use the same canonical field codecs as commands and snapshots
 * (a chunk record: chunk-codec.ts). Derived tables and indexes are rebuilt on load.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { readSessionOwners, writeSessionOwners } from './session-owners.js';
import { SessionTable, decodeSessionTable, encodeSessionTable, type KvOp, type SessionLimits } from '@tessera/raft';
import {
  METADATA_LIMITS,
  bad,
  readCount,
  readDeltaHeader,
  readDevice,
  readNode,
  readTenantRecord,
  writeDeltaHeader,
  writeDevice,
  writeNode,
  writeTenantRecord,
} from './fields.js';
import { readChunkRecord, writeChunkRecord } from './chunk-codec.js';
import { MAX_GC_GRACE_MS, MIN_GC_GRACE_MS } from './gc-grace.js';
import { MetadataState, deviceKey, type DirtyRecord } from './state.js';
import { emptyTenantData, type TenantData } from './tenant-data.js';
import { accessRecordEntry, allAccessRecords, loadAccessEntry, sortAuditTrails } from '../access/persist.js';
import { isAuditStoreKey } from './audit-log.js';

const META_KEY = Buffer.from([0x00]);
const META_MAGIC = Buffer.from('TMDM', 'latin1');
const META_VERSION = 3;

const tag = (c: string): Buffer => Buffer.from(c, 'latin1');
const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};
const scoped = (t: string, tenant: string, n: number): Buffer => Buffer.concat([tag(t), Buffer.from([tenant.length]), tag(tenant), u64(n)]);

export function metaOp(state: MetadataState, applied: number): KvOp {
  const w = new BinaryWriter(256);
  w.raw(META_MAGIC).u8(META_VERSION).u64(applied).u64(state.nowMs).u64(state.minDecryptEpoch).u64(state.gcGraceMs).bytes(encodeSessionTable(state.sessions), 4);
  writeSessionOwners(w, state);
  return { type: 'put', key: META_KEY, value: w.finish() };
}

/** The put (or, for a record that no longer exists, the delete) that stores `record`. */
export function recordOp(state: MetadataState, record: DirtyRecord): KvOp {
  const w = new BinaryWriter(256);
  let key: Buffer;
  let present = true;
  switch (record.t) {
    case 'node': {
      key = Buffer.concat([tag('n'), tag(record.nodeId)]);
      const node = state.nodes.get(record.nodeId);
      if (node === undefined) present = false;
      else writeNode(w, node);
      break;
    }
    case 'device': {
      key = Buffer.concat([tag('d'), tag(record.key)]);
      const device = state.devices.get(record.key);
      if (device === undefined) present = false;
      else writeDevice(w, device);
      break;
    }
    case 'tenant': {
      key = Buffer.concat([tag('t'), tag(record.id)]);
      const tenant = state.tenants.get(record.id);
      if (tenant === undefined) present = false;
      else writeTenantRecord(w, tenant);
      break;
    }
    case 'chunk': {
      key = Buffer.concat([tag('c'), Buffer.from(record.hex, 'hex')]);
      const chunk = state.chunks.get(record.hex);
      if (chunk === undefined) present = false;
      else writeChunkRecord(w, chunk);
      break;
    }
    case 'epoch': {
      key = Buffer.concat([tag('e'), u64(record.epoch)]);
      const count = state.epochCounts.get(record.epoch);
      if (count === undefined) present = false;
      else w.u64(count);
      break;
    }
    case 'sequence': {
      key = Buffer.concat([tag('s'), tag(record.tenant)]);
      const data = state.tenantData.get(record.tenant);
      if (data === undefined) present = false;
      else w.u64(data.nextSequence);
      break;
    }
    case 'delta': {
      key = scoped('D', record.tenant, record.sequence);
      const delta = state.tenantData.get(record.tenant)?.deltas.get(record.sequence);
      if (delta === undefined) present = false;
      else writeDeltaHeader(w.u64(delta.leaderTimeMs), delta.header).bytes(delta.payload, 4, METADATA_LIMITS.deltaEntryBytes);
      break;
    }
    case 'access':
    case 'audit': {
      const entry = accessRecordEntry(state.access, record);
      return entry.value === undefined ? { type: 'del', key: entry.key } : { type: 'put', key: entry.key, value: entry.value };
    }
    case 'auditEntry': {
      const entry = state.audit.recordEntry(record);
      return entry.value === undefined ? { type: 'del', key: entry.key } : { type: 'put', key: entry.key, value: entry.value };
    }
    case 'pending': {
      key = scoped('p', record.tenant, record.clientId);
      const chunks = state.tenantData.get(record.tenant)?.pending.get(record.clientId);
      if (chunks === undefined || chunks.size === 0) present = false;
      else {
        w.u32(chunks.size);
        for (const [hex, at] of [...chunks].sort(([a], [b]) => (a < b ? -1 : 1))) w.fixed(Buffer.from(hex, 'hex'), METADATA_LIMITS.chunkIdBytes).u64(at);
      }
      break;
    }
  }
  return present ? { type: 'put', key, value: w.finish() } : { type: 'del', key };
}

/** Every record of the state (what a restore writes). */
export function allRecords(state: MetadataState): DirtyRecord[] {
  const records: DirtyRecord[] = [];
  for (const nodeId of state.nodes.keys()) records.push({ t: 'node', nodeId });
  for (const key of state.devices.keys()) records.push({ t: 'device', key });
  for (const id of state.tenants.keys()) records.push({ t: 'tenant', id });
  for (const hex of state.chunks.keys()) records.push({ t: 'chunk', hex });
  for (const epoch of state.epochCounts.keys()) records.push({ t: 'epoch', epoch });
  for (const [tenant, data] of state.tenantData) {
    if (data.nextSequence > 1) records.push({ t: 'sequence', tenant });
    for (const sequence of data.deltas.keys()) records.push({ t: 'delta', tenant, sequence });
    for (const clientId of data.pending.keys()) records.push({ t: 'pending', tenant, clientId });
  }
  records.push(...allAccessRecords(state.access));
  records.push(...state.audit.allRecords());
  return records;
}

/** Rebuilds the state from the stored records (an empty store: the empty state). */
export function loadState(entries: ReadonlyArray<[Buffer, Buffer]>, sessionLimits: Partial<SessionLimits> = {}): { state: MetadataState; applied: number } {
  let state: MetadataState | undefined;
  let applied = 0;
  const meta = entries.find(([k]) => k.equals(META_KEY));
  if (meta !== undefined) {
    const r = new BinaryReader(meta[1]);
    r.expectMagic(META_MAGIC);
    if (r.u8() !== META_VERSION) throw bad('unknown metadata store version');
    applied = r.u64Number();
    const nowMs = r.u64Number();
    const minDecryptEpoch = r.u64Number();
    const gcGraceMs = r.u64Number();
    if (gcGraceMs < MIN_GC_GRACE_MS || gcGraceMs > MAX_GC_GRACE_MS) throw bad('gcGrace out of range');
    state = new MetadataState(decodeSessionTable(r.bytes(4), sessionLimits));
    state.nowMs = nowMs;
    state.minDecryptEpoch = minDecryptEpoch;
    state.gcGraceMs = gcGraceMs;
    readSessionOwners(r, state);
    r.end();
  }
  state ??= new MetadataState(new SessionTable(sessionLimits));
  const data = (tenant: string): TenantData => {
    let d = state.tenantData.get(tenant);
    if (d === undefined) {
      d = emptyTenantData();
      state.tenantData.set(tenant, d);
    }
    return d;
  };
  const auditRows: Array<readonly [Buffer, Buffer]> = [];
  for (const [key, value] of entries) {
    if (key.equals(META_KEY)) continue;
    if (isAuditStoreKey(key)) {
      auditRows.push([key, value]);
      continue;
    }
    const r = new BinaryReader(value);
    const rest = key.subarray(1);
    switch (String.fromCharCode(key[0] ?? 0)) {
      case 'n': {
        const node = readNode(r);
        state.nodes.set(node.nodeId, node);
        break;
      }
      case 'd': {
        const device = readDevice(r);
        state.devices.set(deviceKey(device.nodeId, device.deviceId), device);
        break;
      }
      case 't': {
        const tenant = readTenantRecord(r);
        state.tenants.set(tenant.id, tenant);
        break;
      }
      case 'c': {
        const record = readChunkRecord(r);
        state.chunks.set(record.chunkId.toString('hex'), record);
        break;
      }
      case 'e':
        if (rest.length !== 8) throw bad('bad metadata store key');
        state.epochCounts.set(Number(rest.readBigUInt64BE(0)), r.u64Number());
        break;
      case 's':
        data(rest.toString('latin1')).nextSequence = r.u64Number();
        break;
      case 'D': {
        const { tenant, n: sequence } = scopedParts(rest);
        const leaderTimeMs = r.u64Number();
        const header = readDeltaHeader(r);
        const payload = Buffer.from(r.bytes(4, METADATA_LIMITS.deltaEntryBytes));
        data(tenant).deltas.set(sequence, { header, sequence, leaderTimeMs, payload });
        break;
      }
      case 'p': {
        const { tenant, n: clientId } = scopedParts(rest);
        const count = readCount(r, 40, Number.MAX_SAFE_INTEGER);
        const chunks = new Map<string, number>();
        for (let i = 0; i < count; i++) chunks.set(Buffer.from(r.fixed(METADATA_LIMITS.chunkIdBytes)).toString('hex'), r.u64Number());
        data(tenant).pending.set(clientId, chunks);
        break;
      }
      case 'a':
      case 'A':
        loadAccessEntry(state.access, key, value);
        continue;
      default:
        // Not ours (e.g. the DurableKv flush sentinel).
        continue;
    }
    r.end();
  }
  sortAuditTrails(state.access);
  state.audit.loadStored(auditRows);
  state.rebuildDerived();
  return { state, applied };
}

function scopedParts(rest: Buffer): { tenant: string; n: number } {
  const len = rest[0] ?? 0;
  if (rest.length !== 1 + len + 8) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'bad metadata store key');
  return { tenant: rest.subarray(1, 1 + len).toString('latin1'), n: Number(rest.readBigUInt64BE(1 + len)) };
}
