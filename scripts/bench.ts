/**
 * `npm run bench`: the data-path benchmarks of every package beside the
 * machine's own ceilings measured in the same run (DESIGN section 9). Prints a
 * table for people; `--json` prints one JSON document for scripts.
 *
 *   npm run bench                 all sections
 *   npm run bench -- --only crypto,erasure
 *   npm run bench -- --json
 *   npm run bench -- --only consensus   Tessera's Raft beside etcd (installs etcd-server when missing)
 *   TESSERA_BENCH_QUICK=1 npm run bench -- --only repair,scale   small sizes, for developing the bench
 *
 * The header names the machine (CPU, cores, memory, Node, the disk under the
 * temp directory) and the load average before and after the run: the machine
 * is shared, so a figure is only as quiet as that load.
 *
 * This process (the load generator and the in-process sections) runs with
 * the V8 heap setting every `tessera` process applies (ADR 0025), so its
 * garbage collection is not what a figure measures.
 */
import { applyHeapTuning } from '@tessera/cli';
import { formatTable, loadAverage, machineInfo, machineLine, type BenchResult } from '@tessera/common/bench';
import { ceilingBenchmarks } from './bench/ceilings.js';
import { pipelineBenchmarks } from './bench/pipeline.js';

interface Section {
  readonly name: string;
  readonly run: () => Promise<BenchResult[]>;
}

const SECTIONS: readonly Section[] = [
  { name: 'ceilings', run: ceilingBenchmarks },
  { name: 'transfer', run: async () => (await import('./bench/transfer.js')).transferBenchmarks() },
  { name: 'crypto', run: async () => (await import('@tessera/crypto/bench')).runBenchmarks() },
  { name: 'erasure', run: async () => (await import('@tessera/erasure/bench')).runBenchmarks() },
  { name: 'pipeline', run: pipelineBenchmarks },
  { name: 'storage', run: async () => (await import('@tessera/storage/bench')).runBenchmarks() },
  { name: 'chaos', run: async () => (await import('@tessera/chaos/bench')).runBenchmarks() },
  { name: 'raft', run: async () => (await import('@tessera/raft/bench')).runBenchmarks() },
  { name: 'raft-cluster', run: async () => (await import('@tessera/node/bench')).runBenchmarks() },
  { name: 'node-write', run: async () => (await import('./bench/node-write.js')).nodeWriteBenchmarks() },
  { name: 'data', run: async () => (await import('./bench/data.js')).dataBenchmarks() },
  { name: 'repair', run: async () => (await import('./bench/repair.js')).repairBenchmarks(benchSizes()) },
  { name: 'scale', run: async () => (await import('./bench/scale.js')).scaleBenchmarks(benchSizes()) },
  { name: 'consensus', run: async () => (await import('./bench/consensus.js')).consensusBenchmarks() },
];

/** `TESSERA_BENCH_QUICK=1`: the repair and scale sections at small sizes (a smoke run, not figures to quote). */
function benchSizes(): { quick: boolean; objects?: number; durationMs?: number } {
  return process.env['TESSERA_BENCH_QUICK'] === '1' ? { quick: true, objects: 8, durationMs: 1_500 } : { quick: false };
}


/** The filesystem the benchmarks' temporary directories live on (findmnt, when present). */

function parseArgs(argv: readonly string[]): { json: boolean; only: Set<string> | undefined } {
  let json = false;
  let only: Set<string> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--only') only = new Set((argv[++i] ?? '').split(',').filter(Boolean));
    else if (a.startsWith('--only=')) only = new Set(a.slice('--only='.length).split(',').filter(Boolean));
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`usage: npm run bench -- [--json] [--only ${SECTIONS.map((s) => s.name).join(',')}]\n`);
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown argument ${a} (see --help)\n`);
      process.exit(2);
    }
  }
  return { json, only };
}

async function main(): Promise<void> {
  applyHeapTuning();
  const { json, only } = parseArgs(process.argv.slice(2));
  const unknown = [...(only ?? [])].filter((n) => !SECTIONS.some((s) => s.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown section(s): ${unknown.join(', ')}\n`);
    process.exit(2);
  }
  const machine = machineInfo();
  const loadBefore = loadAverage();
  const out: Record<string, BenchResult[]> = {};
  if (!json) {
    process.stdout.write(`Tessera benchmarks — ${machineLine(machine)}\n`);
    process.stdout.write(`load average (1/5/15 min) before: ${loadBefore}\n`);
  }
  for (const section of SECTIONS) {
    if (only !== undefined && !only.has(section.name)) continue;
    const results = await section.run();
    out[section.name] = results;
    if (!json) process.stdout.write(`\n## ${section.name}\n${formatTable(results)}\n`);
  }
  const loadAfter = loadAverage();
  if (json) process.stdout.write(JSON.stringify({ machine, loadAverage: { before: loadBefore, after: loadAfter }, sections: out }, null, 2) + '\n');
  else process.stdout.write(`\nload average (1/5/15 min) after: ${loadAfter}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
