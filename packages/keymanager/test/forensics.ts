/**
 * What an attacker holding a copy of a data dir and the root provider can
 * try, done with the crypto directly (not through the key manager): find
 * every wrapped-key-shaped blob in the copy and try to unwrap it under every
 * key the provider still holds (plus the master and dedup keys those give).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BinaryReader } from '@tessera/common';
import { openDurableKv } from '@tessera/common/durable';
import { aesKwpUnwrap, unwrapKey, KeyMaterial } from '@tessera/crypto';
import { decodeState, masterContext, dedupContext } from '../src/index.js';

export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const st = await stat(path);
    if (st.isDirectory()) out.push(...(await filesUnder(path)));
    else if (st.isFile()) out.push(path);
  }
  return out;
}

/** Every byte in the folder: raw files, and every key and value of the LevelDBs in it (LevelDB compresses blocks). */
export async function everyByte(dir: string, levelDbs: readonly string[]): Promise<Buffer[]> {
  const buffers: Buffer[] = [];
  for (const file of await filesUnder(dir)) buffers.push(await readFile(file));
  for (const db of levelDbs) {
    const kv = await openDurableKv(join(dir, db));
    try {
      for (const [k, v] of await kv.entries({})) buffers.push(k, v);
    } finally {
      await kv.close();
    }
  }
  return buffers;
}

/** The 32-byte keys of every file in a keyring folder (key file format: see key-file.ts); root first. */
export async function keyringKeys(dir: string): Promise<{ root: Buffer; all: Buffer[] }> {
  const all: Buffer[] = [];
  let root: Buffer | undefined;
  for (const name of (await readdir(dir)).sort()) {
    const bytes = await readFile(join(dir, name));
    if (!bytes.subarray(0, 4).equals(Buffer.from('TKEY'))) continue;
    const tenantLength = bytes[6]!;
    const at = 7 + tenantLength + 4;
    const key = Buffer.from(bytes.subarray(at, at + 32));
    if (bytes[5] === 1) root = key;
    all.push(key);
  }
  if (root === undefined) throw new Error('keyring without a root key');
  return { root, all };
}

/** Master and dedup keys of a (copied) state store, unwrapped with the root key. */
export async function systemKeys(stateDb: string, root: Buffer): Promise<Buffer[]> {
  const kv = await openDurableKv(stateDb);
  try {
    const record = await kv.get(Buffer.from([0x4b, 0x01]));
    if (record === undefined) return [];
    const state = decodeState(record);
    const rootKey = KeyMaterial.fromBytes(root);
    const out: Buffer[] = [];
    for (const [epoch, blob] of state.system?.masters ?? []) out.push(Buffer.from(unwrapKey(rootKey, blob, masterContext(epoch, 1)).expose()));
    if (state.system !== undefined) out.push(Buffer.from(unwrapKey(rootKey, state.system.dedup, dedupContext(1)).expose()));
    return out;
  } finally {
    await kv.close();
  }
}

export interface Unwrapped {
  readonly purpose: string;
  readonly tenant: string;
  readonly key: Buffer;
}

/**
 * Every wrapped key is stored behind a u16 length prefix; for KWP of a
 * tenant key that length is 64 (0x0040). Each such window is tried under
 * every candidate key; a KWP integrity pass is a hit, and its context says
 * what was unwrapped.
 */
export function unwrapAnything(buffers: readonly Buffer[], keys: readonly Buffer[]): Unwrapped[] {
  const hits = new Map<string, Unwrapped>();
  for (const buf of buffers) {
    for (let i = 0; i + 66 <= buf.length; i++) {
      if (buf[i] !== 0x00 || buf[i + 1] !== 0x40) continue;
      const blob = buf.subarray(i + 2, i + 66);
      for (const key of keys) {
        let plain: Buffer;
        try {
          plain = aesKwpUnwrap(key, blob);
        } catch {
          continue;
        }
        const r = new BinaryReader(plain);
        r.u8();
        const purpose = r.string(1);
        const tenant = r.string(1);
        r.u64();
        r.u32();
        const unwrapped = Buffer.from(r.fixed(32));
        hits.set(`${purpose}/${tenant}/${unwrapped.toString('hex')}`, { purpose, tenant, key: unwrapped });
      }
    }
  }
  return [...hits.values()];
}
