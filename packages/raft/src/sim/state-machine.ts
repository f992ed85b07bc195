/**
 * The simulator's state machine: a hash chain over every applied entry
 * (term, type and data), so two replicas that applied the same entries in the
 * same order hold the same digest, and a snapshot is just (index, digest).
 * The simulator compares each replica's digest with the one global chain of
 * committed entries (state-machine safety).
 */
import type { Entry } from '../types.js';

/** FNV-1a over the previous digest and the entry key (collisions are irrelevant for testing). */
export function chain(prev: string, key: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ prev.length;
  const s = prev + '|' + key;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** A stable, human-readable identity of an entry's content. */
export function entryKey(e: Entry): string {
  return `${e.term}/${e.type === 'normal' ? 'n' : 'c'}/${Buffer.from(e.data).toString('latin1')}`;
}

export const GENESIS = '0000000000000000';

export interface SmSnapshot {
  readonly index: number;
  readonly digest: string;
}

export function encodeSmSnapshot(s: SmSnapshot): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(s));
}

export function decodeSmSnapshot(data: Uint8Array): SmSnapshot {
  if (data.byteLength === 0) return { index: 0, digest: GENESIS };
  return JSON.parse(new TextDecoder().decode(data)) as SmSnapshot;
}

export class ChainStateMachine {
  index = 0;
  digest = GENESIS;

  apply(e: Entry): void {
    this.index = e.index;
    this.digest = chain(this.digest, entryKey(e));
  }

  restore(s: SmSnapshot): void {
    this.index = s.index;
    this.digest = s.digest;
  }

  snapshot(): SmSnapshot {
    return { index: this.index, digest: this.digest };
  }
}
