/**
 * The access table in the metadata group's two persistent forms:
 *
 *  - snapshot image section (after the tenant data; image.ts):
 *      u32 tenants, ascending × (tenant | u32 records, ascending by request id × record |
 *                                u32 audit entries, ascending by seq × entry)
 *    Tenants with nothing are left out, so equal tables have equal bytes.
 *  - LevelDB records (store.ts):
 *      'a' tenant                      u32 records, ascending by request id × record
 *      'A' len u8 tenant seq u64       one audit entry
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { bad, readCount, readTenant, writeTenant } from '../metadata/fields.js';
import { readAccessRecord, readAuditEntry, writeAccessRecord, writeAuditEntry } from './codec.js';
import { emptyTenantAccess, type AccessDirty, type AccessTable, type TenantAccess } from './table.js';
import { ACCESS_LIMITS } from './types.js';

const MAX_RECORDS = ACCESS_LIMITS.openPerTenant + ACCESS_LIMITS.closedPerTenant;
/** Smallest encodings, for count checks before allocating. */
const MIN_RECORD_BYTES = 16 + 2 + 2 + 3 + 1 + 8 + 8 + 1 + 1 + 8 * 3 + 1 + 1 + 8;
const MIN_AUDIT_BYTES = 8 + 8 + 2 + 1 + 1 + 1 + 1;

const byKey = <T>(entries: Iterable<[string, T]>): Array<[string, T]> => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function writeRecords(w: BinaryWriter, data: TenantAccess): BinaryWriter {
  const records = byKey(data.records);
  w.u32(records.length);
  for (const [, record] of records) writeAccessRecord(w, record);
  return w;
}

function readRecords(r: BinaryReader, tenant: string, data: TenantAccess): void {
  const count = readCount(r, MIN_RECORD_BYTES, MAX_RECORDS);
  let previous = '';
  for (let i = 0; i < count; i++) {
    const record = readAccessRecord(r);
    const key = record.requestId.toString('hex');
    if (key <= previous) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'access records out of order');
    if (record.tenant !== tenant) throw bad('access record of another tenant');
    previous = key;
    data.records.set(key, record);
  }
}

// ----- snapshot image -----

export function writeAccessSection(w: BinaryWriter, table: AccessTable): BinaryWriter {
  const tenants = byKey(table.tenants).filter(([tenant]) => !table.isEmpty(tenant));
  w.u32(tenants.length);
  for (const [tenant, data] of tenants) {
    writeRecords(writeTenant(w, tenant), data);
    const audit = [...data.audit.values()].sort((a, b) => a.seq - b.seq);
    w.u32(audit.length);
    for (const entry of audit) writeAuditEntry(w, entry);
  }
  return w;
}

export function readAccessSection(r: BinaryReader, table: AccessTable): void {
  const count = readCount(r, 10, Number.MAX_SAFE_INTEGER);
  let previousTenant = '';
  for (let i = 0; i < count; i++) {
    const tenant = readTenant(r);
    if (tenant <= previousTenant) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'access tenants out of order');
    previousTenant = tenant;
    const data = emptyTenantAccess();
    readRecords(r, tenant, data);
    const entries = readCount(r, MIN_AUDIT_BYTES, ACCESS_LIMITS.auditPerTenant);
    let previousSeq = 0;
    for (let j = 0; j < entries; j++) {
      const entry = readAuditEntry(r);
      if (entry.seq <= previousSeq) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'audit entries out of order');
      previousSeq = entry.seq;
      data.audit.set(entry.seq, entry);
    }
    if (data.records.size === 0 && data.audit.size === 0) throw bad('empty access entry');
    table.tenants.set(tenant, data);
  }
}

// ----- LevelDB records -----

const tag = (c: string): Buffer => Buffer.from(c, 'latin1');

function auditKey(tenant: string, seq: number): Buffer {
  const n = Buffer.alloc(8);
  n.writeBigUInt64BE(BigInt(seq));
  return Buffer.concat([tag('A'), Buffer.from([tenant.length]), tag(tenant), n]);
}

/** The key and value (undefined: delete the key) that store one dirty access record. */
export function accessRecordEntry(table: AccessTable, dirty: AccessDirty): { key: Buffer; value: Buffer | undefined } {
  if (dirty.t === 'access') {
    const key = Buffer.concat([tag('a'), tag(dirty.tenant)]);
    const data = table.tenants.get(dirty.tenant);
    if (data === undefined || data.records.size === 0) return { key, value: undefined };
    return { key, value: writeRecords(new BinaryWriter(1024), data).finish() };
  }
  const key = auditKey(dirty.tenant, dirty.seq);
  const entry = table.tenants.get(dirty.tenant)?.audit.get(dirty.seq);
  return { key, value: entry === undefined ? undefined : writeAuditEntry(new BinaryWriter(128), entry).finish() };
}

/** Every stored access record of the table (what a restore writes). */
export function allAccessRecords(table: AccessTable): AccessDirty[] {
  const out: AccessDirty[] = [];
  for (const [tenant, data] of table.tenants) {
    if (data.records.size > 0) out.push({ t: 'access', tenant });
    for (const seq of data.audit.keys()) out.push({ t: 'audit', tenant, seq });
  }
  return out;
}

/** Loads one LevelDB entry whose key starts with 'a' or 'A'. */
export function loadAccessEntry(table: AccessTable, key: Buffer, value: Buffer): void {
  const rest = key.subarray(1);
  const r = new BinaryReader(value);
  const dataOf = (tenant: string): TenantAccess => {
    let data = table.tenants.get(tenant);
    if (data === undefined) {
      data = emptyTenantAccess();
      table.tenants.set(tenant, data);
    }
    return data;
  };
  if (key[0] === 0x61 /* 'a' */) {
    const tenant = rest.toString('latin1');
    readRecords(r, tenant, dataOf(tenant));
  } else {
    const len = rest[0] ?? 0;
    if (rest.length !== 1 + len + 8) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'bad metadata store key');
    const tenant = rest.subarray(1, 1 + len).toString('latin1');
    const entry = readAuditEntry(r);
    if (entry.seq !== Number(rest.readBigUInt64BE(1 + len))) throw bad('audit entry under another key');
    dataOf(tenant).audit.set(entry.seq, entry);
  }
  r.end();
}

/** After loading from LevelDB (keys in byte order): audit maps back in ascending seq order, which pruning relies on. */
export function sortAuditTrails(table: AccessTable): void {
  for (const data of table.tenants.values()) {
    const sorted = [...data.audit.values()].sort((a, b) => a.seq - b.seq);
    data.audit.clear();
    for (const e of sorted) data.audit.set(e.seq, e);
  }
}
