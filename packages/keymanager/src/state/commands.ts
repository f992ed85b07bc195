/**
 * Commands of the key-manager Raft group and their canonical encoding (one
 * command per Raft entry). Commands carry wrapped keys and references only:
 * the leader generates a random key and wraps it through the root provider
 * *before* proposing, so applying stays deterministic and no plaintext key
 * ever reaches the Raft log.
 *
 * Commands that change a version or an epoch name the value they expect
 * (compare-and-set), so a retry after an unknown outcome cannot rotate twice.
 *
 *   envelope = u8 format 1 ‖ u8 type ‖ u64 leader timestamp ms ‖ actor ‖ body
 *   actor    = u8 role ‖ u16-len principal ‖ u8-len tenant
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError, isValidTenantId } from '@tessera/common';
import { parseChainId, readRecordFields, recordFields, writeRecordFields, MAX_CHAIN_ID_BYTES, type ChainRecord } from '@tessera/audit';
import { readKeyRef, writeKeyRef, type KeyRef } from '../key-ref.js';
import { KM_LIMITS, NODE_ID_PATTERN, PRINCIPAL_PATTERN } from './limits.js';
import { POLICY_CODES, ROLE_CODES, boundedCount, fromCode } from './state-codec.js';
import type { Actor, TenantPolicy } from './types.js';

export type KmCommand =
  | { readonly type: 'init-system'; readonly rootRef: KeyRef; readonly master: Buffer; readonly dedup: Buffer }
  | { readonly type: 'rotate-system-epoch'; readonly expectedEpoch: number; readonly master: Buffer }
  | { readonly type: 'create-tenant'; readonly tenant: string; readonly policy: TenantPolicy; readonly caCertPem: string; readonly caCrlPem: string }
  | { readonly type: 'create-tenant-keys'; readonly tenant: string; readonly kekRef: KeyRef; readonly tdk: Buffer; readonly tik: Buffer }
  | {
      readonly type: 'rotate-kek';
      readonly tenant: string;
      readonly expectedKekVersion: number;
      readonly kekRef: KeyRef;
      readonly tdks: ReadonlyArray<{ readonly epoch: number; readonly blob: Buffer }>;
      readonly tik: Buffer;
    }
  | { readonly type: 'new-tenant-epoch'; readonly tenant: string; readonly expectedEpoch: number; readonly kekVersion: number; readonly tdk: Buffer }
  | { readonly type: 'request-shred'; readonly tenant: string; readonly delayMs: number }
  | { readonly type: 'approve-shred'; readonly tenant: string }
  | { readonly type: 'cancel-shred'; readonly tenant: string }
  | { readonly type: 'execute-shred'; readonly tenant: string }
  /** A cluster admin stops (disable) or restores (enable) the tenant's data access. */
  | { readonly type: 'disable-tenant'; readonly tenant: string }
  | { readonly type: 'enable-tenant'; readonly tenant: string }
  | { readonly type: 'set-node-pin'; readonly nodeId: string; readonly spkiSha256: Buffer }
  | { readonly type: 'remove-node'; readonly nodeId: string }
  | { readonly type: 'replace-tenant-ca'; readonly tenant: string; readonly expectedCaSha256: Buffer; readonly caCertPem: string; readonly caCrlPem: string }
  | { readonly type: 'append-audit'; readonly records: readonly ChainRecord[] }
  | {
      /** A metadata leader (an allow-listed node, named with the pin it presented) reports the committed minimum decrypt epoch. */
      readonly type: 'report-min-decrypt-epoch';
      readonly nodeId: string;
      readonly spkiSha256: Buffer;
      readonly epoch: number;
      readonly metadataTerm: number;
      readonly metadataIndex: number;
    };

export type KmCommandType = KmCommand['type'];

export interface KmEnvelope {
  /** Leader wall-clock time when proposed; applied monotonic. */
  readonly ts: number;
  readonly actor: Actor;
  readonly command: KmCommand;
}

const FORMAT = 1;
const TYPE_CODES: Record<KmCommandType, number> = {
  'init-system': 1,
  'rotate-system-epoch': 2,
  'create-tenant': 3,
  'create-tenant-keys': 4,
  'rotate-kek': 5,
  'new-tenant-epoch': 6,
  'request-shred': 7,
  'approve-shred': 8,
  'cancel-shred': 9,
  'execute-shred': 10,
  'set-node-pin': 11,
  'remove-node': 12,
  'replace-tenant-ca': 13,
  'append-audit': 14,
  'report-min-decrypt-epoch': 15,
  'disable-tenant': 16,
  'enable-tenant': 17,
};

/** The command's name as audit entries show it. */
export const COMMAND_NAMES: Record<KmCommandType, string> = {
  'init-system': 'InitSystem',
  'rotate-system-epoch': 'RotateSystemEpoch',
  'create-tenant': 'CreateTenant',
  'create-tenant-keys': 'CreateTenantKeys',
  'rotate-kek': 'RotateKek',
  'new-tenant-epoch': 'NewTenantEpoch',
  'request-shred': 'RequestShred',
  'approve-shred': 'ApproveShred',
  'cancel-shred': 'CancelShred',
  'execute-shred': 'ExecuteShred',
  'set-node-pin': 'SetNodePin',
  'remove-node': 'RemoveNode',
  'replace-tenant-ca': 'ReplaceTenantCa',
  'append-audit': 'AppendAudit',
  'report-min-decrypt-epoch': 'ReportMinDecryptEpoch',
  'disable-tenant': 'DisableTenant',
  'enable-tenant': 'EnableTenant',
};

function bad(message: string): TesseraError {
  return new TesseraError(ErrorCodes.KM_BAD_COMMAND, message);
}

function tenant(w: BinaryWriter, id: string): BinaryWriter {
  if (!isValidTenantId(id)) throw new TesseraError(ErrorCodes.INVALID_TENANT_ID, 'tenant id must be 1-63 characters of [a-z0-9-]');
  return w.string(id, 1);
}

function readTenant(r: BinaryReader): string {
  const id = r.string(1);
  if (!isValidTenantId(id)) throw bad('bad tenant id');
  return id;
}

function blob(w: BinaryWriter, bytes: Uint8Array): BinaryWriter {
  return w.bytes(bytes, 2, KM_LIMITS.wrappedKeyBytes);
}

function readBlob(r: BinaryReader): Buffer {
  const b = Buffer.from(r.bytes(2, KM_LIMITS.wrappedKeyBytes));
  if (b.length === 0) throw bad('empty wrapped key');
  return b;
}

function nodeId(w: BinaryWriter, id: string): BinaryWriter {
  if (!NODE_ID_PATTERN.test(id)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'node ids are 1-255 printable ASCII characters');
  return w.string(id, 1, KM_LIMITS.nodeIdBytes);
}

function readNodeId(r: BinaryReader): string {
  const id = r.string(1, KM_LIMITS.nodeIdBytes);
  if (!NODE_ID_PATTERN.test(id)) throw bad('bad node id');
  return id;
}

function writeActor(w: BinaryWriter, actor: Actor): void {
  if (!PRINCIPAL_PATTERN.test(actor.principal)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'principal must be printable ASCII');
  const needsTenant = actor.role === 'tenant-admin';
  if (needsTenant ? !isValidTenantId(actor.tenant) : actor.tenant !== '') throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'only tenant admins name a tenant');
  w.u8(ROLE_CODES[actor.role]).string(actor.principal, 2, KM_LIMITS.principalBytes).string(actor.tenant, 1);
}

function readActor(r: BinaryReader): Actor {
  const role = fromCode(ROLE_CODES, r.u8(), 'actor role');
  const principal = r.string(2, KM_LIMITS.principalBytes);
  const t = r.string(1);
  if (!PRINCIPAL_PATTERN.test(principal)) throw bad('bad principal');
  if (role === 'tenant-admin' ? !isValidTenantId(t) : t !== '') throw bad('bad actor tenant');
  return { role, principal, tenant: t };
}

export function encodeEnvelope(envelope: KmEnvelope): Buffer {
  const c = envelope.command;
  const w = new BinaryWriter(256).u8(FORMAT).u8(TYPE_CODES[c.type]).u64(envelope.ts);
  writeActor(w, envelope.actor);
  switch (c.type) {
    case 'init-system':
      writeKeyRef(w, c.rootRef);
      blob(blob(w, c.master), c.dedup);
      break;
    case 'rotate-system-epoch':
      blob(w.u64(c.expectedEpoch), c.master);
      break;
    case 'create-tenant':
      tenant(w, c.tenant).u8(POLICY_CODES[c.policy]).string(c.caCertPem, 4, KM_LIMITS.caCertPemBytes).string(c.caCrlPem, 4, KM_LIMITS.caCrlPemBytes);
      break;
    case 'create-tenant-keys':
      writeKeyRef(tenant(w, c.tenant), c.kekRef);
      blob(blob(w, c.tdk), c.tik);
      break;
    case 'rotate-kek':
      writeKeyRef(tenant(w, c.tenant).u32(c.expectedKekVersion), c.kekRef);
      w.u32(c.tdks.length);
      for (const t of c.tdks) blob(w.u64(t.epoch), t.blob);
      blob(w, c.tik);
      break;
    case 'new-tenant-epoch':
      blob(tenant(w, c.tenant).u64(c.expectedEpoch).u32(c.kekVersion), c.tdk);
      break;
    case 'request-shred':
      tenant(w, c.tenant).u64(c.delayMs);
      break;
    case 'approve-shred':
    case 'cancel-shred':
    case 'execute-shred':
    case 'disable-tenant':
    case 'enable-tenant':
      tenant(w, c.tenant);
      break;
    case 'set-node-pin':
      nodeId(w, c.nodeId).fixed(c.spkiSha256, 32);
      break;
    case 'remove-node':
      nodeId(w, c.nodeId);
      break;
    case 'replace-tenant-ca':
      tenant(w, c.tenant).fixed(c.expectedCaSha256, 32).string(c.caCertPem, 4, KM_LIMITS.caCertPemBytes).string(c.caCrlPem, 4, KM_LIMITS.caCrlPemBytes);
      break;
    case 'append-audit':
      if (c.records.length > KM_LIMITS.auditRecordsPerCommand) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'too many audit records in one command');
      w.u32(c.records.length);
      for (const { chain, record } of c.records) writeRecordFields(w.string(chain, 1, MAX_CHAIN_ID_BYTES), recordFields(record));
      break;
    case 'report-min-decrypt-epoch':
      nodeId(w, c.nodeId).fixed(c.spkiSha256, 32).u64(c.epoch).u64(c.metadataTerm).u64(c.metadataIndex);
      break;
  }
  return w.finish();
}

/** Decodes a command; anything malformed is a TesseraError (KM_BAD_COMMAND or a CODEC_* code). */
export function decodeEnvelope(bytes: Uint8Array): KmEnvelope {
  const r = new BinaryReader(bytes);
  if (r.u8() !== FORMAT) throw bad('unknown command format');
  const type = fromCode(TYPE_CODES, r.u8(), 'command type');
  const ts = r.u64Number();
  const actor = readActor(r);
  const command = readBody(r, type);
  r.end();
  return { ts, actor, command };
}

function readBody(r: BinaryReader, type: KmCommandType): KmCommand {
  switch (type) {
    case 'init-system':
      return { type, rootRef: readKeyRef(r), master: readBlob(r), dedup: readBlob(r) };
    case 'rotate-system-epoch':
      return { type, expectedEpoch: r.u64Number(), master: readBlob(r) };
    case 'create-tenant':
      return { type, tenant: readTenant(r), policy: fromCode(POLICY_CODES, r.u8(), 'policy'), caCertPem: r.string(4, KM_LIMITS.caCertPemBytes), caCrlPem: r.string(4, KM_LIMITS.caCrlPemBytes) };
    case 'create-tenant-keys':
      return { type, tenant: readTenant(r), kekRef: readKeyRef(r), tdk: readBlob(r), tik: readBlob(r) };
    case 'rotate-kek': {
      const t = readTenant(r);
      const expectedKekVersion = r.u32();
      const kekRef = readKeyRef(r);
      const n = boundedCount(r, KM_LIMITS.epochs, 10);
      const tdks: Array<{ epoch: number; blob: Buffer }> = [];
      for (let i = 0; i < n; i++) tdks.push({ epoch: r.u64Number(), blob: readBlob(r) });
      return { type, tenant: t, expectedKekVersion, kekRef, tdks, tik: readBlob(r) };
    }
    case 'new-tenant-epoch':
      return { type, tenant: readTenant(r), expectedEpoch: r.u64Number(), kekVersion: r.u32(), tdk: readBlob(r) };
    case 'request-shred':
      return { type, tenant: readTenant(r), delayMs: r.u64Number() };
    case 'approve-shred':
    case 'cancel-shred':
    case 'execute-shred':
    case 'disable-tenant':
    case 'enable-tenant':
      return { type, tenant: readTenant(r) };
    case 'set-node-pin':
      return { type, nodeId: readNodeId(r), spkiSha256: Buffer.from(r.fixed(32)) };
    case 'remove-node':
      return { type, nodeId: readNodeId(r) };
    case 'replace-tenant-ca':
      return { type, tenant: readTenant(r), expectedCaSha256: Buffer.from(r.fixed(32)), caCertPem: r.string(4, KM_LIMITS.caCertPemBytes), caCrlPem: r.string(4, KM_LIMITS.caCrlPemBytes) };
    case 'append-audit': {
      const n = boundedCount(r, KM_LIMITS.auditRecordsPerCommand, 20);
      const records: ChainRecord[] = [];
      for (let i = 0; i < n; i++) {
        const chain = parseChainId(r.string(1, MAX_CHAIN_ID_BYTES));
        records.push({ chain, record: readRecordFields(r) });
      }
      return { type, records };
    }
    case 'report-min-decrypt-epoch':
      return { type, nodeId: readNodeId(r), spkiSha256: Buffer.from(r.fixed(32)), epoch: r.u64Number(), metadataTerm: r.u64Number(), metadataIndex: r.u64Number() };
  }
}
