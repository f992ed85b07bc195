/**
 * ReadIndex bookkeeping (etcd's readOnly, "safe" option only: there are no
 * lease reads). A read is recorded with the leader's commit index at the time
 * of the request, then confirmed once a quorum of voters acknowledged a
 * heartbeat carrying the request's context, proving the leader was still the
 * leader *after* the commit index was recorded.
 */
import type { Message, NodeId } from '../types.js';

export interface ReadIndexStatus {
  readonly req: Message;
  readonly index: number;
  readonly acks: Set<NodeId>;
}

export function contextKey(ctx: Uint8Array | undefined): string {
  return ctx === undefined ? '' : Buffer.from(ctx.buffer, ctx.byteOffset, ctx.byteLength).toString('hex');
}

export class ReadOnly {
  private readonly pending = new Map<string, ReadIndexStatus>();
  private queue: string[] = [];

  addRequest(index: number, req: Message): void {
    const key = contextKey(req.context);
    if (this.pending.has(key)) return;
    this.pending.set(key, { req, index, acks: new Set() });
    this.queue.push(key);
  }

  /** Records `id`'s acknowledgement of the round `ctx`; returns its acks, if pending. */
  recvAck(id: NodeId, ctx: Uint8Array | undefined): Set<NodeId> | undefined {
    const status = this.pending.get(contextKey(ctx));
    if (status === undefined) return undefined;
    status.acks.add(id);
    return status.acks;
  }

  /**
   * Confirms the round `ctx` and every round queued before it (a later
   * heartbeat quorum also proves leadership for earlier requests).
   */
  advance(ctx: Uint8Array | undefined): ReadIndexStatus[] {
    const key = contextKey(ctx);
    const pos = this.queue.indexOf(key);
    if (pos < 0) return [];
    const done = this.queue.slice(0, pos + 1);
    this.queue = this.queue.slice(pos + 1);
    const out: ReadIndexStatus[] = [];
    for (const k of done) {
      const s = this.pending.get(k);
      if (s !== undefined) out.push(s);
      this.pending.delete(k);
    }
    return out;
  }

  lastPendingRequestCtx(): Uint8Array | undefined {
    const key = this.queue[this.queue.length - 1];
    return key === undefined ? undefined : this.pending.get(key)?.req.context;
  }

  size(): number {
    return this.queue.length;
  }
}
