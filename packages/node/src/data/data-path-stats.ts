/**
 * What the data path reports for metrics: each client operation (by kind,
 * outcome, bytes and time) and each phase of a chunk's write and read
 * (time). Plain in-process events with no prom-client here; the process's
 * metrics subscribe. Only fixed labels travel: an operation kind, an outcome
 * class, a phase — never a tenant, object name or chunk id (O1).
 */
import { performance } from 'node:perf_hooks';

export const DATA_OPERATIONS = ['put_chunk', 'put_object', 'get_object', 'stat', 'list', 'delete'] as const;
export type DataOperation = (typeof DATA_OPERATIONS)[number];

/** identify: chunk id; seal: envelope + Reed-Solomon; shard_writes: every shard fsynced; commit: metadata proposals; read_shards; open: decode + open + id check. */
export const DATA_PHASES = ['identify', 'seal', 'shard_writes', 'commit', 'read_shards', 'open'] as const;
export type DataPhase = (typeof DATA_PHASES)[number];

export interface DataPathListener {
  /** `outcome`: `ok` or a lower-case gRPC status class; `bytes`: payload moved (0 for metadata-only operations). */
  operation?(op: DataOperation, outcome: string, seconds: number, bytes: number): void;
  phase?(phase: DataPhase, seconds: number): void;
}

export class DataPathStats {
  private readonly listeners = new Set<DataPathListener>();

  subscribe(listener: DataPathListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  operation(op: DataOperation, outcome: string, seconds: number, bytes: number): void {
    for (const l of this.listeners) l.operation?.(op, outcome, seconds, bytes);
  }

  phase(phase: DataPhase, seconds: number): void {
    for (const l of this.listeners) l.phase?.(phase, seconds);
  }

  /** Runs `work` and reports its duration as `phase` when it succeeds. */
  async timed<T>(phase: DataPhase, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await work();
    this.phase(phase, (performance.now() - started) / 1000);
    return result;
  }
}
