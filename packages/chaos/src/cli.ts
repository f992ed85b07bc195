/**
 * `npm run chaos -- --nemesis partition,kill,pause,disk,powerloss --duration 300 --seed S`
 *
 * Runs a seeded schedule of faults against a fresh local cluster under a
 * concurrent object workload, checks the history and the disks, prints the
 * summary, and exits 1 on any violation (printing the command that replays
 * the schedule), 2 on bad arguments.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseFamilies } from './nemesis/schedule.js';
import { runChaos } from './run/chaos-run.js';

const USAGE = `usage: npm run chaos -- [--nemesis LIST] [--duration SECONDS] [--seed N] [--out DIR] [--nodes N] [--keys N] [--clients N] [--mutate NAME]
  --nemesis   comma-separated: kill,pause,partition,rolling,membership,km,disk,powerloss (default partition,kill,pause)
  --duration  seconds during which faults start (default 60)
  --seed      schedule seed (default: random, printed)
  --out       run folder (default: <tmp>/tessera-chaos-<seed>-<time>)
  --mutate    TESSERA_MUTATE for every process (proves the suite catches a planted bug)`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function intFlag(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) fail(`--${name} must be a whole number`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        nemesis: { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        nodes: { type: 'string' },
        keys: { type: 'string' },
        clients: { type: 'string' },
        mutate: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const nemesisList = values.nemesis ?? 'partition,kill,pause';
  let families: string[];
  try {
    families = parseFamilies(nemesisList);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const seed = intFlag(values.seed, Math.floor(Math.random() * 2 ** 31), 'seed');
  const durationS = intFlag(values.duration, 60, 'duration');
  const out = path.resolve(values.out ?? path.join(os.tmpdir(), `tessera-chaos-${seed}-${Date.now()}`));
  const started = Date.now();
  const log = (line: string): void => void process.stdout.write(`[${((Date.now() - started) / 1_000).toFixed(1)} s] ${line}\n`);
  log(`chaos run: nemeses ${families.join(',')}, duration ${durationS} s, seed ${seed}, folder ${out}`);
  const result = await runChaos({
    families,
    durationS,
    seed,
    out,
    nodes: intFlag(values.nodes, 3, 'nodes'),
    workload: { keys: intFlag(values.keys, 200, 'keys'), clients: intFlag(values.clients, 6, 'clients') },
    ...(values.mutate !== undefined ? { mutate: values.mutate } : {}),
    log,
  });
  process.stdout.write(result.summary);
  if (!result.passed) {
    const replay = ['npm run chaos --', '--nemesis', nemesisList, '--duration', String(durationS), '--seed', String(seed)];
    for (const flag of ['nodes', 'keys', 'clients', 'mutate'] as const) if (values[flag] !== undefined) replay.push(`--${flag}`, String(values[flag]));
    process.stdout.write(`replay the fault schedule with:\n  ${replay.join(' ')}\n`);
    process.exitCode = 1;
  }
}

await main();
