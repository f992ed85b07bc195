/**
 * Canonical binary encoding of the key manager's state (snapshots, and the
 * state record of the state-machine store). Maps are written sorted, so
 * every replica holding the same state writes the same bytes.
 *
 *   "TKMS" ‖ u8 format 3 ‖ u64 lastTimestampMs
 *   ‖ u8 hasSystem [ keyRef root ‖ u64 currentEpoch ‖ u32 n ‖ n × (u64 epoch ‖ u16-len blob) ‖ u16-len dedup blob ]
 *   ‖ u32 tenants ‖ tenant records (ascending id)
 *   ‖ u32 nodes ‖ n × (u8-len node id ‖ 32 pin)   (ascending id)
 *   ‖ u64 minDecryptEpoch ‖ u64 metadataTerm ‖ u64 metadataIndex   (format 2 only; all 0 when unset)
 *   ‖ audit chain heads (AuditChains encoding)
 *
 * Format 1 (before the minimum decrypt epoch existed) is still read, as
 * "unset", and format 2 (before tenants could be disabled) as "no tenant
 * disabled"; only format 3 is written, so one state has one encoding.
 *
 * tenant record:
 *   u8-len id ‖ u8 policy (1 shared, 2 isolated) ‖ u32-len CA PEM ‖ u32-len CRL PEM ‖ u8 state
 *   ‖ u64 createdAtMs ‖ u32 n ‖ n × (keyRef ‖ u8 kek state) ‖ u64 currentEpoch
 *   ‖ u32 n ‖ n × (u64 epoch ‖ u32 kekVersion ‖ u16-len blob) ‖ u8 hasTik [u32 kekVersion ‖ u16-len blob]
 *   ‖ u8 hasShred [u16-len requestedBy ‖ u8 role ‖ u64 requestedAtMs ‖ u64 delayMs ‖ u16-len approvedBy ‖ u64 executeAtMs]
 *   ‖ u64 shreddedAtMs ‖ u8 disabled (0 or 1; format 3 only)
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError, isValidTenantId } from '@tessera/common';
import { AuditChains } from '@tessera/audit';
import { readKeyRef, writeKeyRef } from '../key-ref.js';
import { KM_LIMITS, NODE_ID_PATTERN, PRINCIPAL_PATTERN } from './limits.js';
import { NO_MIN_DECRYPT_EPOCH, type ActorRole, type KekState, type KekVersion, type KmState, type MinDecryptEpoch, type ShredRecord, type SystemKeys, type TenantPolicy, type TenantRecord, type TenantState, type WrappedKey } from './types.js';

const MAGIC = Buffer.from('TKMS', 'ascii');
const FORMAT = 3;
/** States written before the minimum decrypt epoch existed (stores and snapshots of older releases). */
const FORMAT_NO_MIN_DECRYPT = 1;
/** States written before tenants could be disabled. */
const FORMAT_NO_DISABLE = 2;

export const POLICY_CODES: Record<TenantPolicy, number> = { shared: 1, isolated: 2 };
const TENANT_STATE_CODES: Record<TenantState, number> = { active: 1, 'shred-pending-approval': 2, 'shred-scheduled': 3, shredded: 4 };
const KEK_STATE_CODES: Record<KekState, number> = { current: 1, retired: 2, destroyed: 3 };
export const ROLE_CODES: Record<ActorRole, number> = { system: 0, 'cluster-admin': 1, 'tenant-admin': 2, node: 3 };

export function fromCode<T extends string>(table: Record<T, number>, code: number, what: string): T {
  for (const [name, value] of Object.entries(table) as Array<[T, number]>) if (value === code) return name;
  throw bad(`unknown ${what}`);
}

function bad(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, message);
}

function byNumber<V>(map: ReadonlyMap<number, V>): Array<[number, V]> {
  return [...map].sort(([a], [b]) => a - b);
}

function byString<V>(map: ReadonlyMap<string, V>): Array<[string, V]> {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function emptyState(): KmState {
  return { lastTimestampMs: 0, system: undefined, tenants: new Map(), nodes: new Map(), minDecrypt: NO_MIN_DECRYPT_EPOCH, audit: new AuditChains() };
}

export function encodeState(state: KmState): Buffer {
  const w = new BinaryWriter(4096).raw(MAGIC).u8(FORMAT).u64(state.lastTimestampMs);
  writeSystem(w, state.system);
  w.u32(state.tenants.size);
  for (const [, t] of byString(state.tenants)) writeTenant(w, t);
  w.u32(state.nodes.size);
  for (const [id, pin] of byString(state.nodes)) w.string(id, 1, KM_LIMITS.nodeIdBytes).fixed(pin, 32);
  w.u64(state.minDecrypt.epoch).u64(state.minDecrypt.metadataTerm).u64(state.minDecrypt.metadataIndex);
  w.raw(state.audit.encode());
  return w.finish();
}

export function decodeState(bytes: Uint8Array): KmState {
  const r = new BinaryReader(bytes);
  const state = readState(r);
  r.end();
  return state;
}

export function readState(r: BinaryReader): KmState {
  r.expectMagic(MAGIC);
  const format = r.u8();
  if (format !== FORMAT && format !== FORMAT_NO_DISABLE && format !== FORMAT_NO_MIN_DECRYPT) throw bad('unknown key-manager state format');
  const lastTimestampMs = r.u64Number();
  const system = readSystem(r);
  const tenants = new Map<string, TenantRecord>();
  const nTenants = boundedCount(r, KM_LIMITS.tenants, 30);
  let previous = '';
  for (let i = 0; i < nTenants; i++) {
    const t = readTenant(r, format >= FORMAT);
    if (i > 0 && t.id <= previous) throw bad('tenants not in canonical order');
    previous = t.id;
    tenants.set(t.id, t);
  }
  const nodes = new Map<string, Buffer>();
  const nNodes = boundedCount(r, KM_LIMITS.nodes, 34);
  previous = '';
  for (let i = 0; i < nNodes; i++) {
    const id = r.string(1, KM_LIMITS.nodeIdBytes);
    if (!NODE_ID_PATTERN.test(id) || (i > 0 && id <= previous)) throw bad('bad node id in state');
    previous = id;
    nodes.set(id, Buffer.from(r.fixed(32)));
  }
  const minDecrypt = format >= FORMAT_NO_DISABLE ? readMinDecrypt(r, system) : NO_MIN_DECRYPT_EPOCH;
  const audit = AuditChains.read(r);
  return { lastTimestampMs, system, tenants, nodes, minDecrypt, audit };
}

/** Either all zero (unset) or a reported epoch no higher than the current system epoch, with its term and index. */
function readMinDecrypt(r: BinaryReader, system: SystemKeys | undefined): MinDecryptEpoch {
  const epoch = r.u64Number();
  const metadataTerm = r.u64Number();
  const metadataIndex = r.u64Number();
  if (epoch === 0 && metadataTerm === 0 && metadataIndex === 0) return NO_MIN_DECRYPT_EPOCH;
  if (epoch === 0 || metadataTerm === 0 || metadataIndex === 0) throw bad('partial minimum decrypt epoch');
  if (system === undefined || epoch > system.currentEpoch) throw bad('minimum decrypt epoch above the system epoch');
  return { epoch, metadataTerm, metadataIndex };
}

/** A u32 count that the remaining input can hold at `minBytes` per item. */
export function boundedCount(r: BinaryReader, max: number, minBytes: number): number {
  const n = r.u32();
  if (n > max || n * minBytes > r.remaining) throw bad('count out of range');
  return n;
}

function writeSystem(w: BinaryWriter, system: SystemKeys | undefined): void {
  if (system === undefined) {
    w.u8(0);
    return;
  }
  w.u8(1);
  writeKeyRef(w, system.rootRef).u64(system.currentEpoch).u32(system.masters.size);
  for (const [epoch, blob] of byNumber(system.masters)) w.u64(epoch).bytes(blob, 2, KM_LIMITS.wrappedKeyBytes);
  w.bytes(system.dedup, 2, KM_LIMITS.wrappedKeyBytes);
}

function readSystem(r: BinaryReader): SystemKeys | undefined {
  const has = r.u8();
  if (has === 0) return undefined;
  if (has !== 1) throw bad('bad system flag');
  const rootRef = readKeyRef(r);
  const currentEpoch = r.u64Number();
  const masters = new Map<number, Buffer>();
  const n = boundedCount(r, KM_LIMITS.epochs, 10);
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const epoch = r.u64Number();
    if (epoch <= previous) throw bad('master keys not in canonical order');
    previous = epoch;
    masters.set(epoch, Buffer.from(r.bytes(2, KM_LIMITS.wrappedKeyBytes)));
  }
  const dedup = Buffer.from(r.bytes(2, KM_LIMITS.wrappedKeyBytes));
  if (!masters.has(currentEpoch)) throw bad('current system epoch has no master key');
  return { rootRef, currentEpoch, masters, dedup };
}

function writeWrapped(w: BinaryWriter, key: WrappedKey): void {
  w.u32(key.kekVersion).bytes(key.blob, 2, KM_LIMITS.wrappedKeyBytes);
}

function readWrapped(r: BinaryReader): WrappedKey {
  return { kekVersion: r.u32(), blob: Buffer.from(r.bytes(2, KM_LIMITS.wrappedKeyBytes)) };
}

function writeTenant(w: BinaryWriter, t: TenantRecord): void {
  w.string(t.id, 1)
    .u8(POLICY_CODES[t.policy])
    .string(t.caCertPem, 4, KM_LIMITS.caCertPemBytes)
    .string(t.caCrlPem, 4, KM_LIMITS.caCrlPemBytes)
    .u8(TENANT_STATE_CODES[t.state])
    .u64(t.createdAtMs)
    .u32(t.keks.length);
  for (const k of t.keks) writeKeyRef(w, k.ref).u8(KEK_STATE_CODES[k.state]);
  w.u64(t.currentEpoch).u32(t.tdks.size);
  for (const [epoch, key] of byNumber(t.tdks)) {
    w.u64(epoch);
    writeWrapped(w, key);
  }
  if (t.tik === undefined) w.u8(0);
  else writeWrapped(w.u8(1), t.tik);
  if (t.shred === undefined) w.u8(0);
  else {
    const s = t.shred;
    w.u8(1)
      .string(s.requestedBy, 2, KM_LIMITS.principalBytes)
      .u8(ROLE_CODES[s.requestedByRole])
      .u64(s.requestedAtMs)
      .u64(s.delayMs)
      .string(s.approvedBy, 2, KM_LIMITS.principalBytes)
      .u64(s.executeAtMs);
  }
  w.u64(t.shreddedAtMs);
  w.u8(t.disabled ? 1 : 0);
}

function readTenant(r: BinaryReader, withDisabled: boolean): TenantRecord {
  const id = r.string(1);
  if (!isValidTenantId(id)) throw bad('bad tenant id in state');
  const policy = fromCode(POLICY_CODES, r.u8(), 'tenant policy');
  const caCertPem = r.string(4, KM_LIMITS.caCertPemBytes);
  const caCrlPem = r.string(4, KM_LIMITS.caCrlPemBytes);
  const state = fromCode(TENANT_STATE_CODES, r.u8(), 'tenant state');
  const createdAtMs = r.u64Number();
  const keks: KekVersion[] = [];
  const nKeks = boundedCount(r, KM_LIMITS.kekVersions, 8);
  for (let i = 0; i < nKeks; i++) {
    const ref = readKeyRef(r);
    const kekState = fromCode(KEK_STATE_CODES, r.u8(), 'KEK state');
    if (i > 0 && ref.version <= keks[i - 1]!.ref.version) throw bad('KEK versions not in canonical order');
    keks.push({ ref, state: kekState });
  }
  if (keks.filter((k) => k.state === 'current').length > 1) throw bad('more than one current KEK');
  const currentEpoch = r.u64Number();
  const tdks = new Map<number, WrappedKey>();
  const nTdks = boundedCount(r, KM_LIMITS.epochs, 14);
  let previous = 0;
  for (let i = 0; i < nTdks; i++) {
    const epoch = r.u64Number();
    if (epoch <= previous) throw bad('TDKs not in canonical order');
    previous = epoch;
    tdks.set(epoch, readWrapped(r));
  }
  const hasTik = r.u8();
  if (hasTik > 1) throw bad('bad TIK flag');
  const tik = hasTik === 1 ? readWrapped(r) : undefined;
  const hasShred = r.u8();
  if (hasShred > 1) throw bad('bad shred flag');
  let shred: ShredRecord | undefined;
  if (hasShred === 1) {
    const requestedBy = r.string(2, KM_LIMITS.principalBytes);
    const requestedByRole = fromCode(ROLE_CODES, r.u8(), 'actor role');
    const requestedAtMs = r.u64Number();
    const delayMs = r.u64Number();
    const approvedBy = r.string(2, KM_LIMITS.principalBytes);
    const executeAtMs = r.u64Number();
    if (!PRINCIPAL_PATTERN.test(requestedBy) || !PRINCIPAL_PATTERN.test(approvedBy)) throw bad('bad principal in state');
    shred = { requestedBy, requestedByRole, requestedAtMs, delayMs, approvedBy, executeAtMs };
  }
  const shreddedAtMs = r.u64Number();
  let disabled = false;
  if (withDisabled) {
    const flag = r.u8();
    if (flag > 1) throw bad('bad tenant disabled flag');
    disabled = flag === 1;
  }
  return { id, policy, caCertPem, caCrlPem, state, createdAtMs, keks, currentEpoch, tdks, tik, shred, shreddedAtMs, disabled };
}
