/** Size bounds shared by the history parsers, and the pairing of events into operations. */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { Operation } from '../history.js';

export interface ParseLimits {
  /** Largest accepted input, in UTF-16 code units (default 64 Mi). */
  readonly maxChars?: number;
  /** Longest accepted line (default 64 Ki). */
  readonly maxLineChars?: number;
  /** Most operations in one history (default 1 000 000). */
  readonly maxOperations?: number;
}

export const DEFAULT_LIMITS: Required<ParseLimits> = {
  maxChars: 64 * 1024 * 1024,
  maxLineChars: 64 * 1024,
  maxOperations: 1_000_000,
};

export function historyError(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CHAOS_HISTORY_INVALID, message);
}

/** Splits text into lines after checking the size bounds. */
export function boundedLines(text: string, limits: ParseLimits): string[] {
  const maxChars = limits.maxChars ?? DEFAULT_LIMITS.maxChars;
  const maxLine = limits.maxLineChars ?? DEFAULT_LIMITS.maxLineChars;
  if (text.length > maxChars) throw historyError(`history larger than ${maxChars} characters`);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] as string).length > maxLine) throw historyError(`line ${i + 1} longer than ${maxLine} characters`);
  }
  return lines;
}

interface Pending<I> {
  readonly call: number;
  readonly input: I;
}

/**
 * Pairs invocations with completions per client. A client has at most one
 * operation in flight; operations still open at the end have an unknown
 * outcome.
 */
export class OperationPairer<I, O> {
  private readonly open = new Map<string, Pending<I>>();
  private readonly ops: Operation<I, O>[] = [];
  private readonly maxOperations: number;
  private lastTime = Number.NEGATIVE_INFINITY;

  constructor(limits: ParseLimits) {
    this.maxOperations = limits.maxOperations ?? DEFAULT_LIMITS.maxOperations;
  }

  private checkTime(time: number, where: string): void {
    if (!Number.isFinite(time)) throw historyError(`${where}: time is not a finite number`);
    if (time < this.lastTime) throw historyError(`${where}: time goes backwards`);
    this.lastTime = time;
  }

  invoke(clientId: number | string, time: number, input: I, where: string): void {
    this.checkTime(time, where);
    const id = String(clientId);
    if (this.open.has(id)) throw historyError(`${where}: client ${id} invokes while an operation is in flight`);
    if (this.ops.length + this.open.size >= this.maxOperations) throw historyError(`more than ${this.maxOperations} operations`);
    this.open.set(id, { call: time, input });
  }

  /** The input of the client's operation in flight, or an error. */
  pending(clientId: number | string, where: string): I {
    const p = this.open.get(String(clientId));
    if (p === undefined) throw historyError(`${where}: completion without an invocation for client ${String(clientId)}`);
    return p.input;
  }

  /** Completes with a known output (`ok`). */
  complete(clientId: number | string, time: number, output: O, where: string): void {
    this.checkTime(time, where);
    const p = this.take(clientId, where);
    this.ops.push({ clientId, call: p.call, ret: time, input: p.input, output });
  }

  /** Completes with an unknown outcome (`info`, a timeout). */
  unknown(clientId: number | string, time: number, where: string): void {
    this.checkTime(time, where);
    const p = this.take(clientId, where);
    this.ops.push({ clientId, call: p.call, ret: undefined, input: p.input, output: undefined });
  }

  /** Completes an operation that certainly had no effect (`fail`): it is left out. */
  drop(clientId: number | string, time: number, where: string): void {
    this.checkTime(time, where);
    this.take(clientId, where);
  }

  finish(): Operation<I, O>[] {
    for (const [id, p] of this.open) {
      const clientId: number | string = /^\d{1,15}$/.test(id) ? Number(id) : id;
      this.ops.push({ clientId, call: p.call, ret: undefined, input: p.input, output: undefined });
    }
    this.open.clear();
    return this.ops.sort((a, b) => a.call - b.call);
  }

  private take(clientId: number | string, where: string): Pending<I> {
    const id = String(clientId);
    const p = this.open.get(id);
    if (p === undefined) throw historyError(`${where}: completion without an invocation for client ${id}`);
    this.open.delete(id);
    return p;
  }
}
