/**
 * The machine's own limits, measured in the same run as everything else:
 * memcpy (Buffer.copy), raw AES-256-GCM and SHA-256 through node:crypto, and
 * the fdatasync-bounded sequential write of the disk under the work folder.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchSync, type BenchResult } from '@tessera/common/bench';

const SIZES = [64 * 1024, 1024 * 1024] as const;

export async function ceilingBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const size of SIZES) {
    const src = randomBytes(size);
    const dst = Buffer.allocUnsafe(size);
    results.push(benchSync('memcpy (Buffer.copy)', size, () => src.copy(dst), { note: 'ceiling' }));
  }
  const key = randomBytes(32);
  const iv = randomBytes(12);
  for (const size of SIZES) {
    const data = randomBytes(size);
    results.push(
      benchSync(
        'AES-256-GCM raw node:crypto',
        size,
        () => {
          const c = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
          c.update(data);
          c.final();
          return c.getAuthTag();
        },
        { note: 'ceiling' },
      ),
    );
  }
  for (const size of SIZES) {
    const data = randomBytes(size);
    results.push(benchSync('SHA-256 node:crypto', size, () => createHash('sha256').update(data).digest(), { note: 'ceiling' }));
  }
  results.push(diskSyncCeiling(1024 * 1024));
  return results;
}

/** Sequential 1 MiB appends, each followed by fdatasync: what a durable append can reach. */
function diskSyncCeiling(size: number): BenchResult {
  const dir = mkdtempSync(join(process.env['TESSERA_BENCH_DIR'] ?? tmpdir(), 'tessera-bench-'));
  const fd = openSync(join(dir, 'seq'), 'w');
  const block = randomBytes(size);
  try {
    return benchSync(
      'sequential write + fdatasync',
      size,
      () => {
        writeSync(fd, block);
        fdatasyncSync(fd);
      },
      { runs: 5, minRunMs: 200, note: `ceiling (${dir.startsWith(tmpdir()) ? 'tmpdir' : dir})` },
    );
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}
