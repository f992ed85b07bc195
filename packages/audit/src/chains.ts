/**
 * The pure core of an audit log: the head (length, hash, last timestamp) of
 * every chain. It appends records at a leader timestamp and hands back the
 * entries to store; it keeps no entries itself, so a Raft state machine can
 * persist them however it likes (in the same atomic batch as its applied
 * index) while the heads travel in its snapshot.
 *
 * Deterministic: no clock, no randomness. Timestamps are forced monotonic
 * per chain, so a leader whose clock runs behind cannot make a chain go back
 * in time. Every replica applying the same appends holds the same heads and
 * encodes them to the same bytes.
 */
import { BinaryReader, BinaryWriter } from '@tessera/common';
import { MAX_CHAIN_ID_BYTES, parseChainId, type ChainId } from './chain-id.js';
import { AUDIT_HASH_BYTES, encodeEntry, genesisHash, hashEncodedEntry, makeEntry, type AuditEntry } from './entry.js';
import { badEncoding } from './errors.js';
import type { AuditRecord } from './record.js';

export interface ChainHead {
  readonly chain: ChainId;
  /** Entries in the chain (the seq of the last one). */
  readonly length: number;
  /** Hash of the last entry, or the genesis hash of an empty chain. */
  readonly hash: Buffer;
}

interface MutableHead {
  length: number;
  hash: Buffer;
  lastTimestampMs: number;
}

export interface AppendedEntry {
  readonly entry: AuditEntry;
  /** The canonical encoding (what a store keeps). */
  readonly encoded: Buffer;
  readonly hash: Buffer;
}

const HEADS_FORMAT = 1;
/** Bound for decoding: far above any real number of tenants, far below memory trouble. */
export const MAX_CHAINS = 1_000_000;

export class AuditChains {
  readonly #heads = new Map<ChainId, MutableHead>();

  /** The head of `chain` (length 0 and the genesis hash when nothing was appended). */
  head(chain: ChainId): ChainHead {
    const h = this.#heads.get(chain);
    return h === undefined ? { chain, length: 0, hash: genesisHash(chain) } : { chain, length: h.length, hash: Buffer.from(h.hash) };
  }

  /** Chains with at least one entry, sorted. */
  chains(): ChainId[] {
    return [...this.#heads.keys()].sort();
  }

  /** Heads of the given chains (default: every chain), sorted by chain id. */
  heads(select?: readonly ChainId[]): ChainHead[] {
    const ids = select === undefined ? this.chains() : [...new Set(select)].sort();
    return ids.map((id) => this.head(id));
  }

  /** Appends `record` to `chain` at leader time `timestampMs`. */
  append(chain: ChainId, record: AuditRecord, timestampMs: number): AppendedEntry {
    const current = this.#heads.get(chain) ?? { length: 0, hash: genesisHash(chain), lastTimestampMs: 0 };
    const ts = Math.max(current.lastTimestampMs, Math.max(0, Math.floor(timestampMs)));
    const entry = makeEntry(chain, current.length + 1, current.hash, ts, record);
    const encoded = encodeEntry(entry);
    const hash = hashEncodedEntry(encoded);
    this.#heads.set(chain, { length: entry.seq, hash, lastTimestampMs: ts });
    return { entry, encoded, hash };
  }

  /** Canonical encoding of every head (for snapshots). */
  encode(): Buffer {
    const w = new BinaryWriter(64 + this.#heads.size * 96).u8(HEADS_FORMAT).u32(this.#heads.size);
    for (const chain of this.chains()) {
      const h = this.#heads.get(chain)!;
      w.string(chain, 1, MAX_CHAIN_ID_BYTES).u64(h.length).fixed(h.hash, AUDIT_HASH_BYTES).u64(h.lastTimestampMs);
    }
    return w.finish();
  }

  static decode(bytes: Uint8Array): AuditChains {
    const r = new BinaryReader(bytes);
    const chains = AuditChains.read(r);
    r.end();
    return chains;
  }

  /** Reads an encoding written by `encode` from inside a larger record. */
  static read(r: BinaryReader): AuditChains {
    if (r.u8() !== HEADS_FORMAT) throw badEncoding('unknown audit heads format');
    const n = r.u32();
    // Each head takes at least 1 + 8 + 32 + 8 bytes: refuse counts the input cannot hold.
    if (n > MAX_CHAINS || n * 49 > r.remaining) throw badEncoding('audit head count out of range');
    const out = new AuditChains();
    let previous = '';
    for (let i = 0; i < n; i++) {
      const chain = parseChainId(r.string(1, MAX_CHAIN_ID_BYTES));
      if (i > 0 && chain <= previous) throw badEncoding('audit heads not in canonical order');
      previous = chain;
      const length = r.u64Number();
      const hash = Buffer.from(r.fixed(AUDIT_HASH_BYTES));
      const lastTimestampMs = r.u64Number();
      if (length < 1) throw badEncoding('empty chain in audit heads');
      out.#heads.set(chain, { length, hash, lastTimestampMs });
    }
    return out;
  }

  clone(): AuditChains {
    return AuditChains.decode(this.encode());
  }
}
