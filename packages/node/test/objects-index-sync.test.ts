/**
 * Incremental listing (issue #12): a name index kept up to date from the
 * metadata machine's journal (`syncNameIndex`, as ListObjects does) always
 * pages exactly like one rebuilt from the whole current-object map, through
 * puts, overwrites, deletes, compactions, restores, reopens and journal
 * overruns; and `applyChanges` keeps the index's guarantees.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { MetadataMachine } from '../src/metadata/machine.js';
import type { ObjectChangeCursor } from '../src/metadata/object-changes.js';
import { syncNameIndex } from '../src/objects/index-sync.js';
import { NameIndex, type Describe, type IndexedObject } from '../src/objects/name-index.js';
import { T0, deleteCmd, keyTagOf, putCmd } from './support/metadata-fixtures.js';
import { Replica } from './support/metadata-replica.js';

const NAMES = ['a', 'a/b', 'a/c', 'ab', 'b', 'b/é', 'é', '😀', '😀/x', 'z', 'a/b/c', '\uE000'];
const nameOfTag = new Map(NAMES.map((name, k) => [keyTagOf(k).toString('hex'), name]));

/** What the gateway's describe returns, without a payload to open: the name is known from the keyTag. */
function describer(machine: () => MetadataMachine, tenant = 'a'): Describe {
  return async (keyTag, sequence) => {
    const delta = machine().delta(tenant, sequence);
    const name = nameOfTag.get(keyTag);
    if (delta === undefined || name === undefined) throw new TesseraError(ErrorCodes.INTERNAL, 'not committed');
    return { name, keyTag, sequence, size: delta.header.payloadSize, modifiedMs: delta.leaderTimeMs, chunks: 0 };
  };
}

function allPages(index: NameIndex<unknown>, prefix: string, limit: number): Array<{ objects: IndexedObject[]; nextToken: string | undefined }> {
  const pages = [];
  let token: string | undefined;
  do {
    const page = index.page(prefix, limit, token);
    pages.push(page);
    token = page.nextToken;
  } while (token !== undefined);
  return pages;
}

type Op =
  | { readonly op: 'put' | 'delete'; readonly key: number }
  | { readonly op: 'compact'; readonly expire: boolean }
  | { readonly op: 'save' | 'restore' | 'reopen' }
  | { readonly op: 'list'; readonly prefix: string; readonly limit: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constantFrom('put' as const, 'delete' as const), key: fc.nat({ max: NAMES.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('compact' as const), expire: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('save' as const, 'restore' as const, 'reopen' as const) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('list' as const), prefix: fc.constantFrom('', 'a', 'a/', 'b', '😀'), limit: fc.integer({ min: 1, max: 5 }) }) },
);

describe('incremental name index', () => {
  it('always pages exactly like an index rebuilt from scratch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.array(opArb, { minLength: 1, maxLength: 60 }), async (journalLimit, ops) => {
        const r = await Replica.start({ objectJournalLimit: journalLimit });
        let now = T0;
        let session = await r.session('a', now);
        let saved: Uint8Array | undefined;
        const index = new NameIndex<ObjectChangeCursor>();
        const describe = describer(() => r.machine);
        for (const step of [...ops, { op: 'list', prefix: '', limit: 3 } as const]) {
          now += 1_000;
          switch (step.op) {
            case 'put':
              await r.run(putCmd('a', session(), keyTagOf(step.key), [], Buffer.alloc(1 + step.key), now));
              break;
            case 'delete':
              await r.run(deleteCmd('a', session(), keyTagOf(step.key), now));
              break;
            case 'compact':
              await r.run({ op: 'compact', timeMs: now, tenant: 'a', upToSeq: 1_000_000, tombstoneTtlMs: step.expire ? 0 : 3_600_000 });
              break;
            case 'save':
              saved = await r.machine.snapshot();
              break;
            case 'restore':
              await r.restore(saved ?? (await r.machine.snapshot()));
              session = await r.session('a', now); // the restored session table may not know the current one
              break;
            case 'reopen':
              await r.reopen({ objectJournalLimit: journalLimit });
              break;
            case 'list': {
              await syncNameIndex(index, r.machine, 'a', describe);
              const fresh = new NameIndex();
              await fresh.reconcile(r.machine.currentObjects('a'), describe);
              expect(allPages(index, step.prefix, step.limit)).toEqual(allPages(fresh, step.prefix, step.limit));
              expect(index.size).toBe(r.machine.currentObjects('a').size);
              break;
            }
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('describes only what changed since the last list', async () => {
    const r = await Replica.start();
    const s = await r.session('a');
    await r.run(...NAMES.map((_, k) => putCmd('a', s(), keyTagOf(k), [])));
    const index = new NameIndex<ObjectChangeCursor>();
    const described: string[] = [];
    const inner = describer(() => r.machine);
    const counting: Describe = async (keyTag, sequence) => {
      described.push(keyTag);
      return inner(keyTag, sequence);
    };
    await syncNameIndex(index, r.machine, 'a', counting);
    expect(described).toHaveLength(NAMES.length);
    described.length = 0;
    await syncNameIndex(index, r.machine, 'a', counting);
    expect(described).toEqual([]);
    await r.run(putCmd('a', s(), keyTagOf(3), []), deleteCmd('a', s(), keyTagOf(4)));
    await syncNameIndex(index, r.machine, 'a', counting);
    expect(described).toEqual([keyTagOf(3).toString('hex')]);
    expect(index.page('', 100, undefined).objects.map((o) => o.name)).not.toContain(NAMES[4]);
  });
});

describe('NameIndex.applyChanges', () => {
  const entry = (name: string, sequence: number): IndexedObject => ({ name, keyTag: Buffer.from(name).toString('hex'), sequence, size: 1, modifiedMs: 0, chunks: 0 });
  const tagOf = (name: string): string => Buffer.from(name).toString('hex');
  const describeFrom =
    (state: Map<string, number>): Describe =>
    async (keyTag, sequence) => {
      if (state.get(keyTag) !== sequence) throw new Error('not committed');
      return entry(Buffer.from(keyTag, 'hex').toString(), sequence);
    };
  const names = (index: NameIndex<unknown>): string[] => index.page('', 1000, undefined).objects.map((o) => o.name);

  it('adds, replaces and drops only the changed keyTags and records the mark', async () => {
    const state = new Map([['x', 1], ['y', 2], ['z', 3]].map(([n, s]) => [tagOf(n as string), s as number]));
    const index = new NameIndex<number>();
    await index.reconcile(state, describeFrom(state), 1);
    expect(index.mark).toBe(1);
    state.set(tagOf('w'), 4);
    state.set(tagOf('x'), 5);
    state.delete(tagOf('y'));
    await index.applyChanges([tagOf('w'), tagOf('x'), tagOf('y'), tagOf('never')], (t) => state.get(t), describeFrom(state), 2);
    expect(names(index)).toEqual(['w', 'x', 'z']);
    expect(index.page('x', 10, undefined).objects[0]?.sequence).toBe(5);
    expect(index.mark).toBe(2);
  });

  it('reads the current state during the call, and applies nothing (mark included) when a description fails', async () => {
    const state = new Map([[tagOf('x'), 1]]);
    const index = new NameIndex<number>();
    await index.reconcile(state, describeFrom(state), 1);
    state.set(tagOf('y'), 2);
    const failure = new TesseraError(ErrorCodes.CRYPTO_AUTH_FAILED, 'authentication failed');
    const failing = index.applyChanges([tagOf('y')], (t) => state.get(t), async () => Promise.reject(failure), 2);
    state.delete(tagOf('y')); // after the call: not seen by it
    await expect(failing).rejects.toBe(failure);
    expect(names(index)).toEqual(['x']);
    expect(index.mark).toBe(1);
  });

  it('applies nothing when cleared while descriptions are pending, and runs after earlier updates in call order', async () => {
    const state = new Map([[tagOf('x'), 1]]);
    const index = new NameIndex<number>();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: Describe = async (keyTag, sequence) => {
      await gate;
      return describeFrom(state)(keyTag, sequence);
    };
    const first = index.reconcile(state, slow, 1);
    state.set(tagOf('y'), 2);
    const second = index.applyChanges([tagOf('y')], (t) => state.get(t), describeFrom(state), 2);
    release();
    await Promise.all([first, second]);
    expect(names(index)).toEqual(['x', 'y']);
    expect(index.mark).toBe(2);

    let open: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (open = resolve));
    state.set(tagOf('z'), 3);
    const pending = index.applyChanges([tagOf('z')], (t) => state.get(t), async (k, s) => {
      await held;
      return describeFrom(state)(k, s);
    }, 3);
    index.clear();
    open();
    await expect(pending).rejects.toMatchObject({ code: ErrorCodes.INTERNAL, retriable: true });
    expect(index.size).toBe(0);
    expect(index.mark).toBeUndefined();
  });
});
