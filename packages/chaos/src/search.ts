/**
 * The Wing-Gong-Lowe search over one (sub-)history, with Lowe's memoisation
 * of (set of linearized operations, state) as in Porcupine.
 *
 * Events (calls and returns) sit in a doubly linked list ordered by time. The
 * search walks it from the head: at a call it tries to linearize that
 * operation now (apply it to the model, remove its call and return from the
 * list); at a return it has met an operation that had to be linearized
 * already, so it backtracks. The list empties exactly when every operation
 * has been placed. A configuration seen before (same linearized set, same
 * state) cannot lead anywhere new, which prunes the exponential search.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { Operation } from './history.js';
import type { Model } from './model.js';

const NIL = -1;
const HEAD = 0;

/** The deepest point the search reached before it had to give up. */
export interface StuckPoint {
  /** Indices (into the searched operations) of the longest linearized prefix, in order. */
  readonly prefix: readonly number[];
  /** Description of the model state after each operation of the prefix. */
  readonly statesAfter: readonly string[];
  /** The model state after that prefix. */
  readonly stateHash: string;
  readonly stateDescription: string;
  /** The completed operation whose return was reached before it could be placed. */
  readonly blocking: number;
  /** The other operations invoked before that return and not yet placed: none fits next. */
  readonly candidates: readonly number[];
}

export type SearchOutcome =
  | { readonly kind: 'linearizable'; readonly order: readonly number[] }
  | { readonly kind: 'not-linearizable'; readonly stuck: StuckPoint }
  /** The memo table outgrew its bound: the search gives up (verdict unknown). */
  | { readonly kind: 'memory-exhausted' };

/** Deterministic 32-bit mixing (splitmix-style) for the incremental bitset hash. */
function mix32(n: number): number {
  let x = (n + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function sameBits(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A resumable search: `advance` runs at most `maxSteps` steps, then reports progress. */
export interface Search {
  advance(maxSteps: number): SearchOutcome | 'running';
}

/**
 * Creates a resumable search, so that independent parts can be interleaved:
 * one part failing decides the whole history without finishing the others.
 */
export function createSearch<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], maxMemoEntries: number): Search {
  const n = ops.length;
  // Entry 0 is the list head; op i has call entry 2i+1 and return entry 2i+2.
  const entryCount = 2 * n + 1;
  const next = new Int32Array(entryCount).fill(NIL);
  const prev = new Int32Array(entryCount).fill(NIL);
  const times: { entry: number; time: number; isCall: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const op = ops[i] as Operation<I, O>;
    times.push({ entry: 2 * i + 1, time: op.call, isCall: true });
    // An unknown outcome never returns: it stays a candidate until the end.
    times.push({ entry: 2 * i + 2, time: op.ret ?? Number.POSITIVE_INFINITY, isCall: false });
  }
  // Equal times count as overlapping: calls sort before returns.
  times.sort((a, b) => (a.time !== b.time ? a.time - b.time : a.isCall === b.isCall ? a.entry - b.entry : a.isCall ? -1 : 1));
  let last = HEAD;
  for (const t of times) {
    next[last] = t.entry;
    prev[t.entry] = last;
    last = t.entry;
  }

  const isCall = (e: number): boolean => e % 2 === 1;
  const opOf = (e: number): number => (e - 1) >> 1;
  const lift = (call: number): void => {
    const ret = call + 1;
    next[prev[call] as number] = next[call] as number;
    if (next[call] !== NIL) prev[next[call] as number] = prev[call] as number;
    next[prev[ret] as number] = next[ret] as number;
    if (next[ret] !== NIL) prev[next[ret] as number] = prev[ret] as number;
  };
  const unlift = (call: number): void => {
    const ret = call + 1;
    next[prev[ret] as number] = ret;
    if (next[ret] !== NIL) prev[next[ret] as number] = ret;
    next[prev[call] as number] = call;
    if (next[call] !== NIL) prev[next[call] as number] = call;
  };

  const bits = new Uint32Array(Math.ceil(n / 32));
  let bitsHash = 0;
  const opHash = Array.from({ length: n }, (_, i) => mix32(i));
  const flip = (i: number): void => {
    bits[i >>> 5] = (bits[i >>> 5] as number) ^ (1 << (i & 31));
    bitsHash = (bitsHash ^ (opHash[i] as number)) >>> 0;
  };
  const seen = new Map<string, Uint32Array[]>();
  let memoEntries = 0;
  /** Records the configuration; false when it was seen before. */
  const remember = (stateHash: string): boolean => {
    const key = `${bitsHash}:${stateHash}`;
    const bucket = seen.get(key);
    if (bucket === undefined) {
      seen.set(key, [bits.slice()]);
      memoEntries++;
      return true;
    }
    for (const b of bucket) if (sameBits(b, bits)) return false;
    bucket.push(bits.slice());
    memoEntries++;
    return true;
  };

  interface Frame {
    readonly call: number;
    readonly before: S;
    readonly alternatives: readonly S[];
    readonly chosen: number;
  }
  const stack: Frame[] = [];
  let state = model.init();
  let best: StuckPoint | undefined;

  /** Tries alternatives[from..] for the call entry; pushes and lifts on success. */
  const place = (call: number, alternatives: readonly S[], from: number): boolean => {
    const i = opOf(call);
    for (let k = from; k < alternatives.length; k++) {
      const after = alternatives[k] as S;
      flip(i);
      if (remember(model.hash(after))) {
        stack.push({ call, before: state, alternatives, chosen: k });
        state = after;
        lift(call);
        return true;
      }
      flip(i);
    }
    return false;
  };

  let entry = next[HEAD] as number;
  const advance = (maxSteps: number): SearchOutcome | 'running' => {
    let steps = 0;
    while (next[HEAD] !== NIL) {
      if (++steps > maxSteps) return 'running';
      // Each memo entry holds a copy of the bitset: bound memory, not only time.
      if (memoEntries > maxMemoEntries) return { kind: 'memory-exhausted' };
      if (entry === NIL) {
        // Unreachable while the list is non-empty (it ends with a return); kept as a guard.
        throw new TesseraError(ErrorCodes.INTERNAL, 'linearizability search ran off the event list');
      }
      if (isCall(entry)) {
        const op = ops[opOf(entry)] as Operation<I, O>;
        const alternatives = model.step(state, op.input, op.ret === undefined ? undefined : op.output);
        entry = place(entry, alternatives, 0) ? (next[HEAD] as number) : (next[entry] as number);
        continue;
      }
      // A return whose call is still unplaced: this branch is dead.
      if (best === undefined || stack.length > best.prefix.length) {
        const candidates: number[] = [];
        for (let e = next[HEAD] as number; e !== entry && e !== NIL; e = next[e] as number) if (isCall(e) && e !== entry - 1) candidates.push(opOf(e));
        best = {
          prefix: stack.map((f) => opOf(f.call)),
          statesAfter: stack.map((f, k) => model.describeState(k + 1 < stack.length ? (stack[k + 1] as Frame).before : state)),
          stateHash: model.hash(state),
          stateDescription: model.describeState(state),
          blocking: opOf(entry),
          candidates,
        };
      }
      const frame = stack.pop();
      if (frame === undefined) return { kind: 'not-linearizable', stuck: best };
      flip(opOf(frame.call));
      unlift(frame.call);
      state = frame.before;
      // Another outcome of the same operation, else the next candidate after it.
      entry = place(frame.call, frame.alternatives, frame.chosen + 1) ? (next[HEAD] as number) : (next[frame.call] as number);
    }
    return { kind: 'linearizable', order: stack.map((f) => opOf(f.call)) };
  };
  return { advance };
}
