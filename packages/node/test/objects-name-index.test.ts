import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { LIST_PAGE_MAX, NameIndex, type IndexedObject } from '../src/objects/name-index.js';
import { compareUtf8 } from '../src/objects/text.js';

const byUtf8 = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const tagOf = (name: string): string => Buffer.from(name, 'utf8').toString('hex').padEnd(8, '0');

/** The committed state a node would hold: keyTag → (name, sequence). */
class Model {
  readonly objects = new Map<string, { name: string; sequence: number }>();
  private nextSequence = 1;
  readonly described: Array<[string, number]> = [];

  put(name: string): void {
    this.objects.set(tagOf(name), { name, sequence: this.nextSequence++ });
  }

  remove(name: string): void {
    this.objects.delete(tagOf(name));
  }

  latest(): Map<string, number> {
    return new Map([...this.objects].map(([tag, o]) => [tag, o.sequence]));
  }

  readonly describe = async (keyTag: string, sequence: number): Promise<IndexedObject> => {
    this.described.push([keyTag, sequence]);
    const o = this.objects.get(keyTag);
    if (o === undefined || o.sequence !== sequence) throw new Error('described something not committed');
    return { name: o.name, keyTag, sequence, size: sequence * 10, modifiedMs: 1_700_000_000_000 + sequence, chunks: 1 };
  };

  names(prefix = ''): string[] {
    return [...this.objects.values()].map((o) => o.name).filter((n) => n.startsWith(prefix)).sort(byUtf8);
  }
}

function listAll(index: NameIndex, prefix: string, limit: number): { names: string[]; pages: number } {
  const names: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = index.page(prefix, limit, token);
    pages++;
    expect(page.objects.length).toBeLessThanOrEqual(Math.min(limit, LIST_PAGE_MAX));
    if (page.nextToken !== undefined) expect(page.objects.length).toBe(Math.min(limit, LIST_PAGE_MAX));
    names.push(...page.objects.map((o) => o.name));
    token = page.nextToken;
  } while (token !== undefined);
  return { names, pages };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (!(err instanceof TesseraError)) throw err;
    return err.code;
  }
}

const UNICODE = ['é', '\uE000', '\uFFFD', '😀', '𝄞', 'ß'];

function bigModel(): Model {
  const model = new Model();
  for (let i = 0; i < 2_500; i++) {
    const u = UNICODE[i % UNICODE.length] as string;
    model.put(i % 5 === 0 ? `${u}/${i}` : `dir${i % 7}/sub${i % 3}/file-${String(i).padStart(5, '0')}`);
  }
  return model;
}

// Any code point but a surrogate (fast-check's 'binary' unit does the same, far more slowly).
const codePoint = fc.oneof(fc.integer({ min: 0, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff })).map((c) => String.fromCodePoint(c));

describe('UTF-8 name order', () => {
  it('orders strings as their UTF-8 bytes do', () => {
    const s = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '\uE000', '\uFFFF', '\uD7FF', '😀', '𝄞', '\u{10FFFF}'), maxLength: 6 });
    const agrees = (a: string, b: string): boolean => Math.sign(compareUtf8(a, b)) === Math.sign(byUtf8(a, b));
    fc.assert(fc.property(s, s, agrees), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ unit: codePoint, maxLength: 12 }), fc.string({ unit: codePoint, maxLength: 12 }), agrees), { numRuns: 500 });
  });
});

describe('name index pages', () => {
  it('pages through 2,500 names with prefixes and tokens, each name once and in order', async () => {
    const model = bigModel();
    const index = new NameIndex();
    await index.reconcile(model.latest(), model.describe);
    expect(index.size).toBe(2_500);
    for (const prefix of ['', 'dir3/', 'dir3/sub1/', 'dir3/sub1/file-0', '😀/', '\uE000', 'é', 'nothing-here']) {
      for (const limit of [1, 7, 250, 1000, 5000]) {
        if (limit === 1 && prefix === '') continue; // 2,500 single pages add nothing the others do not cover
        const { names, pages } = listAll(index, prefix, limit);
        const expected = model.names(prefix);
        expect(names).toEqual(expected);
        expect(pages).toBe(Math.max(1, Math.ceil(expected.length / Math.min(limit, LIST_PAGE_MAX))));
      }
    }
    const first = index.page('', 5000, undefined);
    expect(first.objects).toHaveLength(LIST_PAGE_MAX);
    expect(first.objects[0]).toMatchObject({ keyTag: tagOf(first.objects[0]?.name ?? ''), chunks: 1 });
  });

  it('treats an empty token as no token', async () => {
    const model = bigModel();
    const index = new NameIndex();
    await index.reconcile(model.latest(), model.describe);
    expect(index.page('dir1/', 10, '')).toEqual(index.page('dir1/', 10, undefined));
  });

  it('refuses malformed tokens, tokens of another prefix, and bad arguments', async () => {
    const model = bigModel();
    const index = new NameIndex();
    await index.reconcile(model.latest(), model.describe);
    const token = index.page('dir1/', 10, undefined).nextToken as string;
    expect(typeof token).toBe('string');
    expect(index.page('dir1/', 10, token).objects[0]?.name.startsWith('dir1/')).toBe(true);
    const version2 = Buffer.from(token, 'base64url');
    version2[0] = 2;
    const badUtf8 = Buffer.from([1, 0xc3]).toString('base64url');
    const nul = Buffer.from([1, 0x61, 0]).toString('base64url');
    const nonCanonical = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const malformed = ['not base64!', 'AQ==', version2.toString('base64url'), Buffer.from([1]).toString('base64url'), badUtf8, nul, 'A'.repeat(2000)];
    for (const t of malformed) expect([t, codeOf(() => index.page('dir1/', 10, t))]).toEqual([t, ErrorCodes.INVALID_ARGUMENT]);
    if (Buffer.from(nonCanonical, 'base64url').toString('base64url') !== nonCanonical) {
      expect(codeOf(() => index.page('dir1/', 10, nonCanonical))).toBe(ErrorCodes.INVALID_ARGUMENT);
    }
    expect(codeOf(() => index.page('dir2/', 10, token))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => index.page('', 0, undefined))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => index.page('', 2.5, undefined))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => index.page('a\u0000', 10, undefined))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => index.page('\uD800', 10, undefined))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });

  it('never lists outside the prefix, whatever position a token names', async () => {
    const model = bigModel();
    const index = new NameIndex();
    await index.reconcile(model.latest(), model.describe);
    const names = model.names();
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.nat(12), fc.integer({ min: 1, max: 40 }), (name, cut, limit) => {
        const prefix = Array.from(name).slice(0, cut).join(''); // whole code points
        const token = Buffer.concat([Buffer.from([1]), Buffer.from(name, 'utf8')]).toString('base64url');
        const page = index.page(prefix, limit, token);
        const expected = model.names(prefix).filter((n) => byUtf8(n, name) > 0).slice(0, limit);
        expect(page.objects.map((o) => o.name)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});

describe('name index reconcile', () => {
  it('adds, changes and removes entries, describing only what changed', async () => {
    const model = new Model();
    for (let i = 0; i < 300; i++) model.put(`obj-${i}`);
    const index = new NameIndex();
    await index.reconcile(model.latest(), model.describe);
    expect(model.described).toHaveLength(300);

    model.described.length = 0;
    await index.reconcile(model.latest(), model.describe);
    expect(model.described).toHaveLength(0);

    model.put('obj-5'); // changed
    model.put('new-1'); // added
    model.remove('obj-7');
    await index.reconcile(model.latest(), model.describe);
    expect(model.described.map(([tag]) => tag).sort()).toEqual([tagOf('obj-5'), tagOf('new-1')].sort());
    expect(listAll(index, '', 1000).names).toEqual(model.names());
    expect(index.page('obj-5', 1, undefined).objects[0]?.sequence).toBe(model.objects.get(tagOf('obj-5'))?.sequence);
    expect(index.size).toBe(300);

    // Many changes at once take the rebuild path.
    model.described.length = 0;
    for (let i = 0; i < 150; i++) model.remove(`obj-${i}`);
    for (let i = 150; i < 200; i++) model.put(`obj-${i}`);
    for (let i = 0; i < 100; i++) model.put(`more-${i}`);
    await index.reconcile(model.latest(), model.describe);
    expect(model.described).toHaveLength(150);
    expect(listAll(index, '', 1000).names).toEqual(model.names());
    expect(index.size).toBe(model.objects.size);
  });

  it('matches the committed state after any sequence of puts and deletes', async () => {
    const op = fc.record({ del: fc.boolean(), name: fc.string({ unit: fc.constantFrom('a', 'b', 'é', '😀', '/'), minLength: 1, maxLength: 4 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { maxLength: 90 }), { minLength: 1, maxLength: 4 }), async (rounds) => {
        const model = new Model();
        const index = new NameIndex();
        for (const round of rounds) {
          for (const { del, name } of round) {
            if (del) model.remove(name);
            else model.put(name);
          }
          await index.reconcile(model.latest(), model.describe);
          expect(listAll(index, '', 1000).names).toEqual(model.names());
          expect(listAll(index, 'a', 3).names).toEqual(model.names('a'));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('leaves the index unchanged when a description fails', async () => {
    const model = new Model();
    for (let i = 0; i < 10; i++) model.put(`n${i}`);
    const index = new NameIndex();
    await index.reconcile(model.latest(), model.describe);
    model.put('n1');
    model.remove('n2');
    model.put('n99');
    const failure = new TesseraError(ErrorCodes.CRYPTO_AUTH_FAILED, 'authentication failed');
    await expect(index.reconcile(model.latest(), async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(listAll(index, '', 100).names).toEqual([...Array(10).keys()].map((i) => `n${i}`));
    await expect(index.reconcile(model.latest(), async (keyTag, sequence) => ({ name: 'x', keyTag, sequence: sequence + 1, size: 0, modifiedMs: 0, chunks: 0 }))).rejects.toMatchObject({ code: ErrorCodes.INTERNAL });
    await index.reconcile(model.latest(), model.describe);
    expect(listAll(index, '', 100).names).toEqual(model.names());
  });

  it('applies nothing when cleared while a reconcile waits for descriptions', async () => {
    const model = new Model();
    for (let i = 0; i < 5; i++) model.put(`n${i}`);
    const index = new NameIndex();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pending = index.reconcile(model.latest(), async (keyTag, sequence) => {
      await gate;
      return model.describe(keyTag, sequence);
    });
    index.clear();
    release();
    await expect(pending).rejects.toMatchObject({ code: ErrorCodes.INTERNAL, retriable: true });
    expect(index.size).toBe(0);
    expect(index.page('', 10, undefined).objects).toEqual([]);
    await index.reconcile(model.latest(), model.describe);
    expect(index.size).toBe(5);
    index.clear();
    expect(index.size).toBe(0);
  });

  it('runs overlapping reconciles one after the other, describing each change once', async () => {
    const model = new Model();
    for (let i = 0; i < 20; i++) model.put(`n${i}`);
    const index = new NameIndex();
    await Promise.all([index.reconcile(model.latest(), model.describe), index.reconcile(model.latest(), model.describe)]);
    expect(model.described).toHaveLength(20);
    expect(listAll(index, '', 100).names).toEqual(model.names());
  });
});
