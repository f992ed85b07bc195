import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { ChunkedNeedleSearch, findNeedles } from '../src/canary/search.js';
import { DEFAULT_SCAN_CHUNK_BYTES, canaryNeedles, findLevelDbDirs, scanFilesForCanary, scanLevelDbForCanary } from '../src/index.js';
import type { CanaryHit, CanaryNeedle } from '../src/index.js';

/** A text marker (so its UTF-16 forms count too), fresh per run. */
const MARKER = Buffer.from(`K1-canary-${randomBytes(12).toString('base64url')}`, 'utf8');

const TEXT_ENCODINGS = ['raw', 'hex', 'HEX', 'utf16le(hex)', 'utf16be(hex)', 'utf16le(HEX)', 'utf16be(HEX)', 'utf16le', 'utf16be'] as const;
const BASE64_ENCODINGS = ['base64@0', 'base64@1', 'base64@2', 'base64url@0', 'base64url@1', 'base64url@2'] as const;
const ALL_ENCODINGS = [...TEXT_ENCODINGS, ...BASE64_ENCODINGS];

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/**
 * The marker as a writer would put it on disk in `encoding`, inside its
 * context (base64 of arbitrary bytes around it), and where the stable
 * needle starts in those bytes.
 */
function encodeInContext(marker: Buffer, encoding: string): { bytes: Buffer; needleAt: number } {
  const hex = marker.toString('hex');
  const text = marker.toString('utf8');
  const plain: Record<string, Buffer> = {
    raw: marker,
    hex: Buffer.from(hex),
    HEX: Buffer.from(hex.toUpperCase()),
    'utf16le(hex)': Buffer.from(hex, 'utf16le'),
    'utf16be(hex)': utf16be(hex),
    'utf16le(HEX)': Buffer.from(hex.toUpperCase(), 'utf16le'),
    'utf16be(HEX)': utf16be(hex.toUpperCase()),
    utf16le: Buffer.from(text, 'utf16le'),
    utf16be: utf16be(text),
  };
  const direct = plain[encoding];
  if (direct !== undefined) return { bytes: direct, needleAt: 0 };
  const m = /^(base64|base64url)@([012])$/.exec(encoding);
  if (m === null) throw new Error(`unknown encoding ${encoding}`);
  const alphabet = m[1] as 'base64' | 'base64url';
  // 3 more leading bytes keep the alignment but move the needle off the start.
  const lead = 3 + Number(m[2]);
  const encoded = Buffer.concat([randomBytes(lead), marker, randomBytes(5)]).toString(alphabet);
  return { bytes: Buffer.from(encoded), needleAt: Math.ceil((8 * lead) / 6) };
}

function encodingsOf(hit: CanaryHit | { encoding: string }): string[] {
  return hit.encoding.split('|');
}

function needleFor(needles: readonly CanaryNeedle[], encoding: string): CanaryNeedle {
  const needle = needles.find((n) => encodingsOf(n).includes(encoding));
  if (needle === undefined) throw new Error(`no needle ${encoding}`);
  return needle;
}

/**
 * The marker with one middle byte changed: shares a long prefix (and suffix)
 * with it. (Not an edge byte: the base64 needles leave out the bits of the
 * edge bytes that share a character with neighbouring bytes.)
 */
function decoyOf(marker: Buffer): Buffer {
  const decoy = Buffer.from(marker);
  const middle = marker.length >> 1;
  decoy[middle] = (decoy[middle] ?? 0) ^ 0x01;
  return decoy;
}

const dirs: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `tessera-canary-test-${prefix}-`));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('canaryNeedles', () => {
  it('gives every encoding of a text marker, each once', () => {
    const needles = canaryNeedles(MARKER);
    const names = needles.flatMap(encodingsOf);
    expect([...names].sort()).toEqual([...ALL_ENCODINGS].sort());
    expect(new Set(needles.map((n) => n.bytes.toString('hex'))).size).toBe(needles.length);
    expect(needleFor(needles, 'raw').bytes).toEqual(MARKER);
    expect(needleFor(needles, 'hex').bytes.toString()).toBe(MARKER.toString('hex'));
    expect(needleFor(needles, 'utf16be').bytes).toEqual(utf16be(MARKER.toString('utf8')));
  });

  it('leaves out the UTF-16 forms of a marker that is not UTF-8 text', () => {
    const binary = Buffer.from([0xff, 0xfe, 0x80, 0x81, 0xc0, 0x00, 0x01, 0x02, 0x03]);
    const names = canaryNeedles(binary).flatMap(encodingsOf);
    expect(names).not.toContain('utf16le');
    expect(names).not.toContain('utf16be');
    expect(names).toContain('utf16le(hex)');
  });

  it('merges encodings that give the same bytes', () => {
    // Hex of these bytes has no letters: hex and HEX are one needle.
    const digits = Buffer.from([0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56]);
    expect(canaryNeedles(digits).map((n) => n.encoding)).toContain('hex|HEX');
  });

  it('refuses markers too short to search for safely, or too long', () => {
    for (const bad of [Buffer.alloc(7, 1), Buffer.alloc(4097, 1)]) {
      expect(() => canaryNeedles(bad)).toThrow(TesseraError);
      expect(() => canaryNeedles(bad)).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT }));
    }
  });

  it('base64 and base64url needles are found whatever bytes surround the marker', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 8, maxLength: 48 }),
        fc.uint8Array({ maxLength: 8 }),
        fc.uint8Array({ maxLength: 8 }),
        (marker, before, after) => {
          const needles = canaryNeedles(marker);
          const stream = Buffer.concat([before, marker, after]);
          for (const alphabet of ['base64', 'base64url'] as const) {
            const needle = needleFor(needles, `${alphabet}@${before.length % 3}`);
            expect(Buffer.from(stream.toString(alphabet)).includes(needle.bytes)).toBe(true);
          }
          expect(Buffer.from(stream.toString('hex')).includes(needleFor(needles, 'hex').bytes)).toBe(true);
          expect(Buffer.from(stream.toString('hex').toUpperCase(), 'utf16le').includes(needleFor(needles, 'utf16le(HEX)').bytes)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('chunked search', () => {
  it('finds exactly what a search of the whole stream finds, whatever the chunk size', () => {
    const marker = Buffer.from('0123456789abcdef');
    const needles = canaryNeedles(marker);
    const piece = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
      fc.constantFrom(...needles.map((n) => n.bytes)),
      fc.constant(marker.subarray(0, 12)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.integer({ min: 1, max: 64 }), (pieces, chunkBytes) => {
        const whole = Buffer.concat(pieces);
        const search = new ChunkedNeedleSearch(needles, chunkBytes);
        const found = [];
        for (let at = 0; at < whole.length; ) {
          const target = search.target();
          const n = Math.min(target.length, whole.length - at);
          whole.copy(target, 0, at, at + n);
          found.push(...search.advance(n));
          at += n;
        }
        const key = (m: { offset: number; encoding: string }): string => `${m.offset}:${m.encoding}`;
        expect(found.map(key).sort()).toEqual(findNeedles(whole, needles).map(key).sort());
      }),
      { numRuns: 300 },
    );
  });
});

describe('scanFilesForCanary', () => {
  const CHUNK = 4096;
  let root: string;
  /** Each planted file and the one hit expected in it. */
  const expected: { file: string; encoding: string; offset: number }[] = [];

  beforeAll(async () => {
    root = await tempDir('files');
    await mkdir(path.join(root, 'planted', 'deeper'), { recursive: true });
    // Every encoding at a different offset; some straddle a chunk boundary.
    for (const [i, encoding] of ALL_ENCODINGS.entries()) {
      const { bytes, needleAt } = encodeInContext(MARKER, encoding);
      const straddle = i % 3 === 0;
      const lead = straddle ? CHUNK * (1 + (i % 2)) - Math.floor(bytes.length / 2) : 37 * i;
      const file = path.join(root, 'planted', i % 2 === 0 ? 'deeper' : '', `${encoding}.bin`);
      await writeFile(file, Buffer.concat([randomBytes(lead), bytes, randomBytes(100 + 71 * i)]));
      expected.push({ file, encoding, offset: lead + needleAt });
    }
    await writeFile(path.join(root, 'random.bin'), randomBytes(3 * CHUNK + 17));
    const decoy = decoyOf(MARKER);
    await writeFile(
      path.join(root, 'decoy.bin'),
      Buffer.concat(ALL_ENCODINGS.map((e) => encodeInContext(decoy, e).bytes).concat([MARKER.subarray(0, MARKER.length - 1)])),
    );
    await writeFile(path.join(root, 'empty.bin'), Buffer.alloc(0));
    // Links are not followed: neither to a file holding the marker nor to a directory of them.
    const outside = await tempDir('outside');
    await writeFile(path.join(outside, 'elsewhere.bin'), MARKER);
    await symlink(path.join(outside, 'elsewhere.bin'), path.join(root, 'link-to-file'));
    await symlink(outside, path.join(root, 'link-to-dir'));
    // Exempt paths.
    await mkdir(path.join(root, 'tls'));
    await writeFile(path.join(root, 'tls', 'node.key'), MARKER);
  });

  it('reports every planted encoding at its offset, and nothing else', async () => {
    const hits = await scanFilesForCanary([root], MARKER, { chunkBytes: CHUNK, exclude: (p) => p === path.join(root, 'tls') });
    expect(hits).toHaveLength(expected.length);
    for (const e of expected) {
      const inFile = hits.filter((h) => h.where === e.file);
      expect(inFile, e.encoding).toHaveLength(1);
      expect(encodingsOf(inFile[0] ?? { encoding: '' }), e.file).toContain(e.encoding);
      expect(inFile[0]?.offset, e.encoding).toBe(e.offset);
    }
  });

  it('scans exempt paths unless excluded, and a file given as a root', async () => {
    const key = path.join(root, 'tls', 'node.key');
    expect(await scanFilesForCanary([root], MARKER, { chunkBytes: CHUNK })).toContainEqual({ where: key, encoding: 'raw', offset: 0 });
    expect(await scanFilesForCanary([key], MARKER)).toEqual([{ where: key, encoding: 'raw', offset: 0 }]);
  });

  it('finds nothing in random bytes, in decoys or under a missing root', async () => {
    const files = ['random.bin', 'decoy.bin', 'empty.bin'].map((f) => path.join(root, f));
    expect(await scanFilesForCanary([...files, path.join(root, 'no-such-dir')], MARKER, { chunkBytes: CHUNK })).toEqual([]);
  });

  it('streams a file several times the default chunk with hits across the default boundaries', async () => {
    const dir = await tempDir('large');
    const file = path.join(dir, 'large.bin');
    const data = randomBytes(3 * DEFAULT_SCAN_CHUNK_BYTES);
    const hex = Buffer.from(MARKER.toString('hex'));
    const at = [DEFAULT_SCAN_CHUNK_BYTES - 5, 2 * DEFAULT_SCAN_CHUNK_BYTES - hex.length + 1, data.length - MARKER.length];
    MARKER.copy(data, at[0]);
    hex.copy(data, at[1]);
    MARKER.copy(data, at[2]);
    await writeFile(file, data);
    expect(await scanFilesForCanary([dir], MARKER)).toEqual([
      { where: file, encoding: 'raw', offset: at[0] },
      { where: file, encoding: 'hex', offset: at[1] },
      { where: file, encoding: 'raw', offset: at[2] },
    ]);
  });
});

describe('LevelDB', () => {
  let root: string;
  let dbDir: string;
  let snappyDir: string;
  /** The hit expected for each planted value, by encoding. */
  const expected: { encoding: string; where: string; offset: number }[] = [];
  /** A value made of two halves of the marker, then the marker itself, which Snappy stores as back-references. */
  let splitValue: Buffer;

  async function writeDb(dir: string, entries: readonly [Buffer, Buffer][]): Promise<void> {
    const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer', compression: true });
    await db.open();
    await db.batch(entries.map(([key, value]) => ({ type: 'put' as const, key, value })));
    // Moves everything from the (uncompressed) log into a compressed table.
    await db.compactRange(Buffer.alloc(0), Buffer.alloc(64, 0xff));
    await db.close();
  }

  beforeAll(async () => {
    root = await tempDir('leveldb');
    dbDir = path.join(root, 'node1', 'meta', 'db');
    snappyDir = path.join(root, 'node1', 'snappy');
    await mkdir(dbDir, { recursive: true });
    const filler = (n: number): Buffer => Buffer.from('lorem ipsum dolor sit amet '.repeat(n));
    const entries: [Buffer, Buffer][] = [];
    for (const [i, encoding] of ALL_ENCODINGS.entries()) {
      const { bytes, needleAt } = encodeInContext(MARKER, encoding);
      const lead = filler(1 + i);
      entries.push([Buffer.from(`plant/${String(i).padStart(2, '0')}`), Buffer.concat([lead, bytes, filler(3)])]);
      expected.push({ encoding, where: `leveldb:${dbDir} entry#${i} value`, offset: lead.length + needleAt });
    }
    // The marker in a key too (entry index: after the 15 plant/ keys in byte order).
    entries.push([Buffer.concat([Buffer.from('zkey/'), MARKER]), Buffer.from('v')]);
    entries.push([Buffer.from('zz-decoy'), Buffer.concat(ALL_ENCODINGS.map((e) => encodeInContext(decoyOf(MARKER), e).bytes))]);
    await writeDb(dbDir, entries);

    const half = MARKER.length >> 1;
    splitValue = Buffer.concat([MARKER.subarray(0, half), Buffer.from('|'), MARKER.subarray(half), Buffer.from('|'), MARKER, filler(4)]);
    await writeDb(snappyDir, [[Buffer.from('split'), splitValue]]);
    // Not databases: a CURRENT alone, a MANIFEST alone.
    await mkdir(path.join(root, 'not-db-1'));
    await writeFile(path.join(root, 'not-db-1', 'CURRENT'), 'MANIFEST-000001\n');
    await mkdir(path.join(root, 'not-db-2'));
    await writeFile(path.join(root, 'not-db-2', 'MANIFEST-000001'), '');
  });

  it('finds LevelDB directories (CURRENT and a MANIFEST) and nothing else', async () => {
    expect(await findLevelDbDirs([root])).toEqual([dbDir, snappyDir].sort());
    expect(await findLevelDbDirs([dbDir])).toEqual([dbDir]);
  });

  it('reports every planted encoding in a compressed value, and the marker in a key', async () => {
    const hits = await scanLevelDbForCanary([dbDir], MARKER);
    for (const e of expected) {
      const match = hits.filter((h) => h.where === e.where);
      expect(match, e.encoding).toHaveLength(1);
      expect(encodingsOf(match[0] ?? { encoding: '' }), e.encoding).toContain(e.encoding);
      expect(match[0]?.offset).toBe(e.offset);
    }
    expect(hits).toContainEqual({ where: `leveldb:${dbDir} entry#${ALL_ENCODINGS.length} key`, encoding: 'raw', offset: 5 });
    // Nothing from the decoy entry.
    expect(hits).toHaveLength(expected.length + 1);
  });

  it('sees plaintext that Snappy hid from a raw file scan', async () => {
    // Why the logical scan exists: the table stores the repeated marker as a back-reference.
    expect(await scanFilesForCanary([snappyDir], MARKER)).toEqual([]);
    const offset = splitValue.indexOf(MARKER);
    expect(await scanLevelDbForCanary([snappyDir], MARKER)).toEqual([{ where: `leveldb:${snappyDir} entry#0 value`, encoding: 'raw', offset }]);
  });

  it('leaves the scanned directory exactly as it was, and no copy behind', async () => {
    const snapshot = async (dir: string): Promise<string[]> =>
      Promise.all(
        (await readdir(dir)).sort().map(async (name) => {
          const file = path.join(dir, name);
          const s = await stat(file);
          return `${name} ${s.size} ${s.mtimeMs} ${createHash('sha256').update(await readFile(file)).digest('hex')}`;
        }),
      );
    const workDir = await tempDir('work');
    const before = await snapshot(dbDir);
    expect((await scanLevelDbForCanary([dbDir], MARKER, { workDir })).length).toBeGreaterThan(0);
    expect(await snapshot(dbDir)).toEqual(before);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('fails loudly on a directory that is not a readable database, leaving no copy behind', async () => {
    const workDir = await tempDir('work-bad');
    await expect(scanLevelDbForCanary([path.join(root, 'not-db-1')], MARKER, { workDir })).rejects.toMatchObject({ code: ErrorCodes.STORAGE_IO });
    expect(await readdir(workDir)).toEqual([]);
  });
});
