/**
 * The metadata group's audit log (DESIGN A3, section 7; issue #9): one hash
 * chain per tenant plus the system chain, from @tessera/audit. Pure and
 * deterministic, part of the metadata state: every replica appending the
 * same records at the same leader times holds the same entries, byte for
 * byte, so the entries go in snapshots and in the state digest as they are.
 *
 * Entries are kept (encoded) in memory like the rest of the metadata state
 * and never dropped — not by compaction, not by PurgeTenant (the trail of a
 * shredded tenant ends with its `tenant.purged` entry). Loading (from LevelDB
 * or a snapshot image) replays every entry through a fresh `AuditChains` and
 * insists on getting the very same bytes back: a stored entry that was
 * altered, dropped, reordered or moved to another chain is refused.
 *
 * Persistence:
 *   image section   u32 chains ascending × (u8-len chain ‖ u32 count ‖ count × u16-len entry)
 *   LevelDB         'L' ‖ u8 len ‖ chain ‖ u64 seq  →  one encoded entry
 */
import {
  AuditChains,
  MAX_AUDIT_ENTRY_BYTES,
  MAX_CHAIN_ID_BYTES,
  METADATA_AUDIT_DOMAIN,
  buildHead,
  decodeEntry,
  parseChainId,
  type AppendedEntry,
  type AuditHead,
  type AuditRecord,
  type AuditTrail,
  type ChainId,
} from '@tessera/audit';
import { BinaryReader, ErrorCodes, TesseraError, type BinaryWriter } from '@tessera/common';
import { bad, readCount } from './fields.js';

/** What the machine must persist: one new entry. */
export interface AuditEntryDirty {
  readonly t: 'auditEntry';
  readonly chain: ChainId;
  readonly seq: number;
}

/** Smallest encoded entry (empty text fields, no targets) plus its u16 length. */
const MIN_ENTRY_BYTES = 2 + 1 + 1 + 6 + 8 + 32 + 8 + 1 + 2 + 1 + 1 + 1 + 4 + 8 + 1;
const MIN_CHAIN_BYTES = 1 + 6 + 4;
const STORE_TAG = 0x4c; // 'L'

function broken(): TesseraError {
  return new TesseraError(ErrorCodes.AUDIT_CHAIN_BROKEN, 'stored audit entries do not form their chain');
}

export class MetadataAuditLog {
  #chains = new AuditChains();
  readonly #entries = new Map<ChainId, Buffer[]>();

  constructor(private readonly mark: (dirty: AuditEntryDirty) => void) {}

  /** Appends a (valid) record at leader time `nowMs`; the entry's timestamp never goes back within its chain. */
  append(chain: ChainId, record: AuditRecord, nowMs: number): AppendedEntry {
    const appended = this.#chains.append(chain, record, nowMs);
    let list = this.#entries.get(chain);
    if (list === undefined) {
      list = [];
      this.#entries.set(chain, list);
    }
    list.push(appended.encoded);
    this.mark({ t: 'auditEntry', chain, seq: appended.entry.seq });
    return appended;
  }

  /** Chains with at least one entry, ascending. */
  chains(): ChainId[] {
    return this.#chains.chains();
  }

  length(chain: ChainId): number {
    return this.#entries.get(chain)?.length ?? 0;
  }

  /** One encoded entry (seq from 1), or undefined. */
  encodedEntry(chain: ChainId, seq: number): Buffer | undefined {
    return this.#entries.get(chain)?.[seq - 1];
  }

  /** Entries `fromSeq`..`fromSeq + limit - 1` of a chain, encoded. */
  encodedEntries(chain: ChainId, fromSeq = 1, limit = Number.MAX_SAFE_INTEGER): Buffer[] {
    const list = this.#entries.get(chain) ?? [];
    return list.slice(Math.max(0, fromSeq - 1), Math.max(0, fromSeq - 1) + limit);
  }

  /** A chain's whole trail, decoded. */
  trail(chain: ChainId): AuditTrail {
    return { chain, entries: (this.#entries.get(chain) ?? []).map((bytes) => decodeEntry(bytes)) };
  }

  /** An unsigned head over every chain (or the selected ones) at leader time `nowMs`. */
  head(nowMs: number, select?: readonly ChainId[]): AuditHead {
    return buildHead(this.#chains, METADATA_AUDIT_DOMAIN, nowMs, select);
  }

  /** Canonical encoding of the heads alone (tests compare replicas with it). */
  encodeHeads(): Buffer {
    return this.#chains.encode();
  }

  // ----- snapshot image -----

  writeSection(w: BinaryWriter): BinaryWriter {
    const chains = this.chains();
    w.u32(chains.length);
    for (const chain of chains) {
      const list = this.#entries.get(chain) ?? [];
      w.string(chain, 1, MAX_CHAIN_ID_BYTES).u32(list.length);
      for (const bytes of list) w.bytes(bytes, 2, MAX_AUDIT_ENTRY_BYTES);
    }
    return w;
  }

  /** Reads a section written by `writeSection` into this (empty) log, verifying every chain. */
  readSection(r: BinaryReader): void {
    const count = readCount(r, MIN_CHAIN_BYTES, Number.MAX_SAFE_INTEGER);
    let previous = '';
    for (let i = 0; i < count; i++) {
      const chain = parseChainId(r.string(1, MAX_CHAIN_ID_BYTES));
      if (i > 0 && chain <= previous) throw bad('audit chains out of order');
      previous = chain;
      const n = readCount(r, MIN_ENTRY_BYTES, Number.MAX_SAFE_INTEGER);
      if (n === 0) throw bad('empty audit chain');
      const encoded: Buffer[] = [];
      for (let j = 0; j < n; j++) encoded.push(Buffer.from(r.bytes(2, MAX_AUDIT_ENTRY_BYTES)));
      this.replay(chain, encoded);
    }
  }

  // ----- LevelDB records -----

  /** The key and value that store one entry. */
  recordEntry(dirty: AuditEntryDirty): { key: Buffer; value: Buffer | undefined } {
    return { key: storeKey(dirty.chain, dirty.seq), value: this.encodedEntry(dirty.chain, dirty.seq) };
  }

  /** Every entry (what a restore writes). */
  allRecords(): AuditEntryDirty[] {
    const out: AuditEntryDirty[] = [];
    for (const [chain, list] of this.#entries) for (let seq = 1; seq <= list.length; seq++) out.push({ t: 'auditEntry', chain, seq });
    return out;
  }

  /** Loads every stored entry (keys starting with 'L', any order) into this (empty) log, verifying every chain. */
  loadStored(rows: ReadonlyArray<readonly [Buffer, Buffer]>): void {
    const byChain = new Map<ChainId, Array<[number, Buffer]>>();
    for (const [key, value] of rows) {
      const { chain, seq } = parseStoreKey(key);
      let list = byChain.get(chain);
      if (list === undefined) {
        list = [];
        byChain.set(chain, list);
      }
      list.push([seq, value]);
    }
    for (const chain of [...byChain.keys()].sort()) {
      const list = byChain.get(chain)!.sort(([a], [b]) => a - b);
      list.forEach(([seq], i) => {
        if (seq !== i + 1) throw broken();
      });
      this.replay(
        chain,
        list.map(([, value]) => value),
      );
    }
  }

  /** Appends stored entries again: each must come back byte for byte (same chain, seq, previous hash, time, record). */
  private replay(chain: ChainId, encoded: readonly Buffer[]): void {
    if (this.#entries.has(chain)) throw broken();
    const list: Buffer[] = [];
    for (const bytes of encoded) {
      const entry = decodeEntry(bytes);
      if (entry.chain !== chain) throw broken();
      const again = this.#chains.append(chain, entry, entry.timestampMs);
      if (!again.encoded.equals(bytes)) throw broken();
      list.push(again.encoded);
    }
    this.#entries.set(chain, list);
  }
}

export function isAuditStoreKey(key: Buffer): boolean {
  return key[0] === STORE_TAG;
}

function storeKey(chain: ChainId, seq: number): Buffer {
  const id = Buffer.from(chain, 'ascii');
  const key = Buffer.alloc(1 + 1 + id.length + 8);
  key[0] = STORE_TAG;
  key[1] = id.length;
  id.copy(key, 2);
  key.writeBigUInt64BE(BigInt(seq), 2 + id.length);
  return key;
}

function parseStoreKey(key: Buffer): { chain: ChainId; seq: number } {
  const len = key[1] ?? 0;
  if (key[0] !== STORE_TAG || key.length !== 2 + len + 8) throw bad('bad audit store key');
  const chain = parseChainId(key.subarray(2, 2 + len).toString('ascii'));
  const seq = Number(key.readBigUInt64BE(2 + len));
  if (seq < 1 || !Number.isSafeInteger(seq)) throw bad('bad audit store key');
  return { chain, seq };
}
