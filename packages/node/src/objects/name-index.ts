/**
 * The per-tenant sorted name index (DESIGN section 7). Object names exist in
 * cleartext only inside decrypted delta payloads, so listing needs an index
 * built from them; it lives in node memory only — never on disk (K1) — is
 * brought up to date from the committed `latest` map before a listing, and is
 * dropped (`clear`) when the tenant is shredded or its keys expire on this node.
 *
 * Layout: entries sorted by name (UTF-8 byte order) in short blocks
 * (sorted-blocks.ts) for prefix ranges and pages by binary search and for
 * O(log N) updates, and a keyTag → entry map for reconciling. Brought up to
 * date either from the whole `latest` map (`reconcile`: first build, resync)
 * or from the keyTags that changed since the last update (`applyChanges`,
 * issue #12: O(changes) per listing).
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { OBJECT_LIMITS } from './payload.js';
import { SortedBlocks } from './sorted-blocks.js';
import { compareUtf8, nameProblem } from './text.js';

export interface IndexedObject {
  name: string;
  /** Hex of the object's keyTag. */
  keyTag: string;
  /** Sequence of the delta the entry was built from. */
  sequence: number;
  size: number;
  /** Leader timestamp of that delta. */
  modifiedMs: number;
  chunks: number;
}

export const LIST_PAGE_MAX = 1000;

/**
 * Changes are applied entry by entry (O(log N + block) each) up to this many,
 * or up to 1/MERGE_FRACTION of the index if that is more; beyond, the whole
 * sequence is rebuilt by one O(N) merge, which is cheaper per change then.
 */
const IN_PLACE_CHANGES = 64;
const MERGE_FRACTION = 8;
/** Descriptions in flight at once during a reconcile. */
const DESCRIBE_CONCURRENCY = 16;

const TOKEN_VERSION = 1;
const TOKEN_MAX_CHARS = Math.ceil(((1 + OBJECT_LIMITS.nameBytes) * 4) / 3);
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

function compareEntries(a: IndexedObject, b: IndexedObject): number {
  // Names are unique in a consistent index (keyTag = HMAC(name)); the keyTag
  // only keeps the order total if a caller ever describes two tags with one name.
  return compareUtf8(a.name, b.name) || (a.keyTag < b.keyTag ? -1 : a.keyTag > b.keyTag ? 1 : 0);
}

/**
 * Continuation token, version 1: base64url (no padding) of u8 version ‖ the
 * UTF-8 name of the last object returned. Opaque to callers; it carries the
 * caller's own object name, so it must not be logged (like the name itself).
 */
function encodeToken(lastName: string): string {
  return Buffer.concat([Buffer.from([TOKEN_VERSION]), Buffer.from(lastName, 'utf8')]).toString('base64url');
}

function decodeToken(token: string): string {
  if (token.length > TOKEN_MAX_CHARS || !BASE64URL.test(token)) throw invalid('malformed continuation token');
  const bytes = Buffer.from(token, 'base64url');
  // Only the canonical spelling: no stray trailing bits, so one token per position.
  if (bytes.toString('base64url') !== token || bytes.length < 2 || bytes[0] !== TOKEN_VERSION) throw invalid('malformed continuation token');
  const nameBytes = bytes.subarray(1);
  const name = nameBytes.toString('utf8');
  if (!Buffer.from(name, 'utf8').equals(nameBytes) || nameProblem(name, OBJECT_LIMITS.nameBytes) !== undefined) throw invalid('malformed continuation token');
  return name;
}

function checkPrefix(prefix: string): void {
  if (prefix.length > 0 && nameProblem(prefix, OBJECT_LIMITS.nameBytes) !== undefined) {
    throw invalid(`prefix must be at most ${OBJECT_LIMITS.nameBytes} bytes of well-formed UTF-8 without NUL`);
  }
}

function checkDescribed(o: IndexedObject, keyTag: string, sequence: number): IndexedObject {
  if (o.keyTag !== keyTag || o.sequence !== sequence) throw new TesseraError(ErrorCodes.INTERNAL, 'described object does not match its delta');
  if (nameProblem(o.name, OBJECT_LIMITS.nameBytes) !== undefined) throw new TesseraError(ErrorCodes.INTERNAL, 'described object has an invalid name');
  return Object.freeze({ name: o.name, keyTag, sequence, size: o.size, modifiedMs: o.modifiedMs, chunks: o.chunks });
}

export type Describe = (keyTag: string, sequence: number) => Promise<IndexedObject>;

/**
 * `M` is the caller's mark of what the index reflects (the node uses the
 * metadata journal's cursor): set by each successful update, together with
 * its entries, and reset by `clear`.
 */
export class NameIndex<M = unknown> {
  /** Every entry, sorted by `compareEntries`. Entries are frozen and shared with `page` results. */
  private readonly sorted = new SortedBlocks<IndexedObject>(compareEntries);
  private readonly byTag = new Map<string, IndexedObject>();
  private synced: M | undefined;
  /** Bumped by `clear`, so an update in flight cannot bring names back. */
  private generation = 0;
  /** Updates run one at a time, in call order. */
  private tail: Promise<void> = Promise.resolve();

  get size(): number {
    return this.sorted.size;
  }

  /** The mark given with the last successful update (undefined before it, after `clear`, or when it gave none). */
  get mark(): M | undefined {
    return this.synced;
  }

  /**
   * Brings the index in line with the committed `latest` map (keyTag hex →
   * sequence of the latest non-tombstone delta). Entries whose (keyTag,
   * sequence) are indexed already are kept; new and changed ones are described
   * by `describe` (the caller opens the payload); keyTags absent from `latest`
   * are dropped. Cost: one pass over `latest`, one over the index only when
   * something was removed, plus work proportional to the changes. For the
   * first build and whenever the caller cannot tell what changed.
   *
   * All or nothing: if `describe` fails, the index (and its mark) is left as
   * it was and the error propagates. If `clear` runs between this call and its
   * end, nothing is applied and the call fails with a retriable INTERNAL error
   * (the keys behind `describe` may be gone). Updates run one at a time in
   * call order; `latest` is read when this one starts.
   */
  reconcile(latest: ReadonlyMap<string, number>, describe: Describe, mark?: M): Promise<void> {
    return this.enqueue(async (generation) => {
      const wanted: Array<readonly [string, number]> = [];
      let stillIndexed = 0; // keyTags of `latest` the index holds, at any sequence
      for (const [keyTag, sequence] of latest) {
        const current = this.byTag.get(keyTag);
        if (current !== undefined) stillIndexed++;
        if (current?.sequence !== sequence) wanted.push([keyTag, sequence]);
      }
      // Only when the index holds keyTags `latest` lacks is a pass over the index needed.
      const removedTags: string[] = [];
      if (stillIndexed < this.byTag.size) {
        for (const keyTag of this.byTag.keys()) if (!latest.has(keyTag)) removedTags.push(keyTag);
      }
      await this.describeAndApply(generation, wanted, removedTags, describe, mark);
    });
  }

  /**
   * Applies only the keyTags (hex) that changed since the index's mark:
   * `current(keyTag)` is the sequence of the key's latest non-tombstone
   * delta, or undefined when it has none (deleted, never stored). It is
   * called for each changed keyTag during this call, so the update brings
   * the index to the state of that moment, whatever runs before it; the
   * caller must pass every keyTag that changed between the index's mark and
   * `mark`. Cost: O(changes x (log N + block)) besides the descriptions;
   * many changes at once are merged in one O(N) pass instead. The same
   * guarantees as `reconcile` (all or nothing, `clear`, call order).
   */
  applyChanges(changed: Iterable<string>, current: (keyTag: string) => number | undefined, describe: Describe, mark?: M): Promise<void> {
    const patch = new Map<string, number | undefined>();
    for (const keyTag of changed) patch.set(keyTag, current(keyTag));
    return this.enqueue(async (generation) => {
      const wanted: Array<readonly [string, number]> = [];
      const removedTags: string[] = [];
      for (const [keyTag, sequence] of patch) {
        const indexed = this.byTag.get(keyTag);
        if (sequence === undefined) {
          if (indexed !== undefined) removedTags.push(keyTag);
        } else if (indexed?.sequence !== sequence) {
          wanted.push([keyTag, sequence]);
        }
      }
      await this.describeAndApply(generation, wanted, removedTags, describe, mark);
    });
  }

  private enqueue(update: (generation: number) => Promise<void>): Promise<void> {
    const generation = this.generation;
    const run = this.tail.then(() => update(generation));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async describeAndApply(
    generation: number,
    wanted: ReadonlyArray<readonly [string, number]>,
    removedTags: readonly string[],
    describe: Describe,
    mark: M | undefined,
  ): Promise<void> {
    const added = await describeAll(wanted, describe);
    if (generation !== this.generation) {
      throw new TesseraError(ErrorCodes.INTERNAL, 'name index was dropped during the update', { retriable: true });
    }
    // From here on, synchronous: entries and mark change together.
    const dropped: IndexedObject[] = [];
    for (const keyTag of removedTags) {
      const entry = this.byTag.get(keyTag);
      if (entry !== undefined) dropped.push(entry);
      this.byTag.delete(keyTag);
    }
    for (const entry of added) {
      const old = this.byTag.get(entry.keyTag);
      if (old !== undefined) dropped.push(old);
      this.byTag.set(entry.keyTag, entry);
    }
    const changes = dropped.length + added.length;
    if (changes <= Math.max(IN_PLACE_CHANGES, this.sorted.size / MERGE_FRACTION)) this.applyInPlace(dropped, added);
    else this.rebuild(dropped, added);
    this.synced = mark;
  }

  private applyInPlace(dropped: readonly IndexedObject[], added: readonly IndexedObject[]): void {
    for (const entry of dropped) this.sorted.remove(entry);
    for (const entry of added) this.sorted.insert(entry);
  }

  private rebuild(dropped: readonly IndexedObject[], added: IndexedObject[]): void {
    const gone = new Set(dropped);
    const all = this.sorted.toArray();
    const kept = gone.size === 0 ? all : all.filter((e) => !gone.has(e));
    added.sort(compareEntries);
    const merged: IndexedObject[] = new Array(kept.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < kept.length && j < added.length) {
      const a = kept[i] as IndexedObject;
      const b = added[j] as IndexedObject;
      if (compareEntries(a, b) <= 0) {
        merged[k++] = a;
        i++;
      } else {
        merged[k++] = b;
        j++;
      }
    }
    while (i < kept.length) merged[k++] = kept[i++] as IndexedObject;
    while (j < added.length) merged[k++] = added[j++] as IndexedObject;
    this.sorted.assign(merged);
  }

  /**
   * One page of the objects whose names start with `prefix`, in UTF-8 byte
   * order: at most `limit` (an integer ≥ 1, capped at LIST_PAGE_MAX) after the
   * position `token` names. `nextToken` is undefined on the last page. An
   * empty token is no token (proto3 cannot tell them apart). A malformed
   * token, or one for a position outside `prefix`, is INVALID_ARGUMENT; the
   * page never leaves the prefix whatever the token says. O(log N + limit).
   */
  page(prefix: string, limit: number, token: string | undefined): { objects: IndexedObject[]; nextToken: string | undefined } {
    checkPrefix(prefix);
    if (!Number.isInteger(limit) || limit < 1) throw invalid('page limit must be a positive integer');
    const max = Math.min(limit, LIST_PAGE_MAX);
    let start;
    if (token === undefined || token === '') {
      // First name ≥ prefix: the start of the names with that prefix.
      start = this.sorted.firstNotBefore((e) => compareUtf8(e.name, prefix) < 0);
    } else {
      const after = decodeToken(token);
      if (!after.startsWith(prefix)) throw invalid('continuation token does not belong to this prefix');
      start = this.sorted.firstNotBefore((e) => compareUtf8(e.name, after) <= 0);
    }
    const { entries: objects, more } = this.sorted.take(start, max, (e) => e.name.startsWith(prefix));
    const last = objects[objects.length - 1];
    return { objects, nextToken: more && last !== undefined ? encodeToken(last.name) : undefined };
  }

  /** Drops every entry and the mark (shred, key TTL); an update in flight then applies nothing. */
  clear(): void {
    this.generation++;
    this.sorted.clear();
    this.byTag.clear();
    this.synced = undefined;
  }
}

/** Describes every wanted (keyTag, sequence), a few at a time; stops at the first failure. */
async function describeAll(
  wanted: ReadonlyArray<readonly [string, number]>,
  describe: Describe,
): Promise<IndexedObject[]> {
  const out: IndexedObject[] = new Array(wanted.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < wanted.length) {
      const i = next++;
      const [keyTag, sequence] = wanted[i] as readonly [string, number];
      try {
        out[i] = checkDescribed(await describe(keyTag, sequence), keyTag, sequence);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DESCRIBE_CONCURRENCY, wanted.length) }, worker));
  return out;
}
