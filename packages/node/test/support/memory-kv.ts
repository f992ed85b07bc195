/**
 * An in-memory DurableKv for pure state-machine tests: a sorted map with the
 * interface's batch semantics (atomic, in call order). Whole-store queries
 * only (the metadata machine reads `entries({})`); no crash simulation.
 */
import type { DurableKv, KvOp, KvRange } from '@tessera/raft';

export class MemoryKv implements DurableKv {
  readonly crashSimulated = false;
  private readonly map = new Map<string, Buffer>();

  async get(key: Uint8Array): Promise<Buffer | undefined> {
    return this.map.get(Buffer.from(key).toString('hex'));
  }

  async entries(range: KvRange): Promise<Array<[Buffer, Buffer]>> {
    if (range.gt !== undefined || range.gte !== undefined || range.lt !== undefined || range.lte !== undefined) throw new Error('MemoryKv serves whole-store reads only');
    const all = [...this.map].map(([k, v]): [Buffer, Buffer] => [Buffer.from(k, 'hex'), v]).sort(([a], [b]) => Buffer.compare(a, b));
    if (range.reverse === true) all.reverse();
    return range.limit === undefined ? all : all.slice(0, range.limit);
  }

  async write(ops: readonly KvOp[]): Promise<void> {
    for (const op of ops) {
      const key = Buffer.from(op.key).toString('hex');
      if (op.type === 'put') this.map.set(key, Buffer.from(op.value));
      else this.map.delete(key);
    }
  }

  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  async crash(): Promise<void> {}
  setWriteFault(): void {}
}
