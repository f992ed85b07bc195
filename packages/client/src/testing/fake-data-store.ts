/**
 * The state behind fake Data servers: objects, chunks (id = SHA-256 of the
 * bytes), sessions with their remembered replies, and a log of calls. Two
 * fake servers sharing one store behave like two nodes of one cluster.
 *
 * The store also checks what a real node relies on from clients and records
 * every breach in `protocolViolations` (tests assert it stays empty).
 */
import { createHash } from 'node:crypto';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { u64String, type DataSession__Output, type ObjectMeta } from '@tessera/wire';

export type DataMethod = 'OpenSession' | 'PutChunk' | 'PutObject' | 'GetObject' | 'StatObject' | 'ListObjects' | 'DeleteObject';

export interface StoredObject {
  readonly name: string;
  readonly etag: string;
  readonly modifiedMs: number;
  readonly attributes: Readonly<Record<string, string>>;
  /** Hex chunk ids, empty for inline objects. */
  readonly chunkIds: readonly string[];
  readonly inline: Buffer;
  readonly size: number;
}

export interface CallRecord {
  readonly server: string;
  readonly method: DataMethod;
  readonly seq?: number;
  /** Answered from the session's remembered replies. */
  readonly replayed?: boolean;
}

interface SessionState {
  ackedThrough: number;
  readonly replies: Map<number, unknown>;
}

export const INLINE_LIMIT = 4096;

export class FakeDataStore {
  readonly chunks = new Map<string, Buffer>();
  readonly objects = new Map<string, StoredObject>();
  /** Session writes as applied or replayed (after session checks). */
  readonly calls: CallRecord[] = [];
  /** Every call as received, faults included. */
  readonly attempts: { readonly server: string; readonly method: DataMethod }[] = [];
  readonly protocolViolations: string[] = [];
  private readonly sessions = new Map<string, SessionState>();
  private nextClientId = 1;
  private nextVersion = 1;

  openSession(): string {
    const id = String(this.nextClientId++);
    this.sessions.set(id, { ackedThrough: 0, replies: new Map() });
    return id;
  }

  /** Forgets a session, as a node does once it expires. */
  expireSession(clientId: string): void {
    this.sessions.delete(clientId);
  }

  calledWith(method: DataMethod): CallRecord[] {
    return this.calls.filter((c) => c.method === method);
  }

  attemptsOf(method: DataMethod, server?: string): number {
    return this.attempts.filter((a) => a.method === method && (server === undefined || a.server === server)).length;
  }

  /**
   * Runs a session write at most once per (client, seq): a repeated seq
   * gets the remembered reply. `apply` runs only for a new seq.
   */
  sessionWrite<T>(server: string, method: DataMethod, session: DataSession__Output | null | undefined, apply: () => T): T {
    if (session === null || session === undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a write needs its session');
    const seq = Number(session.seq);
    const acked = Number(session.ackedThrough);
    if (!(seq > 0)) this.protocolViolations.push(`${method}: seq ${session.seq} is not positive`);
    if (!(acked < seq)) this.protocolViolations.push(`${method}: acked through ${acked} is not below seq ${seq}`);
    const state = this.sessions.get(session.clientId);
    if (state === undefined) throw new TesseraError(ErrorCodes.RAFT_SESSION_EXPIRED, 'the session expired: open a new one');
    const replayed = state.replies.has(seq);
    this.calls.push({ server, method, seq, replayed });
    if (replayed) return state.replies.get(seq) as T;
    if (seq <= state.ackedThrough) throw new TesseraError(ErrorCodes.RAFT_SESSION_STALE, 'this request was already acknowledged');
    const reply = apply();
    state.replies.set(seq, reply);
    if (acked > state.ackedThrough) {
      state.ackedThrough = acked;
      for (const s of state.replies.keys()) if (s <= acked) state.replies.delete(s);
    }
    return reply;
  }

  putChunk(bytes: Buffer): Buffer {
    const id = createHash('sha256').update(bytes).digest();
    this.chunks.set(id.toString('hex'), bytes);
    return id;
  }

  putObject(name: string, attributes: Readonly<Record<string, string>>, chunkIds: readonly Buffer[], inline: Buffer): ObjectMeta {
    if (inline.length > INLINE_LIMIT) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'inline data is at most 4 KiB');
    if (inline.length > 0 && chunkIds.length > 0) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'inline data or chunks, not both');
    const ids = chunkIds.map((c) => c.toString('hex'));
    let size = inline.length;
    for (const id of ids) {
      const chunk = this.chunks.get(id);
      if (chunk === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'no such chunk');
      size += chunk.length;
    }
    const version = this.nextVersion++;
    const object: StoredObject = { name, etag: version.toString(16).padStart(16, '0'), modifiedMs: 1_700_000_000_000 + version, attributes: { ...attributes }, chunkIds: ids, inline, size };
    this.objects.set(name, object);
    return metaOf(object, true);
  }

  object(name: string): StoredObject {
    const o = this.objects.get(name);
    if (o === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'no such object');
    return o;
  }

  /** The object's bytes in [offset, offset + length) (length 0: to the end). */
  bytesOf(object: StoredObject, offset: number, length: number): Buffer {
    const whole = object.chunkIds.length === 0 ? object.inline : Buffer.concat(object.chunkIds.map((id) => this.chunks.get(id)!));
    const end = length === 0 ? whole.length : Math.min(whole.length, offset + length);
    return whole.subarray(Math.min(offset, whole.length), end);
  }

  list(prefix: string, limit: number, after: string): { objects: ObjectMeta[]; next: string } {
    const names = [...this.objects.keys()].filter((n) => n.startsWith(prefix) && n > after).sort();
    const page = names.slice(0, limit);
    const more = names.length > limit;
    return { objects: page.map((n) => metaOf(this.objects.get(n)!, false)), next: more ? page.at(-1)! : '' };
  }

  delete(name: string): boolean {
    return this.objects.delete(name);
  }
}

export function metaOf(o: StoredObject, withAttributes: boolean): ObjectMeta {
  return {
    name: o.name,
    size: u64String(o.size),
    modifiedMs: u64String(o.modifiedMs),
    etag: o.etag,
    attributes: withAttributes ? { ...o.attributes } : {},
    chunks: o.chunkIds.length,
  };
}
