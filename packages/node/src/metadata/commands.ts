/**
 * Commands of the metadata Raft group, as carried in Raft entries.
 * Canonical binary (replicas replay the same bytes; no JSON):
 *
 *   version u8 (=1) | op u8 | leader time ms u64 | op fields
 *
 * The leader time is the proposing leader's clock, stamped when it proposes;
 * the state machine treats it as "now" for that entry (monotonic: it never
 * moves its own clock back). Client operations (pending references and
 * deltas) carry a session reference so a retry never applies twice.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import {
  METADATA_LIMITS,
  bad,
  readChunkCommit,
  readDeltaHeader,
  readDevice,
  readEnum,
  readName,
  readNode,
  readSession,
  readSlotList,
  readTenant,
  readTenantRecord,
  writeChunkCommit,
  writeDeltaHeader,
  writeDevice,
  writeEnum,
  writeName,
  writeNode,
  writeSession,
  writeSlotList,
  writeTenant,
  writeTenantRecord,
} from './fields.js';
import { MAX_TOMBSTONE_TTL_MS } from './compaction.js';
import { MAX_GC_GRACE_MS, MIN_GC_GRACE_MS } from './gc-grace.js';
import { isAccessOp, readAccessFields, writeAccessFields, type AccessCommand } from '../access/commands.js';
import { readAuditAppend, writeAuditAppend, type AuditAppendCommand } from './audit-command.js';
import { DEVICE_STATES, type ChunkCommit, type DeltaHeader, type DeviceRecord, type DeviceState, type NodeRecord, type PlacementSlot, type SessionRef, type TenantRecord } from './types.js';

export type MetadataCommand =
  /** A client session of one tenant: its writes are refused for any other tenant. */
  | { readonly op: 'openSession'; readonly timeMs: number; readonly tenant: string }
  | { readonly op: 'clock'; readonly timeMs: number }
  | { readonly op: 'registerNode'; readonly timeMs: number; readonly node: NodeRecord }
  /** Adds a device (state healthy); `state` in the record is ignored. */
  | { readonly op: 'addDevice'; readonly timeMs: number; readonly device: DeviceRecord }
  | { readonly op: 'setDeviceState'; readonly timeMs: number; readonly nodeId: string; readonly deviceId: string; readonly state: DeviceState }
  | { readonly op: 'upsertTenant'; readonly timeMs: number; readonly tenant: TenantRecord }
  | { readonly op: 'commitChunk'; readonly timeMs: number; readonly chunk: ChunkCommit }
  | { readonly op: 'addPendingRef'; readonly timeMs: number; readonly session: SessionRef; readonly tenant: string; readonly chunkId: Buffer }
  /** PutObject or DeleteObject, after `header.op`. */
  | { readonly op: 'delta'; readonly timeMs: number; readonly session: SessionRef; readonly header: DeltaHeader; readonly payload: Buffer }
  | { readonly op: 'setMinDecryptEpoch'; readonly timeMs: number; readonly epoch: number }
  /** Header-only compaction of one tenant's deltas up to `upToSeq` (compaction.ts). */
  | { readonly op: 'compact'; readonly timeMs: number; readonly tenant: string; readonly upToSeq: number; readonly tombstoneTtlMs: number }
  /** GC: condemns an unreferenced live record (live → deleting). */
  | { readonly op: 'chunkDelete'; readonly timeMs: number; readonly chunkId: Buffer; readonly writeId: Buffer }
  /** Removes a deleting record (deleting → gone). */
  | { readonly op: 'chunkGone'; readonly timeMs: number; readonly chunkId: Buffer; readonly writeId: Buffer }
  /**
   * Repair or re-encryption: the record reads from (newWriteId, slots) from
   * now on; the replaced (writeId, slots) go to its retired list. The new
   * shards' gateway time is checked like a chunk commit's (orphan safety).
   */
  | {
      readonly op: 'replacePlacement';
      readonly timeMs: number;
      readonly chunkId: Buffer;
      readonly oldWriteId: Buffer;
      readonly newWriteId: Buffer;
      readonly slots: readonly PlacementSlot[];
      readonly sysEpoch: number;
      readonly tenEpoch: number;
      readonly gatewayTimeMs: number;
    }
  /** Forgets the record's retired placements of `writeId` (at least gcGrace old). */
  | { readonly op: 'dropRetired'; readonly timeMs: number; readonly chunkId: Buffer; readonly writeId: Buffer }
  | { readonly op: 'setGcGrace'; readonly timeMs: number; readonly gcGraceMs: number }
  /** active → disabled (before a scheduled shred); idempotent. */
  | { readonly op: 'disableTenant'; readonly timeMs: number; readonly tenant: string }
  /** After a shred executed: drops every delta, reference and pending reference of the tenant; state shredded; idempotent. */
  | { readonly op: 'purgeTenant'; readonly timeMs: number; readonly tenant: string }
  /** Access requests, grants and the grant audit trail (issue #9): fields in ../access/commands.ts. */
  | AccessCommand
  /** Sets an existing tenant's quota (logical bytes, 0: unlimited), keeping every other field (issue #9, Admin SetTenantQuota). */
  | { readonly op: 'setTenantQuota'; readonly timeMs: number; readonly tenant: string; readonly quotaBytes: number }
  /** Audit records batched by a node (issue #9: audit-command.ts). */
  | AuditAppendCommand;

export type MetadataOp = MetadataCommand['op'];

const VERSION = 1;
/** Op codes are positions here (1-based): append only. */
const OPS: readonly MetadataOp[] = [
  'openSession',
  'clock',
  'registerNode',
  'addDevice',
  'setDeviceState',
  'upsertTenant',
  'commitChunk',
  'addPendingRef',
  'delta',
  'setMinDecryptEpoch',
  'compact',
  'chunkDelete',
  'chunkGone',
  'replacePlacement',
  'dropRetired',
  'setGcGrace',
  'disableTenant',
  'purgeTenant',
  // Access grants (issue #9).
  'accessRequest',
  'accessApprove',
  'accessDeny',
  'accessRevoke',
  'accessExpired',
  'auditAccess',
  // Admin API (issue #9).
  'setTenantQuota',
  // The metadata group's audit chains (issue #9).
  'auditAppend',
];

export function encodeMetadataCommand(cmd: MetadataCommand): Buffer {
  const w = new BinaryWriter(cmd.op === 'delta' ? 512 + cmd.payload.byteLength + cmd.header.chunkRefs.length * 32 : 128);
  w.u8(VERSION).u8(OPS.indexOf(cmd.op) + 1).u64(cmd.timeMs);
  switch (cmd.op) {
    case 'openSession':
      writeTenant(w, cmd.tenant);
      break;
    case 'clock':
      break;
    case 'registerNode':
      writeNode(w, cmd.node);
      break;
    case 'addDevice':
      writeDevice(w, { ...cmd.device, state: 'healthy' });
      break;
    case 'setDeviceState':
      writeEnum(writeName(writeName(w, cmd.nodeId, 'node id'), cmd.deviceId, 'device id'), DEVICE_STATES, cmd.state);
      break;
    case 'upsertTenant':
      writeTenantRecord(w, cmd.tenant);
      break;
    case 'commitChunk':
      writeChunkCommit(w, cmd.chunk);
      break;
    case 'addPendingRef':
      writeTenant(writeSession(w, cmd.session), cmd.tenant).fixed(cmd.chunkId, METADATA_LIMITS.chunkIdBytes);
      break;
    case 'delta':
      checkDeltaSession(cmd.session, cmd.header, cmd.payload.byteLength, (m) => new TesseraError(ErrorCodes.INVALID_ARGUMENT, m));
      writeDeltaHeader(writeSession(w, cmd.session), cmd.header).bytes(cmd.payload, 4, METADATA_LIMITS.deltaEntryBytes);
      break;
    case 'setMinDecryptEpoch':
      w.u64(cmd.epoch);
      break;
    case 'compact':
      if (cmd.tombstoneTtlMs > MAX_TOMBSTONE_TTL_MS) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'tombstone TTL too long');
      writeTenant(w, cmd.tenant).u64(cmd.upToSeq).u64(cmd.tombstoneTtlMs);
      break;
    case 'chunkDelete':
    case 'chunkGone':
    case 'dropRetired':
      w.fixed(cmd.chunkId, METADATA_LIMITS.chunkIdBytes).fixed(cmd.writeId, METADATA_LIMITS.writeIdBytes);
      break;
    case 'replacePlacement':
      w.fixed(cmd.chunkId, METADATA_LIMITS.chunkIdBytes).fixed(cmd.oldWriteId, METADATA_LIMITS.writeIdBytes).fixed(cmd.newWriteId, METADATA_LIMITS.writeIdBytes);
      writeSlotList(w, cmd.slots).u64(cmd.sysEpoch).u64(cmd.tenEpoch).u64(cmd.gatewayTimeMs);
      break;
    case 'setGcGrace':
      if (cmd.gcGraceMs < MIN_GC_GRACE_MS || cmd.gcGraceMs > MAX_GC_GRACE_MS) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'gcGrace out of range');
      w.u64(cmd.gcGraceMs);
      break;
    case 'disableTenant':
    case 'purgeTenant':
      writeTenant(w, cmd.tenant);
      break;
    case 'accessRequest':
    case 'accessApprove':
    case 'accessDeny':
    case 'accessRevoke':
    case 'accessExpired':
    case 'auditAccess':
      writeAccessFields(w, cmd);
      break;
    case 'setTenantQuota':
      writeTenant(w, cmd.tenant).u64(cmd.quotaBytes);
      break;
    case 'auditAppend':
      writeAuditAppend(w, cmd);
      break;
  }
  const bytes = w.finish();
  if (bytes.byteLength > METADATA_LIMITS.deltaEntryBytes) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a metadata entry is at most 1 MiB');
  return bytes;
}

/** The header's (client id, seq) are the session's; its payload size is the payload's. */
function checkDeltaSession(session: SessionRef, header: DeltaHeader, payloadBytes: number, fail: (message: string) => TesseraError): void {
  if (header.clientId !== session.clientId || header.seq !== session.seq) throw fail('delta header and session disagree');
  if (header.payloadSize !== payloadBytes) throw fail('delta payload size does not match its header');
}

/** Decodes a command; any malformed input throws a TesseraError (CODEC_* or INVALID_*). */
export function decodeMetadataCommand(bytes: Uint8Array): MetadataCommand {
  if (bytes.byteLength > METADATA_LIMITS.deltaEntryBytes) throw new TesseraError(ErrorCodes.CODEC_FIELD_TOO_LONG, 'a metadata entry is at most 1 MiB');
  const r = new BinaryReader(bytes);
  if (r.u8() !== VERSION) throw bad('unknown metadata command version');
  const op = OPS[r.u8() - 1];
  if (op === undefined) throw bad('unknown metadata command');
  const timeMs = r.u64Number();
  let cmd: MetadataCommand;
  switch (op) {
    case 'openSession':
      cmd = { op, timeMs, tenant: readTenant(r) };
      break;
    case 'clock':
      cmd = { op, timeMs };
      break;
    case 'registerNode':
      cmd = { op, timeMs, node: readNode(r) };
      break;
    case 'addDevice': {
      const device = readDevice(r);
      if (device.state !== 'healthy') throw bad('a device is added healthy');
      cmd = { op, timeMs, device };
      break;
    }
    case 'setDeviceState':
      cmd = { op, timeMs, nodeId: readName(r, 'node id'), deviceId: readName(r, 'device id'), state: readEnum(r, DEVICE_STATES, 'device state') };
      break;
    case 'upsertTenant':
      cmd = { op, timeMs, tenant: readTenantRecord(r) };
      break;
    case 'commitChunk':
      cmd = { op, timeMs, chunk: readChunkCommit(r) };
      break;
    case 'addPendingRef':
      cmd = { op, timeMs, session: readSession(r), tenant: readTenant(r), chunkId: Buffer.from(r.fixed(METADATA_LIMITS.chunkIdBytes)) };
      break;
    case 'delta': {
      const session = readSession(r);
      const header = readDeltaHeader(r);
      const payload = Buffer.from(r.bytes(4, METADATA_LIMITS.deltaEntryBytes));
      checkDeltaSession(session, header, payload.byteLength, bad);
      cmd = { op, timeMs, session, header, payload };
      break;
    }
    case 'setMinDecryptEpoch':
      cmd = { op, timeMs, epoch: r.u64Number() };
      break;
    case 'compact': {
      const tenant = readTenant(r);
      const upToSeq = r.u64Number();
      const tombstoneTtlMs = r.u64Number();
      if (tombstoneTtlMs > MAX_TOMBSTONE_TTL_MS) throw bad('tombstone TTL too long');
      cmd = { op, timeMs, tenant, upToSeq, tombstoneTtlMs };
      break;
    }
    case 'chunkDelete':
    case 'chunkGone':
    case 'dropRetired':
      cmd = { op, timeMs, chunkId: Buffer.from(r.fixed(METADATA_LIMITS.chunkIdBytes)), writeId: Buffer.from(r.fixed(METADATA_LIMITS.writeIdBytes)) };
      break;
    case 'replacePlacement':
      cmd = {
        op,
        timeMs,
        chunkId: Buffer.from(r.fixed(METADATA_LIMITS.chunkIdBytes)),
        oldWriteId: Buffer.from(r.fixed(METADATA_LIMITS.writeIdBytes)),
        newWriteId: Buffer.from(r.fixed(METADATA_LIMITS.writeIdBytes)),
        slots: readSlotList(r),
        sysEpoch: r.u64Number(),
        tenEpoch: r.u64Number(),
        gatewayTimeMs: r.u64Number(),
      };
      break;
    case 'setGcGrace': {
      const gcGraceMs = r.u64Number();
      if (gcGraceMs < MIN_GC_GRACE_MS || gcGraceMs > MAX_GC_GRACE_MS) throw bad('gcGrace out of range');
      cmd = { op, timeMs, gcGraceMs };
      break;
    }
    case 'disableTenant':
    case 'purgeTenant':
      cmd = { op, timeMs, tenant: readTenant(r) };
      break;
    case 'setTenantQuota':
      cmd = { op, timeMs, tenant: readTenant(r), quotaBytes: r.u64Number() };
      break;
    case 'auditAppend':
      cmd = readAuditAppend(r, timeMs);
      break;
    default:
      if (!isAccessOp(op)) throw bad('unknown metadata command');
      cmd = readAccessFields(r, op, timeMs);
  }
  r.end();
  return cmd;
}
