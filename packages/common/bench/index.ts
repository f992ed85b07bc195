/**
 * The canonical codec sits on every hot header path (envelopes, extent
 * records, Raft messages, deltas): encode and decode of a header-sized record.
 */
import { randomBytes } from 'node:crypto';
import { BinaryReader, BinaryWriter } from '../src/index.js';
import { benchSync, type BenchResult } from '../src/bench/index.js';

export function runBenchmarks(): Promise<BenchResult[]> {
  const chunkId = randomBytes(32);
  const nonce = randomBytes(12);
  const encode = (): Buffer =>
    new BinaryWriter(128).raw(Buffer.from('TSEN')).u8(1).u16(1).u64(7n).u64(3n).u8(2).string('tenant-a', 1, 63).fixed(chunkId, 32).u64(4_194_304).fixed(nonce, 12).finish();
  const record = encode();
  const decode = (): number => {
    const r = new BinaryReader(record);
    r.fixed(4);
    r.u8();
    r.u16();
    r.u64();
    r.u64();
    r.u8();
    r.string(1, 63);
    r.fixed(32);
    const length = r.u64Number();
    r.fixed(12);
    r.end();
    return length;
  };
  return Promise.resolve([
    benchSync(`codec encode header (${record.length} B)`, 0, encode),
    benchSync(`codec decode header (${record.length} B)`, 0, decode),
  ]);
}
