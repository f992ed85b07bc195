/**
 * A write workload over client sessions: each writer has its own session
 * and writes unique keys one at a time, so an acknowledged write is exactly
 * (key, value) and can be checked on every replica at the end. A write whose
 * retries run out is indeterminate (it may or may not have committed): it
 * is counted, never asserted either way.
 */
import { randomBytes } from 'node:crypto';
import type { ClusterClient, KvSession } from '@tessera/node';

export class Workload {
  /** key -> value of every acknowledged write. */
  readonly acked = new Map<string, string>();
  indeterminate = 0;
  duplicates = 0;
  /** Error codes of indeterminate writes, for diagnosis. */
  readonly errors = new Map<string, number>();
  private next = 0;

  private constructor(private readonly sessions: KvSession[]) {}

  static async open(client: ClusterClient, writers: number): Promise<Workload> {
    const sessions: KvSession[] = [];
    for (let i = 0; i < writers; i++) sessions.push(await client.openSession());
    return new Workload(sessions);
  }

  /**
   * Writes `count` entries, `sessions.length` at a time. `onAck` sees the
   * running total of acknowledgements of this call (to inject a fault midway).
   */
  async write(count: number, onAck?: (ackedSoFar: number) => void | Promise<void>): Promise<void> {
    let remaining = count;
    let acked = 0;
    const writer = async (session: KvSession): Promise<void> => {
      while (remaining > 0) {
        remaining--;
        const key = `k/${String(this.next++).padStart(6, '0')}`;
        const value = randomBytes(16).toString('hex');
        try {
          const res = await session.put(Buffer.from(key), Buffer.from(value));
          if (res.duplicate) this.duplicates++;
          this.acked.set(key, value);
          acked++;
          await onAck?.(acked);
        } catch (err) {
          this.indeterminate++;
          const code = (err as { code?: string }).code ?? 'unknown';
          this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
        }
      }
    };
    await Promise.all(this.sessions.map((s) => writer(s)));
  }

  /** Acknowledged writes missing from (or different in) `state`. */
  missingFrom(state: ReadonlyMap<string, Buffer>): string[] {
    const missing: string[] = [];
    for (const [key, value] of this.acked) if (state.get(key)?.toString() !== value) missing.push(key);
    return missing;
  }
}
